/**
 * bench/persistence-aof: loading an AOF of 1,000,000 writes (SET, INCR, HSET, RPUSH, SADD, ZADD
 * and EXPIRE, which the file holds as PEXPIREAT), ours against redis-server on the same files.
 * The append-only directory is written by redis-server itself (appendonly yes, filled with
 * redis-cli --pipe): an empty RDB base and one incremental file of RESP commands. Redis' time is
 * from starting redis-server on a copy of that directory to its log saying "DB loaded from append
 * only file" (and the load time it logs); ours is a new Engine on another copy, from the
 * constructor to its return (the same log line gives its load time). Target: within 3x.
 * Run: npm run bench:persistence-aof
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/index.js';
import { encode } from '../src/resp/encode.js';
import { cli, startServer } from './redis-server.js';

const WRITES = Number(process.env.BENCH_WRITES ?? 1_000_000);

function command(argv: string[]): string {
  return encode({ kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) }, 2);
}

/** The i-th write of the mix. */
function write(i: number): string[] {
  switch (i % 20) {
    case 0: case 1: return ['INCR', `counter:${i % 1000}`];
    case 2: case 3: return ['HSET', `user:${i % 50_000}`, 'name', `user${i}`, 'visits', String(i % 97)];
    case 4: case 5: return ['RPUSH', `list:${i % 1000}`, `item:${i}`];
    case 6: return ['SADD', `set:${i % 1000}`, String(i)];
    case 7: return ['ZADD', `board:${i % 100}`, String(i % 10_007), `player:${i % 5000}`];
    case 8: return ['EXPIRE', `key:${i - 8}`, '86400'];
    default: return ['SET', `key:${i}`, `value:${i}`];
  }
}

/** Has redis-server write the AOF of the writes; returns a directory holding its appendonlydir. */
async function redisAof(): Promise<string> {
  const server = await startServer('redis-server', ['--appendonly', 'yes', '--appendfsync', 'no']);
  try {
    let chunk: string[] = [];
    const flush = () => {
      cli(server.port, ['--pipe'], Buffer.from(chunk.join(''), 'latin1'));
      chunk = [];
    };
    for (let i = 0; i < WRITES; i++) {
      chunk.push(command(write(i)));
      if (chunk.length >= 100_000) flush();
    }
    flush();
    const dir = cli(server.port, ['CONFIG', 'GET', 'dir']).split('\n')[1]?.trim() ?? '';
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-aof-bench-'));
    fs.cpSync(path.join(dir, 'appendonlydir'), path.join(out, 'appendonlydir'), { recursive: true });
    return out;
  } finally {
    server.stop();
  }
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

/** A fresh copy of the append-only directory for one run (loading may touch the files). */
function copyOf(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-aof-run-'));
  fs.cpSync(path.join(source, 'appendonlydir'), path.join(dir, 'appendonlydir'), { recursive: true });
  return dir;
}

/** Starts redis-server on a copy; ms until its log says the AOF is loaded, the load time it logs, and its key count. */
async function redisLoad(source: string): Promise<{ wallMs: number; loggedMs: number; keys: number }> {
  const dir = copyOf(source);
  const log = path.join(dir, 'redis.log');
  const port = await freePort();
  const started = performance.now();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--logfile', log], { stdio: 'ignore' });
  try {
    for (;;) {
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      const m = /DB loaded from append only file: ([0-9.]+) seconds/.exec(text);
      if (m) {
        const wallMs = performance.now() - started;
        for (let i = 0; i < 200 && !/Ready to accept/.test(fs.readFileSync(log, 'utf8')); i++) await new Promise((r) => setTimeout(r, 5));
        const keys = Number(cli(port, ['DBSIZE']).trim());
        return { wallMs, loggedMs: Number(m[1]) * 1000, keys };
      }
      if (/Fatal|Bad file format|Unexpected end of file/i.test(text)) throw new Error(`redis-server failed to load:\n${text}`);
      if (performance.now() - started > 120_000) throw new Error('redis-server did not load the AOF in 2 minutes');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function oursLoad(source: string): { wallMs: number; loggedMs: number; keys: number } {
  const dir = copyOf(source);
  let loggedMs = NaN;
  const log = (_level: string, message: string) => {
    const m = /DB loaded from append only file: ([0-9.]+) seconds/.exec(message);
    if (m) loggedMs = Number(m[1]) * 1000;
  };
  const started = performance.now();
  const engine = new Engine({ dir, activeExpiry: false, config: [['appendonly', 'yes']], log });
  const wallMs = performance.now() - started;
  const keys = engine.databases[0]?.size ?? 0;
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { wallMs, loggedMs, keys };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const source = await redisAof();
const files = fs.readdirSync(path.join(source, 'appendonlydir'));
const size = files.reduce((sum, f) => sum + fs.statSync(path.join(source, 'appendonlydir', f)).size, 0);
console.log(`AOF of ${WRITES.toLocaleString('en-US')} writes written by redis-server: ${(size / 1e6).toFixed(1)} MB (${files.sort().join(', ')})`);
const theirs: { wallMs: number; loggedMs: number }[] = [];
const ours: { wallMs: number; loggedMs: number }[] = [];
for (let run = 0; run < 3; run++) {
  const t = await redisLoad(source);
  const o = oursLoad(source);
  if (o.keys !== t.keys) throw new Error(`our engine holds ${o.keys} keys after loading, redis-server ${t.keys}`);
  theirs.push(t);
  ours.push(o);
}
const redisWall = median(theirs.map((t) => t.wallMs));
const redisLogged = median(theirs.map((t) => t.loggedMs));
const oursWall = median(ours.map((o) => o.wallMs));
const oursLogged = median(ours.map((o) => o.loggedMs));
console.log(`redis-server: ${redisWall.toFixed(0)} ms from start to "DB loaded from append only file" (it logs ${redisLogged.toFixed(0)} ms loading)`);
console.log(`redislings:   ${oursWall.toFixed(0)} ms from new Engine() to its return (it logs ${oursLogged.toFixed(0)} ms loading)`);
console.log(`ratio:        ${(oursWall / redisWall).toFixed(2)}x redis-server's start-to-loaded (${(oursLogged / redisLogged).toFixed(2)}x its logged load time); target within 3x`);
fs.rmSync(source, { recursive: true, force: true });
