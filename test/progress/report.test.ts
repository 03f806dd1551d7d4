/**
 * Classroom records: `progress --json` (its shape), `report` (written, signed with the pack's
 * key, or plainly unsigned) and `report --check` (valid; edited, signature removed, signed with
 * another key, another pack, other lesson files: each said and exit 1). The last test runs the
 * built CLI as a teacher would.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProgressJson } from '../../src/progress/cli.js';
import { countAttempt, countHints, countSolution, EMPTY_PROGRESS, markStep, type Progress } from '../../src/progress/progress.js';
import { nameSlug, runReport, runReportCheck } from '../../src/progress/report-cli.js';
import { canonicalJson, type Report, signatureOf } from '../../src/progress/report.js';
import { type AppDirs, ProgressStore } from '../../src/progress/store.js';
import { CLI } from '../differential/harness.js';

const KEY = 'k3y-for-databases-101-week-3';
const FIXTURE = path.resolve('test/lessons/fixtures/valid/queue.yaml');
const NOW = new Date('2025-03-04T11:00:00.000Z');

let dir: string;
let dirs: AppDirs;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-report-'));
  dirs = { config: path.join(dir, 'config'), cache: path.join(dir, 'cache') };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

/** A pack in a temporary directory: the fixture lesson and the shipped queue lesson, and a pack.yaml. */
function makePack(name: string, yaml: string | undefined): string {
  const pack = path.join(dir, name);
  fs.mkdirSync(pack);
  fs.copyFileSync(FIXTURE, path.join(pack, 'fixture.yaml'));
  fs.copyFileSync(path.resolve('lessons/05-lists-as-queues.yaml'), path.join(pack, 'queues.yaml'));
  if (yaml !== undefined) fs.writeFileSync(path.join(pack, 'pack.yaml'), yaml);
  return pack;
}

const PACK_YAML = `format: 1\nid: databases-101\ntitle: Databases 101, week 3\nstrict: true\nreport:\n  key: ${KEY}\n`;

/** Two steps passed (one with help), one skipped in strict mode, one tried. */
function someProgress(): Progress {
  const strict = { when: '2025-03-04T10:00:00.000Z', strict: true };
  let p = countAttempt(countAttempt(EMPTY_PROGRESS, 'lists-as-queues', 'lpush'), 'lists-as-queues', 'lpush');
  p = markStep(countHints(p, 'lists-as-queues', 'lpush', 2), 'lists-as-queues', 'lpush', 'passed', strict);
  p = markStep(countAttempt(p, 'lists-as-queues', 'lrange'), 'lists-as-queues', 'lrange', 'skipped', strict);
  p = countSolution(countAttempt(p, 'lists-as-queues', 'rpop'), 'lists-as-queues', 'rpop');
  p = markStep(countAttempt(p, 'fixture-queue', 'push'), 'fixture-queue', 'push', 'passed', { when: '2025-03-03T09:00:00.000Z', strict: false });
  return p;
}

async function writeReport(pack: string, out = path.join(dir, 'report.json')): Promise<{ file: string; text: string; code: number }> {
  new ProgressStore(dirs.config).save(someProgress());
  const c = capture();
  const code = await runReport({ name: 'Ada Lovelace', out, lessonsDir: pack, only: true, dirs, version: '9.9.9', cwd: dir, now: NOW, user: 'ada' }, c.io);
  return { file: out, text: c.out() + c.err(), code };
}

async function check(file: string, pack: string | undefined) {
  const c = capture();
  const code = await runReportCheck(file, pack === undefined ? {} : { lessonsDir: pack }, c.io);
  return { code, out: c.out(), err: c.err() };
}

const readReport = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
const writeJson = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value, null, 2));

