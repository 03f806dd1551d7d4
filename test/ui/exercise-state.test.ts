/**
 * The reducer on an exercise step (pure: state and events in, state and effects out): :exercise and
 * :verify ask the session for work, Ctrl+C stops a verification rather than arming quit, the
 * session's reports become the transcript (each check, the program's output, the verdict), a pass
 * passes and saves the step, reports of a verification no longer awaited are dropped, and
 * :solution points at the reference solution.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/exercises/exercise.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonView, type LessonView } from '../../src/ui/lesson-view.js';
import type { Result } from '../../src/ui/state/common.js';
import type { AppState, Effect, ExerciseReport, LessonScreen } from '../../src/ui/state/types.js';
import { init, update } from '../../src/ui/state/update.js';
import { BROKER_STEPS, progressAt } from './helpers.js';

let views: readonly LessonView[];
beforeAll(() => {
  views = loadLessons().lessons.map((l) => lessonView(l));
});

const NOW = 1_000_000;

/** The message broker lesson at `step`, opened and ready. */
function at(step: string): AppState {
  const [opened] = init({ size: { columns: 100, rows: 40 }, now: NOW, lessons: views, progress: progressAt('message-broker', BROKER_STEPS, step) });
  const [ready] = update(opened, { type: 'step', lesson: 'message-broker', step: BROKER_STEPS.indexOf(step) });
  return ready;
}

function screen(state: AppState): LessonScreen {
  if (state.screen.kind !== 'lesson') throw new Error('not on a lesson');
  return state.screen;
}

/** Types a line and Enter; the effects of both. */
function run(state: AppState, line: string): Result {
  const [typed, first] = update(state, { type: 'key', input: line, key: {}, at: NOW });
  const [entered, second] = update(typed, { type: 'key', input: '\r', key: { return: true }, at: NOW });
  return [entered, [...first, ...second]];
}

const report = (state: AppState, r: ExerciseReport) => update(state, { type: 'exercise', report: r });
const exerciseEffects = (effects: readonly Effect[]) => effects.filter((e) => e.kind === 'exercise');
const notes = (state: AppState) => screen(state).transcript.flatMap((e) => (e.kind === 'note' ? [e.text] : []));

const passed = (id: string, title: string): CheckResult => ({ id, title, passed: true });

