/**
 * Helpers for server tests: an in-process server on a free port, and a raw socket that sends
 * exact bytes and collects what comes back (to check bytes, closes and protocol errors).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { startServer, type RunningServer } from '../../src/server/server.js';

export async function testServer(options: { requirepass?: string; bind?: string } = {}): Promise<RunningServer> {
  return startServer({ port: 0, engine: new Engine(), ...options });
}

export interface RawSocket {
  readonly socket: net.Socket;
  /** Everything received so far, one char per byte. */
  received(): string;
  send(bytes: string): void;
  /** Waits until what was received contains `text` (or ends with it), failing after a while. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

export function rawSocket(port: number, host = '127.0.0.1'): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let data = '';
    let closed = false;
    const listeners = new Set<() => void>();
    socket.on('data', (d) => {
      data += d.toString('latin1');
      for (const l of listeners) l();
    });
    const closedPromise = new Promise<void>((done) => socket.on('close', () => {
      closed = true;
      done();
      for (const l of listeners) l();
    }));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({
      socket,
      received: () => data,
      send: (bytes) => socket.write(Buffer.from(bytes, 'latin1')),
      closed: closedPromise,
      isClosed: () => closed,
      waitFor: (text, timeoutMs = 3000) => new Promise((done, fail) => {
        const check = () => {
          if (data.includes(text)) {
            listeners.delete(check);
            clearTimeout(timer);
            done(data);
          } else if (closed) {
            listeners.delete(check);
            clearTimeout(timer);
            fail(new Error(`closed before ${JSON.stringify(text)}; got ${JSON.stringify(data)}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          fail(new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(data)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    }));
    socket.once('error', reject);
  });
}

/** A RESP multibulk request. */
export function command(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
}

/** The command as it ships (package.json's bin: the esbuild bundle). */
export const CLI = path.resolve('dist/redislings.js');

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
  readonly exited: Promise<number | null>;
}

/** `redislings server --port 0 …` as a process (dist/cli.js: build first), once it is ready. */
export function spawnServer(args: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'server', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 10000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /port=(\d+)\./.exec(out);
      if (port && out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve({ child, port: Number(port[1]), output: () => out, exited });
      }
    });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
}
