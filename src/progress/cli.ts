/**
 * The progress subcommands, as functions that print and return an exit code: `redislings list`
 * (lessons and progress as text), `redislings progress --export FILE | --import FILE`, and
 * `redislings --reset-progress`. A progress file is only ever replaced after the old one was
 * moved aside, and the learner is told where.
 */
import type { LessonSetOptions } from '../lessons/shipped.js';
import { loadViews } from '../ui/lesson-view.js';
import { lessonCount, lessonState, type Progress, totalCount } from './progress.js';
import { type AppDirs, ProgressFileError, ProgressStore, readProgressFile, writeAtomically } from './store.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const MARK = { 'done': '✓', 'in progress': '◐', 'not started': '·' } as const;

/** Reads the learner's progress for a report; a corrupt file is reported and left where it is. */
function currentProgress(store: ProgressStore, io: Output): Progress | undefined {
  try {
    return readProgressFile(store.file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, lessons: {} };
    if (e instanceof ProgressFileError) {
      io.err(`redislings: ${e.message}\n(redislings keeps it aside and starts afresh the next time the tutorial opens)\n`);
      return undefined;
    }
    throw e;
  }
}

export async function runList(options: LessonSetOptions & { dirs: AppDirs; version: string }, io: Output = stdio): Promise<number> {
  const store = new ProgressStore(options.dirs.config);
  const progress = currentProgress(store, io);
  if (!progress) return 1;
  const { isLessonSetError } = await import('../lessons/lesson-set.js');
  let loaded;
  try {
    loaded = (await loadViews(options, options.dirs.cache, options.version)).views;
  } catch (e) {
    if (!isLessonSetError(e)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return 1;
  }
  const { views, problems, pack } = loaded;
  const { done, total } = totalCount(progress, views);
  io.out(`${views.length} lessons · ${done} / ${total} steps · ${total === 0 ? 0 : Math.floor((done * 100) / total)}%\n\n`);
  const width = Math.max(...views.map((v) => v.title.length));
  for (const [i, v] of views.entries()) {
    // With a lesson pack, its lessons come under its title, after the built-in ones.
    if (pack && (i === 0 || v.fromPack !== views[i - 1]?.fromPack)) io.out(`${i === 0 ? '' : '\n'}${v.fromPack ? `${pack.title} (lesson pack)` : 'Built-in lessons'}\n`);
    const c = lessonCount(progress, v);
    const state = lessonState(progress, v);
    const at = progress.lessons[v.id]?.at;
    const where = state === 'in progress' && at ? `, at “${v.steps.find((s) => s.id === at)?.title ?? at}”` : '';
    io.out(` ${MARK[state]} ${String(v.order).padStart(2)}  ${v.title.padEnd(width)}  ${`${c.done}/${c.total}`.padStart(5)}  ${state}${where}\n`);
  }
  if (problems.length > 0) io.out(`\n${problems.length} problem(s) in the lesson files kept some lessons out: redislings validate${pack ? ` ${pack.dir}` : ''}\n`);
  io.out(`\nProgress file: ${store.file}\n`);
  return 0;
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
  const steps = Object.values(progress.lessons).reduce((n, l) => n + Object.keys(l.steps).length, 0);
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
  const steps = Object.values(incoming.lessons).reduce((n, l) => n + Object.keys(l.steps).length, 0);
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
