/**
 * The app on a real Redis 7.0 (issue 7's backends, through the same Backend interface): the
 * header says which server, the prompt is redis-cli's `host:port[db]>`, lessons pass, the keyspace
 * panel reads the server with commands, and on a server it shares redislings refuses FLUSHALL
 * and offers FLUSHDB on the lesson's database instead (`:yes` runs it). Private servers are
 * started for the test (test/helpers/redis-server.ts); skipped with a notice where redis-server is
 * missing, except under CI.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { type Harness, progressAt, QUEUE_STEPS, startHarness } from './helpers.js';

const available = realRedisAvailable('the app on a real Redis');

describe.runIf(available)('the app on a real Redis', () => {
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

  it('runs a lesson on a server it shares, shows it in the header and the prompt, and guards FLUSHALL', async () => {
    h = await startHarness({
      columns: 120,
      progress: progressAt('lists-as-queues', QUEUE_STEPS, 'lpush'),
      backendChoice: { kind: 'url', url: `redis://127.0.0.1:${server.port}`, from: 'flag' },
    });
    const frame = await h.waitFor(`redis 7.0.15 at 127.0.0.1:${server.port}, database 15`, 10_000);
    expect(frame).toContain('▶ Task: Jobs arrive');
    await h.waitFor(`127.0.0.1:${server.port}[15]>`);
    await h.run('LPUSH problems two-sum fizzbuzz anagram');
    await h.waitFor('✓ Well done!', 10_000);
    await h.waitFor(/problems\s*│?\s*\n.*list · 3 items/);
    // Someone else's key in database 0: FLUSHALL would delete it.
    execFileSync('redis-cli', ['-p', String(server.port), '-n', '0', 'SET', 'someone:else', 'keep me']);
    await h.run('FLUSHALL');
    const refused = await h.waitFor('Type :yes to run FLUSHDB instead.', 10_000);
    expect(refused).toContain('FLUSHALL');
    await h.run(':yes');
    await h.waitFor(/FLUSHDB *│?\n+OK/, 10_000);
    await h.waitFor('(no keys yet)');
    expect(execFileSync('redis-cli', ['-p', String(server.port), '-n', '0', 'GET', 'someone:else']).toString()).toBe('keep me\n');
  });

  it('runs a blocking step on a private server it started (--engine redis-server)', async () => {
    h = await startHarness({
      progress: progressAt('lists-as-queues', QUEUE_STEPS, 'brpop'),
      backendChoice: { kind: 'redis-server' },
      timeScale: 0.25,
    });
    await h.waitFor(/redis 7\.0\.15, a private server on port \d+/, 15_000);
    await h.waitFor('Wait for work');
    await h.run('BRPOP submissions 0');
    await h.waitFor(/producer: LPUSH submissions sub:1[\s\S]*1\) "submissions"\n2\) "sub:1"/, 10_000);
    await h.waitFor('✓ Well done!');
  });
});
