/**
 * The queue worker exercise: a correct worker passes, in JavaScript and in TypeScript; each typical
 * mistake fails at the check that names it. (real-redis.test.ts runs them on a real redis-server.)
 */
import { describe, expect, it } from 'vitest';
import { failedCheck, verdictText, verifyFixture } from './helpers.js';

const WRONG: readonly { file: string; check: string; says: RegExp }[] = [
  { file: 'lifo.mjs', check: 'fifo', says: /results for jobs 3, 2, 1.*LPUSH adds jobs at the head/s },
  { file: 'dies-on-bad-json.mjs', check: 'bad-json', says: /died on it: it exited with code 1.*JSON\.parse throws/s },
  { file: 'drops-bad-json.mjs', check: 'dead-letter', says: /it was dropped/ },
  { file: 'busy-poll.mjs', check: 'busy-poll', says: /\d+ commands in 1\.2 s with an empty queue: RPOP ×\d+/ },
  { file: 'sleep-poll.mjs', check: 'blocks', says: /never blocked; it sent RPOP ×\d/ },
  { file: 'ignores-sigterm.mjs', check: 'sigterm', says: /still running 3\.7 s later/ },
  { file: 'no-sigterm-handler.mjs', check: 'finish-job', says: /ended by SIGTERM in the middle of job 5/ },
  { file: 'hangs-when-idle.mjs', check: 'sigterm-idle', says: /still running: it waits for a job.*timeout 0 waits forever/s },
];

describe.concurrent('queue-worker on the bundled server', () => {
  it('passes the reference solution', async () => {
    const verdict = await verifyFixture('queue-worker', 'solution.mjs');
    expect(verdict.checks.map((c) => `${c.id}:${c.passed}`)).toEqual([
      'connects:true', 'waits:true', 'fifo:true', 'bad-json:true', 'sigterm:true', 'sigterm-idle:true',
    ]);
    expect(verdict.passed).toBe(true);
  }, 30_000);

  it.each(['correct.mts', 'correct-ioredis.mjs'])('passes a correct worker in TypeScript, or with ioredis: %s', async (file) => {
    const verdict = await verifyFixture('queue-worker', file);
    expect(verdict.checks.filter((c) => !c.passed)).toEqual([]);
    expect(verdict.passed).toBe(true);
  }, 30_000);

  it.each(WRONG)('fails $file at $check', async ({ file, check, says }) => {
    const verdict = await verifyFixture('queue-worker', file);
    expect(verdict.passed).toBe(false);
    expect(failedCheck(verdict)?.id, `${verdictText(verdict)}\n${verdict.output}`).toBe(check);
    expect(verdictText(verdict)).toMatch(says);
  }, 30_000);
});
