/**
 * A learner's server goes away in the middle of a lesson (it restarts, the network drops): the
 * learner's command answers a clear error instead of hanging, the backend reports lost, then
 * retrying with a growing delay, then back once the server answers again; the lesson reopens at
 * the step the learner was at, with the earlier steps replayed.
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
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (port: number) => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', path.join(dir, 'log')], { stdio: 'ignore' });
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
    child?.once('exit', () => resolve());
    child?.kill('SIGKILL');
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
      expect(whileAway.reply).toEqual({ kind: 'error', message: `ERR the connection to 127.0.0.1:${port} was closed` });
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
      expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 1));
      // 250 ms, 500 ms, 1 s, …: each wait longer than the last.
      expect(retries.map((r) => r.delayMs).slice(0, 3)).toEqual([250, 500, 1000].slice(0, Math.min(3, retries.length)));

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
    }
  }, 30_000);

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
