/**
 * The lesson subcommands, `redislings validate [DIR]` and `redislings selftest [--lessons DIR]`,
 * as functions that print and return an exit code (cli.ts only wires them to commander).
 */
import { BundledBackend } from '../backend/bundled.js';
import { formatProblem, LessonDirectoryError } from './loader.js';
import { selftestLesson } from './selftest.js';
import { validateDirectory } from './validate.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Validates a directory, or explains why it cannot be read (then undefined). */
function validated(dir: string | undefined, io: Output): ReturnType<typeof validateDirectory> | undefined {
  try {
    return validateDirectory(dir);
  } catch (e) {
    if (!(e instanceof LessonDirectoryError)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return undefined;
  }
}

export function runValidate(dir: string | undefined, io: Output = stdio): number {
  const result = validated(dir, io);
  if (!result) return 1;
  const { lessons, problems } = result;
  for (const p of problems) io.err(formatProblem(p) + '\n');
  if (problems.length > 0) {
    io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} found\n`);
    return 1;
  }
  const steps = lessons.reduce((n, l) => n + l.steps.length, 0);
  io.out(`${lessons.length} lessons, ${steps} steps: valid\n`);
  return 0;
}

export interface SelftestCliOptions {
  readonly lessons?: string;
  /** Only the lesson with this id. */
  readonly only?: string;
}

export async function runSelftest(options: SelftestCliOptions, io: Output = stdio): Promise<number> {
  const result = validated(options.lessons, io);
  if (!result) return 1;
  const { lessons, problems } = result;
  if (problems.length > 0) {
    for (const p of problems) io.err(formatProblem(p) + '\n');
    io.err('selftest needs valid lessons: fix the problems above (redislings validate)\n');
    return 1;
  }
  const chosen = options.only ? lessons.filter((l) => l.id === options.only) : lessons;
  if (chosen.length === 0) {
    io.err(`no lesson with id ${options.only}\n`);
    return 1;
  }
  const backend = new BundledBackend();
  let failed = 0;
  let skipped = 0;
  try {
    for (const lesson of chosen) {
      const report = await selftestLesson(lesson, backend);
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
    await backend.close();
  }
  io.out(`${chosen.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped (${backend.description})\n`);
  return failed > 0 ? 1 : 0;
}