describe('progress --json', () => {
  it('prints every step of every lesson shown, with its record, and the totals', async () => {
    const pack = makePack('pack', PACK_YAML);
    new ProgressStore(dirs.config).save(someProgress());
    const c = capture();
    expect(await runProgressJson({ lessonsDir: pack, only: true, dirs, version: 'test' }, c.io)).toBe(0);
    const doc = JSON.parse(c.out()) as {
      format: number; pack: unknown; problems: unknown[];
      lessons: { id: string; title: string; done: number; skipped: number; total: number; steps: Record<string, unknown>[] }[];
      totals: Record<string, number>;
    };
    expect(doc.format).toBe(1);
    expect(doc.pack).toEqual({ id: 'databases-101', title: 'Databases 101, week 3', strict: true });
    expect(doc.problems).toEqual([]);
    expect(doc.lessons.map((l) => l.id)).toEqual(['fixture-queue', 'lists-as-queues']);
    const queue = doc.lessons[1];
    expect(queue).toMatchObject({ id: 'lists-as-queues', title: 'Lists as queues', done: 2, skipped: 1, total: 8 });
    expect(queue?.steps.map((s) => s.id)).toEqual(['lpush', 'lrange', 'rpop', 'brpop', 'lmove', 'ack', 'worker', 'queue-quiz']);
    expect(queue?.steps[0]).toEqual({
      id: 'lpush', title: 'Push onto a list', done: true, state: 'passed', when: '2025-03-04T10:00:00.000Z',
      attempts: 2, hints: 2, solutions: 0, skipped: false, strict: true,
    });
    expect(queue?.steps[1]).toMatchObject({ id: 'lrange', done: true, state: 'skipped', skipped: true, strict: true, attempts: 1 });
    expect(queue?.steps[2]).toEqual({
      id: 'rpop', title: 'First in, first out', done: false, state: 'not done', when: null,
      attempts: 1, hints: 0, solutions: 1, skipped: false, strict: null,
    });
    // A quiz step without a title is named by its question.
    expect(queue?.steps[7]?.title).toMatch(/\?$/);
    expect(doc.totals).toEqual({ lessons: 2, steps: 13, done: 3, passed: 2, skipped: 1, attempts: 5, hints: 2, solutions: 1, doneStrict: 2 });
  });

  it('works with no progress yet, and says what is wrong with a pack.yaml', async () => {
    const c = capture();
    expect(await runProgressJson({ dirs, version: 'test' }, c.io)).toBe(0);
    const doc = JSON.parse(c.out()) as { pack: { id: string }; totals: { done: number; steps: number } };
    expect(doc.pack.id).toBe('redislings');
    expect(doc.totals.done).toBe(0);
    expect(doc.totals.steps).toBeGreaterThan(50);
    const bad = capture();
    expect(await runProgressJson({ lessonsDir: makePack('bad', 'format: 1\nid: Bad Id\ntitle: x\n'), dirs, version: 'test' }, bad.io)).toBe(1);
    expect(bad.err()).toMatch(/pack\.yaml:2:5: id: expected an id of lower-case letters/);
  });
});

