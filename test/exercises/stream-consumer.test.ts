/**
 * The stream consumer exercise: a correct program passes; each typical mistake fails at the check that names it, with
 * what was expected and what was seen.
 */
import { describe, expect, it } from 'vitest';
import { failedCheck, verdictText, verifyFixture } from './helpers.js';

const WRONG: readonly { file: string; check: string; says: RegExp }[] = [
  { file: 'no-xack.mjs', check: 'ack', says: /3 entries still pending \(XPENDING runs judges\)/ },
  { file: 'ignores-pending.mjs', check: 'recovers', says: /no result for it within 4\.5 s; 1 entry pending to `judge-1`.*read with ID 0 first/s },
  { file: 'busygroup-crash.mjs', check: 'recovers', says: /it exited with code 1.*BUSYGROUP/s },
  { file: 'consumer-per-pid.mjs', check: 'consumer-name', says: /consumers `judge-\d+`/ },
  { file: 'xread.mjs', check: 'xreadgroup', says: /no consumer: the entries were not read through the group/ },
];

describe.concurrent('stream-consumer on the bundled server', () => {
  it('passes the reference solution', async () => {
    const verdict = await verifyFixture('stream-consumer', 'solution.mjs');
    expect(verdict.checks.filter((c) => !c.passed)).toEqual([]);
    expect(verdict.checks.map((c) => c.id)).toEqual(['connects', 'group', 'reads', 'ack', 'recovers', 'continues']);
    expect(verdict.passed).toBe(true);
  }, 30_000);

  it.each(WRONG)('fails $file at $check', async ({ file, check, says }) => {
    const verdict = await verifyFixture('stream-consumer', file);
    expect(verdict.passed).toBe(false);
    expect(failedCheck(verdict)?.id, `${verdictText(verdict)}\n${verdict.output}`).toBe(check);
    expect(verdictText(verdict)).toMatch(says);
  }, 30_000);
});
