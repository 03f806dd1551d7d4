/**
 * Issue 7's start screen: started without being told where to run, the app runs lessons on the
 * bundled engine and, when a Redis answers on localhost (here: a private redis-server standing in
 * for 127.0.0.1:6379), offers it in the menu. `c` moves lessons there (one database of it, nothing
 * else touched) and back; a server that needs a password, or that is gone by the time the learner
 * chooses it, is explained and lessons stay on the bundled engine.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/backend/free-port.js';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { type Harness, KEY, startHarness } from './helpers.js';

const available = realRedisAvailable('the start screen\'s offer of a local Redis');

describe.runIf(available)('the start screen offers a Redis found on localhost', () => {
  let server: RedisServer | undefined;
  let h: Harness | undefined;
  afterEach(async () => {
    if (h && !h.parts.store.getState().quitting) {
      // From the menu q quits; from a lesson, :quit.
      if (h.parts.store.getState().screen.kind === 'menu') {
        await h.press('q');
        await h.parts.exited;
      } else {
        await h.quit();
      }
    }
    h?.cleanup();
    h = undefined;
    await server?.stop();
    server = undefined;
  });

  it('moves lessons to it with c, works in database 15 only, and back to the bundled engine with c', async () => {
    server = await startRedisServer();
    const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(server?.port), ...args]).toString();
    cli('-n', '0', 'SET', 'mine', 'the learner\'s own data');
    h = await startHarness({ columns: 120, rows: 40, offerLocalRedis: { port: server.port } });
    await h.waitFor('bundled engine ·');
    const offered = await h.waitFor(`A Redis answers at 127.0.0.1:${server.port}. c: practise on it`);
    expect(offered).toContain('c where lessons run');

    await h.press('c');
    const moved = await h.waitFor(`redis 7.0.15 at 127.0.0.1:${server.port}, database 15 ·`, 10_000);
    expect(moved).toContain(`Now on redis 7.0.15 at 127.0.0.1:${server.port}, database 15: only that database is used.`);
    expect(moved).toContain(`Lessons run on your Redis at 127.0.0.1:${server.port}`);

    // A lesson runs there: its keys are in database 15, the learner's database 0 is as it was.
    await h.press(KEY.enter);
    await h.waitFor(`127.0.0.1:${server.port}[15]>`, 10_000);
    await h.run('SET greeting hello');
    await h.waitFor(/│ greeting/);
    expect(cli('-n', '15', 'GET', 'greeting')).toBe('hello\n');
    expect(cli('-n', '0', 'KEYS', '*')).toBe('mine\n');

    await h.run(':menu');
    await h.waitFor(/c: back to the\s+bundled engine/);
    await h.press('c');
    const back = await h.waitFor('Lessons run on the bundled engine again.', 10_000);
    expect(back).toContain('bundled engine ·');
    await h.press(KEY.enter);
    await h.waitFor('redislings>', 10_000);
    await h.run('GET greeting');
    await h.waitFor('(no keys yet)');
    expect(h.frame()).not.toMatch(/│ greeting/);
  }, 60_000);

  it('says how to use a Redis that asks for a password, and stays on the bundled engine', async () => {
    server = await startRedisServer(['--requirepass', 'sesame']);
    h = await startHarness({ columns: 140, offerLocalRedis: { port: server.port } });
    await h.waitFor(`A Redis at 127.0.0.1:${server.port} asks for a password: start with --url redis://:PASSWORD@127.0.0.1:${server.port}`);
    await h.waitFor('bundled engine ·');
    await h.press('c');
    await h.waitFor(`The Redis at redis://127.0.0.1:${server.port} asks for a password`);
    expect(h.frame()).toContain('bundled engine ·');
  }, 30_000);

  it('goes back to the bundled engine when the server is gone by the time it is chosen', async () => {
    server = await startRedisServer();
    h = await startHarness({ columns: 140, offerLocalRedis: { port: server.port } });
    await h.waitFor(`A Redis answers at 127.0.0.1:${server.port}.`);
    await server.stop();
    server = undefined;
    await h.press('c');
    const failed = await h.waitFor('Lessons stay on the bundled engine.', 15_000);
    expect(failed).toMatch(/nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)/);
    await h.waitFor('bundled engine ·', 10_000);
    await h.press(KEY.enter);
    await h.waitFor('redislings>', 10_000);
  }, 40_000);

  it('offers nothing when nothing answers there', async () => {
    h = await startHarness({ columns: 120, offerLocalRedis: { port: await freePort() } });
    await h.waitFor('bundled engine ·');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.frame()).not.toContain('A Redis answers');
    expect(h.frame()).not.toContain('c where lessons run');
  });
});
