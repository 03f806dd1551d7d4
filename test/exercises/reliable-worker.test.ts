/**
 * The reliable worker exercise: a correct program passes; each typical mistake fails at the check that names it, with
 * what was expected and what was seen.
 */
import { describe, expect, it } from 'vitest';
import { failedCheck, verdictText, verifyFixture } from './helpers.js';

const WRONG: readonly { file: string; check: string; says: RegExp }[] = [
  { file: 'no-ack.mjs', check: 'ack', says: /still in `processing`/ },
  { file: 'wrong-list.mjs', check: 'wrong-list', says: /it went to `in-progress`/ },
  { file: 'brpop.mjs', check: 'moves', says: /in no list: a crash now would lose it/ },
  { file: 'ack-too-early.mjs', check: 'ack-early', says: /at once, before its result: a crash now would lose it/ },
  { file: 'no-recovery.mjs', check: 'recovers', says: /job 2 is still in `processing`/ },
];

describe.concurrent('reliable-worker on the bundled server', () => {
  it('passes the reference solution', async () => {
    const verdict = await verifyFixture('reliable-worker', 'solution.mjs');
    expect(verdict.checks.filter((c) => !c.passed)).toEqual([]);
    expect(verdict.checks.map((c) => c.id)).toEqual(['connects', 'moves', 'ack', 'recovers']);
    expect(verdict.passed).toBe(true);
  }, 30_000);

  it.each(WRONG)('fails $file at $check', async ({ file, check, says }) => {
    const verdict = await verifyFixture('reliable-worker', file);
    expect(verdict.passed).toBe(false);
    expect(failedCheck(verdict)?.id, `${verdictText(verdict)}\n${verdict.output}`).toBe(check);
    expect(verdictText(verdict)).toMatch(says);
  }, 30_000);
});
