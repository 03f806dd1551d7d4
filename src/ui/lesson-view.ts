/**
 * What the screen shows of a lesson (titles, prose, tasks, hints, the solution's lines, quiz
 * choices), apart from what runs it (checks, actors, setups: the runner's Lesson).
 *
 * Parsing the lesson files (YAML, then the schema) costs a few hundred milliseconds, more than
 * everything else before the first frame. So the views are cached as JSON, keyed by the files'
 * names, sizes and modification times: a start with unchanged lessons reads one small file, draws
 * at once, and parses the lessons in the background for the runner. This module must not import
 * the loader (and with it the YAML parser) on that path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { solutionFile } from '../exercises/starters.js';
import type { Lesson, SolutionItem, Step } from '../lessons/model.js';
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
}

/** The lessons shipped with redislings: the same directory as the loader's SHIPPED_LESSONS_DIR. */
export const SHIPPED_LESSONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lessons');

/** Bumped when LessonView changes shape, so that an old cache is not read as a new one. */
const VIEW_FORMAT = 2;

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

export function lessonView(lesson: Lesson): LessonView {
  return { id: lesson.id, order: lesson.order, title: lesson.title, summary: lesson.summary, requires: lesson.requires, steps: lesson.steps.map(stepView) };
}

/** What the menu can say about lesson files that did not load. */
export interface LoadedViews {
  readonly views: readonly LessonView[];
  /** "file:line:col: message" for every problem in the files (lessons with problems are left out). */
  readonly problems: readonly string[];
}

interface CacheFile extends LoadedViews {
  readonly key: string;
}

/** Lesson files as the loader finds them: the .yaml / .yml files of the directory, sorted. */
function fingerprint(dir: string, version: string): string {
  const names = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const files = names.map((name) => {
    const st = fs.statSync(path.join(dir, name));
    return [name, st.size, st.mtimeMs];
  });
  return JSON.stringify([VIEW_FORMAT, version, path.resolve(dir), files]);
}

/** One cache file per lessons directory, named by a hash of its path (FNV-1a: node:crypto costs more to load than this takes). */
function cacheFile(cacheDir: string, dir: string): string {
  let hash = 0x811c9dc5;
  for (const ch of path.resolve(dir)) hash = Math.imul(hash ^ (ch.codePointAt(0) as number), 0x01000193) >>> 0;
  return path.join(cacheDir, `lessons-${hash.toString(16).padStart(8, '0')}.json`);
}

/** The cached views of a directory's lessons, if the files have not changed since; else undefined. */
export function cachedViews(dir: string, cacheDir: string, version: string): LoadedViews | undefined {
  let key: string;
  let cached: CacheFile;
  try {
    key = fingerprint(dir, version);
    cached = JSON.parse(fs.readFileSync(cacheFile(cacheDir, dir), 'utf8')) as CacheFile;
  } catch (e) {
    // No cache yet, or an unreadable one: the caller parses the lessons (and rewrites it). A
    // missing lessons directory is reported by that parse, with the loader's words.
    if (e instanceof SyntaxError || (e as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw e;
  }
  if (cached.key !== key || !Array.isArray(cached.views) || !Array.isArray(cached.problems)) return undefined;
  return { views: cached.views, problems: cached.problems };
}

/** Records the views of freshly loaded lessons; a cache that cannot be written only costs time. */
export function cacheViews(dir: string, cacheDir: string, version: string, loaded: LoadedViews): boolean {
  try {
    const entry: CacheFile = { key: fingerprint(dir, version), ...loaded };
    writeAtomically(cacheFile(cacheDir, dir), JSON.stringify(entry));
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw e;
  }
}
