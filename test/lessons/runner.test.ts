/**
 * The runner on the bundled engine, with the fixture lesson (fixtures/valid/queue.yaml): actors
 * that serve a blocked BRPOP, publish to a subscriber, the simulated database, resuming, skipping,
 * isolation between lessons, and failure feedback as data.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BundledBackend } from '../../src/backend/bundled.js';
import { loadLessonFile, loadLessons } from '../../src/lessons/loader.js';
import type { Lesson } from '../../src/lessons/model.js';
import { LessonRun, type RunEvent } from '../../src/lessons/runner.js';
import { array, bulk, integer, NIL_ARRAY, OK } from '../../src/resp/reply.js';

const fixture = loadLessonFile(path.join('test', 'lessons', 'fixtures', 'valid', 'queue.yaml')).lesson as Lesson;
const firstSteps = loadLessons().lessons.find((l) => l.id === 'first-steps') as Lesson;
const backend = new BundledBackend();
let run: LessonRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function open(lesson: Lesson, atStep = 0, events: RunEvent[] = []) {
  run = await LessonRun.open(lesson, backend, { atStep, timeScale: 0.05, onEvent: (e) => events.push(e) });
  return run;
}

describe('LessonRun', () => {
  it('serves a blocked BRPOP from a background actor after its delay', async () => {
    const events: RunEvent[] = [];
    const r = await open(fixture, 1, events);
    const started = performance.now();
    const { reply, verdict } = await r.submit(['BRPOP', 'jobs', '0']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90); // 2 s scaled by 0.05
    expect(reply).toEqual(array([bulk('jobs'), bulk('{"id":7}')]));
    expect(verdict.passed).toBe(true);
    expect(events.filter((e) => e.kind === 'actor')).toEqual([
      { kind: 'actor', actor: 'producer', argv: ['LPUSH', 'jobs', '{"id":7}'], reply: integer(1) },
    ]);
  });

  it('lets the learner stop waiting; an onlyIfWaiting actor then does nothing', async () => {
    const r = await open(fixture, 1);
    const pending = r.submit(['BRPOP', 'jobs', '0']);
    expect(r.waiting).toBe(true);
    await r.interrupt();
    const { reply, verdict } = await pending;
    expect(reply).toEqual(NIL_ARRAY);
    expect(verdict.passed).toBe(false);
    await r.idle();
    expect((await r.submit(['LLEN', 'jobs'])).reply).toEqual(integer(0));
  });

  it('judges pushed messages as they arrive', async () => {
    const events: RunEvent[] = [];
    const r = await open(fixture, 2, events);
    const { verdict } = await r.submit(['SUBSCRIBE', 'news']);
    expect(verdict.passed).toBe(false);
    expect(verdict.results[0]).toMatchObject({ passed: false, note: 'no message has arrived yet' });
    await r.idle();
    expect(r.passed).toBe(true);
    expect(events.filter((e) => e.kind === 'push')).toEqual([
      { kind: 'push', reply: { kind: 'push', items: [bulk('message'), bulk('news'), bulk('hello')] } },
    ]);
    expect(events.some((e) => e.kind === 'verdict' && e.verdict.passed)).toBe(true);
    // The next step ends the subscription, so its commands run.
    await r.next();
    expect((await r.submit(['SET', 'price:1', '30'])).reply).toEqual(OK);
  });

  it('runs DB lines on the simulated database, which Redis never sees', async () => {
    const r = await open(fixture, 3);
    expect((await r.submit(['DB', 'GET', 'price:1'])).reply).toEqual(bulk('30'));
    expect((await r.submit(['GET', 'price:1'])).verdict.passed).toBe(false);
    expect((await r.submit(['db', 'set', 'price:1', '31'])).reply).toEqual(OK);
    expect((await r.submit(['DB', 'NOPE'])).reply.kind).toBe('error');
    expect((await r.submit(['SET', 'price:1', '30'])).verdict.passed).toBe(true);
    expect((await r.submit(['EXISTS', 'db'])).reply).toEqual(integer(0));
  });

  it('gives failure feedback as data: what was looked at, expected and found', async () => {
    const r = await open(fixture, 0);
    const { verdict } = await r.submit(['LPUSH', 'q', 'b', 'a']);
    expect(verdict.passed).toBe(false);
    expect(verdict.results).toEqual([expect.objectContaining({
      passed: false,
      subject: 'LRANGE q 0 -1',
      expected: '["b", "a"] in this order',
      actual: array([bulk('a'), bulk('b')]),
    })]);
  });

  it('resumes at a step by replaying the earlier solutions, and skips a step by running its solution', async () => {
    const r = await open(fixture, 2);
    expect((await r.submit(['LRANGE', 'q', '0', '-1'])).reply).toEqual(array([bulk('b'), bulk('a')]));
    await r.goTo(0);
    expect((await r.submit(['EXISTS', 'q'])).reply).toEqual(integer(0));
    await r.skip();
    expect(r.stepIndex).toBe(1);
    expect((await r.submit(['LRANGE', 'q', '0', '-1'])).reply).toEqual(array([bulk('b'), bulk('a')]));
  });

  it('moves the engine clock for a replayed wait', async () => {
    const r = await open(fixture, 4);
    expect((await r.submit(['TTL', 'tmp'])).reply).toEqual(integer(5));
    const verdicts = await r.replay([{ kind: 'wait', ms: 6000, at: { file: 'x', line: 1, col: 1 } }]);
    expect(verdicts[0]?.passed).toBe(false);
    expect((await r.submit(['TTL', 'tmp'])).verdict.passed).toBe(true);
  });

  it('starts every lesson from an empty server', async () => {
    const a = await open(firstSteps, 0);
    await a.submit(['SET', 'leftover', '1']);
    await a.close();
    const b = await open(firstSteps, 0);
    expect((await b.submit(['DBSIZE'])).reply).toEqual(integer(0));
  });

  it('crashes and restarts the server on the learner\'s :crash, reconnecting every client', async () => {
    const events: RunEvent[] = [];
    const r = await open(fixture, 3, events);
    await r.submit(['SET', 'saved', '1']);
    await r.submit(['SAVE']);
    await r.submit(['SET', 'lost', '1']);
    await r.act('crash');
    expect(r.history.restarts).toEqual(['crash']);
    expect(events.at(-1)).toEqual({ kind: 'restart', how: 'crash' });
    expect((await r.submit(['MGET', 'saved', 'lost'])).reply).toEqual(array([bulk('1'), { kind: 'null' }]));
    // The simulated database is not Redis: a crash of the server leaves it alone.
    expect((await r.submit(['DB', 'GET', 'price:1'])).reply).toEqual(bulk('30'));
  });

  it('answers quizzes with every explanation', async () => {
    const index = firstSteps.steps.findIndex((s) => s.kind === 'quiz');
    const r = await open(firstSteps, index);
    const wrong = r.answerQuiz(0);
    expect(wrong.correct).toBe(false);
    expect(r.passed).toBe(false);
    expect(wrong.explanations).toHaveLength(3);
    expect(r.answerQuiz(1).correct).toBe(true);
    expect(r.passed).toBe(true);
  });
});
