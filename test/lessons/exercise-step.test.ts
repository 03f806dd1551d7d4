/**
 * Exercise steps in lesson files: the loader builds them and refuses an unknown exercise, the
 * fields such a step cannot have, and a missing task or hints, each at its file:line:col; validate
 * accepts them; the runner passes over them (nothing to replay); selftest proves the exercise's
 * starters fail and its reference solution passes, and says so when a program that should pass
 * does not.
 */
import { describe, expect, it } from 'vitest';
import { BundledBackend } from '../../src/backend/bundled.js';
import { formatProblem, parseLesson } from '../../src/lessons/loader.js';
import type { ExerciseStep, Lesson } from '../../src/lessons/model.js';
import { LessonRun } from '../../src/lessons/runner.js';
import { selftestExercise } from '../../src/lessons/selftest-exercise.js';
import { selftestLesson } from '../../src/lessons/selftest.js';
import { validateLessons } from '../../src/lessons/validate.js';
import { fixture } from '../exercises/helpers.js';

const HEAD = 'format: 1\nid: x\norder: 1\ntitle: T\nsummary: S\nsteps:\n';
const QUIZ = (id: string) => `  - {id: ${id}, prose: p, quiz: {question: q, choices: [{text: a, correct: true, explain: e}, {text: b, explain: e}]}}\n`;
const COMMANDS = '  - {id: set, prose: p, task: t, checks: [{probe: GET a, expect: "1"}], hints: [h], solution: [SET a 1]}\n';

function parse(exerciseStep: string) {
  return parseLesson(HEAD + COMMANDS + exerciseStep + QUIZ('q1') + QUIZ('q2'), 'x.yaml');
}

const ENDPOINT = `  - id: endpoint
    title: The endpoint
    exercise: producer-endpoint
    prose: Write it.
    task: Finish \`producer-endpoint.mjs\`.
    hints: [Use INCR., Then LPUSH.]
    why: It answers at once.
`;

describe('an exercise step in a lesson file', () => {
  it('is read into an exercise step, and validates', () => {
    const { lesson, problems } = parse(ENDPOINT);
    expect(problems).toEqual([]);
    const step = lesson?.steps[1];
    expect(step).toMatchObject({
      kind: 'exercise', id: 'endpoint', title: 'The endpoint', exercise: 'producer-endpoint',
      task: 'Finish `producer-endpoint.mjs`.', hints: ['Use INCR.', 'Then LPUSH.'], why: 'It answers at once.',
      at: { file: 'x.yaml', line: 8, col: 5 },
    });
    expect(validateLessons([lesson as Lesson])).toEqual([]);
  });

  it('refuses an unknown exercise at its line and column, naming the exercises', () => {
    const { lesson, problems } = parse(ENDPOINT.replace('exercise: producer-endpoint', 'exercise: queue-wroker'));
    expect(lesson).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([
      'x.yaml:10:15: steps[1].exercise: unknown exercise "queue-wroker" (the exercises: queue-worker, producer-endpoint, reliable-worker, stream-consumer, cache-aside)',
    ]);
  });

  it('refuses what an exercise step cannot have, and wants a task and hints', () => {
    const withChecks = ENDPOINT.replace('    why:', '    checks: [{probe: LLEN submissions, expect: 1}]\n    solution: [LPUSH submissions x]\n    why:');
    expect(parse(withChecks).problems.map(formatProblem)).toEqual([
      'x.yaml:14:13: steps[1].checks: an exercise step has no checks (the exercise\'s own checks judge the program)',
      'x.yaml:15:15: steps[1].solution: an exercise step has no solution (the exercise\'s own checks judge the program)',
    ]);
    const bare = '  - {id: endpoint, exercise: cache-aside, prose: p}\n';
    expect(parse(bare).problems.map(formatProblem)).toEqual([
      'x.yaml:8:5: steps[1]: expected task (an exercise step needs task and hints)',
      'x.yaml:8:5: steps[1]: expected hints (an exercise step needs task and hints)',
    ]);
    const alsoQuiz = '  - {id: e, exercise: cache-aside, prose: p, task: t, hints: [h], quiz: {question: q, choices: [{text: a, correct: true, explain: e}, {text: b, explain: e}]}}\n';
    expect(parse(alsoQuiz).problems.map(formatProblem)).toEqual([
      'x.yaml:8:73: steps[1].quiz: an exercise step has no quiz (the exercise\'s own checks judge the program)',
    ]);
  });

  it('is passed over by the runner: nothing to judge until the program passes, nothing to replay', async () => {
    const lesson = parse(ENDPOINT).lesson as Lesson;
    const backend = new BundledBackend();
    try {
      const run = await LessonRun.open(lesson, backend, { atStep: 1 });
      // The learner may still type commands (to look at the queue); they judge nothing.
      const { reply, verdict } = await run.submit(['LLEN', 'submissions']);
      expect(reply).toEqual({ kind: 'integer', value: 0 });
      expect(verdict).toEqual({ passed: false, results: [] });
      run.passExercise();
      expect((await run.evaluate()).passed).toBe(true);
      await run.close();
      // Resuming after it (or :skip) passes it without running anything.
      const later = await LessonRun.open(lesson, backend, { atStep: 2 });
      expect(later.stepIndex).toBe(2);
      await later.close();
    } finally {
      await backend.close();
    }
  });
});

describe('selftest of an exercise step', () => {
  it('proves the starters fail and the reference solution passes', async () => {
    const lesson = parse(ENDPOINT).lesson as Lesson;
    const backend = new BundledBackend();
    const report = await selftestLesson(lesson, backend);
    await backend.close();
    expect(report.steps.flatMap((s) => s.failures)).toEqual([]);
    // The JavaScript and TypeScript starters, and the solution.
    expect(report.steps[1]).toMatchObject({ step: 'endpoint', tried: 3, where: 'x.yaml:8:5' });
  }, 60_000);

  it('fails when the program that should pass does not', async () => {
    const step = parse(ENDPOINT).lesson?.steps[1] as ExerciseStep;
    const backend = new BundledBackend();
    const wrong = fixture('producer-endpoint', 'status-200.mjs');
    const report = await selftestExercise(step, backend, { solution: wrong });
    await backend.close();
    expect(report.tried).toBe(3);
    expect(report.failures).toEqual([
      expect.stringMatching(new RegExp(`^${wrong.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} fails: queues a submission on \`submissions\` as JSON and answers 202 with its id: expected the answer 202 Accepted; seen 200 \\{"id":1\\}`)),
    ]);
  }, 60_000);
});
