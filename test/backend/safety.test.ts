/**
 * The safety acceptance test of real Redis mode. A server holds 10,000 keys of every type (strings,
 * bitmaps, HyperLogLogs, lists, hashes, sets, sorted sets, geo sets, streams; small and large
 * encodings) spread over databases 0–14, a TTL of an hour on some. The whole curriculum runs its
 * selftest in database 15, as `redislings selftest --url` would. Afterwards every key of
 * databases 0–14 dumps byte for byte as before (DUMP) and no TTL moved by more than the time that
 * passed; and a FLUSHALL typed in a lesson, answered or forced through, leaves them intact too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { LessonRun } from '../../src/lessons/runner.js';
import { selftestLesson } from '../../src/lessons/selftest.js';
import { validateDirectory } from '../../src/lessons/validate.js';
import { error, OK } from '../../src/resp/reply.js';
import { prng } from '../helpers/prng.js';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';

const available = realRedisAvailable('safety of real Redis mode');
const KEYS = 10_000;
const OTHER_DBS = 15;

interface Entry { readonly dump: Buffer; readonly pttl: number }
type Snapshot = Map<number, Map<string, Entry>>;

/** Every key of databases 0–14: its DUMP and PTTL, read in one pipeline per database. */
async function snapshot(redis: Redis): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (let db = 0; db < OTHER_DBS; db++) {
    await redis.select(db);
    const keys: Buffer[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scanBuffer(cursor, 'COUNT', 1000);
      cursor = next.toString();
      keys.push(...batch);
    } while (cursor !== '0');
    const pipeline = redis.pipeline();
    for (const k of keys) {
      pipeline.dumpBuffer(k);
      pipeline.pttl(k);
    }
    const replies = (await pipeline.exec()) ?? [];
    const entries = new Map<string, Entry>();
    keys.forEach((k, i) => {
      const [dumpErr, dump] = replies[2 * i] as [Error | null, Buffer];
      const [ttlErr, pttl] = replies[2 * i + 1] as [Error | null, number];
      if (dumpErr || ttlErr) throw dumpErr ?? ttlErr;
      entries.set(k.toString('latin1'), { dump, pttl });
    });
    out.set(db, entries);
  }
  return out;
}

/** 10,000 keys of every type over databases 0–14, a TTL on every seventh. */
async function fill(redis: Redis): Promise<void> {
  const random = prng(7);
  const pipeline = redis.pipeline();
  for (let i = 0; i < KEYS; i++) {
    const db = i % OTHER_DBS;
    pipeline.select(db);
    const key = `app:${i}:${['s', 'b', 'hll', 'l', 'h', 's', 'z', 'g', 'x'][i % 9]}`;
    const big = i % 50 === 0; // now and then an encoding past the small-size thresholds
    const n = big ? 300 : 1 + Math.floor(random() * 8);
    switch (i % 9) {
      case 0: pipeline.set(key, big ? 'v'.repeat(100_000) : `value ${i} \u00e9\u0000\u00ff`); break;
      case 1: pipeline.setbit(key, Math.floor(random() * 10_000), 1); break;
      case 2: pipeline.pfadd(key, ...Array.from({ length: n }, (_, j) => `e${j}`)); break;
      case 3: pipeline.rpush(key, ...Array.from({ length: n }, (_, j) => `item ${j}`)); break;
      case 4: pipeline.hset(key, ...Array.from({ length: n }, (_, j) => [`f${j}`, `${j * random()}`]).flat()); break;
      case 5: pipeline.sadd(key, ...Array.from({ length: n }, (_, j) => (j % 2 ? `m${j}` : String(j)))); break;
      case 6: pipeline.zadd(key, ...Array.from({ length: n }, (_, j) => [String(random() * 100), `m${j}`]).flat()); break;
      case 7: pipeline.geoadd(key, ...Array.from({ length: n }, (_, j) => [String(-170 + 340 * random()), String(-80 + 160 * random()), `p${j}`]).flat()); break;
      default:
        for (let j = 0; j < n; j++) pipeline.xadd(key, `${1 + i}-${j + 1}`, 'field', `v${j}`);
        if (i % 2) pipeline.xgroup('CREATE', key, 'readers', '0');
    }
    if (i % 7 === 0) pipeline.pexpire(key, 3_600_000 + i);
  }
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([e]) => e !== null);
  if (failed) throw failed[0];
}

