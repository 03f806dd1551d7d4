/**
 * bench/persistence-rdb: loading an RDB of 1,000,000 keys (small strings and small hashes, some
 * with expiries), ours against redis-server on the same file. The file is written by redis-server
 * itself (filled with redis-cli --pipe, then SAVE). Redis' time is from starting redis-server
 * with that file to its log saying "DB loaded from disk" (and the load time it logs); ours is
 * reading the file and loadRdb into a fresh engine. Target: within 3x. Run: npm run bench:persistence-rdb
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../src/engine/index.js';
import { encode } from '../src/resp/encode.js';
import { loadRdb } from '../src/engine/persistence/rdb.js';
import { cli, startServer } from './redis-server.js';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
/** One key in this many is a hash (3 fields); the rest are strings. One in ten has an expiry. */
const HASH_EVERY = 4;

function command(argv: string[]): string {
  return encode({ kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) }, 2);
}

/** Fills a redis-server and has it write dump.rdb; returns the file's path (in its own directory). */
async function redisDump(): Promise<string> {
  const server = await startServer();
  try {
    let chunk: string[] = [];
    const flush = () => {
      cli(server.port, ['--pipe'], Buffer.from(chunk.join(''), 'latin1'));
      chunk = [];
    };
    for (let i = 0; i < KEYS; i++) {
      if (i % HASH_EVERY === 0) chunk.push(command(['HSET', `hash:${i}`, 'name', `user${i}`, 'age', String(i % 90), 'city', 'Paris']));
      else chunk.push(command(['SET', `key:${i}`, `value:${i}`]));
      if (i % 10 === 0) chunk.push(command(['PEXPIRE', i % HASH_EVERY === 0 ? `hash:${i}` : `key:${i}`, '86400000']));
      if (chunk.length >= 100_000) flush();
    }
    flush();
    const dbsize = cli(server.port, ['DBSIZE']).trim();
    if (dbsize !== String(KEYS)) throw new Error(`redis-server holds ${dbsize} keys, expected ${KEYS}`);
    cli(server.port, ['SAVE']);
    const dir = cli(server.port, ['CONFIG', 'GET', 'dir']).split('\n')[1]?.trim() ?? '';
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-rdb-bench-'));
    fs.copyFileSync(path.join(dir, 'dump.rdb'), path.join(out, 'dump.rdb'));
    return path.join(out, 'dump.rdb');
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

/** Starts redis-server on the file's directory; ms until its log says the data is loaded, and the load time it logs. */
async function redisLoad(file: string): Promise<{ wallMs: number; loggedMs: number }> {
  const dir = path.dirname(file);
  const log = path.join(dir, 'redis.log');
  fs.rmSync(log, { force: true });
  const port = await freePort();
  const started = performance.now();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', log], { stdio: 'ignore' });
  try {
    for (;;) {
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      const m = /DB loaded from disk: ([0-9.]+) seconds/.exec(text);
      if (m) return { wallMs: performance.now() - started, loggedMs: Number(m[1]) * 1000 };
      if (/Fatal|Bad file format|Short read/i.test(text)) throw new Error(`redis-server failed to load:\n${text}`);
      if (performance.now() - started > 120_000) throw new Error('redis-server did not load the file in 2 minutes');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

function oursLoad(file: string): { ms: number; keys: number } {
  const started = performance.now();
  const engine = new Engine({ activeExpiry: false });
  const result = loadRdb(engine, fs.readFileSync(file), file);
  const ms = performance.now() - started;
  engine.close();
  return { ms, keys: result.keysLoaded };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const file = await redisDump();
const size = fs.statSync(file).size;
console.log(`RDB of ${KEYS.toLocaleString('en-US')} keys written by redis-server: ${(size / 1e6).toFixed(1)} MB`);
const theirs: { wallMs: number; loggedMs: number }[] = [];
const ours: number[] = [];
for (let run = 0; run < 3; run++) {
  theirs.push(await redisLoad(file));
  const r = oursLoad(file);
  if (r.keys !== KEYS) throw new Error(`our engine loaded ${r.keys} keys, expected ${KEYS}`);
  ours.push(r.ms);
}
const redisWall = median(theirs.map((t) => t.wallMs));
const redisLogged = median(theirs.map((t) => t.loggedMs));
const oursMs = median(ours);
console.log(`redis-server: ${redisWall.toFixed(0)} ms from start to "DB loaded from disk" (it logs ${redisLogged.toFixed(0)} ms loading)`);
console.log(`redislings:   ${oursMs.toFixed(0)} ms to read the file and load it`);
console.log(`ratio:        ${(oursMs / redisWall).toFixed(2)}x redis-server's start-to-loaded (${(oursMs / redisLogged).toFixed(2)}x its logged load time); target within 3x`);
fs.rmSync(path.dirname(file), { recursive: true, force: true });
