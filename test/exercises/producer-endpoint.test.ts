/**
 * The producer endpoint exercise: a correct program passes; each typical mistake fails at the check that names it, with
 * what was expected and what was seen.
 */
import { describe, expect, it } from 'vitest';
import { failedCheck, verdictText, verifyFixture } from './helpers.js';

const WRONG: readonly { file: string; check: string; says: RegExp }[] = [
  { file: 'wrong-key.mjs', check: 'key', says: /nothing in `submissions`; the program wrote `queue` \(list\)/ },
  { file: 'not-json.mjs', check: 'json', says: /\[object Object\].*JSON\.stringify\(job\)/s },
  { file: 'status-200.mjs', check: 'status', says: /expected: the answer 202 Accepted|200 \{\"id\":1\}/ },
  { file: 'rpush.mjs', check: 'lpush', says: /it is at the tail.*LPUSH, not RPUSH/s },
  { file: 'no-id-in-answer.mjs', check: 'answer', says: /a JSON answer with the submission's id, \{\"id\":1\} \| \{\}/ },
  { file: 'same-id.mjs', check: 'unique-id', says: /both have the id 1/ },
  { file: 'unguarded-parse.mjs', check: 'bad-json', says: /500 \{\"error\":\"internal error\"\}/ },
  { file: 'no-field-check.mjs', check: 'missing-field', says: /202 \{\"id\":3\}, and 1 element\(s\) queued/ },
];

describe.concurrent('producer-endpoint on the bundled server', () => {
  it('passes the reference solution', async () => {
    const verdict = await verifyFixture('producer-endpoint', 'solution.mjs');
    expect(verdict.checks.filter((c) => !c.passed)).toEqual([]);
    expect(verdict.checks.map((c) => c.id)).toEqual(['connects', 'listens', 'submit', 'lpush', 'bad-json', 'missing-field']);
    expect(verdict.passed).toBe(true);
  }, 30_000);

  it.each(WRONG)('fails $file at $check', async ({ file, check, says }) => {
    const verdict = await verifyFixture('producer-endpoint', file);
    expect(verdict.passed).toBe(false);
    expect(failedCheck(verdict)?.id, `${verdictText(verdict)}\n${verdict.output}`).toBe(check);
    expect(verdictText(verdict)).toMatch(says);
  }, 30_000);
});
