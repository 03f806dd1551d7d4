/**
 * What the screen shows of a lesson (titles, prose, tasks, hints, the solution's lines, quiz
 * choices), apart from what runs it (checks, actors, setups: the runner's Lesson).
 *
 * Parsing the lesson files (YAML, then the schema) costs a few hundred milliseconds, more than
 * everything else before the first frame. So the views are cached as JSON, keyed by the files'
 * names, sizes and modification times: a start with unchanged lessons reads one small file, draws
 * at once, and parses the lessons in the background for the runner. This module must not import
 * the loader (and with it the YAML parser) on that path.
 *
 * With a lesson pack (`--lessons DIR`), the views are those of the lesson set (the built-in
 * lessons, then the pack's, or the pack's alone with `--only`), keyed by both directories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { solutionFile } from '../exercises/starters.js';
import type { LessonSet } from '../lessons/lesson-set.js';
import { formatSource, type Lesson, type SolutionItem, type Step } from '../lessons/model.js';
import { lessonDirs, type LessonSetOptions } from '../lessons/shipped.js';
import { writeAtomically } from '../progress/store.js';

interface StepViewBase {
  readonly id: string;
  readonly title?: string;
  /** Markdown. */
  readonly prose: string;
}

export interface CommandStepView extends StepViewBase {
  readonly kind: 'commands';
  readonly task: string;
  readonly hints: readonly string[];
  /** The first solution, as the learner would type it. */
  readonly solution: readonly string[];
  readonly why?: string;
}

export interface QuizStepView extends StepViewBase {
  readonly kind: 'quiz';
  readonly question: string;
  readonly choices: readonly { readonly text: string; readonly correct: boolean; readonly explain: string }[];
}

/** A code exercise: the learner writes a program, `:exercise` gives the starter, `:verify` judges it. */
export interface ExerciseStepView extends StepViewBase {
  readonly kind: 'exercise';
  /** The exercise's id: its starter is `<id>.mjs` (or `.mts`). */
  readonly exercise: string;
  readonly task: string;
  readonly hints: readonly string[];
  /** The reference solution (exercises/<id>/solution.mjs in redislings' package), for :solution. */
  readonly solutionFile: string;
  readonly why?: string;
}

export type StepView = CommandStepView | QuizStepView | ExerciseStepView;

export interface LessonView {
  readonly id: string;
  readonly order: number;
  readonly title: string;
  readonly summary: string;
  readonly requires: readonly string[];
  readonly steps: readonly StepView[];
  /** The lesson is the pack's (--lessons DIR), not a built-in one. */
  readonly fromPack?: boolean;
}

/** What the menu says of a lesson pack (its report key stays out of the cache). */
export interface PackView {
  readonly id: string;
  readonly title: string;
  /** The directory as given with --lessons. */
  readonly dir: string;
  readonly strict: boolean;
}

/** Bumped when LessonView changes shape, so that an old cache is not read as a new one. */
const VIEW_FORMAT = 3;

export function solutionLine(item: SolutionItem): string {
  switch (item.kind) {
    case 'command': return item.command.text;
    case 'wait': return `(wait ${item.ms >= 1000 && item.ms % 1000 === 0 ? `${item.ms / 1000} s` : `${item.ms} ms`})`;
    case 'action': return `:${item.action}`;
  }
}

function stepView(step: Step): StepView {
  const base = { id: step.id, ...(step.title === undefined ? {} : { title: step.title }), prose: step.prose };
  if (step.kind === 'quiz') {
    return { ...base, kind: 'quiz', question: step.question, choices: step.choices.map((c) => ({ text: c.text, correct: c.correct, explain: c.explain })) };
  }
  if (step.kind === 'exercise') {
    return {
      ...base,
      kind: 'exercise',
      exercise: step.exercise,
      task: step.task,
      hints: step.hints,
      solutionFile: solutionFile({ id: step.exercise }),
      ...(step.why === undefined ? {} : { why: step.why }),
    };
  }
  return {
    ...base,
    kind: 'commands',
    task: step.task,
    hints: step.hints,
    solution: (step.solutions[0] ?? []).map(solutionLine),
    ...(step.why === undefined ? {} : { why: step.why }),
  };
}

export function lessonView(lesson: Lesson, fromPack = false): LessonView {
  return {
    id: lesson.id, order: lesson.order, title: lesson.title, summary: lesson.summary, requires: lesson.requires, steps: lesson.steps.map(stepView),
    ...(fromPack ? { fromPack: true } : {}),
  };
}

