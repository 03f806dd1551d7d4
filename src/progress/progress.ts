/**
 * The learner's progress: which steps of which lessons are done, and where they were. Steps are
 * named by id, never by position, so that a teacher may add or reorder steps without moving
 * anybody's place. Pure data and functions; progress/store.ts reads and writes the file.
 *
 * The file (progress.json, format 1):
 *
 *   {
 *     "format": 1,
 *     "current": { "lesson": "lists-as-queues", "step": "brpop" },  // where the learner was, if in a lesson
 *     "lessons": {
 *       "lists-as-queues": {
 *         "steps": { "lpush": "passed", "lrange": "skipped" },     // done steps only
 *         "at": "brpop"                                          // the step last shown in this lesson
 *       }
 *     }
 *   }
 */

export const PROGRESS_FORMAT = 1;

export type StepState = 'passed' | 'skipped';

export interface LessonProgress {
  readonly steps: Readonly<Record<string, StepState>>;
  readonly at?: string;
}

export interface Place {
  readonly lesson: string;
  readonly step: string;
}

export interface Progress {
  readonly format: typeof PROGRESS_FORMAT;
  readonly current?: Place;
  readonly lessons: Readonly<Record<string, LessonProgress>>;
}

/** The least a lesson must tell progress about itself. */
export interface LessonShape {
  readonly id: string;
  readonly steps: readonly { readonly id: string }[];
}

export const EMPTY_PROGRESS: Progress = { format: PROGRESS_FORMAT, lessons: {} };

/** Why a text is not a progress file, in words for the learner; undefined when it is one. */
export function progressProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const v = value as Record<string, unknown>;
  if (v.format !== PROGRESS_FORMAT) return `its format is ${JSON.stringify(v.format)}, not ${PROGRESS_FORMAT}`;
  if (v.current !== undefined && !isPlace(v.current)) return '"current" is not { "lesson": …, "step": … }';
  if (typeof v.lessons !== 'object' || v.lessons === null || Array.isArray(v.lessons)) return '"lessons" is not an object';
  for (const [id, lesson] of Object.entries(v.lessons)) {
    if (typeof lesson !== 'object' || lesson === null || Array.isArray(lesson)) return `lesson "${id}" is not an object`;
    const l = lesson as Record<string, unknown>;
    if (l.at !== undefined && typeof l.at !== 'string') return `lesson "${id}": "at" is not a step id`;
    if (typeof l.steps !== 'object' || l.steps === null || Array.isArray(l.steps)) return `lesson "${id}": "steps" is not an object`;
    for (const [step, state] of Object.entries(l.steps)) {
      if (state !== 'passed' && state !== 'skipped') return `lesson "${id}", step "${step}": ${JSON.stringify(state)} is not "passed" or "skipped"`;
    }
  }
  return undefined;
}

function isPlace(v: unknown): v is Place {
  return typeof v === 'object' && v !== null && typeof (v as Place).lesson === 'string' && typeof (v as Place).step === 'string';
}

export function stepState(p: Progress, lesson: string, step: string): StepState | undefined {
  return p.lessons[lesson]?.steps[step];
}

/** Marks a step done; a passed step stays passed if it is skipped later. */
export function markStep(p: Progress, lesson: string, step: string, state: StepState): Progress {
  const before = p.lessons[lesson] ?? { steps: {} };
  if (before.steps[step] === 'passed' || before.steps[step] === state) return p;
  return { ...p, lessons: { ...p.lessons, [lesson]: { ...before, steps: { ...before.steps, [step]: state } } } };
}

/** The learner is at this step (of a lesson on screen). */
export function placeAt(p: Progress, lesson: string, step: string): Progress {
  const before = p.lessons[lesson] ?? { steps: {} };
  if (p.current?.lesson === lesson && p.current.step === step && before.at === step) return p;
  return { ...p, current: { lesson, step }, lessons: { ...p.lessons, [lesson]: { ...before, at: step } } };
}

/** The learner left the lesson for the menu. */
export function leaveLesson(p: Progress): Progress {
  if (!p.current) return p;
  const { current: _left, ...rest } = p;
  return rest;
}

export function resetLesson(p: Progress, lesson: string): Progress {
  const { [lesson]: _dropped, ...lessons } = p.lessons;
  const current = p.current?.lesson === lesson ? undefined : p.current;
  return current ? { ...p, current, lessons } : { format: p.format, lessons };
}

export interface LessonCount {
  readonly done: number;
  readonly total: number;
}

/** Done steps (passed or skipped) of the steps the lesson has now. */
export function lessonCount(p: Progress, lesson: LessonShape): LessonCount {
  const steps = p.lessons[lesson.id]?.steps ?? {};
  return { done: lesson.steps.filter((s) => steps[s.id] !== undefined).length, total: lesson.steps.length };
}

export function totalCount(p: Progress, lessons: readonly LessonShape[]): LessonCount {
  let done = 0;
  let total = 0;
  for (const l of lessons) {
    const c = lessonCount(p, l);
    done += c.done;
    total += c.total;
  }
  return { done, total };
}

export type LessonState = 'not started' | 'in progress' | 'done';

export function lessonState(p: Progress, lesson: LessonShape): LessonState {
  const { done, total } = lessonCount(p, lesson);
  if (total > 0 && done === total) return 'done';
  return done > 0 || p.lessons[lesson.id]?.at !== undefined ? 'in progress' : 'not started';
}

/** Where a lesson opens: the step last shown if it is not done, else the first step not done, else the first. */
export function openingStep(p: Progress, lesson: LessonShape): number {
  const lp = p.lessons[lesson.id];
  const at = lp?.at === undefined ? -1 : lesson.steps.findIndex((s) => s.id === lp.at);
  if (at >= 0 && lp?.steps[lesson.steps[at]?.id as string] === undefined) return at;
  const notDone = lesson.steps.findIndex((s, i) => i > at && lp?.steps[s.id] === undefined);
  if (notDone >= 0) return notDone;
  const anyNotDone = lesson.steps.findIndex((s) => lp?.steps[s.id] === undefined);
  return anyNotDone >= 0 ? anyNotDone : 0;
}

/**
 * Where the app resumes: the step after the one the learner was on if that one is done (a lesson
 * finished: the next lesson not done), or that very step. Undefined: the learner was on the menu,
 * or there is nothing left to do.
 */
export function resumePlace(p: Progress, lessons: readonly LessonShape[]): { lesson: number; step: number } | undefined {
  const cur = p.current;
  if (!cur) return undefined;
  const li = lessons.findIndex((l) => l.id === cur.lesson);
  if (li < 0) return undefined;
  const lesson = lessons[li] as LessonShape;
  const si = lesson.steps.findIndex((s) => s.id === cur.step);
  const done = (l: LessonShape, i: number) => p.lessons[l.id]?.steps[(l.steps[i] as { id: string }).id] !== undefined;
  if (si >= 0 && !done(lesson, si)) return { lesson: li, step: si };
  // The step was done: the first step after it not done, in this lesson and then in the next ones.
  for (let i = Math.max(si + 1, 0); i < lesson.steps.length; i++) if (!done(lesson, i)) return { lesson: li, step: i };
  for (let k = 1; k <= lessons.length; k++) {
    const other = lessons[(li + k) % lessons.length] as LessonShape;
    if (other === lesson) break;
    const i = other.steps.findIndex((_, j) => !done(other, j));
    if (i >= 0) return { lesson: lessons.indexOf(other), step: i };
  }
  return undefined;
}
