/**
 * An exercise step in the app on a real Redis it shares (--url, a private redis-server started for
 * the test): `:verify` runs the program against that server, in the lesson database, naming the
 * server without its URL; the exercise's keys are deleted afterwards, and a key a wrong program
 * left elsewhere counts as redislings' own, so the lesson's next reset deletes it instead of
 * stopping at it. Skipped with a notice where redis-server is missing, except under CI.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { fixture } from '../exercises/helpers.js';
import { BROKER_STEPS, type Harness, KEY, progressAt, startHarness } from './helpers.js';

const available = realRedisAvailable('exercise steps on a real Redis');

describe.runIf(available)('an exercise step on a real Redis', () => {
  let server: RedisServer;
  let h: Harness | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    if (h && !h.parts.store.getState().quitting) await h.quit();
    h?.cleanup();
    h = undefined;
  });

  const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(server.port), '-n', '15', ...args]).toString().trim();

  it('verifies on the server in use, in the lesson database, and leaves it the lessons\'', async () => {
    h = await startHarness({
      columns: 150,
      rows: 45,
      progress: progressAt('message-broker', BROKER_STEPS, 'endpoint'),
      backendChoice: { kind: 'url', url: `redis://127.0.0.1:${server.port}`, from: 'flag' },
    });
    await h.waitFor(`redis 7.0.15 at 127.0.0.1:${server.port}, database 15`, 10_000);
    await h.waitFor('▶ Write: producer-endpoint.mjs');
    // Open once the earlier steps have replayed: the panel shows what they left.
    await h.waitFor(/│ processing/, 10_000);
    await h.press(KEY.ctrlK);

    // A wrong program: it queues on `queue` instead of `submissions`.
    await h.run(`:verify ${fixture('producer-endpoint', 'wrong-key.mjs')}`);
    const wrong = await h.waitFor('Not yet: fix what the ✗ says', 30_000);
    expect(wrong.replace(/\s+/g, ' ')).toContain(`on redis 7.0.15 at 127.0.0.1:${server.port}, database 15 (its keys submissions, submissions:next-id start empty)…`);
    expect(wrong).toMatch(/✗ queues a submission on submissions/);
    expect(cli('EXISTS', 'queue')).toBe('1');
    expect(cli('EXISTS', 'submissions', 'submissions:next-id')).toBe('0');

    await h.run(`:verify ${fixture('producer-endpoint', 'solution.mjs')}`);
    await h.waitFor('✓ Well done!', 30_000);
    expect(cli('EXISTS', 'submissions', 'submissions:next-id')).toBe('0');

    // The key the wrong program left is redislings' own now: a reset deletes it, and asks nothing.
    await h.run(':reset');
    await h.waitFor('This step starts again from fresh data.');
    await h.waitFor('▶ Write: producer-endpoint.mjs');
    await h.run('PING');
    await h.waitFor(/PING\nPONG/);
    expect(h.frame()).not.toContain('redislings did not create');
    expect(cli('EXISTS', 'queue')).toBe('0');
  }, 90_000);
});
