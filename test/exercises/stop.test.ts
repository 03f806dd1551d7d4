/**
 * Stopping a verification (the app's Ctrl+C, the learner leaving the step): the program, and what
 * it started, is killed at once, verifyExercise rejects with VerifyStopped within moments whatever
 * check was waiting (a sleep, a poll, a restart), and nothing is left running. An abort before the
 * start runs nothing at all.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/exercises/exercise.js';
import { findExercise } from '../../src/exercises/index.js';
import { livePrograms } from '../../src/exercises/program.js';
import { verifyExercise, VerifyStopped } from '../../src/exercises/verify.js';
import { fixture } from './helpers.js';

function exercise(id: string) {
  const found = findExercise(id);
  if (!found) throw new Error(`no exercise ${id}`);
  return found;
}

describe('stopping a verification', () => {
  it.each([
    // Stopped while the checks poll for a connection that never comes (10 s otherwise).
    { id: 'queue-worker', file: fixture('programs', 'never-connects.mjs'), after: 'started' },
    // Stopped in the middle of the checks, after the first has passed.
    { id: 'reliable-worker', file: fixture('reliable-worker', 'solution.mjs'), after: 'connects' },
  ])('ends at once with VerifyStopped: $id, after $after', async ({ id, file, after }) => {
    const controller = new AbortController();
    const checks: CheckResult[] = [];
    let stoppedAt = 0;
    const stop = () => {
      stoppedAt = Date.now();
      controller.abort();
    };
    const verifying = verifyExercise(exercise(id), {
      file,
      signal: controller.signal,
      onStart: () => { if (after === 'started') setTimeout(stop, 300); },
      onCheck: (check) => {
        checks.push(check);
        if (check.id === after) stop();
      },
    });
    await expect(verifying).rejects.toBeInstanceOf(VerifyStopped);
    expect(Date.now() - stoppedAt).toBeLessThan(2500);
    expect(livePrograms()).toBe(0);
    // No failure is reported for the program that was killed.
    expect(checks.every((c) => c.passed)).toBe(true);
  }, 30_000);

  it('runs nothing when stopped before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    let started = false;
    await expect(verifyExercise(exercise('cache-aside'), { file: fixture('cache-aside', 'solution.mjs'), signal: controller.signal, onStart: () => { started = true; } }))
      .rejects.toBeInstanceOf(VerifyStopped);
    expect(started).toBe(false);
  });
});
