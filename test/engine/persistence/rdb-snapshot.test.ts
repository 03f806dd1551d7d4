/**
 * SAVE, BGSAVE, LASTSAVE, the save rules and INFO persistence's rdb_* fields, with the replies
 * redis-server 7.0.15 gives (taken from redis-cli: "Background saving started", "ERR Background
 * save already in progress", "ERR syntax error" for BGSAVE foo, rdb_saves counting SAVE and
 * BGSAVE alike).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/engine/clock.js';
import { Engine } from '../../../src/engine/engine.js';
import { infoText } from '../../../src/engine/info.js';
import { loadRdb } from '../../../src/engine/persistence/rdb.js';
import { snapshotCron, waitForBgsave } from '../../../src/engine/persistence/snapshot.js';
import { onShutdown } from '../../../src/engine/shutdown.js';
import type { Client } from '../../../src/engine/client.js';

let dir: string;
let clock: ManualClock;
let engine: Engine;
let c: Client;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-snap-'));
  clock = new ManualClock(1_700_000_000_000);
  engine = new Engine({ activeExpiry: false, clock, dir });
  c = engine.connect();
});
afterEach(async () => {
  await waitForBgsave(engine);
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = async (...argv: string[]) => c.execute(argv);

/**
 * A write, counted in engine.dirty. The handlers raise engine.dirty themselves (one change per
 * key written here, as Redis counts them); where a build's handlers do not count yet, the write
 * is counted here, so these tests show the snapshot logic either way.
 */
async function write(...argv: string[]) {
  const before = engine.dirty;
  const reply = await c.execute(argv);
  if (engine.dirty === before && reply.kind !== 'error') engine.dirty++;
  return reply;
}

