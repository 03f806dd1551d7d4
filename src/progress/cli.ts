/**
 * The progress subcommands, as functions that print and return an exit code: `redislings list`
 * (lessons and progress as text), `redislings progress --json` (per-step records for a teacher's
 * script), `redislings progress --export FILE | --import FILE`, and `redislings --reset-progress`.
 * A progress file is only ever replaced after the old one was moved aside, and the learner is
 * told where.
 */
import type { LoadedViews } from '../ui/lesson-view.js';
import { type LessonSource, shownLessons, shownPack } from './lesson-source.js';
import { EMPTY_PROGRESS, lessonCount, lessonState, type Progress, totalCount } from './progress.js';
import { lessonEntries, totalsOf } from './records.js';
import { type AppDirs, ProgressFileError, ProgressStore, readProgressFile, writeAtomically } from './store.js';
import { type Output, stdio } from '../output.js';

const MARK = { 'done': '✓', 'in progress': '◐', 'not started': '·' } as const;

/** The lessons shown, or undefined when they cannot be read (the reason is printed). */
export async function readLessons(source: LessonSource, io: Output): Promise<LoadedViews | undefined> {
  const { isLessonSetError } = await import('../lessons/lesson-set.js');
  try {
    return await shownLessons(source);
  } catch (e) {
    if (!isLessonSetError(e)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return undefined;
  }
}

/** Reads the learner's progress for a report; a corrupt file is reported and left where it is. */
export function currentProgress(store: ProgressStore, io: Output): Progress | undefined {
  try {
    return readProgressFile(store.file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_PROGRESS;
    if (e instanceof ProgressFileError) {
      io.err(`redislings: ${e.message}\n(redislings keeps it aside and starts afresh the next time the tutorial opens)\n`);
      return undefined;
    }
    throw e;
  }
}

export async function runList(options: LessonSource, io: Output = stdio): Promise<number> {
  const store = new ProgressStore(options.dirs.config);
  const progress = currentProgress(store, io);
  if (!progress) return 1;
  const loaded = await readLessons(options, io);
  if (!loaded) return 1;
  const { views, problems, pack } = loaded;
  const { done, total } = totalCount(progress, views);
  io.out(`${views.length} lesson${views.length === 1 ? '' : 's'} · ${done} / ${total} steps · ${total === 0 ? 0 : Math.floor((done * 100) / total)}%\n\n`);
  const width = Math.max(...views.map((v) => v.title.length));
  for (const [i, v] of views.entries()) {
    // With a lesson pack, its lessons come under its title, after the built-in ones.
    if (pack && (i === 0 || v.fromPack !== views[i - 1]?.fromPack)) io.out(`${i === 0 ? '' : '\n'}${v.fromPack ? `${pack.title} (lesson pack)` : 'Built-in lessons'}\n`);
    const c = lessonCount(progress, v);
    const state = lessonState(progress, v);
    const at = progress.lessons[v.id]?.at;
    const where = state === 'in progress' && at ? `, at “${v.steps.find((s) => s.id === at)?.title ?? at}”` : '';
    const skipped = c.skipped > 0 ? ` (${c.skipped} skipped)` : '';
    io.out(` ${MARK[state]} ${String(v.order).padStart(2)}  ${v.title.padEnd(width)}  ${`${c.done}/${c.total}`.padStart(5)}  ${state}${skipped}${where}\n`);
  }
  if (problems.length > 0) io.out(`\n${problems.length} problem(s) in the lesson files kept some lessons out: redislings validate${pack ? ` ${pack.dir}` : ''}\n`);
  io.out(`\nProgress file: ${store.file}\n`);
  return 0;
}

/**
 * `redislings progress --json`: every step of every lesson shown, with what the learner did, as
 * one JSON document (records.ts describes the lessons, their steps and the totals):
 *
 *   { "format": 1,
 *     "pack": { "id": "redislings", "title": "The redislings lessons", "strict": false },
 *     "lessons": [ … ], "totals": { … },
 *     "problems": [ "file:line:col: …" ] }     // lesson files left out, as `redislings validate` says
 */
export async function runProgressJson(options: LessonSource, io: Output = stdio): Promise<number> {
  const progress = currentProgress(new ProgressStore(options.dirs.config), io);
  if (!progress) return 1;
  const pack = await readPackOf(options, io);
  if (!pack) return 1;
  const loaded = await readLessons(options, io);
  if (!loaded) return 1;
  const lessons = lessonEntries(progress, loaded.views);
  const document = { format: 1, pack: { id: pack.id, title: pack.title, strict: pack.strict }, lessons, totals: totalsOf(lessons), problems: loaded.problems };
  io.out(JSON.stringify(document, null, 2) + '\n');
  return 0;
}

/** The lessons' pack, or undefined when its pack.yaml cannot be read (the reason is printed). */
export async function readPackOf(source: Pick<LessonSource, 'lessonsDir'>, io: Output): Promise<Awaited<ReturnType<typeof shownPack>> | undefined> {
  const { PackFileError } = await import('../lessons/pack.js');
  try {
    return await shownPack(source);
  } catch (e) {
    if (!(e instanceof PackFileError)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return undefined;
  }
}

/** Steps done (passed or skipped) in every lesson the progress knows, shown or not. */
function doneSteps(progress: Progress): number {
  return Object.values(progress.lessons).reduce((n, l) => n + Object.values(l.steps).filter((r) => r.state !== undefined).length, 0);
}

export function runExport(file: string, dirs: AppDirs, io: Output = stdio): number {
  const store = new ProgressStore(dirs.config);
  const progress = currentProgress(store, io);
  if (!progress) return 1;
  try {
    writeAtomically(file, JSON.stringify(progress, null, 2) + '\n');
  } catch (e) {
    io.err(`redislings: cannot write ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const steps = doneSteps(progress);
  io.out(`Exported ${steps} done step${steps === 1 ? '' : 's'} to ${file}\n`);
  return 0;
}

export function runImport(file: string, dirs: AppDirs, io: Output = stdio): number {
  let incoming: Progress;
  try {
    incoming = readProgressFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`redislings: ${code === 'ENOENT' ? `no such file: ${file}` : (e as Error).message}\nNothing was imported; your progress is unchanged.\n`);
    return 1;
  }
  const store = new ProgressStore(dirs.config);
  const keptAs = store.backUp();
  store.save(incoming);
  const steps = doneSteps(incoming);
  io.out(`Imported ${steps} done step${steps === 1 ? '' : 's'} from ${file}\n`);
  if (keptAs) io.out(`The progress it replaced was kept as ${keptAs}\n`);
  return 0;
}

export function runResetProgress(dirs: AppDirs, io: Output = stdio): number {
  const store = new ProgressStore(dirs.config);
  const keptAs = store.backUp();
  if (!keptAs) {
    io.out('There was no progress to reset.\n');
    return 0;
  }
  io.out(`Progress reset: every lesson starts from the beginning.\nThe old progress was kept as ${keptAs} (redislings progress --import that file brings it back).\n`);
  return 0;
}
