/**
 * The cache-aside exercise: a correct program passes; each typical mistake fails at the check that names it, with
 * what was expected and what was seen.
 */
import { describe, expect, it } from 'vitest';
import { failedCheck, verdictText, verifyFixture } from './helpers.js';

const WRONG: readonly { file: string; check: string; says: RegExp }[] = [
  { file: 'never-invalidates.mjs', check: 'invalidate', says: /still holds the old row, \{\"id\":42,\"name\":\"desk lamp\",\"price\":30\}/ },
  { file: 'always-misses.mjs', check: 'hit', says: /1 database read \(the answer took \d+ ms; the database alone takes 200\)/ },
  { file: 'never-caches.mjs', check: 'fills-cache', says: /no key `product:42`/ },
  { file: 'no-ttl.mjs', check: 'ttl', says: /no TTL: it stays forever/ },
  { file: 'caches-null.mjs', check: 'not-found', says: /expected: 404|200 null/ },
];

describe.concurrent('cache-aside on the bundled server', () => {
  it('passes the reference solution', async () => {
    const verdict = await verifyFixture('cache-aside', 'solution.mjs');
    expect(verdict.checks.filter((c) => !c.passed)).toEqual([]);
    expect(verdict.checks.map((c) => c.id)).toEqual(['connects', 'listens', 'miss', 'hit', 'invalidate', 'not-found']);
    expect(verdict.passed).toBe(true);
  }, 30_000);

  it.each(WRONG)('fails $file at $check', async ({ file, check, says }) => {
    const verdict = await verifyFixture('cache-aside', file);
    expect(verdict.passed).toBe(false);
    expect(failedCheck(verdict)?.id, `${verdictText(verdict)}\n${verdict.output}`).toBe(check);
    expect(verdictText(verdict)).toMatch(says);
  }, 30_000);
});