function info(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of infoText(engine, ['persistence']).split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

function dumpKeys(file = path.join(dir, 'dump.rdb')): string[] {
  const e = new Engine({ activeExpiry: false, clock: new ManualClock(clock.now()) });
  loadRdb(e, fs.readFileSync(file), file);
  const keys = [...e.databases[0]!.dict.keys()].sort();
  e.close();
  return keys;
}

describe('SAVE and LASTSAVE', () => {
  it('writes dump.rdb in dir, resets the change count and moves LASTSAVE', async () => {
    expect(await run('LASTSAVE')).toEqual({ kind: 'integer', value: 1_700_000_000 });
    await write('SET', 'a', '1');
    await write('SADD', 's', 'x', 'y', 'z');
    expect(info().rdb_changes_since_last_save).toBe(String(engine.dirty));
    expect(engine.dirty).toBeGreaterThan(0);
    clock.advance(5000);
    expect(await run('SAVE')).toEqual({ kind: 'simple', value: 'OK' });
    expect(dumpKeys()).toEqual(['a', 's']);
    expect(await run('LASTSAVE')).toEqual({ kind: 'integer', value: 1_700_000_005 });
    expect(info()).toMatchObject({ rdb_changes_since_last_save: '0', rdb_saves: '1', rdb_last_save_time: '1700000005' });
    // No temp file is left behind.
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
  });

  it('honours dbfilename', async () => {
    engine.config.setStartup('dbfilename', 'snap.rdb');
    await write('SET', 'k', 'v');
    await run('SAVE');
    expect(dumpKeys(path.join(dir, 'snap.rdb'))).toEqual(['k']);
  });

  it('answers ERR when the file cannot be written, and keeps the change count', async () => {
    engine.config.setStartup('dir', path.join(dir, 'missing'));
    await write('SET', 'a', '1');
    expect(await run('SAVE')).toEqual({ kind: 'error', message: 'ERR' });
    expect(info().rdb_changes_since_last_save).toBe('1');
  });

  it('checks arity and options as Redis does', async () => {
    expect(await run('SAVE', 'x')).toEqual({ kind: 'error', message: "ERR wrong number of arguments for 'save' command" });
    expect(await run('LASTSAVE', 'x')).toEqual({ kind: 'error', message: "ERR wrong number of arguments for 'lastsave' command" });
    expect(await run('BGSAVE', 'foo')).toEqual({ kind: 'error', message: 'ERR syntax error' });
    expect(await run('BGSAVE', 'SCHEDULE', 'x')).toEqual({ kind: 'error', message: 'ERR syntax error' });
  });
});

describe('BGSAVE', () => {
  it('snapshots the instant it is called, while writes go on', async () => {
    await write('SET', 'before', '1');
    expect(await run('BGSAVE')).toEqual({ kind: 'simple', value: 'Background saving started' });
    expect(info().rdb_bgsave_in_progress).toBe('1');
    // Writes after BGSAVE are not in the snapshot.
    await write('SET', 'after', '2');
    await write('DEL', 'before');
    expect(await run('BGSAVE')).toEqual({ kind: 'error', message: 'ERR Background save already in progress' });
    expect(await run('SAVE')).toEqual({ kind: 'error', message: 'ERR Background save already in progress' });
    await waitForBgsave(engine);
    expect(dumpKeys()).toEqual(['before']);
    const i = info();
    expect(i).toMatchObject({ rdb_bgsave_in_progress: '0', rdb_last_bgsave_status: 'ok', rdb_saves: '1', rdb_last_bgsave_time_sec: '0' });
    // The two changes made while it was writing are still unsaved.
    expect(i.rdb_changes_since_last_save).toBe('2');
  });

  it('inside MULTI it is scheduled, and the cron starts it', async () => {
    await write('SET', 'k', 'v');
    await run('MULTI');
    await run('BGSAVE');
    expect(await run('EXEC')).toEqual({ kind: 'array', items: [{ kind: 'simple', value: 'Background saving scheduled' }] });
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(false);
    snapshotCron(engine);
    await waitForBgsave(engine);
    expect(dumpKeys()).toEqual(['k']);
  });

  it('a failed BGSAVE reports err, and the rules retry only after 5 seconds', async () => {
    engine.config.setStartup('dir', path.join(dir, 'missing'));
    engine.config.set([['save', '1 1']]);
    await write('SET', 'a', '1');
    clock.advance(2000);
    expect(await run('BGSAVE')).toEqual({ kind: 'simple', value: 'Background saving started' });
    await waitForBgsave(engine);
    expect(info().rdb_last_bgsave_status).toBe('err');
    engine.config.setStartup('dir', dir);
    clock.advance(3000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('0');
    clock.advance(3000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('1');
    await waitForBgsave(engine);
    expect(info().rdb_last_bgsave_status).toBe('ok');
    expect(dumpKeys()).toEqual(['a']);
  });
});

describe('stop-writes-on-bgsave-error', () => {
  // redis-server 7.0.15, its dir removed, then SET a 1, BGSAVE: PING and SET answer MISCONF, GET
  // works, MULTI SET EXEC answers MISCONF for SET and EXECABORT for EXEC, and a SAVE that works
  // lifts it.
  const MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

  it('refuses writes and PING after a failed BGSAVE, until a save succeeds', async () => {
    engine.config.setStartup('dir', path.join(dir, 'missing'));
    await write('SET', 'a', '1');
    await run('BGSAVE');
    await waitForBgsave(engine);
    expect(await run('PING')).toEqual({ kind: 'error', message: MISCONF });
    expect(await run('SET', 'b', '1')).toEqual({ kind: 'error', message: MISCONF });
    expect(await run('GET', 'a')).toEqual({ kind: 'bulk', value: '1' });
    expect(await run('MULTI')).toEqual({ kind: 'simple', value: 'OK' });
    expect(await run('SET', 'b', '1')).toEqual({ kind: 'error', message: MISCONF });
    expect(await run('EXEC')).toEqual({ kind: 'error', message: 'EXECABORT Transaction discarded because of previous errors.' });
    engine.config.set([['stop-writes-on-bgsave-error', 'no']]);
    expect(await run('PING')).toEqual({ kind: 'simple', value: 'PONG' });
    engine.config.set([['stop-writes-on-bgsave-error', 'yes']]);
    engine.config.setStartup('dir', dir);
    expect(await run('SAVE')).toEqual({ kind: 'simple', value: 'OK' });
    expect(await run('SET', 'b', '1')).toEqual({ kind: 'simple', value: 'OK' });
  });
});

describe('save rules', () => {
  it('save 900 1: a BGSAVE once 900 seconds have passed with at least one change', async () => {
    engine.config.set([['save', '900 1']]);
    snapshotCron(engine);
    clock.advance(1_000_000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('0'); // no change, no save
    await write('SET', 'k', 'v');
    snapshotCron(engine);
    await waitForBgsave(engine);
    expect(dumpKeys()).toEqual(['k']);
    expect(info().rdb_changes_since_last_save).toBe('0');
    await write('SET', 'k2', 'v');
    clock.advance(900_000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('0'); // not more than 900 s yet
    clock.advance(1000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('1');
    await waitForBgsave(engine);
    expect(dumpKeys()).toEqual(['k', 'k2']);
  });

  it('the Redis 7 defaults: 3600 1, 300 100, 60 10000', async () => {
    expect(engine.config.get('save')).toBe('3600 1 300 100 60 10000');
    for (let i = 0; i < 100; i++) await write('SET', `k${i}`, 'v');
    clock.advance(300_000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('0');
    clock.advance(1000);
    snapshotCron(engine);
    expect(info().rdb_bgsave_in_progress).toBe('1');
  });
});

describe('SHUTDOWN', () => {
  it('saves a final snapshot when save rules exist, not with NOSAVE, always with SAVE', async () => {
    let stopped = 0;
    onShutdown(engine, () => stopped++);
    await write('SET', 'k', 'v');
    await run('SHUTDOWN', 'NOSAVE');
    expect(stopped).toBe(1);
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(false);
    await run('SHUTDOWN');
    expect(stopped).toBe(2);
    expect(dumpKeys()).toEqual(['k']);
    fs.rmSync(path.join(dir, 'dump.rdb'));
    engine.config.set([['save', '']]);
    await run('SHUTDOWN');
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(false);
    await run('SHUTDOWN', 'SAVE');
    expect(dumpKeys()).toEqual(['k']);
  });

  it('does not stop when the final snapshot fails, unless FORCE', async () => {
    let stopped = 0;
    onShutdown(engine, () => stopped++);
    engine.config.setStartup('dir', path.join(dir, 'missing'));
    expect(await run('SHUTDOWN')).toEqual({ kind: 'error', message: 'ERR Errors trying to SHUTDOWN. Check logs.' });
    expect(stopped).toBe(0);
    await run('SHUTDOWN', 'FORCE');
    expect(stopped).toBe(1);
  });
});