describe('report', () => {
  it('writes a signed record and --check finds it valid', async () => {
    const pack = makePack('pack', PACK_YAML);
    const { file, text, code } = await writeReport(pack);
    expect(code).toBe(0);
    expect(text).toContain(`Wrote ${file}: Ada Lovelace, “Databases 101, week 3”, 3 / 13 steps done (1 skipped, 1 solution shown).`);
    expect(text).toContain('signed with the pack\'s report key');
    const r = readReport(file);
    expect(r).toMatchObject({
      format: 1, kind: 'redislings-report', student: { name: 'Ada Lovelace', user: 'ada' },
      pack: { id: 'databases-101', title: 'Databases 101, week 3' }, redislings: '9.9.9', generated: NOW.toISOString(), strict: true,
      totals: { lessons: 2, steps: 13, done: 3, passed: 2, skipped: 1, attempts: 5, hints: 2, solutions: 1, doneStrict: 2 },
    });
    expect(r.pack.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.signature).toEqual({ algorithm: 'HMAC-SHA256', value: signatureOf({ ...r }, KEY) });
    expect(r.lessons[1]?.steps[0]).toMatchObject({ id: 'lpush', state: 'passed', attempts: 2, hints: 2 });

    const ok = await check(file, pack);
    expect(ok.code).toBe(0);
    // The fixture's step was done without strict mode (from another directory, say): the summary says so.
    expect(ok.out).toBe('Valid. Ada Lovelace (user ada) has done 3 of 13 steps of “Databases 101, week 3” (databases-101), in strict mode (1 of the done steps without it): '
      + '1 skipped, 1 solution shown, 2 hints seen, 5 attempts. The record was made on 2025-03-04 11:00 UTC by redislings 9.9.9. '
      + 'It was written by redislings with this pack\'s report key and has not been edited since.\n');
  });

  it('stays valid when only the layout changes (spaces, the order of fields)', async () => {
    const pack = makePack('pack', PACK_YAML);
    const { file } = await writeReport(pack);
    const r = readReport(file);
    const { signature, ...rest } = r;
    fs.writeFileSync(file, JSON.stringify({ signature, ...Object.fromEntries(Object.entries(rest).reverse()) }));
    expect((await check(file, pack)).code).toBe(0);
  });

  it('fails --check when one number is changed', async () => {
    const pack = makePack('pack', PACK_YAML);
    const { file } = await writeReport(pack);
    const r = readReport(file);
    writeJson(file, { ...r, totals: { ...r.totals, solutions: 0 } });
    const c = await check(file, pack);
    expect(c.code).toBe(1);
    expect(c.out).toBe(`NOT VALID: ${file} does not match its signature. It was edited after redislings wrote it, or signed with another key than the one of “Databases 101, week 3” (databases-101).\n`);
    // One byte, deep in a step's record, the file otherwise as written.
    const { file: again } = await writeReport(pack, path.join(dir, 'again.json'));
    const text = fs.readFileSync(again, 'utf8');
    const edited = text.replace('"attempts": 2,', '"attempts": 1,');
    expect(edited).not.toBe(text);
    fs.writeFileSync(again, edited);
    expect((await check(again, pack)).code).toBe(1);
  });

  it('fails --check when the signature is removed or changed', async () => {
    const pack = makePack('pack', PACK_YAML);
    const { file } = await writeReport(pack);
    const r = readReport(file);
    const { signature: _removed, ...unsigned } = r;
    writeJson(file, unsigned);
    let c = await check(file, pack);
    expect(c.code).toBe(1);
    expect(c.out).toContain(`NOT VALID: ${file} has no signature, but “Databases 101, week 3” (databases-101) signs its records.`);
    writeJson(file, { ...r, signature: null });
    expect((await check(file, pack)).out).toContain('has no signature');
    const flipped = (r.signature?.value ?? '').replace(/^./, (d) => (d === '0' ? '1' : '0'));
    writeJson(file, { ...r, signature: { algorithm: 'HMAC-SHA256', value: flipped } });
    c = await check(file, pack);
    expect(c.code).toBe(1);
    expect(c.out).toContain('does not match its signature');
  });

  it('fails --check for a record signed with another key, or for another pack', async () => {
    const pack = makePack('pack', PACK_YAML);
    // A forged pack: the same id and title, another key.
    const forged = makePack('forged', PACK_YAML.replace(KEY, 'a-key-the-teacher-never-gave'));
    const { file } = await writeReport(forged);
    const c = await check(file, pack);
    expect(c.code).toBe(1);
    expect(c.out).toContain('does not match its signature');
    expect(c.out).toContain('or signed with another key');

    const other = makePack('other', PACK_YAML.replace('id: databases-101', 'id: databases-102').replace('week 3', 'week 4'));
    const { file: otherFile } = await writeReport(other, path.join(dir, 'other.json'));
    const o = await check(otherFile, pack);
    expect(o.code).toBe(1);
    expect(o.out).toBe(`NOT VALID for this pack: ${otherFile} is a record for the pack “Databases 101, week 4” (databases-102), not for “Databases 101, week 3” (databases-101). Check it with --lessons and that pack's directory.\n`);
  });

  it('fails --check for a record made with other lesson files than the teacher\'s', async () => {
    const pack = makePack('pack', PACK_YAML);
    const { file } = await writeReport(pack);
    // The student's copy of a lesson was changed (an easier check, say).
    fs.appendFileSync(path.join(pack, 'queues.yaml'), '\n# edited\n');
    const c = await check(file, pack);
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/^NOT VALID for this version of the pack: .* is signed with the key of “Databases 101, week 3” \(databases-101\) and was not edited, but it was made with other lesson files/);
  });

  it('writes an unsigned record when the pack has no key, and says so plainly', async () => {
    const pack = makePack('plain', 'format: 1\nid: plain-pack\ntitle: A plain pack\n');
    const { file, text, code } = await writeReport(pack);
    expect(code).toBe(0);
    expect(text).toContain('It is NOT signed: the pack “A plain pack” has no report key (pack.yaml: report: { key: … }), so nothing shows that it was not edited.');
    expect(readReport(file).signature).toBeNull();
    expect(readReport(file).strict).toBe(false);
    const c = await check(file, pack);
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/^NOT SIGNED: .* has no signature and “A plain pack” \(plain-pack\) has no report key, so nothing shows that it was not edited\. It says: Ada Lovelace/);
  });

  it('says what is wrong with what is not a record', async () => {
    const pack = makePack('pack', PACK_YAML);
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, '{"format": 1, ');
    expect((await check(file, pack)).out).toMatch(/is not a redislings report: it is not valid JSON/);
    writeJson(file, { format: 1, kind: 'something-else' });
    expect((await check(file, pack)).out).toContain('is not a redislings report: its "kind" is "something-else"');
    const missing = await check(path.join(dir, 'missing.json'), pack);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no such file');
  });

  it('names the file after the student, in the current directory', async () => {
    expect(nameSlug('Ada Lovelace')).toBe('ada-lovelace');
    expect(nameSlug('  Zoë  O\'Brien ')).toBe('zoë-o-brien');
    expect(nameSlug('!!!')).toBe('student');
    const c = capture();
    expect(await runReport({ name: 'Ada Lovelace', dirs, version: 'test', cwd: dir, now: NOW }, c.io)).toBe(0);
    const r = readReport(path.join(dir, 'redislings-report-ada-lovelace.json'));
    expect(r.pack.id).toBe('redislings');
    expect(r.signature).toBeNull();
    expect(typeof r.student.user === 'string' || r.student.user === null).toBe(true);
    expect(c.out()).toContain('It is NOT signed: only a teacher\'s lesson pack with a report key');
    const empty = capture();
    expect(await runReport({ name: '  ', dirs, version: 'test', cwd: dir }, empty.io)).toBe(1);
    expect(empty.err()).toContain('--name needs the student\'s name');
  });

  it('serialises canonically: sorted keys, no spaces, whatever the layout', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe('{"a":true,"b":[1,{"c":null,"d":"x"}]}');
    expect(canonicalJson(JSON.parse('{ "z" : 1.0, "é": "\\u00e9" }'))).toBe('{"z":1,"é":"é"}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('the built CLI', () => {
  it('writes a report, checks it, and fails an edited one with exit 1', () => {
    const pack = makePack('pack', PACK_YAML);
    new ProgressStore(dirs.config).save(someProgress());
    const env = { ...process.env, REDISLINGS_CONFIG_DIR: dirs.config, REDISLINGS_CACHE_DIR: dirs.cache };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, cwd: dir });
    const written = run('report', '--name', 'Ada Lovelace', '--lessons', pack, '--only');
    expect(written.stderr).toBe('');
    expect(written.status).toBe(0);
    const file = path.join(dir, 'redislings-report-ada-lovelace.json');
    expect(fs.existsSync(file)).toBe(true);
    const ok = run('report', '--check', file, '--lessons', pack);
    expect(ok.stdout).toMatch(/^Valid\. Ada Lovelace/);
    expect(ok.status).toBe(0);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"done": 3', '"done": 12'));
    const bad = run('report', '--check', file, '--lessons', pack);
    expect(bad.stdout).toContain('does not match its signature');
    expect(bad.status).toBe(1);
    const json = run('progress', '--json', '--lessons', pack, '--only');
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as { totals: { done: number } }).totals.done).toBe(3);
    const noName = run('report');
    expect(noName.status).not.toBe(0);
    expect(noName.stderr).toContain('--name');
  });

  it('says what is wrong with the pack.yaml of the pack the app is asked to open', () => {
    const pack = makePack('bad', 'format: 1\nid: bad\ntitle: Bad\nstrict: yes please\n');
    const r = spawnSync(process.execPath, [CLI, '--lessons', pack], { encoding: 'utf8', env: { ...process.env, REDISLINGS_CONFIG_DIR: dirs.config } });
    expect(r.stderr).toContain(`redislings: ${path.join(pack, 'pack.yaml')}:4:9: strict: expected strict: true or false`);
    expect(r.status).toBe(1);
  });
});
