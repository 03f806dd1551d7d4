/**
 * Where the built-in lessons are, and which directory a run takes as a lesson pack: known without
 * loading the lesson parser, so that the app's first frame (drawn from cached views) can tell too.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lessons shipped with redislings (the package's lessons/ directory). */
export const SHIPPED_LESSONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lessons');

/** Whether a directory is the shipped lessons' (then it is no pack). */
export function isShippedDir(dir: string): boolean {
  return path.resolve(dir) === SHIPPED_LESSONS_DIR;
}

/** What `--lessons DIR [--only]` asks for. */
export interface LessonSetOptions {
  /** A lesson pack's directory; the shipped lessons' directory itself adds nothing to them. */
  readonly lessonsDir?: string;
  /** Only the pack's lessons, not the built-in ones (needs `lessonsDir`). */
  readonly only?: boolean;
}

/**
 * The directories whose lesson files a run reads: the built-in lessons' unless the pack is taken
 * alone, and the pack's (as given, so that problems name its files as the user does).
 */
export function lessonDirs(options: LessonSetOptions): { readonly builtIn?: string; readonly pack?: string } {
  const pack = options.lessonsDir !== undefined && !isShippedDir(options.lessonsDir) ? options.lessonsDir : undefined;
  return { ...(pack !== undefined && options.only ? {} : { builtIn: SHIPPED_LESSONS_DIR }), ...(pack === undefined ? {} : { pack }) };
}
