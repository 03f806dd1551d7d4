/**
 * A learner's server goes away in the middle of a lesson (it restarts, the network drops): the
 * learner's command answers a clear error instead of hanging, the backend reports lost, then
 * retrying with a growing delay, then back once the server answers again; the lesson reopens at
 * the step the learner was at, with the earlier steps replayed. A server that closes idle
 * connections (its `timeout`) is no news: connections open again by themselves. One that
 * restarts between two tries is reported. A connection that held a subscription says it is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/backend/backend.js';
import { ConnectError } from '../../src/backend/endpoint.js';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { loadLessons, SHIPPED_LESSONS_DIR } from '../../src/lessons/loader.js';
import { LessonRun } from '../../src/lessons/runner.js';
import { bulk, OK } from '../../src/resp/reply.js';
import { freePort, realRedisAvailable } from '../helpers/redis-server.js';
import { respClient } from '../helpers/resp-client.js';

const available = realRedisAvailable('connection lost mid-lesson');

describe.skipIf(!available)('connection lost mid-lesson', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-lost-'));
  /** The server running now; every one started, for afterAll. */
  let child: ChildProcess | undefined;
  const started = new Set<ChildProcess>();
  afterAll(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (port: number, ...extra: string[]) => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', path.join(dir, 'log'), ...extra], { stdio: 'ignore' });
    started.add(child);
    for (;;) {
      try {
        const c = await respClient(port);
        c.close();
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const kill = () => new Promise<void>((resolve) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });

  it('says so, retries with a growing delay, and the lesson resumes at the same step', async () => {
    const port = await freePort();
    await start(port);
    const backend = await RedisServerBackend.open({ port });
    const states: (ConnectionState & { at: number })[] = [];
    backend.onConnectionState((s) => states.push({ ...s, at: Date.now() }));
    const lesson = loadLessons(SHIPPED_LESSONS_DIR).lessons.find((l) => l.id === 'hashes')!;
    let run = await LessonRun.open(lesson, backend, { atStep: 2 });
    try {
      expect((await run.submit(['PING'])).reply).toEqual({ kind: 'simple', value: 'PONG' });

      const lostAt = Date.now();
      await kill();
      // The learner types while the server is away: an answer at once, saying what happened.
      const whileAway = await run.submit(['HGET', 'user:1', 'name']);
      expect(whileAway.reply).toEqual({
        kind: 'error',
        message: `ERR the connection to 127.0.0.1:${port} was closed, and it cannot be opened again: nothing answers at 127.0.0.1:${port} (connection refused). ` +
          'Is redis-server running there? (for example: docker run -p 6379:6379 redis)',
      });
      await new Promise((r) => setTimeout(r, 1200));
      await start(port);
      while (!states.some((s) => s.kind === 'back')) {
        if (Date.now() - lostAt > 15_000) throw new Error(`never back: ${JSON.stringify(states)}`);
        await new Promise((r) => setTimeout(r, 20));
      }

      const kinds = states.map((s) => s.kind);
      expect(kinds[0]).toBe('lost');
      expect(kinds[kinds.length - 1]).toBe('back');
      expect(states[0]).toMatchObject({ message: expect.stringMatching(new RegExp(`^lost the connection to 127\\.0\\.0\\.1:${port}: `)) });
      const retries = states.filter((s): s is Extract<ConnectionState, { kind: 'retrying' }> & { at: number } => s.kind === 'retrying');
      expect(retries.length).toBeGreaterThanOrEqual(2);
      // The first try (after 250 ms) is silent; when it fails: lost, then 500 ms, 1 s, …
      expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 2));
      expect(retries.map((r) => r.delayMs)).toEqual(retries.map((_, i) => 500 * 2 ** i));

      // Back: the app reopens the lesson where the learner was (the server came back empty, so
      // the steps before are replayed to rebuild what they left).
      const at = run.stepIndex;
      await run.close();
      run = await LessonRun.open(lesson, backend, { atStep: at });
      expect(run.stepIndex).toBe(at);
      expect((await run.submit(['HSET', 'user:1', 'name', 'Ada'])).reply.kind).toBe('integer');
      expect((await run.submit(['HGET', 'user:1', 'name'])).reply).toEqual(bulk('Ada'));
    } finally {
      await run.close();
      await backend.close();
      await kill();
    }
  }, 30_000);

  it('a server that closes idle connections: no news, the next command opens the connection again', async () => {
    const port = await freePort();
    await start(port, '--timeout', '1');
    const backend = await RedisServerBackend.open({ port });
    const states: ConnectionState[] = [];
    backend.onConnectionState((s) => states.push(s));
    const lesson = loadLessons(SHIPPED_LESSONS_DIR).lessons.find((l) => l.id === 'hashes')!;
    const run = await LessonRun.open(lesson, backend, { atStep: 2 });
    try {
      await new Promise((r) => setTimeout(r, 2600));
      expect((await run.submit(['HSET', 'user:1', 'city', 'Paris'])).reply.kind).toBe('integer');
      await new Promise((r) => setTimeout(r, 2600));
      expect((await run.submit(['HGET', 'user:1', 'city'])).reply).toEqual(bulk('Paris'));
      expect(states).toEqual([]);
    } finally {
      await run.close();
      await backend.close();
      await kill();
    }
  }, 30_000);

  it('a server that restarted before the first retry is reported, found by its run_id', async () => {
    const port = await freePort();
    await start(port);
    const backend = await RedisServerBackend.open({ port });
    const states: ConnectionState[] = [];
    backend.onConnectionState((s) => states.push(s));
    try {
      await kill();
      await start(port);
      const deadline = Date.now() + 5000;
      while (!states.some((s) => s.kind === 'back') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(states).toEqual([{ kind: 'lost', message: `127.0.0.1:${port} restarted` }, { kind: 'back' }]);
    } finally {
      await backend.close();
      await kill();
    }
  }, 20_000);

  it('a connection that held a subscription says what ended with it', async () => {
    const port = await freePort();
    await start(port);
    const backend = await RedisServerBackend.open({ port });
    try {
      const c = await backend.connect();
      await c.execute(['SUBSCRIBE', 'news']);
      await kill();
      await start(port);
      await expect(c.execute(['PING'])).rejects.toThrow(`the connection to 127.0.0.1:${port} was closed, and its subscriptions ended with it`);
    } finally {
      await backend.close();
      await kill();
    }
  }, 20_000);

  it('a command already sent when the server dies answers an error, not never', async () => {
    const port = await freePort();
    await start(port);
    const backend = await RedisServerBackend.open({ port });
    try {
      const c = await backend.connect();
      expect(await c.execute(['SET', 'k', 'v'])).toEqual(OK);
      const blocked = c.execute(['BLPOP', 'q', '0']).then(() => 'answered', (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await kill();
      expect(await blocked).toEqual(new ConnectError('lost', `the connection to 127.0.0.1:${port} was closed`));
    } finally {
      await backend.close();
    }
  }, 20_000);
});
