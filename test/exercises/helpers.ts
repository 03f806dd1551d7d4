/**
 * Running the verifier on the test fixtures: fixtures/<exercise>/<name>. The fixtures live inside
 * the repository, so `import 'redis'` in them resolves from the repository's node_modules (Node
 * looks for node_modules in every directory above the importing file), exactly as a learner's
 * program finds the copy they installed beside it. ESM ignores NODE_PATH, so this is the robust way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckResult } from '../../src/exercises/exercise.js';
import { findExercise } from '../../src/exercises/index.js';
import { solutionFile } from '../../src/exercises/starters.js';
import { verifyExercise, type VerifyResult } from '../../src/exercises/verify.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** fixture(id, SOLUTION) is the exercise's reference solution, shipped in exercises/<id>/. */
export const SOLUTION = 'solution.mjs';

/** A test fixture: fixtures/<exercise>/<name>, or the reference solution (SOLUTION). */
export function fixture(exercise: string, name: string): string {
  if (name !== SOLUTION) return path.join(FIXTURES, exercise, name);
  const found = findExercise(exercise);
  if (!found) throw new Error(`no exercise ${exercise}`);
  return solutionFile(found);
}

export async function verifyFixture(exercise: string, name: string, url?: string): Promise<VerifyResult> {
  const found = findExercise(exercise);
  if (!found) throw new Error(`no exercise ${exercise}`);
  return verifyExercise(found, { file: fixture(exercise, name), url });
}

export function failedCheck(verdict: VerifyResult): CheckResult | undefined {
  return verdict.checks.find((c) => !c.passed);
}

/** The whole verdict as one text, for assertions on the words a learner reads. */
export function verdictText(verdict: VerifyResult): string {
  return verdict.checks.map((c) => [c.title, c.expected, c.seen, c.hint].filter(Boolean).join(' | ')).join('\n');
}

/**
 * True when a process with this pid exists and is not a zombie: a killed process whose parent
 * has gone waits, as a zombie, for init to reap it, which here can take a second or more.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // ESRCH: no such process. EPERM would mean it exists under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = `/proc/${pid}/stat`;
  if (!fs.existsSync(stat)) return true;
  // The state follows the command name in parentheses: "pid (comm) S ...".
  const text = fs.readFileSync(stat, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) !== 'Z';
}
