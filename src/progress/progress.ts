/**
 * The learner's progress: which steps of which lessons are done, how (passed or skipped, when, in
 * strict mode or not), how much help each took, and where the learner was. Steps are named by
 * id, never by position, so that a teacher may add or reorder steps without moving anybody's
 * place. Pure data and functions; progress/store.ts reads and writes the file.
 *
 * The file (progress.json, format 2):
 *
 *   {
 *     "format": 2,
 *     "current": { "lesson": "lists-as-queues", "step": "brpop" },  // where the learner was, if in a lesson
 *     "lessons": {
 *       "lists-as-queues": {
 *         "steps": {
 *           "lpush":  { "state": "passed", "when": "2025-03-04T10:15:02.118Z", "strict": false,
 *                       "attempts": 2, "hints": 1, "solutions": 0 },
 *           "lrange": { "state": "skipped", "when": "2025-03-04T10:17:40.001Z", "strict": true,
 *                       "attempts": 4, "hints": 2, "solutions": 0 },
 *           "brpop":  { "attempts": 1, "hints": 0, "solutions": 0 }     // tried, not done yet
 *         },
 *         "at": "brpop"                                          // the step last shown in this lesson
 *       }
 *     }
 *   }
 *
 * A step's record:
 * - state: "passed" or "skipped" once the step is done; absent until then. A passed step stays
 *   passed; a skipped one becomes passed when the learner passes it later.
 * - when: when the step was first done (ISO 8601, UTC). strict: whether strict mode (graded work)
 *   was on when it got its state. Both are absent for steps done before redislings recorded them
 *   (a format 1 file).
 * - attempts: commands the learner ran on the step (and quiz answers given); hints: how many of
 *   its hints the learner has seen (they come in order: 2 is the first two); solutions: how many
 *   times `:solution` showed its answer. They count until the step is passed (exploring a passed
 *   step counts nothing). Resetting a lesson forgets what was done and keeps these counts.
 *
 * Format 1 (earlier versions) kept only the done state, `"steps": { "lpush": "passed" }`; such a
 * file (or an export of one) is read as format 2 with zero counts, and written back as format 2.
 */

export const PROGRESS_FORMAT = 2;

export type StepState = 'passed' | 'skipped';

export interface StepProgress {
  /** Absent while the step is not done. */
  readonly state?: StepState;
  /** When the step was first done (ISO 8601); absent when not done, or done before format 2. */
  readonly when?: string;
  /** Strict mode was on when the step got its state; absent when not done, or done before format 2. */
  readonly strict?: boolean;
  readonly attempts: number;
  readonly hints: number;
  readonly solutions: number;
}

export interface LessonProgress {
  readonly steps: Readonly<Record<string, StepProgress>>;
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

const NOTHING_YET: StepProgress = { attempts: 0, hints: 0, solutions: 0 };

// ---- reading a file ----

/** Why a parsed file is not progress (format 1 or 2), in words for the learner; undefined when it is. */
export function progressProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  const v = value;
  if (v.format !== 1 && v.format !== PROGRESS_FORMAT) return `its format is ${JSON.stringify(v.format)}, not 1 or ${PROGRESS_FORMAT}`;
  if (v.current !== undefined && !isPlace(v.current)) return '"current" is not { "lesson": …, "step": … }';
  if (!isObject(v.lessons)) return '"lessons" is not an object';
  for (const [id, lesson] of Object.entries(v.lessons)) {
    if (!isObject(lesson)) return `lesson "${id}" is not an object`;
    if (lesson.at !== undefined && typeof lesson.at !== 'string') return `lesson "${id}": "at" is not a step id`;
    if (!isObject(lesson.steps)) return `lesson "${id}": "steps" is not an object`;
    for (const [step, record] of Object.entries(lesson.steps)) {
      const problem = v.format === 1 ? formatOneStepProblem(record) : stepProblem(record);
      if (problem) return `lesson "${id}", step "${step}": ${problem}`;
    }
  }
  return undefined;
}

function formatOneStepProblem(state: unknown): string | undefined {
  return state === 'passed' || state === 'skipped' ? undefined : `${JSON.stringify(state)} is not "passed" or "skipped"`;
}

function stepProblem(record: unknown): string | undefined {
  if (!isObject(record)) return 'not an object';
  if (record.state !== undefined && record.state !== 'passed' && record.state !== 'skipped') return `"state" is ${JSON.stringify(record.state)}, not "passed" or "skipped"`;
  if (record.when !== undefined && (typeof record.when !== 'string' || Number.isNaN(Date.parse(record.when)))) return '"when" is not a time';
  if (record.strict !== undefined && typeof record.strict !== 'boolean') return '"strict" is not true or false';
  for (const count of ['attempts', 'hints', 'solutions'] as const) {
    const n = record[count];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return `"${count}" is not a count (0, 1, 2, …)`;
  }
  return undefined;
}