function compare(before: Snapshot, after: Snapshot, elapsedMs: number): string[] {
  const problems: string[] = [];
  for (const [db, keys] of before) {
    const now = after.get(db) ?? new Map<string, Entry>();
    if (now.size !== keys.size) problems.push(`db ${db}: ${keys.size} keys before, ${now.size} after`);
    for (const [key, was] of keys) {
      const is = now.get(key);
      if (!is) {
        problems.push(`db ${db}: ${key} is gone`);
        continue;
      }
      if (!is.dump.equals(was.dump)) problems.push(`db ${db}: ${key} dumps differently`);
      const moved = was.pttl - is.pttl;
      // PTTL rounds to the millisecond: 1 ms of slack.
      if (was.pttl < 0 ? is.pttl !== was.pttl : moved < 0 || moved > elapsedMs + 1) {
        problems.push(`db ${db}: ${key} PTTL ${was.pttl} → ${is.pttl} in ${elapsedMs} ms`);
      }
    }
  }
  return problems;
}

describe.skipIf(!available)('real Redis mode never changes another database', () => {
  let server: RedisServer;
  let redis: Redis;
  let recordDir: string;
  let before: Snapshot;
  let takenAt: number;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    await redis.connect();
    recordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-safety-'));
    await fill(redis);
    // Before the snapshot starts: the time between two PTTL readings of a key is at most from
    // here to the end of the later snapshot.
    takenAt = Date.now();
    before = await snapshot(redis);
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    fs.rmSync(recordDir, { recursive: true, force: true });
  });

  it('holds 10,000 keys of every type in databases 0–14, some with a TTL', () => {
    const all = [...before.values()].flatMap((m) => [...m.values()]);
    expect(all.length).toBe(KEYS);
    expect(all.filter((e) => e.pttl > 0).length).toBe(Math.ceil(KEYS / 7));
  });

  it('the whole curriculum passes its selftest in database 15, skipping what a shared server lacks; databases 0–14 are untouched', async () => {
    const backend = await RedisServerBackend.open({ port: server.port, recordFile: path.join(recordDir, 'keys.json') });
    const lessons = validateDirectory().lessons;
    const skipped: string[] = [];
    const failures: string[] = [];
    try {
      for (const lesson of lessons) {
        const report = await selftestLesson(lesson, backend, { timeScale: 0.05, settleMs: 25 });
        if (report.skipped) skipped.push(`${lesson.id}: ${report.skipped}`);
        for (const s of report.steps) failures.push(...s.failures.map((f) => `${lesson.id} ${s.step}: ${f}`));
      }
      await backend.reset();
    } finally {
      await backend.close();
    }
    expect(failures).toEqual([]);
    expect(skipped.map((s) => s.split(':')[0]).sort()).toEqual(['json', 'persistence']);
    expect(skipped.join('\n')).toMatch(/persistence: redislings did not start 127\.0\.0\.1:\d+, so it cannot crash and restart it/);
    const after = await snapshot(redis);
    expect(compare(before, after, Date.now() - takenAt)).toEqual([]);
    await redis.select(15);
    expect(await redis.dbsize()).toBe(0);
  }, 300_000);

  it('a FLUSHALL typed in a lesson leaves databases 0–14 intact, whether the learner takes the offer or it is forced through', async () => {
    const backend = await RedisServerBackend.open({ port: server.port, recordFile: path.join(recordDir, 'keys.json') });
    const lesson = validateDirectory().lessons.find((l) => l.id === 'first-steps')!;
    const run = await LessonRun.open(lesson, backend, { atStep: lesson.steps.findIndex((s) => s.id === 'flushall') });
    try {
      const typed = await run.submit(['FLUSHALL']);
      expect(typed.refused?.explanation).toMatch(/^FLUSHALL empties every database of the server, and this one also holds database 0 \(667 keys\), database 1 \(667 keys\),/);
      expect(typed.refused?.offer).toEqual(['FLUSHDB']);
      // Past the app's question, straight to a lesson connection: the server-side check refuses.
      const c = await backend.connect();
      expect(await c.execute(['FLUSHALL'])).toEqual(error("ERR redislings did not run FLUSHALL: database 0 of this shared server holds keys that are not the lesson's (FLUSHDB empties the lesson's database)"));
      await c.close();
      expect((await run.submit(['FLUSHALL'], { runAs: typed.refused!.offer! })).reply).toEqual(OK);
      expect((await run.submit(['DBSIZE'])).verdict.passed).toBe(true);
    } finally {
      await run.close();
      await backend.reset();
      await backend.close();
    }
    const after = await snapshot(redis);
    expect(compare(before, after, Date.now() - takenAt)).toEqual([]);
  }, 60_000);
});
