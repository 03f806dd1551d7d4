/**
 * `redislings selftest`: proves every step of every lesson is sound on a backend. For each step,
 * from a fresh state with the earlier steps replayed: its checks fail before anything is typed
 * (no step passes by doing nothing); the solution and each alternative pass, and only after their
 * last item (else the app would move on before the solution is finished); each wrong answer fails.
 * Background actors run as in the app, their delays scaled down. An exercise step's starters must
 * fail verification and its reference solution pass (selftest-exercise.ts).
 */
import type { Backend, Capability } from '../backend/backend.js';
import { renderReply } from '../resp/render.js';
import { explainResult, type Verdict } from './checks.js';
import { type Answer, type Lesson, formatSource, type Step } from './model.js';
import { LessonRun, ReplayError, type RunOptions } from './runner.js';
import { type ExerciseSelftest, selftestExercise } from './selftest-exercise.js';

export interface StepReport {
  readonly lesson: string;
  readonly step: string;
  /** Where the step is written. */
  readonly where: string;
  /** How many answers were tried (solutions, alternatives, wrong answers, quiz choices). */
  readonly tried: number;
  readonly failures: readonly string[];
}

export interface LessonReport {
  readonly lesson: Lesson;
  /** Why the lesson was not tried on this backend (a missing capability), if it was not. */
  readonly skipped?: string;
  readonly steps: readonly StepReport[];
}

export interface SelftestOptions extends Pick<RunOptions, 'settleMs'> {
  /** Actor delays are multiplied by this (default 0.05: a 2 s delay becomes 100 ms). */
  readonly timeScale?: number;
  /**
   * A replayed command that waits longer than this fails the step (default: half a second more
   * than twice the step's longest scaled actor delay).
   */
  readonly replayTimeoutMs?: number;
  readonly onStep?: (report: StepReport) => void;
}

export function missingCapabilities(lesson: Lesson, backend: Backend): Capability[] {
  return lesson.requires.filter((c) => !backend.capabilities.has(c));
}

export async function selftestLesson(lesson: Lesson, backend: Backend, options: SelftestOptions = {}): Promise<LessonReport> {
  const missing = missingCapabilities(lesson, backend);
  if (missing.length > 0) {
    // The backend's own reason where it gives one ("the RedisJSON module is not loaded").
    const reasons = missing.map((c) => backend.missing?.get(c) ?? `${backend.description} does not offer ${c}`);
    return { lesson, skipped: reasons.join('; '), steps: [] };
  }
  const timeScale = options.timeScale ?? 0.05;
  // On the bundled engine an exercise's programs run on servers of their own, not on the
  // backend: they start at once and run beside the other steps (they mostly wait for timeouts).
  const early = new Map<Step, Promise<ExerciseSelftest>>();
  if (!backend.programUrl) {
    for (const step of lesson.steps) {
      if (step.kind === 'exercise') early.set(step, selftestExercise(step, backend));
    }
  }
  // None is left unawaited if a step throws: each settles, and its failure is reported where it is awaited.
  for (const pending of early.values()) pending.catch(() => undefined);
  const steps: StepReport[] = [];
  for (const [index, step] of lesson.steps.entries()) {
    const longest = step.kind === 'commands' ? Math.max(0, ...step.actors.map((a) => a.delayMs)) : 0;
    const runOptions: RunOptions = {
      timeScale,
      replayTimeoutMs: options.replayTimeoutMs ?? 500 + 2 * longest * timeScale,
      settleMs: options.settleMs,
    };
    const report = await selftestStep(lesson, index, step, backend, runOptions, early.get(step));
    options.onStep?.(report);
    steps.push(report);
  }
  return { lesson, steps };
}

async function selftestStep(lesson: Lesson, index: number, step: Step, backend: Backend, options: RunOptions,
  started?: Promise<ExerciseSelftest>): Promise<StepReport> {
  const failures: string[] = [];
  let tried = 0;
  const attempt = async (what: string, body: (run: LessonRun) => Promise<void>) => {
    tried++;
    let run: LessonRun | undefined;
    try {
      run = await LessonRun.open(lesson, backend, { ...options, atStep: index });
      await body(run);
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      failures.push(`${what}: ${e.message}`);
    } finally {
      await run?.close();
    }
  };

  if (step.kind === 'exercise') {
    // The earlier steps replay up to it; then its programs are verified (selftest-exercise.ts).
    await attempt('reaching the step', async () => {});
    tried--;
    const exercise = await (started ?? selftestExercise(step, backend));
    tried += exercise.tried;
    failures.push(...exercise.failures);
  } else if (step.kind === 'quiz') {
    // A quiz does not touch the server: one run answers every choice, the right one last
    // (a right answer passes the step for good).
    const order = [...step.choices.keys()].sort((a, b) => Number(step.choices[a]?.correct) - Number(step.choices[b]?.correct));
    await attempt('the choices', async (run) => {
      for (const i of order) {
        const choice = step.choices[i]!;
        tried++;
        const answer = run.answerQuiz(i);
        if (answer.correct !== choice.correct || run.passed !== choice.correct) {
          failures.push(`choice ${i + 1} ("${choice.text}") should ${choice.correct ? 'pass' : 'fail'}`);
        }
      }
    });
    tried--;
  } else {
    await attempt('before the solution', async (run) => {
      const verdict = await run.evaluate();
      if (verdict.passed) failures.push('the checks pass before anything is typed: the step passes by doing nothing');
    });
    for (const [i, answer] of step.solutions.entries()) {
      const what = i === 0 ? 'solution' : `alternative ${i}`;
      await attempt(what, async (run) => {
        const verdicts = await run.replay(answer);
        const early = verdicts.findIndex((v, j) => v.passed && j < verdicts.length - 1);
        const last = verdicts[verdicts.length - 1] as Verdict;
        if (early >= 0) failures.push(`${what} (${where(answer)}) passes after its item ${early + 1} of ${answer.length}: the rest would never be typed`);
        else if (!last.passed) failures.push(`${what} (${where(answer)}) fails: ${failed(last)}`);
      });
    }
    for (const [i, answer] of step.wrong.entries()) {
      await attempt(`wrong answer ${i + 1}`, async (run) => {
        let verdicts: Verdict[];
        try {
          verdicts = await run.replay(answer);
        } catch (e) {
          // A wrong answer that waits forever (BRPOP on the wrong key) is rejected too.
          if (e instanceof ReplayError) return;
          throw e;
        }
        if (verdicts.some((v) => v.passed)) failures.push(`wrong answer ${i + 1} (${where(answer)}) passes`);
      });
    }
  }
  return { lesson: lesson.id, step: step.id, where: formatSource(step.at), tried, failures };
}

function where(answer: Answer): string {
  const first = answer[0];
  if (!first) return 'empty';
  return first.kind === 'command' ? formatSource(first.command.at) : formatSource(first.at);
}

function failed(verdict: Verdict): string {
  return verdict.results.filter((r) => !r.passed).map((r) => explainResult(r, renderReply)).join('; ');
}
