/**
 * A private redis-server for a test: a free port, a temporary --dir, nothing saved, stopped by pid.
 * Without redis-server on PATH such tests skip with a visible notice, except under CI=true,
 * where they must run.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/backend/free-port.js';

export { freePort };

export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    // Not installed: the caller decides (skip locally, fail under CI).
    return false;
  }
}

/** True when real-Redis tests can run; prints why not, and throws under CI where they must. */
export function realRedisAvailable(what: string): boolean {
  if (hasRedisServer()) return true;
  if (process.env.CI === 'true') throw new Error(`${what}: redis-server and redis-cli must be on PATH under CI`);
  console.warn(`\n*** SKIPPED ${what}: redis-server / redis-cli not on PATH ***\n`);
  return false;
}

export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-redis-'));
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--logfile', path.join(dir, 'redis.log'), ...extraArgs,
  ], { stdio: 'ignore' });
  await waitForPort(port, 5000);
  return {
    port,
    dir,
    process: child,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) {
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
        return;
      }
      child.once('exit', () => {
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGKILL');
    }),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.end(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
