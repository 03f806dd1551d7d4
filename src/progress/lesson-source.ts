/**
 * The lessons the progress commands (`list`, `progress --json`, `report`) show, and the pack they
 * belong to. They are read here and nowhere else, the way the app reads them (the lesson set of
 * src/lessons/lesson-set.ts: the built-in lessons, then a pack's, or the pack alone with --only;
 * from the cached views when the files have not changed), so that what a teacher's script sees is
 * what the learner saw.
 */
import type { LessonPack } from '../lessons/pack.js';
import { isShippedDir, type LessonSetOptions, SHIPPED_LESSONS_DIR } from '../lessons/shipped.js';
import { type LoadedViews, loadViews } from '../ui/lesson-view.js';
import type { AppDirs } from './store.js';

export interface LessonSource extends LessonSetOptions {
  readonly dirs: AppDirs;
  /** redislings' version: part of the lesson cache's key. */
  readonly version: string;
}

/**
 * The lessons' views, and the problems that kept lessons out. Throws what loadLessonSet throws
 * (isLessonSetError: a directory that cannot be read, a broken pack.yaml).
 */
export async function shownLessons(source: LessonSource): Promise<LoadedViews> {
  return (await loadViews(source, source.dirs.cache, source.version)).views;
}

/** The shipped lessons, as a pack: not strict, and their reports are not signed. */
export const SHIPPED_PACK_ID = 'redislings';

/**
 * The pack the report is about: the `--lessons` directory's (its pack.yaml, or its name), or the
 * shipped lessons when there is none. Throws PackFileError for a pack.yaml that cannot be read.
 */
export async function shownPack(source: Pick<LessonSource, 'lessonsDir'>): Promise<LessonPack> {
  if (source.lessonsDir === undefined || isShippedDir(source.lessonsDir)) {
    return { dir: SHIPPED_LESSONS_DIR, id: SHIPPED_PACK_ID, title: 'The redislings lessons', strict: false, declared: true };
  }
  const { readPack } = await import('../lessons/pack.js');
  return readPack(source.lessonsDir);
}
