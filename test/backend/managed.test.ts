/**
 * Managed mode (--engine redis-server) leaves no redis-server behind, however the app ends: a
 * normal exit (backend.close()), an uncaught error and process.exit (the exit hook), and the
 * signals — Ctrl+C (SIGINT to the terminal's process group), SIGTERM, SIGKILL — after which the
 * watchdog stops the server by itself. The app is
 * test/backend/fixtures/managed-app.mjs, on the built code (dist/).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { realRedisAvailable } from '../helpers/redis-server.js';

const available = realRedisAvailable('managed redis-server lifecycle');
const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/managed-app.mjs');

/** Alive and not a zombie (PID 1 here does not always reap orphans; a zombie holds nothing). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

interface Started {
  readonly app: ReturnType<typeof spawn>;
  readonly pid: number;
  readonly dir: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startApp(mode: string): Promise<Started> {
  // Its own process group, as a terminal gives the program it runs: a signal to the group is
  // what Ctrl+C sends.
  const app = spawn(process.execPath, [APP, mode], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    app.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let out = '';
  let err = '';
  app.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const line = await new Promise<string>((resolve, reject) => {
    app.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    void exited.then(() => reject(new Error(`the app ended before starting its server: ${err}`)));
  });
  const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
  expect(alive(pid)).toBe(true);
  expect(fs.existsSync(dir)).toBe(true);
  return { app, pid, dir, exited };
}

/** Milliseconds until the server is gone and its directory removed (fails after `limitMs`). */
async function goneWithin(pid: number, dir: string, limitMs: number): Promise<number> {
  const start = Date.now();
  while (alive(pid) || fs.existsSync(dir)) {
    if (Date.now() - start > limitMs) throw new Error(`redis-server ${pid} still ${alive(pid) ? 'running' : 'gone, but its directory remains'} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

describe.skipIf(!available)('managed redis-server: no orphan', () => {
  it('normal exit: backend.close() stops the server and removes its directory', async () => {
    const { pid, dir, exited } = await startApp('close');
    expect(await exited).toEqual({ code: 0, signal: null });
    // Stopped before the app exited, not by the watchdog afterwards.
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
  }, 20_000);

  it('Ctrl+C (SIGINT to the process group): the app ends as SIGINT says, the server goes a moment later', async () => {
    const { app, pid, dir, exited } = await startApp('wait');
    process.kill(-(app.pid as number), 'SIGINT');
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    const ms = await goneWithin(pid, dir, 1000);
    console.log(`redis-server gone ${ms} ms after Ctrl+C`);
  }, 20_000);

  it('SIGTERM: the same', async () => {
    const { app, pid, dir, exited } = await startApp('wait');
    app.kill('SIGTERM');
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    await goneWithin(pid, dir, 1000);
  }, 20_000);

  it('SIGTERM with signal-exit installed (as Ink does): its handler runs, the app ends, the server goes', async () => {
    const { app, pid, dir, exited } = await startApp('wait-signal-exit');
    let out = '';
    app.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    app.kill('SIGTERM');
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(out).toBe('signal-exit ran\n');
    await goneWithin(pid, dir, 1000);
  }, 20_000);

  it('an uncaught error in the app stops the server', async () => {
    const { pid, dir, exited } = await startApp('throw');
    expect((await exited).code).toBe(1);
    await goneWithin(pid, dir, 1000);
  }, 20_000);

  it('process.exit() without closing stops the server', async () => {
    const { pid, dir, exited } = await startApp('exit');
    expect((await exited).code).toBe(3);
    await goneWithin(pid, dir, 1000);
  }, 20_000);

  it('SIGKILL of the app: the watchdog stops the server within a few seconds', async () => {
    const { app, pid, dir, exited } = await startApp('wait');
    app.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The app could do nothing: the server outlived it, for the moment the watchdog needs.
    const ms = await goneWithin(pid, dir, 3000);
    console.log(`redis-server gone ${ms} ms after SIGKILL of the app`);
  }, 20_000);
});
