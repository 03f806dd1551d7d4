/**
 * The lessons the progress commands (`list`, `progress --json`, `report`) show, and the pack they
 * belong to. They are read here and nowhere else, the way the app reads them (the cached views
 * when the files have not changed), so that what a teacher's script sees is what the learner saw;
 * a change in how lessons are chosen (packs beside the shipped lessons) is a change to this file.
 */
import type { LessonPack } from '../lessons/pack.js';
import { cachedViews, cacheViews, type LoadedViews, lessonView, SHIPPED_LESSONS } from '../ui/lesson-view.js';
import type { AppDirs } from './store.js';

export interface LessonSource {
  /** A directory of lesson files (`--lessons DIR`); the shipped lessons when absent. */
  readonly lessonsDir?: string;
  readonly dirs: AppDirs;
  /** redislings' version: part of the lesson cache's key. */
  readonly version: string;
}

/**
 * The lessons' views, and the problems that kept lessons out. Throws the loader's
 * LessonDirectoryError for a directory that cannot be read or holds no lesson file.
 */
export async function shownLessons(source: LessonSource): Promise<LoadedViews> {
  const dir = source.lessonsDir ?? SHIPPED_LESSONS;
  const cached = cachedViews(dir, source.dirs.cache, source.version);
  if (cached) return cached;
  const { formatProblem, loadLessons } = await import('../lessons/loader.js');
  const { lessons, problems } = loadLessons(dir);
  const fresh = { views: lessons.map(lessonView), problems: problems.map(formatProblem) };
  cacheViews(dir, source.dirs.cache, source.version, fresh);
  return fresh;
}

/** The shipped lessons, as a pack: not strict, and their reports are not signed. */
export const SHIPPED_PACK_ID = 'redislings';

/**
 * The pack the lessons come from: the `--lessons` directory's (its pack.yaml, or its name), or
 * the shipped lessons. Throws PackFileError for a pack.yaml that cannot be read.
 */
export async function shownPack(source: Pick<LessonSource, 'lessonsDir'>): Promise<LessonPack> {
  if (source.lessonsDir === undefined) {
    return { dir: SHIPPED_LESSONS, id: SHIPPED_PACK_ID, title: 'The redislings lessons', strict: false, declared: true };
  }
  const { readPack } = await import('../lessons/pack.js');
  return readPack(source.lessonsDir);
}
