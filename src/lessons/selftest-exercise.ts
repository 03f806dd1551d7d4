/**
 * selftest of an exercise step: the exercise starts unsolved and can be solved, where the lessons
 * run. Its starters, exactly as the learner gets them (JavaScript and TypeScript), run (they
 * connect) and fail verification; its reference solution (exercises/<id>/solution.mjs) passes.
 *
 * On the bundled engine each verification has a bundled server of its own, so the three run at
 * once; on a real server they share the lesson database and the exercise's keys, so they run one
 * after the other.
 *
 * The programs import the Redis client `redis` (node-redis). The starters are written to a
 * temporary directory whose node_modules links to the one redislings finds `redis` in, so that they
 * run as they would in the learner's directory, and nothing is written into redislings' own files.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from '../backend/backend.js';
import type { CheckResult, Exercise, Language } from '../exercises/exercise.js';
import { findExercise } from '../exercises/index.js';
import { EXERCISES_DIR, solutionFile, starterFile } from '../exercises/starters.js';
import { verifyOnBackend, type VerifyResult } from '../exercises/verify.js';
import type { ExerciseStep } from './model.js';

export interface ExerciseSelftest {
  /** How many programs were verified. */
  readonly tried: number;
  readonly failures: readonly string[];
}

const LANGUAGES: readonly Language[] = ['js', 'ts'];

export interface ExerciseSelftestOptions {
  /** The program that must pass (default: the exercise's reference solution); tests give a wrong one. */
  readonly solution?: string;
}

export async function selftestExercise(step: ExerciseStep, backend: Backend, options: ExerciseSelftestOptions = {}): Promise<ExerciseSelftest> {
  const exercise = findExercise(step.exercise);
  // The loader refuses an unknown id; a lesson built by hand could still carry one.
  if (!exercise) return { tried: 0, failures: [`no exercise "${step.exercise}"`] };
  const modules = clientModules();
  if (!modules) {
    return {
      tried: 0,
      failures: [`the programs of ${exercise.id} import the Redis client \`redis\`, which is not installed where redislings is (npm install redis there)`],
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-selftest-'));
  try {
    fs.symlinkSync(modules, path.join(dir, 'node_modules'), 'junction');
    const checks: (() => Promise<string | undefined>)[] = [
      ...LANGUAGES.map((language) => () => starterFails(exercise, language, dir, backend)),
      () => solutionPasses(exercise, backend, options.solution ?? solutionFile(exercise)),
    ];
    const failures = backend.programUrl
      ? await inTurn(checks)
      : await Promise.all(checks.map((check) => check()));
    return { tried: checks.length, failures: failures.filter((f): f is string => f !== undefined) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function inTurn(checks: readonly (() => Promise<string | undefined>)[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (const check of checks) out.push(await check());
  return out;
}

/** The node_modules directory redislings finds `redis` in; undefined when it has none. */
function clientModules(): string | undefined {
  let entry: string;
  try {
    entry = createRequire(path.join(EXERCISES_DIR, 'index.js')).resolve('redis');
  } catch {
    // Not installed beside redislings: the caller says so.
    return undefined;
  }
  const marker = `${path.sep}node_modules${path.sep}redis${path.sep}`;
  const at = entry.lastIndexOf(marker);
  return at < 0 ? undefined : entry.slice(0, at + `${path.sep}node_modules`.length);
}

async function starterFails(exercise: Exercise, language: Language, dir: string, backend: Backend): Promise<string | undefined> {
  const starter = starterFile(exercise, language);
  const file = path.join(dir, starter.name);
  fs.writeFileSync(file, starter.text);
  const verdict = await verifyOnBackend(exercise, backend, { file });
  const what = `the ${language === 'js' ? 'JavaScript' : 'TypeScript'} starter (exercises/${exercise.id}/starter${path.extname(starter.name)})`;
  if (verdict.passed) return `${what} passes verification: the exercise would start solved`;
  // It must get past its start: a starter that cannot even connect teaches nothing.
  const first = verdict.checks[0];
  if (first?.id !== 'connects' || !first.passed) return `${what} does not run: ${describe(verdict.checks.find((c) => !c.passed))}${output(verdict)}`;
  return undefined;
}

async function solutionPasses(exercise: Exercise, backend: Backend, file: string): Promise<string | undefined> {
  const what = file === solutionFile(exercise) ? `the reference solution (exercises/${exercise.id}/solution.mjs)` : file;
  if (!fs.existsSync(file)) return `${what} is missing`;
  const verdict = await verifyOnBackend(exercise, backend, { file });
  if (verdict.passed) return undefined;
  return `${what} fails: ${describe(verdict.checks.find((c) => !c.passed))}${output(verdict)}`;
}

function describe(check: CheckResult | undefined): string {
  if (!check) return 'no check failed, yet the verdict is not a pass';
  return `${check.title}: expected ${check.expected ?? '?'}; seen ${check.seen ?? '?'}`;
}

function output(verdict: VerifyResult): string {
  const text = verdict.output.trim();
  return text === '' ? '' : ` (its output: ${text.split('\n').slice(-3).join(' | ')})`;
}
