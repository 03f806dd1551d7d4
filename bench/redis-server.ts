/** A private redis-server for a benchmark: free port, temporary dir, nothing saved. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface BenchServer {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(command = 'redis-server', args: string[] = []): Promise<BenchServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-bench-'));
  const child = spawn(command, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...args,
  ], { stdio: 'ignore' });
  for (let i = 0; i < 250; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.end(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    child,
    stop() {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs redis-cli against the port and returns stdout. */
export function cli(port: number, args: string[], input?: Buffer): string {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`redis-cli failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

export function usedMemory(port: number): number {
  const info = cli(port, ['INFO', 'memory']);
  const m = /used_memory:(\d+)/.exec(info);
  if (!m) throw new Error('no used_memory in INFO');
  return Number(m[1]);
}
