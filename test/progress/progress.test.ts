/**
 * Progress: the file's checks, format 1 read as format 2, what each step records (done, when,
 * attempts, hints, solutions, strict), atomic writes, a corrupt file kept aside (never discarded),
 * where a start resumes, and the subcommands (list, progress --export/--import, --reset-progress).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExport, runImport, runList, runResetProgress } from '../../src/progress/cli.js';
import {
  countAttempt, countHints, countSolution, EMPTY_PROGRESS, lessonState, markStep, openingStep, placeAt, type Progress, progressFrom,
  progressProblem, resetLesson, resumePlace, stepProgress, totalCount,
} from '../../src/progress/progress.js';
import { appDirs, type AppDirs, ProgressStore } from '../../src/progress/store.js';

const DONE = { when: '2025-03-04T10:00:00.000Z', strict: false };
const LATER = { when: '2025-03-05T09:30:00.000Z', strict: true };

const LESSONS = [
  { id: 'a', steps: [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }] },
  { id: 'b', steps: [{ id: 'b1' }, { id: 'b2' }] },
];

let dir: string;
let dirs: AppDirs;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-progress-'));
  dirs = { config: path.join(dir, 'config'), cache: path.join(dir, 'cache') };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

describe('the progress model', () => {
  it('marks steps, counts them, and never turns a passed step into a skipped one', () => {
    let p = markStep(EMPTY_PROGRESS, 'a', 'a1', 'passed', DONE);
    p = markStep(p, 'a', 'a2', 'skipped', DONE);
    p = markStep(p, 'a', 'a1', 'skipped', DONE);
    expect(p.lessons.a?.steps).toEqual({
      a1: { state: 'passed', when: DONE.when, strict: false, attempts: 0, hints: 0, solutions: 0 },
      a2: { state: 'skipped', when: DONE.when, strict: false, attempts: 0, hints: 0, solutions: 0 },
    });
    expect(totalCount(p, LESSONS)).toEqual({ done: 2, skipped: 1, total: 5 });
    expect(lessonState(p, LESSONS[0] as (typeof LESSONS)[0])).toBe('in progress');
    expect(lessonState(p, LESSONS[1] as (typeof LESSONS)[1])).toBe('not started');
    expect(lessonState(markStep(p, 'a', 'a3', 'passed', DONE), LESSONS[0] as (typeof LESSONS)[0])).toBe('done');
    // Steps a lesson no longer has do not count.
    expect(totalCount(markStep(p, 'a', 'gone', 'passed', DONE), LESSONS)).toEqual({ done: 2, skipped: 1, total: 5 });
  });

  it('records attempts, hints and solutions until a step is passed, and when and how it was done', () => {
    let p = countAttempt(countAttempt(EMPTY_PROGRESS, 'a', 'a1'), 'a', 'a1');
    p = countHints(p, 'a', 'a1', 1);
    p = countHints(p, 'a', 'a1', 2);
    // Seeing the first hint again (another visit) is no new hint.
    p = countHints(p, 'a', 'a1', 1);
    p = countSolution(p, 'a', 'a1');
    // Not done yet: counts, no state.
    expect(stepProgress(p, 'a', 'a1')).toEqual({ attempts: 2, hints: 2, solutions: 1 });
    expect(totalCount(p, LESSONS)).toEqual({ done: 0, skipped: 0, total: 5 });
    expect(lessonState(p, LESSONS[0] as (typeof LESSONS)[0])).toBe('not started');
    p = markStep(p, 'a', 'a1', 'skipped', DONE);
    p = countAttempt(p, 'a', 'a1');
    // Skipped, then passed later: passed, first done when it was skipped, in the mode it was passed in.
    p = markStep(p, 'a', 'a1', 'passed', LATER);
    expect(stepProgress(p, 'a', 'a1')).toEqual({ state: 'passed', when: DONE.when, strict: true, attempts: 3, hints: 2, solutions: 1 });
    // Once passed, nothing more counts: the same progress comes back.
    expect(countAttempt(p, 'a', 'a1')).toBe(p);
    expect(countHints(p, 'a', 'a1', 3)).toBe(p);
    expect(countSolution(p, 'a', 'a1')).toBe(p);
    expect(markStep(p, 'a', 'a1', 'skipped', LATER)).toBe(p);
  });

  it('forgets done steps on a reset, and keeps the help they took', () => {
    let p = markStep(countSolution(placeAt(EMPTY_PROGRESS, 'a', 'a2'), 'a', 'a1'), 'a', 'a1', 'passed', DONE);
    p = markStep(p, 'a', 'a2', 'skipped', DONE);
    p = markStep(p, 'b', 'b1', 'passed', DONE);
    const reset = resetLesson(p, 'a');
    expect(reset.current).toBeUndefined();
    expect(reset.lessons.a).toEqual({ steps: { a1: { attempts: 0, hints: 0, solutions: 1 } } });
    expect(reset.lessons.b).toEqual(p.lessons.b);
    expect(totalCount(reset, LESSONS)).toEqual({ done: 1, skipped: 0, total: 5 });
  });

  it('reads a format 1 file as format 2, losing nothing', () => {
    const old = {
      format: 1,
      current: { lesson: 'a', step: 'a3' },
      lessons: { a: { steps: { a1: 'passed', a2: 'skipped' }, at: 'a3' }, b: { steps: {} } },
    };
    expect(progressProblem(old)).toBeUndefined();
    const p = progressFrom(old);
    expect(p).toEqual({
      format: 2,
      current: { lesson: 'a', step: 'a3' },
      lessons: {
        a: { steps: { a1: { state: 'passed', attempts: 0, hints: 0, solutions: 0 }, a2: { state: 'skipped', attempts: 0, hints: 0, solutions: 0 } }, at: 'a3' },
        b: { steps: {} },
      },
    });
    expect(resumePlace(p, LESSONS)).toEqual({ lesson: 0, step: 2 });
    expect(totalCount(p, LESSONS)).toEqual({ done: 2, skipped: 1, total: 5 });
    // A format 2 file comes back as it is.
    expect(progressFrom(p)).toBe(p);
  });

  it('resumes at the exact step, after a done step, and at the next lesson after a finished one', () => {
    const at = (p: Progress) => resumePlace(p, LESSONS);
    expect(at(EMPTY_PROGRESS)).toBeUndefined();
    let p = placeAt(EMPTY_PROGRESS, 'a', 'a2');
    expect(at(p)).toEqual({ lesson: 0, step: 1 });
    p = markStep(p, 'a', 'a2', 'passed', DONE);
    expect(at(p)).toEqual({ lesson: 0, step: 2 });
    p = markStep(markStep(placeAt(p, 'a', 'a3'), 'a', 'a3', 'passed', DONE), 'a', 'a1', 'passed', DONE);
    expect(at(p)).toEqual({ lesson: 1, step: 0 });
    expect(openingStep(p, LESSONS[0] as (typeof LESSONS)[0])).toBe(0);
    expect(openingStep(placeAt(EMPTY_PROGRESS, 'b', 'b2'), LESSONS[1] as (typeof LESSONS)[1])).toBe(1);
    expect(resetLesson(p, 'a')).toEqual({ format: 2, lessons: {} });
  });

  it('says what is wrong with something that is not progress', () => {
    expect(progressProblem(EMPTY_PROGRESS)).toBeUndefined();
    expect(progressProblem([])).toBe('it is not a JSON object');
    expect(progressProblem({ format: 3, lessons: {} })).toBe('its format is 3, not 1 or 2');
    expect(progressProblem({ format: 1, lessons: { a: { steps: { a1: 'done' } } } })).toBe('lesson "a", step "a1": "done" is not "passed" or "skipped"');
    // Format 2 wants records, format 1 wants states.
    expect(progressProblem({ format: 2, lessons: { a: { steps: { a1: 'passed' } } } })).toBe('lesson "a", step "a1": not an object');
    expect(progressProblem({ format: 2, lessons: { a: { steps: { a1: { state: 'passed', attempts: 1, hints: 0 } } } } }))
      .toBe('lesson "a", step "a1": "solutions" is not a count (0, 1, 2, …)');
    expect(progressProblem({ format: 2, lessons: { a: { steps: { a1: { state: 'done', attempts: 1, hints: 0, solutions: 0 } } } } }))
      .toBe('lesson "a", step "a1": "state" is "done", not "passed" or "skipped"');
    expect(progressProblem({ format: 2, lessons: { a: { steps: { a1: { when: 'yesterday', attempts: 1, hints: 0, solutions: 0 } } } } }))
      .toBe('lesson "a", step "a1": "when" is not a time');
    expect(progressProblem({ format: 2, lessons: { a: { steps: { a1: { attempts: -1, hints: 0, solutions: 0 } } } } }))
      .toBe('lesson "a", step "a1": "attempts" is not a count (0, 1, 2, …)');
    expect(progressProblem({ format: 1, current: { lesson: 'a' }, lessons: {} })).toBe('"current" is not { "lesson": …, "step": … }');
  });
});

describe('the progress file', () => {
  it('lives in the platform config directory unless REDISLINGS_CONFIG_DIR says otherwise', () => {
    expect(appDirs({ REDISLINGS_CONFIG_DIR: '/x' })).toEqual({ config: '/x', cache: path.join('/x', 'cache') });
    const platform = appDirs({});
    expect(platform.config).toMatch(/redislings$/);
    expect(platform.cache).toMatch(/redislings$/);
    expect(platform.config).not.toBe(platform.cache);
  });

  it('is written atomically and read back', () => {
    const store = new ProgressStore(dirs.config);
    expect(store.load().kind).toBe('none');
    const p = markStep(placeAt(EMPTY_PROGRESS, 'a', 'a1'), 'a', 'a1', 'passed', DONE);
    store.save(p);
    expect(store.load()).toEqual({ kind: 'ok', progress: p });
    // No temporary file is left beside it.
    expect(fs.readdirSync(dirs.config)).toEqual(['progress.json']);
  });

  it('keeps a corrupt file aside and says where, never discarding it', () => {
    const store = new ProgressStore(dirs.config);
    fs.mkdirSync(dirs.config, { recursive: true });
    fs.writeFileSync(store.file, '{"format": 1, "lessons": {');
    const loaded = store.load(new Date('2025-01-31T12:00:00Z'));
    expect(loaded.kind).toBe('corrupt');
    if (loaded.kind !== 'corrupt') return;
    expect(loaded.problem).toContain('is not valid JSON');
    expect(loaded.keptAs).toBe(`${store.file}.corrupt-2025-01-31T12-00-00`);
    expect(fs.readFileSync(loaded.keptAs, 'utf8')).toBe('{"format": 1, "lessons": {');
    expect(loaded.progress).toEqual(EMPTY_PROGRESS);
    expect(fs.existsSync(store.file)).toBe(false);
  });
});

describe('the subcommands', () => {
  const progress = markStep(markStep(placeAt(EMPTY_PROGRESS, 'lists-as-queues', 'rpop'), 'lists-as-queues', 'lpush', 'passed', DONE), 'lists-as-queues', 'lrange', 'skipped', DONE);

  it('list shows each lesson with its state', async () => {
    new ProgressStore(dirs.config).save(progress);
    const c = capture();
    expect(await runList({ dirs, version: 'test' }, c.io)).toBe(0);
    expect(c.out()).toMatch(/^\d+ lessons · 2 \/ \d+ steps · \d+%/);
    expect(c.out()).toMatch(/ ◐ {2}5 {2}Lists as queues +2\/8 {2}in progress \(1 skipped\), at “First in, first out”/);
    expect(c.out()).toMatch(/ · {2}1 {2}First steps +0\/7 {2}not started/);
    const bad = capture();
    expect(await runList({ dirs, version: 'test', lessonsDir: path.join(dir, 'nowhere') }, bad.io)).toBe(1);
    expect(bad.err()).toContain('no such directory');
  });

  it('exports and imports, keeping the replaced file aside', () => {
    new ProgressStore(dirs.config).save(progress);
    const file = path.join(dir, 'moved.json');
    const ex = capture();
    expect(runExport(file, dirs, ex.io)).toBe(0);
    expect(ex.out()).toBe(`Exported 2 done steps to ${file}\n`);

    const other: AppDirs = { config: path.join(dir, 'other'), cache: path.join(dir, 'other-cache') };
    new ProgressStore(other.config).save(markStep(EMPTY_PROGRESS, 'first-steps', 'set-get', 'passed', DONE));
    const im = capture();
    expect(runImport(file, other, im.io)).toBe(0);
    expect(im.out()).toContain(`Imported 2 done steps from ${file}`);
    expect(im.out()).toMatch(/The progress it replaced was kept as .*progress\.json\.bak-/);
    expect(new ProgressStore(other.config).load()).toEqual({ kind: 'ok', progress });
  });

  it('reads a format 1 file, and imports a format 1 export', async () => {
    const old = JSON.stringify({ format: 1, current: { lesson: 'lists-as-queues', step: 'rpop' }, lessons: { 'lists-as-queues': { steps: { lpush: 'passed', lrange: 'skipped' }, at: 'rpop' } } });
    const store = new ProgressStore(dirs.config);
    fs.mkdirSync(dirs.config, { recursive: true });
    fs.writeFileSync(store.file, old);
    const loaded = store.load();
    expect(loaded.kind).toBe('ok');
    expect(loaded.progress.format).toBe(2);
    expect(totalCount(loaded.progress, [{ id: 'lists-as-queues', steps: [{ id: 'lpush' }, { id: 'lrange' }, { id: 'rpop' }] }])).toEqual({ done: 2, skipped: 1, total: 3 });
    const c = capture();
    expect(await runList({ dirs, version: 'test' }, c.io)).toBe(0);
    expect(c.out()).toMatch(/Lists as queues +2\/8 {2}in progress \(1 skipped\), at “First in, first out”/);
    // An export made by an older redislings.
    const file = path.join(dir, 'old-export.json');
    fs.writeFileSync(file, old);
    const other: AppDirs = { config: path.join(dir, 'other'), cache: path.join(dir, 'other-cache') };
    const im = capture();
    expect(runImport(file, other, im.io)).toBe(0);
    expect(im.out()).toContain('Imported 2 done steps');
    expect(new ProgressStore(other.config).load()).toEqual(loaded);
    expect(JSON.parse(fs.readFileSync(path.join(other.config, 'progress.json'), 'utf8')).format).toBe(2);
  });

  it('refuses to import what is not progress, and changes nothing', () => {
    const store = new ProgressStore(dirs.config);
    store.save(progress);
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"format": 1, "lessons": []}');
    const c = capture();
    expect(runImport(file, dirs, c.io)).toBe(1);
    expect(c.err()).toContain('is not a redislings progress file: "lessons" is not an object');
    expect(c.err()).toContain('Nothing was imported');
    expect(store.load()).toEqual({ kind: 'ok', progress });
    expect(runImport(path.join(dir, 'missing.json'), dirs, c.io)).toBe(1);
    expect(fs.readdirSync(dirs.config)).toEqual(['progress.json']);
  });

  it('--reset-progress moves the file aside', () => {
    const store = new ProgressStore(dirs.config);
    const c = capture();
    expect(runResetProgress(dirs, c.io)).toBe(0);
    expect(c.out()).toBe('There was no progress to reset.\n');
    store.save(progress);
    const again = capture();
    expect(runResetProgress(dirs, again.io)).toBe(0);
    expect(again.out()).toContain('Progress reset');
    expect(store.load().kind).toBe('none');
    const kept = fs.readdirSync(dirs.config).filter((f) => f.startsWith('progress.json.bak-'));
    expect(kept).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(dirs.config, kept[0] as string), 'utf8'))).toEqual(progress);
  });
});