describe('the reducer on an exercise step', () => {
  it(':exercise asks for the starter, in JavaScript or TypeScript', () => {
    const state = at('endpoint');
    expect(exerciseEffects(run(state, ':exercise')[1])).toEqual([{ kind: 'exercise', request: { kind: 'write', exercise: 'producer-endpoint', language: 'js' } }]);
    expect(exerciseEffects(run(state, ':exercise ts')[1])).toEqual([{ kind: 'exercise', request: { kind: 'write', exercise: 'producer-endpoint', language: 'ts' } }]);
    const [wrong, effects] = run(state, ':exercise rust');
    expect(exerciseEffects(effects)).toEqual([]);
    expect(notes(wrong)).toEqual(['`:exercise` takes js (the default) or ts: `:exercise ts` writes producer-endpoint.mts.']);
    const [written] = report(state, { kind: 'written', file: '/home/ada/judge/producer-endpoint.mjs', install: true });
    expect(notes(written)).toEqual([
      'Wrote `/home/ada/judge/producer-endpoint.mjs`: the task is at its top.',
      'Install the Redis client in that directory first: `npm install redis`.',
      'Then `:verify` runs it and checks what it does.',
    ]);
  });

  it(':verify asks for a verification (of a named file too) and waits for it; a second one waits its turn', () => {
    const [verifying, effects] = run(at('endpoint'), ':verify');
    expect(exerciseEffects(effects)).toEqual([{ kind: 'exercise', request: { kind: 'verify', exercise: 'producer-endpoint' } }]);
    expect(screen(verifying).verifying).toEqual({ since: NOW });
    expect(screen(verifying).transcript.at(-1)).toMatchObject({ kind: 'command', text: ':verify' });
    const [again, more] = run(verifying, ':verify');
    expect(exerciseEffects(more)).toEqual([]);
    expect(notes(again)).toEqual(['Your program is being verified: wait for the verdict, or Ctrl+C stops it.']);
    const [, named] = run(at('endpoint'), ':verify "my endpoint.mjs"');
    expect(exerciseEffects(named)).toEqual([{ kind: 'exercise', request: { kind: 'verify', exercise: 'producer-endpoint', file: 'my endpoint.mjs' } }]);
  });

  it('Ctrl+C stops the verification instead of arming quit', () => {
    const [verifying] = run(at('endpoint'), ':verify');
    const [stopping, effects] = update(verifying, { type: 'key', input: 'c', key: { ctrl: true }, at: NOW });
    expect(effects).toEqual([{ kind: 'exercise', request: { kind: 'stop' } }]);
    expect(stopping.quitArmedAt).toBeUndefined();
    const [stopped] = report(stopping, { kind: 'stopped' });
    expect(screen(stopped).verifying).toBeUndefined();
    expect(notes(stopped)).toEqual(['Stopped: your program was ended before the verdict.']);
  });

  it('shows each check as it comes, then a failed verdict with the program\'s output', () => {
    let [s] = run(at('endpoint'), ':verify');
    [s] = report(s, { kind: 'started', file: 'producer-endpoint.mjs', where: 'the bundled server at redis://127.0.0.1:40000' });
    expect(screen(s).verifying?.file).toBe('producer-endpoint.mjs');
    [s] = report(s, { kind: 'check', check: passed('connects', 'connects to the Redis in REDIS_URL') });
    const failed: CheckResult = { id: 'lpush', title: 'queues a submission', passed: false, expected: 'the answer 202 Accepted', seen: '200 {"id":1}', hint: 'Answer 202.' };
    [s] = report(s, { kind: 'check', check: failed });
    const [done, effects] = report(s, { kind: 'verdict', passed: false, output: 'listening on 40001\nTypeError: x' });
    // The verification was an attempt at the step: the progress that counts it is saved.
    expect(effects).toEqual([{ kind: 'save', progress: done.progress }]);
    expect(done.progress.lessons['message-broker']?.steps.endpoint).toMatchObject({ attempts: 1 });
    const after = screen(done);
    expect(after.verifying).toBeUndefined();
    expect(after.passed).toBe(false);
    expect(after.tries).toBe(1);
    expect(after.transcript.slice(1)).toEqual([
      { kind: 'note', text: 'Verifying `producer-endpoint.mjs` on the bundled server at redis://127.0.0.1:40000…', tone: 'info' },
      { kind: 'check', check: passed('connects', 'connects to the Redis in REDIS_URL') },
      { kind: 'check', check: failed },
      { kind: 'output', lines: ['listening on 40001', 'TypeError: x'] },
      { kind: 'note', text: 'Not yet: fix what the ✗ says, then `:verify` again.', tone: 'warn' },
    ]);
  });

  it('passes and saves the step when every check passes', () => {
    const [verifying] = run(at('endpoint'), ':verify');
    const [done, effects] = report(verifying, { kind: 'verdict', passed: true, output: '' });
    expect(screen(done).passed).toBe(true);
    expect(screen(done).transcript.at(-1)).toMatchObject({ kind: 'pass', next: 'a question', why: expect.stringMatching(/^The web request only queues/) });
    const save = effects.find((e) => e.kind === 'save');
    expect(save?.kind === 'save' && save.progress.lessons['message-broker']?.steps.endpoint?.state).toBe('passed');
    // Enter on an empty line goes on, as after any passed step.
    const [, next] = run(done, '');
    expect(next).toContainEqual({ kind: 'next' });
  });

  it('drops what a verification no longer awaited reports, and a new step ends the wait', () => {
    const state = at('endpoint');
    const [ignored] = report(state, { kind: 'check', check: passed('connects', 'connects') });
    expect(ignored).toBe(state);
    const [verifying] = run(state, ':verify');
    const [moved] = update(verifying, { type: 'step', lesson: 'message-broker', step: BROKER_STEPS.indexOf('broker-quiz') });
    expect(screen(moved).verifying).toBeUndefined();
    const [reset] = update(verifying, { type: 'step', lesson: 'message-broker', step: BROKER_STEPS.indexOf('endpoint') });
    expect(screen(reset).verifying).toBeUndefined();
  });

  it('refuses :exercise and :verify where no program is asked for', () => {
    const [s, effects] = run(at('produce'), ':verify');
    expect(exerciseEffects(effects)).toEqual([]);
    expect(notes(s)).toEqual(['This step asks for no program: `:verify` is for the steps that do.']);
  });

  it(':solution opens as on any step, and points at the reference solution', () => {
    let [s] = run(at('endpoint'), ':solution');
    expect(notes(s).at(-1)).toMatch(/^Try `:hint` first/);
    [s] = run(s, ':hint');
    [s] = run(s, ':hint');
    [s] = run(s, ':solution');
    const view = views.find((l) => l.id === 'message-broker')?.steps[BROKER_STEPS.indexOf('endpoint')];
    expect(view?.kind === 'exercise' && view.solutionFile).toMatch(/exercises\/producer-endpoint\/solution\.mjs$/);
    expect(notes(s).at(-1)).toBe(`A reference solution is in \`${view?.kind === 'exercise' ? view.solutionFile : ''}\`. Read it, then make your own program pass: `
      + '`:verify` judges what a program does, not how it is written.');
  });
});