/** Progress from a parsed file that progressProblem() accepted; a format 1 file is brought to format 2, losing nothing. */
export function progressFrom(value: unknown): Progress {
  const v = value as { format: 1 | 2; current?: Place; lessons: Record<string, { steps: Record<string, unknown>; at?: string }> };
  if (v.format === PROGRESS_FORMAT) return v as Progress;
  const lessons: Record<string, LessonProgress> = {};
  for (const [id, lesson] of Object.entries(v.lessons)) {
    const steps: Record<string, StepProgress> = {};
    for (const [step, state] of Object.entries(lesson.steps)) steps[step] = { state: state as StepState, ...NOTHING_YET };
    lessons[id] = { steps, ...(lesson.at === undefined ? {} : { at: lesson.at }) };
  }
  return { format: PROGRESS_FORMAT, ...(v.current ? { current: v.current } : {}), lessons };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlace(v: unknown): v is Place {
  return isObject(v) && typeof v.lesson === 'string' && typeof v.step === 'string';
}

// ---- changes ----

export function stepProgress(p: Progress, lesson: string, step: string): StepProgress | undefined {
  return p.lessons[lesson]?.steps[step];
}

export function stepState(p: Progress, lesson: string, step: string): StepState | undefined {
  return p.lessons[lesson]?.steps[step]?.state;
}

/** The step's record changed by `change`; the same progress when nothing changed. */
function changeStep(p: Progress, lesson: string, step: string, change: (r: StepProgress) => StepProgress): Progress {
  const before = p.lessons[lesson] ?? { steps: {} };
  const record = before.steps[step] ?? NOTHING_YET;
  const after = change(record);
  if (after === record) return p;
  return { ...p, lessons: { ...p.lessons, [lesson]: { ...before, steps: { ...before.steps, [step]: after } } } };
}

/** How a step was done: when (ISO 8601) and whether in strict mode. */
export interface Done {
  readonly when: string;
  readonly strict: boolean;
}

/** Marks a step done; a passed step stays passed if it is skipped later, and keeps when it was first done. */
export function markStep(p: Progress, lesson: string, step: string, state: StepState, done: Done): Progress {
  return changeStep(p, lesson, step, (r) => {
    if (r.state === 'passed' || r.state === state) return r;
    return { state, when: r.when ?? done.when, strict: done.strict, attempts: r.attempts, hints: r.hints, solutions: r.solutions };
  });
}

/** A command ran (or a quiz was answered) on a step not passed yet. */
export function countAttempt(p: Progress, lesson: string, step: string): Progress {
  return changeStep(p, lesson, step, (r) => (r.state === 'passed' ? r : { ...r, attempts: r.attempts + 1 }));
}

/** The learner has now seen `shown` of the step's hints (they come in order). */
export function countHints(p: Progress, lesson: string, step: string, shown: number): Progress {
  return changeStep(p, lesson, step, (r) => (r.state === 'passed' || r.hints >= shown ? r : { ...r, hints: shown }));
}

/** `:solution` showed the step's answer. */
export function countSolution(p: Progress, lesson: string, step: string): Progress {
  return changeStep(p, lesson, step, (r) => (r.state === 'passed' ? r : { ...r, solutions: r.solutions + 1 }));
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

/**
 * The lesson starts from the beginning: its done steps and place are forgotten. The help its steps
 * took (attempts, hints, solutions) is kept: a reset must not wipe a graded record clean.
 */
export function resetLesson(p: Progress, lesson: string): Progress {
  const kept: Record<string, StepProgress> = {};
  for (const [id, r] of Object.entries(p.lessons[lesson]?.steps ?? {})) {
    if (r.attempts + r.hints + r.solutions > 0) kept[id] = { attempts: r.attempts, hints: r.hints, solutions: r.solutions };
  }
  const { [lesson]: _dropped, ...others } = p.lessons;
  const lessons = Object.keys(kept).length > 0 ? { ...others, [lesson]: { steps: kept } } : others;
  const current = p.current?.lesson === lesson ? undefined : p.current;
  return current ? { ...p, current, lessons } : { format: p.format, lessons };
}

// ---- counts ----

export interface LessonCount {
  /** Steps done: passed or skipped. */
  readonly done: number;
  readonly skipped: number;
  readonly total: number;
}

const isDone = (r: StepProgress | undefined): boolean => r?.state !== undefined;

/** Done steps (passed or skipped) of the steps the lesson has now. */
export function lessonCount(p: Progress, lesson: LessonShape): LessonCount {
  const steps = p.lessons[lesson.id]?.steps ?? {};
  let done = 0;
  let skipped = 0;
  for (const s of lesson.steps) {
    const state = steps[s.id]?.state;
    if (state !== undefined) done++;
    if (state === 'skipped') skipped++;
  }
  return { done, skipped, total: lesson.steps.length };
}

export function totalCount(p: Progress, lessons: readonly LessonShape[]): LessonCount {
  let done = 0;
  let skipped = 0;
  let total = 0;
  for (const l of lessons) {
    const c = lessonCount(p, l);
    done += c.done;
    skipped += c.skipped;
    total += c.total;
  }
  return { done, skipped, total };
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
  const done = (i: number) => isDone(lp?.steps[lesson.steps[i]?.id as string]);
  const at = lp?.at === undefined ? -1 : lesson.steps.findIndex((s) => s.id === lp.at);
  if (at >= 0 && !done(at)) return at;
  const notDone = lesson.steps.findIndex((_, i) => i > at && !done(i));
  if (notDone >= 0) return notDone;
  const anyNotDone = lesson.steps.findIndex((_, i) => !done(i));
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
  const done = (l: LessonShape, i: number) => isDone(p.lessons[l.id]?.steps[(l.steps[i] as { id: string }).id]);
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
