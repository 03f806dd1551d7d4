/**
 * Every exercise verified against a private, real redis-server (`--url`): the correct programs
 * pass and typical mistakes fail at the same checks as on the bundled server, and the verifier
 * leaves none of the exercise's keys behind. Skipped with a notice without redis-server, except
 * under CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExercise } from '../../src/exercises/index.js';
import { RedisLink } from '../../src/exercises/redis-link.js';
import { verifyExercise, VerifySetupError } from '../../src/exercises/verify.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { failedCheck, fixture, verdictText, verifyFixture } from './helpers.js';

const enabled = realRedisAvailable('exercises on a real redis-server');

const CASES: readonly { exercise: string; file: string; check?: string }[] = [
  { exercise: 'queue-worker', file: 'solution.mjs' },
  { exercise: 'queue-worker', file: 'correct.mts' },
  { exercise: 'queue-worker', file: 'busy-poll.mjs', check: 'busy-poll' },
  { exercise: 'queue-worker', file: 'sleep-poll.mjs', check: 'blocks' },
  { exercise: 'queue-worker', file: 'lifo.mjs', check: 'fifo' },
  { exercise: 'queue-worker', file: 'dies-on-bad-json.mjs', check: 'bad-json' },
  { exercise: 'queue-worker', file: 'ignores-sigterm.mjs', check: 'sigterm' },
  { exercise: 'producer-endpoint', file: 'solution.mjs' },
  { exercise: 'producer-endpoint', file: 'rpush.mjs', check: 'lpush' },
  { exercise: 'reliable-worker', file: 'solution.mjs' },
  { exercise: 'reliable-worker', file: 'no-ack.mjs', check: 'ack' },
  { exercise: 'reliable-worker', file: 'no-recovery.mjs', check: 'recovers' },
  { exercise: 'stream-consumer', file: 'solution.mjs' },
  { exercise: 'stream-consumer', file: 'ignores-pending.mjs', check: 'recovers' },
  { exercise: 'stream-consumer', file: 'no-xack.mjs', check: 'ack' },
  { exercise: 'cache-aside', file: 'solution.mjs' },
  { exercise: 'cache-aside', file: 'never-invalidates.mjs', check: 'invalidate' },
];

describe.runIf(enabled)('exercises on a real redis-server', () => {
  // Each case has its own server: INFO commandstats and CLIENT LIST are server-wide, so two
  // verifications on one server would see each other's programs.
  it.concurrent.each(CASES)('$exercise: $file $check', async ({ exercise, file, check }) => {
    const server = await startRedisServer();
    const url = `redis://127.0.0.1:${server.port}`;
    const link = await RedisLink.open(url);
    try {
      const verdict = await verifyFixture(exercise, file, url);
      if (check === undefined) {
        expect(verdictText(verdict)).not.toMatch(/expected/);
        expect(verdict.passed).toBe(true);
      } else {
        expect(failedCheck(verdict)?.id, `${verdictText(verdict)}\n${verdict.output}`).toBe(check);
      }
      expect(verdict.redis).toBe(url);
      // Only the exercise's keys were the verifier's to delete; the program's own stray keys stay.
      const left = await link.texts('KEYS', '*');
      for (const key of findExercise(exercise)?.keys ?? []) expect(left).not.toContain(key);
    } finally {
      await link.close();
      await server.stop();
    }
  }, 40_000);
});

describe.runIf(enabled)('verify --url on a Redis in use', () => {
  let redis: RedisServer | undefined;
  let url = '';
  let link: RedisLink | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    url = `redis://127.0.0.1:${redis.port}`;
    link = await RedisLink.open(url);
  });
  afterAll(async () => {
    await link?.close();
    await redis?.stop();
  });

  it('refuses to start while one of the exercise\'s keys exists, and --reset deletes them', async () => {
    const worker = findExercise('queue-worker');
    if (!worker || !link) throw new Error('setup');
    await link.ok('RPUSH', 'submissions', 'a job of somebody else');
    await expect(verifyExercise(worker, { file: fixture('queue-worker', 'solution.mjs'), url }))
      .rejects.toThrow(new VerifySetupError('the exercise uses these keys, which already exist at this Redis: submissions. '
        + 'Use another database (redis://host:port/15), or --reset to delete them.'));
    expect(await link.texts('LRANGE', 'submissions', '0', '-1')).toEqual(['a job of somebody else']);
    const verdict = await verifyExercise(worker, { file: fixture('queue-worker', 'solution.mjs'), url, reset: true });
    expect(verdict.passed).toBe(true);
  }, 40_000);

  it('names only the keys the program wrote, not those that were there before it ran', async () => {
    if (!link) throw new Error('setup');
    const lesson = await RedisLink.open(`${url}/4`);
    try {
      await lesson.ok('RPUSH', 'problems', 'two-sum');
      const verdict = await verifyFixture('producer-endpoint', 'wrong-key.mjs', `${url}/4`);
      expect(verdict.passed).toBe(false);
      const seen = verdict.checks.find((c) => !c.passed)?.seen ?? '';
      expect(seen).toContain('the program wrote `queue` (list)');
      expect(seen).not.toContain('problems');
      await lesson.ok('FLUSHDB');
    } finally {
      await lesson.close();
    }
  }, 40_000);

  it('works in another database of the URL, and leaves database 0 alone', async () => {
    if (!link) throw new Error('setup');
    await link.ok('SET', 'results', 'not mine to touch');
    const verdict = await verifyFixture('queue-worker', 'solution.mjs', `${url}/3`);
    expect(verdict.passed).toBe(true);
    expect(await link.text('GET', 'results')).toBe('not mine to touch');
    await link.ok('FLUSHALL');
  }, 40_000);
});
