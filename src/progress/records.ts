/**
 * Per-step records of the learner's progress, as `redislings progress --json` prints them and a
 * report (report.ts) holds them: one entry per step of every lesson shown, in the lessons' order,
 * with plain JSON values (null where a value is unknown) so that a teacher's script can read
 * them without knowing redislings. The shape is a promise: fields may be added, never renamed or
 * changed in meaning.
 *
 *   lesson: { id, title, done, skipped, total, steps: [step, …] }
 *   step:   { id, title,
 *             done: true | false,                    passed or skipped
 *             state: "passed" | "skipped" | "not done",
 *             when: "2025-03-04T10:15:02.118Z" | null,   first done (null: not done, or done
 *                                                       before redislings recorded times)
 *             attempts, hints, solutions: numbers,   commands run (quiz answers given), hints
 *                                                    seen, times :solution showed the answer
 *             skipped: true | false,                 state is "skipped"
 *             strict: true | false | null }          done in strict mode (null: not done, or unknown)
 *   totals: { lessons, steps, done, passed, skipped, attempts, hints, solutions, doneStrict }
 */
import type { LessonView, StepView } from '../ui/lesson-view.js';
import type { Progress } from './progress.js';

export interface StepEntry {
  readonly id: string;
  readonly title: string;
  readonly done: boolean;
  readonly state: 'passed' | 'skipped' | 'not done';
  readonly when: string | null;
  readonly attempts: number;
  readonly hints: number;
  readonly solutions: number;
  readonly skipped: boolean;
  readonly strict: boolean | null;
}

export interface LessonEntry {
  readonly id: string;
  readonly title: string;
  readonly done: number;
  readonly skipped: number;
  readonly total: number;
  readonly steps: readonly StepEntry[];
}

export interface Totals {
  readonly lessons: number;
  readonly steps: number;
  readonly done: number;
  readonly passed: number;
  readonly skipped: number;
  readonly attempts: number;
  readonly hints: number;
  readonly solutions: number;
  /** Done steps that were done in strict mode. */
  readonly doneStrict: number;
}

/** A step's title as a person reads it: its title, or a quiz's question, or its id. */
function stepTitle(step: StepView): string {
  return step.title ?? (step.kind === 'quiz' ? step.question : step.id);
}

export function lessonEntries(progress: Progress, views: readonly LessonView[]): LessonEntry[] {
  return views.map((lesson) => {
    const recorded = progress.lessons[lesson.id]?.steps ?? {};
    const steps = lesson.steps.map((step): StepEntry => {
      const r = recorded[step.id];
      const state = r?.state ?? 'not done';
      return {
        id: step.id,
        title: stepTitle(step),
        done: state !== 'not done',
        state,
        when: r?.when ?? null,
        attempts: r?.attempts ?? 0,
        hints: r?.hints ?? 0,
        solutions: r?.solutions ?? 0,
        skipped: state === 'skipped',
        strict: r?.state === undefined ? null : r.strict ?? null,
      };
    });
    return {
      id: lesson.id,
      title: lesson.title,
      done: steps.filter((s) => s.done).length,
      skipped: steps.filter((s) => s.skipped).length,
      total: steps.length,
      steps,
    };
  });
}

export function totalsOf(lessons: readonly LessonEntry[]): Totals {
  const steps = lessons.flatMap((l) => l.steps);
  const sum = (f: (s: StepEntry) => number) => steps.reduce((n, s) => n + f(s), 0);
  return {
    lessons: lessons.length,
    steps: steps.length,
    done: sum((s) => (s.done ? 1 : 0)),
    passed: sum((s) => (s.state === 'passed' ? 1 : 0)),
    skipped: sum((s) => (s.skipped ? 1 : 0)),
    attempts: sum((s) => s.attempts),
    hints: sum((s) => s.hints),
    solutions: sum((s) => s.solutions),
    doneStrict: sum((s) => (s.done && s.strict === true ? 1 : 0)),
  };
}
