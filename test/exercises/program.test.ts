/**
 * The learner's program as a process: a program that never connects, crashes, spins, or leaves
 * children behind gets a clear verdict, and nothing it started outlives the verification, not even
 * when redislings itself is killed with SIGKILL (dist/cli.js: build first).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findExercise } from '../../src/exercises/index.js';
import { LearnerProgram, livePrograms } from '../../src/exercises/program.js';
import { verifyExercise } from '../../src/exercises/verify.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { RedisLink } from '../../src/exercises/redis-link.js';
import { alive, failedCheck, fixture, verdictText } from './helpers.js';

const CLI = path.resolve('dist/cli.js');
const servers: RunningServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(): Promise<{ url: string; link: RedisLink }> {
  const s = await startServer({ port: 0, bind: '127.0.0.1' });
  servers.push(s);
  const url = `redis://127.0.0.1:${s.port}`;
  return { url, link: await RedisLink.open(url) };
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe.concurrent('a program that misbehaves', () => {
  it('never connects: the verdict says so, after the connect timeout', async () => {
    const worker = findExercise('queue-worker');
    if (!worker) throw new Error('no queue-worker');
    const started = Date.now();
    const v = await verifyExercise(worker, { file: fixture('programs', 'never-connects.mjs') });
    expect(failedCheck(v)).toMatchObject({ id: 'connects', seen: 'no connection' });
    expect(verdictText(v)).toMatch(/createClient\(\{ url: process\.env\.REDIS_URL \}\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
  }, 30_000);

  it('crashes: the verdict gives the exit code, and the output shows the error without stack frames', async () => {
    const worker = findExercise('queue-worker');
    if (!worker) throw new Error('no queue-worker');
    const v = await verifyExercise(worker, { file: fixture('programs', 'crashes.mjs') });
    expect(failedCheck(v)).toMatchObject({ id: 'connects', seen: 'the program exited with code 1 before connecting' });
    expect(v.output).toMatch(/Error: the configuration file is missing/);
    expect(v.output).not.toMatch(/^\s+at /m);
  }, 30_000);

  it('spins without yielding: it is killed at the end, whatever it ignores', async () => {
    const worker = findExercise('queue-worker');
    if (!worker) throw new Error('no queue-worker');
    const v = await verifyExercise(worker, { file: fixture('programs', 'cpu-hang.mjs') });
    expect(failedCheck(v)?.id).toBe('connects');
  }, 30_000);

  it('TypeScript that does not parse: the verdict shows esbuild\'s message', async () => {
    // Its own directory, removed by this test only: the tests here run concurrently.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-exercise-'));
    const file = path.join(dir, 'broken.mts');
    fs.writeFileSync(file, 'const x: number = ;\n');
    const worker = findExercise('queue-worker');
    if (!worker) throw new Error('no queue-worker');
    const v = await verifyExercise(worker, { file }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    expect(failedCheck(v)?.seen).toMatch(/exited with code 1 before connecting/);
    expect(v.output).toMatch(/Unexpected ";"/);
  }, 30_000);

  it('runs past its time limit: it is killed and its exit says so', async () => {
    const program = LearnerProgram.start({ file: fixture('programs', 'never-connects.mjs'), env: {}, timeLimitMs: 300 });
    const exit = await program.waitForExit(5000);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL', timedOut: true });
    await program.dispose();
  });
});

describe('nothing is left behind', () => {
  it('kills the program and the children it started, though it ignores SIGTERM', async () => {
    const { url, link } = await server();
    const worker = findExercise('queue-worker');
    if (!worker) throw new Error('no queue-worker');
    const v = await verifyExercise(worker, { file: fixture('programs', 'spawns-children.mjs'), url });
    // It connects but never waits in BRPOP.
    expect(failedCheck(v)?.id).toBe('blocks');
    const pids = (await link.text('GET', 'fixture:pids'))?.split(' ').map(Number) ?? [];
    await link.close();
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await gone(pid, 2000)).toBe(true);
  }, 30_000);

  it('when redislings itself is killed with SIGKILL, the program and its children die within seconds', async () => {
    const { url, link } = await server();
    const cli = spawn(process.execPath, [CLI, 'verify', 'queue-worker', fixture('programs', 'spawns-children.mjs'), '--url', url], { stdio: 'ignore' });
    let pids: number[] = [];
    const deadline = Date.now() + 10_000;
    while (pids.length === 0 && Date.now() < deadline) {
      const text = await link.text('GET', 'fixture:pids');
      if (text) pids = text.split(' ').map(Number);
      else await new Promise((r) => setTimeout(r, 50));
    }
    await link.close();
    expect(pids).toHaveLength(2);
    cli.kill('SIGKILL');
    // No exit hook runs: the guard preloaded into the program notices its parent is gone.
    for (const pid of pids) expect(await gone(pid, 3000)).toBe(true);
  }, 30_000);

  it('on Ctrl+C (SIGINT) during a verification, redislings stops the program before exiting', async () => {
    const { url, link } = await server();
    const cli = spawn(process.execPath, [CLI, 'verify', 'queue-worker', fixture('programs', 'spawns-children.mjs'), '--url', url], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    let pids: number[] = [];
    const deadline = Date.now() + 10_000;
    while (pids.length === 0 && Date.now() < deadline) {
      const text = await link.text('GET', 'fixture:pids');
      if (text) pids = text.split(' ').map(Number);
      else await new Promise((r) => setTimeout(r, 50));
    }
    await link.close();
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    // Killed before the exit, not by the guard (which would take up to half a second).
    for (const pid of pids) expect(await gone(pid, 300)).toBe(true);
  }, 30_000);
});

describe('afterwards', () => {
  it('no program is left live', () => {
    expect(livePrograms()).toBe(0);
  });
});
