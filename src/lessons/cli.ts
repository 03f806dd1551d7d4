/**
 * The lesson subcommands, `redislings validate [DIR] [--only]` and `redislings selftest
 * [--lessons DIR] [--lesson ID]`, as functions that print and return an exit code (cli.ts only
 * wires them to commander). Given a teacher's pack, validate checks it as `--lessons DIR` takes
 * it, and selftest tests the pack's own lessons.
 */
import { type Backend, ForeignKeysError } from '../backend/backend.js';
import { ConnectError } from '../backend/endpoint.js';
import { type BackendChoice, openBackend, type OpenOptions } from '../backend/open.js';
import { isLessonSetError } from './lesson-set.js';
import { formatProblem } from './loader.js';
import { selftestLesson } from './selftest.js';
import { validateDirectory } from './validate.js';
import { type Output, stdio } from '../output.js';

/** Validates a directory, or explains why it cannot be read (then undefined). */
function validated(dir: string | undefined, only: boolean, io: Output): ReturnType<typeof validateDirectory> | undefined {
  try {
    return validateDirectory(dir, { only });
  } catch (e) {
    if (!isLessonSetError(e)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return undefined;
  }
}

export interface ValidateCliOptions {
  /** A lesson pack's directory (default: the shipped lessons). */
  readonly dir?: string;
  /** The pack is taken alone (`--lessons DIR --only`): its ids may be built-in lessons' ids. */
  readonly only?: boolean;
}

export function runValidate(options: ValidateCliOptions = {}, io: Output = stdio): number {
  const result = validated(options.dir, options.only === true, io);
  if (!result) return 1;
  const { lessons, problems, pack } = result;
  for (const p of problems) io.err(formatProblem(p) + '\n');
  if (problems.length > 0) {
    io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} found\n`);
    return 1;
  }
  const steps = lessons.reduce((n, l) => n + l.steps.length, 0);
  const what = `${lessons.length} lesson${lessons.length === 1 ? '' : 's'}, ${steps} steps: valid`;
  if (!pack) io.out(`${what}\n`);
  else if (pack.declared) io.out(`Lesson pack “${pack.title}” (${pack.id}): ${what}\n`);
  else io.out(`Lesson pack ${pack.id} (no pack.yaml: named after its directory): ${what}\n`);
  return 0;
}

export interface SelftestCliOptions {
  /** A lesson pack's directory: its own lessons are tested (default: the shipped lessons). */
  readonly lessons?: string;
  /** Only the lesson with this id. */
  readonly lesson?: string;
  /** Where the lessons run (default: the bundled engine); --url, --engine, --db, REDIS_URL. */
  readonly backend?: BackendChoice;
  readonly open?: OpenOptions;
}

export async function runSelftest(options: SelftestCliOptions, io: Output = stdio): Promise<number> {
  // A pack's lessons are tested alone: whether their ids clash with built-in ones is validate's to say.
  const result = validated(options.lessons, options.lessons !== undefined, io);
  if (!result) return 1;
  const { lessons, problems } = result;
  if (problems.length > 0) {
    for (const p of problems) io.err(formatProblem(p) + '\n');
    io.err(`selftest needs valid lessons: fix the problems above (redislings validate${options.lessons === undefined ? '' : ` ${options.lessons}`})\n`);
    return 1;
  }
  const chosen = options.lesson !== undefined ? lessons.filter((l) => l.id === options.lesson) : lessons;
  if (chosen.length === 0) {
    io.err(`no lesson with id ${options.lesson}\n`);
    return 1;
  }
  let backend: Backend;
  try {
    backend = await openBackend(options.backend ?? { kind: 'bundled' }, options.open);
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return 1;
  }
  // On a real server, pubsub messages travel over the network: give them a moment to arrive.
  const settleMs = options.backend && options.backend.kind !== 'bundled' ? 25 : 0;
  let failed = 0;
  let skipped = 0;
  /** The server went away or the lesson database is not ours: nothing to clean up. */
  let stopped = false;
  try {
    for (const lesson of chosen) {
      let report;
      try {
        report = await selftestLesson(lesson, backend, { settleMs });
      } catch (e) {
        // The server went away, or the lesson database holds keys that are not redislings'.
        if (!(e instanceof ConnectError || e instanceof ForeignKeysError)) throw e;
        io.err(`redislings: ${lesson.id}: ${e.message}\n`);
        stopped = true;
        return 1;
      }
      if (report.skipped) {
        skipped++;
        io.out(`- ${lesson.id}: skipped: ${report.skipped}\n`);
        continue;
      }
      const bad = report.steps.filter((s) => s.failures.length > 0);
      const tried = report.steps.reduce((n, s) => n + s.tried, 0);
      io.out(`${bad.length === 0 ? '✓' : '✗'} ${lesson.id}: ${report.steps.length} steps, ${tried} answers tried\n`);
      for (const s of bad) {
        for (const f of s.failures) io.out(`    ${s.where} ${s.step}: ${f}\n`);
      }
      if (bad.length > 0) failed++;
    }
  } finally {
    // A learner's own server keeps nothing of the selftest (its record of keys is emptied too).
    if (options.backend?.kind === 'url' && !stopped) await cleanUp(backend, io);
    await backend.close();
  }
  io.out(`${chosen.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped (${backend.description})\n`);
  return failed > 0 ? 1 : 0;
}

async function cleanUp(backend: Backend, io: Output): Promise<void> {
  try {
    await backend.reset();
  } catch (e) {
    if (!(e instanceof ConnectError || e instanceof ForeignKeysError)) throw e;
    io.err(`redislings: the lesson database was not emptied: ${e.message}\n`);
  }
}
