/**
 * A private redis-server that a test can crash (kill -9) and restart on the same port and
 * directory, for the persistence lesson on real Redis. A restart keeps the persistence settings the
 * server had (appendonly, save, appendfsync), as if they had been written to its config file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ServerProcess } from '../../src/backend/redis.js';
import { respClient } from './resp-client.js';
import { freePort } from './redis-server.js';

const KEPT = ['appendonly', 'save', 'appendfsync'];

export interface ManagedRedis extends ServerProcess {
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startManagedRedis(): Promise<ManagedRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-managed-'));
  let settings: string[] = ['--save', '', '--appendonly', 'no'];
  let child = await launch(port, dir, settings);

  const currentSettings = async (): Promise<string[]> => {
    const c = await respClient(port);
    const out: string[] = [];
    for (const name of KEPT) {
      const r = await c.call('CONFIG', 'GET', name);
      const value = r.kind === 'array' ? r.items[1] : undefined;
      if (value?.kind === 'bulk') out.push(`--${name}`, value.value);
    }
    c.close();
    return out;
  };

  return {
    port,
    dir,
    async crash() {
      settings = await currentSettings();
      await kill(child, 'SIGKILL');
      child = await launch(port, dir, settings);
    },
    async restart() {
      settings = await currentSettings();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const c = await respClient(port);
      void c.call('SHUTDOWN');
      await exited;
      c.close();
      child = await launch(port, dir, settings);
    },
    async wipeFiles() {
      fs.rmSync(path.join(dir, 'dump.rdb'), { force: true });
      fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true, force: true });
    },
    async stop() {
      await kill(child, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string, settings: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no',
    '--logfile', path.join(dir, 'redis.log'), ...settings,
  ], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.end(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  // Listening is not loaded: wait until PING stops answering LOADING.
  for (;;) {
    const c = await respClient(port);
    const r = await c.call('PING');
    c.close();
    if (r.kind !== 'error') return child;
    await new Promise((res) => setTimeout(res, 20));
  }
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
