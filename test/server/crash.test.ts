/**
 * kill -9 of `redislings server` (dist/cli.js: build first) in the middle of a stream of writes,
 * then a restart on the same data directory, 20 trials each:
 * - appendfsync always: every acknowledged write is there (and nothing that was never sent);
 * - appendfsync everysec: what is missing was acknowledged in the last 2 seconds at most;
 * - RDB only: exactly the writes after the last snapshot are gone (predicted, then checked).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseReply } from '../../src/resp/decode.js';
import type { Reply } from '../../src/resp/reply.js';
import { command, rawSocket, spawnServer, type RawSocket, type ServerProcess } from './helpers.js';

const TRIALS = 20;
const running: ServerProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function server(dir: string, args: string[]): Promise<ServerProcess> {
  const s = await spawnServer(['--dir', dir, ...args]);
  running.push(s);
  return s;
}

async function kill9(s: ServerProcess): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

/** A connection that sends commands and hands back replies in order. */
class Conn {
  private buffer = '';
  private readonly waiting: ((r: Reply) => void)[] = [];

  private constructor(readonly raw: RawSocket) {
    raw.socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1');
      let at = 0;
      for (let parsed = parseReply(this.buffer, at); parsed; parsed = parseReply(this.buffer, at)) {
        at = parsed.end;
        this.waiting.shift()?.(parsed.reply);
      }
      this.buffer = this.buffer.slice(at);
    });
  }

  static async open(port: number): Promise<Conn> {
    return new Conn(await rawSocket(port));
  }

  call(...argv: string[]): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.raw.send(command(...argv));
    });
  }

  close(): void {
    this.raw.socket.destroy();
  }
}

interface Stream {
  /** Index → the time its reply came (only acknowledged writes). */
  readonly acked: Map<number, number>;
  /** How many writes were sent. */
  sent: number;
  stop(): void;
  readonly done: Promise<void>;
}

/** Writes `SET k<i> <i>` without pause, up to `window` unanswered at a time, until stopped or the server dies. */
function writeStream(conn: Conn, window: number): Stream {
  const stream: Stream = { acked: new Map(), sent: 0, stop: () => { stopped = true; }, done: Promise.resolve() };
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && !conn.raw.isClosed()) {
      const i = stream.sent++;
      const reply = await Promise.race([conn.call('SET', `k${i}`, String(i)), conn.raw.closed.then(() => undefined)]);
      if (reply === undefined) return;
      expect(reply).toEqual({ kind: 'simple', value: 'OK' });
      stream.acked.set(i, Date.now());
    }
  };
  (stream as { done: Promise<void> }).done = Promise.all(Array.from({ length: window }, lane)).then(() => undefined);
  return stream;
}

/** The indexes of the k<i> keys present after the restart, each checked to hold its own value. */
async function keysAfterRestart(dir: string, args: string[]): Promise<Set<number>> {
  const s = await server(dir, args);
  const conn = await Conn.open(s.port);
  const keys = await conn.call('KEYS', 'k*');
  const present = new Set<number>();
  if (keys.kind !== 'array') throw new Error(`KEYS answered ${keys.kind}`);
  const names = keys.items.map((item) => (item as { value: string }).value);
  // Pipelined: all the GETs at once.
  const values = await Promise.all(names.map((key) => conn.call('GET', key)));
  names.forEach((key, i) => {
    expect(values[i]).toEqual({ kind: 'bulk', value: key.slice(1) });
    present.add(Number(key.slice(1)));
  });
  conn.close();
  await kill9(s);
  return present;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-crash-'));
  dirs.push(d);
  return d;
}

describe('kill -9 and restart (dist/cli.js server)', () => {
  it(`appendfsync always: every acknowledged write survives, ${TRIALS} trials`, async () => {
    const args = ['--appendonly', 'yes', '--appendfsync', 'always'];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = tempDir();
      const s = await server(dir, args);
      const conn = await Conn.open(s.port);
      const stream = writeStream(conn, 1 + (trial % 8));
      await sleep(80 + Math.random() * 300);
      await kill9(s);
      await stream.done;
      expect(stream.acked.size).toBeGreaterThan(0);
      const present = await keysAfterRestart(dir, args);
      for (const i of stream.acked.keys()) expect(present.has(i), `acknowledged k${i} lost in trial ${trial}`).toBe(true);
      for (const i of present) expect(i).toBeLessThan(stream.sent);
    }
  }, 180_000);

  it(`appendfsync everysec: at most the last 2 seconds are lost, ${TRIALS} trials`, async () => {
    const args = ['--appendonly', 'yes', '--appendfsync', 'everysec'];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = tempDir();
      const s = await server(dir, args);
      const conn = await Conn.open(s.port);
      const stream = writeStream(conn, 4);
      await sleep(150 + Math.random() * 500);
      const killedAt = Date.now();
      await kill9(s);
      await stream.done;
      const present = await keysAfterRestart(dir, args);
      for (const [i, at] of stream.acked) {
        if (!present.has(i)) expect(killedAt - at, `k${i} lost though acknowledged ${killedAt - at} ms before the kill`).toBeLessThanOrEqual(2000);
      }
      for (const i of present) expect(i).toBeLessThan(stream.sent);
    }
  }, 180_000);

  it(`RDB only: exactly the writes after the last snapshot are lost, ${TRIALS} trials`, async () => {
    const args = ['--appendonly', 'no', '--save', ''];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = tempDir();
      const s = await server(dir, args);
      const conn = await Conn.open(s.port);
      const observer = await Conn.open(s.port);
      // Writes one at a time; a snapshot at random moments (SAVE or BGSAVE, in the same
      // connection, so the snapshot holds exactly the writes before it).
      let written = 0;
      let lastSnapshot = -1;
      const snapshots = 1 + (trial % 3);
      for (let n = 0; n < snapshots; n++) {
        const until = written + 20 + Math.floor(Math.random() * 200);
        for (; written < until; written++) expect(await conn.call('SET', `k${written}`, String(written))).toEqual({ kind: 'simple', value: 'OK' });
        const reply = await conn.call(n % 2 ? 'SAVE' : 'BGSAVE');
        expect(reply.kind).toBe('simple');
        lastSnapshot = written;
        // The BGSAVE reaches the disk before anything else (else the snapshot before it counts).
        for (let i = 0; i < 500; i++) {
          const info = await observer.call('INFO', 'persistence');
          if (info.kind === 'bulk' && info.value.includes('rdb_bgsave_in_progress:0')) break;
          await sleep(10);
        }
      }
      const stream = writeStream(conn, 1 + (trial % 4));
      (stream as { sent: number }).sent = written;
      await sleep(50 + Math.random() * 200);
      await kill9(s);
      await stream.done;
      expect(stream.sent).toBeGreaterThan(lastSnapshot);
      const present = await keysAfterRestart(dir, args);
      const predicted = new Set(Array.from({ length: lastSnapshot }, (_, i) => i));
      expect(present).toEqual(predicted);
    }
  }, 180_000);
});