/** What the menu can say about lesson files that did not load. */
export interface LoadedViews {
  readonly views: readonly LessonView[];
  /** "file:line:col: message" for every problem in the files (lessons with problems are left out). */
  readonly problems: readonly string[];
  readonly pack?: PackView;
}

/** The views of a lesson set; `dir` is the pack's directory as given. */
export function setViews(set: LessonSet, options: LessonSetOptions): LoadedViews {
  const fromPack = new Set(set.packLessons);
  const pack = set.pack && options.lessonsDir !== undefined
    ? { id: set.pack.id, title: set.pack.title, dir: options.lessonsDir, strict: set.pack.strict }
    : undefined;
  return {
    views: set.lessons.map((l) => lessonView(l, fromPack.has(l))),
    problems: set.problems.map((p) => `${formatSource(p.at)}: ${p.message}`),
    ...(pack ? { pack } : {}),
  };
}

interface CacheFile extends LoadedViews {
  readonly key: string;
}

/** The lesson files of the set's directories as the loader finds them (.yaml / .yml, sorted; pack.yaml too). */
function fingerprint(options: LessonSetOptions, version: string): string {
  const dirs = lessonDirs(options);
  const files = (dir: string | undefined) => {
    if (dir === undefined) return null;
    const names = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    return [path.resolve(dir), names.map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return [name, st.size, st.mtimeMs];
    })];
  };
  // The pack's directory as given is part of the key: the menu names it (PackView.dir).
  return JSON.stringify([VIEW_FORMAT, version, files(dirs.builtIn), files(dirs.pack), dirs.pack ?? null]);
}

/**
 * One cache file per lesson set (the built-in lessons, with a pack or not, or a pack alone),
 * named by a hash of its directories (FNV-1a: node:crypto costs more to load than this takes).
 */
function cacheFile(cacheDir: string, options: LessonSetOptions): string {
  const dirs = lessonDirs(options);
  let hash = 0x811c9dc5;
  const name = JSON.stringify([dirs.builtIn ?? null, dirs.pack === undefined ? null : path.resolve(dirs.pack)]);
  for (const ch of name) hash = Math.imul(hash ^ (ch.codePointAt(0) as number), 0x01000193) >>> 0;
  return path.join(cacheDir, `lessons-${hash.toString(16).padStart(8, '0')}.json`);
}

/** The cached views of a lesson set, if its files have not changed since; else undefined. */
export function cachedViews(options: LessonSetOptions, cacheDir: string, version: string): LoadedViews | undefined {
  let key: string;
  let cached: CacheFile;
  try {
    key = fingerprint(options, version);
    cached = JSON.parse(fs.readFileSync(cacheFile(cacheDir, options), 'utf8')) as CacheFile;
  } catch (e) {
    // No cache yet, or an unreadable one: the caller parses the lessons (and rewrites it). A
    // missing lessons directory is reported by that parse, with the loader's words.
    if (e instanceof SyntaxError || (e as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw e;
  }
  if (cached.key !== key || !Array.isArray(cached.views) || !Array.isArray(cached.problems)) return undefined;
  return { views: cached.views, problems: cached.problems, ...(cached.pack ? { pack: cached.pack } : {}) };
}

/** Records the views of freshly loaded lessons; a cache that cannot be written only costs time. */
export function cacheViews(options: LessonSetOptions, cacheDir: string, version: string, loaded: LoadedViews): boolean {
  try {
    const entry: CacheFile = { key: fingerprint(options, version), ...loaded };
    writeAtomically(cacheFile(cacheDir, options), JSON.stringify(entry));
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw e;
  }
}

/**
 * Parses the lesson set (the YAML parser is loaded here, not before) and refreshes the cache.
 * Throws what loadLessonSet throws (isLessonSetError: a message for the user).
 */
export async function freshViews(options: LessonSetOptions, cacheDir: string, version: string): Promise<{ set: LessonSet; views: LoadedViews }> {
  const { loadLessonSet } = await import('../lessons/lesson-set.js');
  const set = loadLessonSet(options);
  const views = setViews(set, options);
  cacheViews(options, cacheDir, version, views);
  return { set, views };
}

/** The views to draw: from the cache when the files have not changed, else freshly parsed (then with the set). */
export async function loadViews(options: LessonSetOptions, cacheDir: string, version: string): Promise<{ views: LoadedViews; set?: LessonSet }> {
  const cached = cachedViews(options, cacheDir, version);
  return cached ? { views: cached } : freshViews(options, cacheDir, version);
}
