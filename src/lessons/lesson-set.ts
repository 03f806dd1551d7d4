/**
 * The lessons a run of redislings offers: the built-in ones (lessons/), and a teacher's lesson
 * pack given with `--lessons DIR`, beside them or, with `--only`, alone. Everything that lists or
 * runs lessons (the app, `list`, `validate`, `selftest`, progress and reports) finds them here.
 *
 * Progress is kept by lesson id, so a pack lesson whose id is a built-in lesson's would share the
 * built-in lesson's progress: it is left out, with a problem that says so, unless the pack is
 * taken alone.
 */
import { LessonDirectoryError, loadLessons, type Problem } from './loader.js';
import type { Lesson } from './model.js';
import { type LessonPack, PackFileError, readPack } from './pack.js';
import { lessonDirs, type LessonSetOptions } from './shipped.js';

export { isShippedDir, type LessonSetOptions } from './shipped.js';

export interface LessonSet {
  /** What the menu lists, in its order: the built-in lessons by `order`, then the pack's by `order`. */
  readonly lessons: readonly Lesson[];
  readonly builtIn: readonly Lesson[];
  /** The pack's lessons (empty without a pack). */
  readonly packLessons: readonly Lesson[];
  /** Why lessons were left out (with `partial`: everything wrong with them), each at its file:line:col. */
  readonly problems: Problem[];
  /** The pack, from its pack.yaml or its directory's name; absent without `lessonsDir`. */
  readonly pack?: LessonPack;
}

/** `--only` without `--lessons DIR`, or another combination that means nothing. */
export class LessonSetError extends Error {}

/**
 * Whether an error is one of the lesson set's own, whose message is for the user as it is: a
 * directory that cannot be read or holds no lesson file, a broken pack.yaml, --only alone.
 */
export function isLessonSetError(e: unknown): e is LessonDirectoryError | PackFileError | LessonSetError {
  return e instanceof LessonDirectoryError || e instanceof PackFileError || e instanceof LessonSetError;
}

/** The problem of a pack lesson whose id a built-in lesson already has. */
export function clashProblem(lesson: Lesson): Problem {
  return { at: lesson.idAt, message: `lesson id "${lesson.id}" is already a built-in lesson: rename it, or use --only` };
}

/**
 * Loads the lesson set. A lesson with problems is left out (its problems are listed), unless
 * `partial` (validate, which goes on to check what the loader let through). A broken pack.yaml
 * throws PackFileError, or with `partial` is one more problem; a directory without lesson files
 * throws LessonDirectoryError.
 */
export function loadLessonSet(options: LessonSetOptions = {}, load: { partial?: boolean } = {}): LessonSet {
  if (options.only && options.lessonsDir === undefined) throw new LessonSetError('--only needs --lessons DIR: the pack to take alone');
  const dirs = lessonDirs(options);
  if (dirs.pack === undefined) {
    const { lessons, problems } = loadLessons(dirs.builtIn, load);
    return { lessons, builtIn: lessons, packLessons: [], problems };
  }
  // The pack's directory first: a missing one is reported before anything else is read.
  const fromPack = loadLessons(dirs.pack, load);
  const problems: Problem[] = [];
  let pack: LessonPack | undefined;
  try {
    pack = readPack(dirs.pack);
  } catch (e) {
    if (!(e instanceof PackFileError) || !load.partial) throw e;
    problems.push({ at: e.at, message: e.detail });
  }
  const builtIn = dirs.builtIn === undefined ? { lessons: [], problems: [] } : loadLessons(dirs.builtIn, load);
  problems.push(...builtIn.problems, ...fromPack.problems);
  const taken = new Set(builtIn.lessons.map((l) => l.id));
  const packLessons: Lesson[] = [];
  /** The pack's own lessons by id: a second file with the same id would share the first one's progress. */
  const seen = new Map<string, Lesson>();
  for (const lesson of fromPack.lessons) {
    const clash = taken.has(lesson.id);
    if (clash) problems.push(clashProblem(lesson));
    const first = seen.get(lesson.id);
    // validate (partial) says this itself, with the rest of what is wrong.
    if (first && !clash && !load.partial) problems.push({ at: lesson.idAt, message: `duplicate lesson id "${lesson.id}" (also in ${first.idAt.file}): this one is left out` });
    if (!first) seen.set(lesson.id, lesson);
    if ((!clash && !first) || load.partial) packLessons.push(lesson);
  }
  return { lessons: [...builtIn.lessons, ...packLessons], builtIn: builtIn.lessons, packLessons, problems, ...(pack ? { pack } : {}) };
}
