/**
 * `redislings exercise [id] [--lang js|ts]`: lists the exercises, or writes one's starter into the
 * current directory (never over an existing file).
 * `redislings verify <id> [FILE] [--url URL] [--reset]`: runs the learner's program and judges it.
 */
import chalk from 'chalk';
import path from 'node:path';
import type { CheckResult, Exercise, Language } from './exercise.js';
import { findProgram, writeStarter } from './files.js';
import { EXERCISES, findExercise } from './index.js';
import { killAllPrograms } from './program.js';
import { verifyExercise, VerifySetupError, type VerifyResult } from './verify.js';

export interface Output {
  write(text: string): void;
}

function unknown(id: string, err: Output): number {
  err.write(`Unknown exercise: ${id}. The exercises: ${EXERCISES.map((e) => e.id).join(', ')}.\n`);
  return 1;
}

export function runExerciseCommand(id: string | undefined, lang: string, cwd: string, out: Output, err: Output): number {
  if (id === undefined) {
    const width = Math.max(...EXERCISES.map((e) => e.id.length));
    for (const e of EXERCISES) out.write(`${e.id.padEnd(width)}  ${e.title}\n`);
    out.write('\nStart one with `redislings exercise <id>` (add `--lang ts` for TypeScript).\n');
    return 0;
  }
  const exercise = findExercise(id);
  if (!exercise) return unknown(id, err);
  if (lang !== 'js' && lang !== 'ts') {
    err.write(`Unknown language: ${lang}. Use --lang js or --lang ts.\n`);
    return 1;
  }
  const written = writeStarter(exercise, lang as Language, cwd);
  const name = path.basename(written.file);
  if (written.kind === 'exists') {
    err.write(`${name} exists already here: redislings never writes over your work. `
      + 'Verify it with `redislings verify ' + `${exercise.id}\`, or rename it to start again.\n`);
    return 1;
  }
  out.write(`Wrote ${name}: the task is at its top.\n`);
  if (written.install) out.write('Install the Redis client here first: npm install redis\n');
  out.write(`When you are ready: npx redislings verify ${exercise.id}\n`);
  return 0;
}

export interface VerifyCommandOptions {
  readonly url?: string;
  readonly reset?: boolean;
}

export async function runVerifyCommand(id: string, file: string | undefined, options: VerifyCommandOptions, cwd: string,
  out: Output, err: Output): Promise<number> {
  const exercise = findExercise(id);
  if (!exercise) return unknown(id, err);
  const target = file === undefined ? defaultFile(exercise, cwd, err) : path.resolve(cwd, file);
  if (target === undefined) return 2;
  // Ctrl+C while the program runs: stop it (and what it started) before leaving.
  const onSignal = (signal: NodeJS.Signals) => () => {
    killAllPrograms();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const sigint = onSignal('SIGINT');
  const sigterm = onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  try {
    const verdict = await verifyExercise(exercise, {
      file: target,
      url: options.url,
      reset: options.reset,
      onStart: (redis) => out.write(`Verifying ${path.relative(cwd, target) || target} (${exercise.id}) on ${redis}\n`),
      onCheck: (check) => out.write(renderCheck(check)),
    });
    out.write(renderSummary(verdict));
    return verdict.passed ? 0 : 1;
  } catch (e) {
    // A setup problem, or the Redis going away mid-run: not the program's fault, and no verdict.
    const why = e instanceof Error ? e.message : String(e);
    err.write(e instanceof VerifySetupError ? `${why}\n` : `verify could not finish: ${why}\n`);
    return 2;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
  }
}

function defaultFile(exercise: Exercise, cwd: string, err: Output): string | undefined {
  const found = findProgram(exercise, cwd);
  if (found.kind === 'found') return found.file;
  const id = exercise.id;
  if (found.kind === 'none') {
    err.write(`No ${id}.mjs or ${id}.mts here. Start with \`redislings exercise ${id}\`, or name your file: `
      + `\`redislings verify ${id} FILE\`.\n`);
  } else {
    err.write(`Both ${id}.mjs and ${id}.mts are here: name the one to verify, \`redislings verify ${id} FILE\`.\n`);
  }
  return undefined;
}

export function renderCheck(check: CheckResult): string {
  if (check.passed) return `  ${chalk.green('✓')} ${check.title}\n`;
  const lines = [`  ${chalk.red('✗')} ${check.title}`];
  if (check.expected) lines.push(`      expected: ${check.expected}`);
  if (check.seen) lines.push(`      seen:     ${check.seen}`);
  if (check.hint) lines.push(`      ${chalk.cyan(check.hint)}`);
  return `${lines.join('\n')}\n`;
}

export function renderSummary(verdict: VerifyResult): string {
  if (verdict.passed) return `${chalk.green('Passed')}: every check of ${verdict.exercise}.\n`;
  const output = verdict.output.trim() === ''
    ? ''
    : `\nYour program's last output:\n${verdict.output.split('\n').map((l) => `  │ ${l}`).join('\n')}\n`;
  return `${output}\n${chalk.red('Not yet')}: fix what the ✗ says and verify again.\n`;
}
