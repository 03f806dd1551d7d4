/**
 * The AOF on disk: what is appended, replayed on start (every type, key by key), rewritten by
 * BGREWRITEAOF and the automatic rewrite, turned on and off at runtime, a file cut inside its last
 * command (dropped with a warning, or refused with aof-load-truncated no), a damaged byte (a
 * clear error naming the file and the offset, and nothing loaded), and a crash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/engine/clock.js';
import { Engine, type EngineOptions } from '../../../src/engine/engine.js';
import { infoText } from '../../../src/engine/info.js';
import { aofOf, waitForAofRewrite } from '../../../src/engine/persistence/aof.js';
import { AofReader } from '../../../src/engine/persistence/aof-format.js';
import { checkAof } from '../../../src/engine/persistence/check-aof.js';
import { PersistenceError } from '../../../src/engine/persistence/startup.js';
import { describeKeyspace } from './keyspace-dump.js';
import { fillEveryType } from './fill.js';

const ALL_DBS = Array.from({ length: 16 }, (_, i) => i);
const NOW = 1_760_000_000_000;

let dir: string;
const engines: Engine[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-aof-'));
});
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An engine on `dir` with appendonly yes (and more parameters), its log kept. */
function open(config: [string, string][] = [], options: EngineOptions = {}): { engine: Engine; log: string[] } {
  const log: string[] = [];
  const engine = new Engine({
    dir, activeExpiry: false, clock: new ManualClock(NOW), config: [['appendonly', 'yes'], ...config],
    log: (level, message) => log.push(`${level} ${message}`), ...options,
  });
  engines.push(engine);
  return { engine, log };
}

async function run(engine: Engine, ...argv: string[]) {
  return engine.connect().execute(argv);
}

function aofFile(name: string): string {
  return path.join(dir, 'appendonlydir', name);
}

function commandsOf(file: string): string[][] {
  const reader = new AofReader(fs.readFileSync(file));
  const out: string[][] = [];
  for (let argv = reader.next(); argv !== undefined; argv = reader.next()) out.push(argv);
  return out;
}

async function configGet(engine: Engine, name: string): Promise<string | undefined> {
  const r = await engine.connect().execute(['CONFIG', 'GET', name]);
  const value = r.kind === 'map' ? r.entries[0]?.[1] : undefined;
  return value?.kind === 'bulk' ? value.value : undefined;
}

function info(engine: Engine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of infoText(engine, ['persistence']).split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

describe('appending and loading', () => {
  it('starts with a base and an incr file named in the manifest, as redis-server 7.0 does', async () => {
    const { engine, log } = open();
    await run(engine, 'SET', 'a', '1');
    expect(fs.readFileSync(aofFile('appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(log).toContain('* Creating AOF base file appendonly.aof.1.base.rdb on server start');
    expect(fs.readFileSync(aofFile('appendonly.aof.1.incr.aof'), 'latin1')).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n',
    );
    expect(info(engine).aof_current_size).toBe('50');
  });

  it('replays every type, in every database, key by key (after a clean exit and after a crash)', async () => {
    const first = open().engine;
    const c = first.connect();
    await fillEveryType((...argv) => c.execute(argv), NOW);
    const expected = await describeKeyspace((...argv) => c.execute(argv), ALL_DBS);
    first.close();
    const second = open().engine;
    const c2 = second.connect();
    expect(await describeKeyspace((...argv) => c2.execute(argv), ALL_DBS)).toEqual(expected);
    // What a kill -9 leaves: the same, since every command reached the file before its reply.
    await c2.execute(['SET', 'after', 'crash']);
    second.crash();
    const third = open().engine;
    const c3 = third.connect();
    expect(await c3.execute(['GET', 'after'])).toEqual({ kind: 'bulk', value: 'crash' });
    await c3.execute(['DEL', 'after']);
    expect(await describeKeyspace((...argv) => c3.execute(argv), ALL_DBS)).toEqual(expected);
  });

  it('logs JSON writes as sent (RedisJSON replicates verbatim) and rewrites a document as JSON.SET', async () => {
    const { engine } = open([['aof-use-rdb-preamble', 'no']]);
    const c = engine.connect();
    await c.execute(['JSON.SET', 'doc', '$', '{"name":"Ana","tags":["a"],"n":1}']);
    await c.execute(['JSON.ARRAPPEND', 'doc', '$.tags', '"b"']);
    await c.execute(['JSON.NUMINCRBY', 'doc', '$.n', '2.5']);
    await c.execute(['JSON.GET', 'doc']);
    expect(commandsOf(aofFile('appendonly.aof.1.incr.aof')).map((a) => a[0])).toEqual(['SELECT', 'JSON.SET', 'JSON.ARRAPPEND', 'JSON.NUMINCRBY']);
    const expected = await c.execute(['JSON.GET', 'doc']);
    await c.execute(['BGREWRITEAOF']);
    await waitForAofRewrite(engine);
    expect(commandsOf(aofFile('appendonly.aof.2.base.aof'))).toEqual([['SELECT', '0'], ['JSON.SET', 'doc', '$', '{"name":"Ana","tags":["a","b"],"n":3.5}']]);
    engine.close();
    expect(await run(open().engine, 'JSON.GET', 'doc')).toEqual(expected);
  });

  it('counts replayed changes as Redis does (rdb_changes_since_last_save) and runs no command statistics', async () => {
    const first = open().engine;
    for (let i = 0; i < 5; i++) await run(first, 'INCR', 'n');
    await run(first, 'SADD', 's', 'a', 'b');
    first.close();
    const second = open().engine;
    expect(info(second).rdb_changes_since_last_save).toBe('7');
    expect(second.stats.totalCommandsProcessed).toBe(0);
  });

  it('replays MULTI … EXEC whole, and drops a transaction the file ends in', async () => {
    const { engine } = open();
    await run(engine, 'SET', 'before', '1');
    engine.close();
    fs.appendFileSync(aofFile('appendonly.aof.1.incr.aof'), '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n');
    const { engine: reopened, log } = open();
    expect(await run(reopened, 'GET', 'x')).toEqual({ kind: 'null' });
    expect(await run(reopened, 'GET', 'before')).toEqual({ kind: 'bulk', value: '1' });
    expect(log).toContain('# Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof');
  });
});

describe('timestamp annotations', () => {
  it('aof-timestamp-enabled writes #TS: lines that loading skips and check-aof --truncate-to-timestamp cuts at', async () => {
    const clock = new ManualClock(NOW);
    const { engine } = open([['aof-timestamp-enabled', 'yes']], { clock });
    await run(engine, 'SET', 'a', '1');
    clock.advance(2000);
    await run(engine, 'SET', 'b', '2');
    engine.close();
    const t = NOW / 1000;
    expect(fs.readFileSync(aofFile('appendonly.aof.1.incr.aof'), 'latin1')).toBe(
      `#TS:${t}\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n`
        + `#TS:${t + 2}\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n`,
    );
    expect(await run(open().engine, 'MGET', 'a', 'b')).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: '1' }, { kind: 'bulk', value: '2' }] });
    for (const e of engines.splice(0)) e.close();
    let out = '';
    const code = checkAof(['--truncate-to-timestamp', String(t + 1), aofFile('appendonly.aof.manifest')], { write: (x) => { out += x; }, readLine: () => undefined });
    expect(code).toBe(0);
    expect(out).toContain(`Successfully truncated AOF appendonly.aof.1.incr.aof to timestamp ${t + 1}`);
    expect(await run(open().engine, 'MGET', 'a', 'b')).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: '1' }, { kind: 'null' }] });
  });
});

describe('a file cut or damaged', () => {
  /** An AOF whose last command sets `last`; returns the incr file's bytes and where its last command starts. */
  async function written(): Promise<{ data: Buffer; lastStart: number; saved: string }> {
    const { engine } = open();
    await run(engine, 'SET', 'first', 'one');
    await run(engine, 'RPUSH', 'list', 'a', 'b');
    await run(engine, 'SET', 'last', 'value-of-the-last-command');
    engine.close();
    const file = aofFile('appendonly.aof.1.incr.aof');
    const data = fs.readFileSync(file);
    const lastStart = data.lastIndexOf('*3\r\n$3\r\nSET\r\n$4\r\nlast');
    const saved = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-aofcut-'));
    fs.cpSync(path.join(dir, 'appendonlydir'), saved, { recursive: true });
    return { data, lastStart, saved };
  }

  function restore(saved: string, incr: Buffer): void {
    fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true, force: true });
    fs.cpSync(saved, path.join(dir, 'appendonlydir'), { recursive: true });
    fs.writeFileSync(aofFile('appendonly.aof.1.incr.aof'), incr);
  }

  it('loads everything before the last command, cut at any byte of it, and truncates the file there', async () => {
    const { data, lastStart, saved } = await written();
    expect(lastStart).toBeGreaterThan(0);
    for (let cut = lastStart + 1; cut < data.length; cut++) {
      restore(saved, data.subarray(0, cut));
      const { engine, log } = open();
      const c = engine.connect();
      expect(await c.execute(['GET', 'first'])).toEqual({ kind: 'bulk', value: 'one' });
      expect(await c.execute(['LRANGE', 'list', '0', '-1'])).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: 'a' }, { kind: 'bulk', value: 'b' }] });
      expect(await c.execute(['EXISTS', 'last'])).toEqual({ kind: 'integer', value: 0 });
      expect(log).toContain('# !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!');
      expect(log).toContain(`# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${lastStart} !!!`);
      engine.close();
      expect(fs.statSync(aofFile('appendonly.aof.1.incr.aof')).size).toBe(lastStart);
      engines.splice(0);
    }
    fs.rmSync(saved, { recursive: true, force: true });
  });

  it('refuses a cut file with aof-load-truncated no, leaving the file as it is', async () => {
    const { data, lastStart, saved } = await written();
    restore(saved, data.subarray(0, lastStart + 7));
    expect(() => open([['aof-load-truncated', 'no']])).toThrow(
      new RegExp(`^Unexpected end of file reading the append only file appendonly\\.aof\\.1\\.incr\\.aof \\(the last whole command ends at offset ${lastStart}\\)`),
    );
    expect(fs.statSync(aofFile('appendonly.aof.1.incr.aof')).size).toBe(lastStart + 7);
    fs.rmSync(saved, { recursive: true, force: true });
  });

  it('refuses a byte damaged in the middle with the file and the offset, and loads nothing', async () => {
    const { data, saved } = await written();
    // The structural bytes of the second command: '*', its count, '\r', '$', a length digit, '\n'.
    const second = data.indexOf('*4\r\n$5\r\nRPUSH');
    for (const [offset, byte] of [[second, 0x2b], [second + 1, 0x78], [second + 2, 0x0a], [second + 4, 0x25], [second + 5, 0x39], [second + 7, 0x00]] as const) {
      const damaged = Buffer.from(data);
      damaged[offset] = byte;
      restore(saved, damaged);
      let error: unknown;
      try {
        open();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PersistenceError);
      expect((error as Error).message).toMatch(/^(Bad file format|Unknown command|Wrong number of arguments).* reading the append only file appendonly\.aof\.1\.incr\.aof at offset \d+/);
      const at = Number(/at offset (\d+)/.exec((error as Error).message)?.[1]);
      expect(at).toBeGreaterThanOrEqual(second);
      expect(at).toBeLessThan(second + 40);
    }
    fs.rmSync(saved, { recursive: true, force: true });
  });

  it('refuses a file the manifest names but the disk does not hold, and a damaged manifest', async () => {
    const { engine } = open();
    await run(engine, 'SET', 'a', '1');
    engine.close();
    engines.splice(0);
    fs.writeFileSync(aofFile('appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.7.incr.aof seq 7 type i\n');
    expect(() => open()).toThrow(/Unable to obtain the AOF file appendonly\.aof\.7\.incr\.aof length/);
    fs.writeFileSync(aofFile('appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type x\n');
    expect(() => open()).toThrow(/FATAL AOF MANIFEST FILE ERROR.*at line 1.*Unknown AOF file type/);
  });
});

describe('rewriting', () => {
  it('BGREWRITEAOF shrinks 100,000 INCRs on one key to a few commands; the state after restart is unchanged', async () => {
    const { engine } = open([['aof-use-rdb-preamble', 'no']]);
    const c = engine.connect();
    for (let i = 0; i < 100_000; i++) c.execute(['INCR', 'counter']);
    const before = fs.statSync(aofFile('appendonly.aof.1.incr.aof')).size;
    expect(before).toBeGreaterThan(2_000_000);
    expect(await c.execute(['BGREWRITEAOF'])).toEqual({ kind: 'simple', value: 'Background append only file rewriting started' });
    expect(info(engine).aof_rewrite_in_progress).toBe('1');
    expect(await c.execute(['BGREWRITEAOF'])).toEqual({ kind: 'error', message: 'ERR Background append only file rewriting already in progress' });
    await waitForAofRewrite(engine);
    await new Promise((r) => setTimeout(r, 20));
    expect(fs.readFileSync(aofFile('appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect(commandsOf(aofFile('appendonly.aof.2.base.aof'))).toEqual([['SELECT', '0'], ['SET', 'counter', '100000']]);
    expect(fs.existsSync(aofFile('appendonly.aof.1.incr.aof'))).toBe(false);
    expect(fs.existsSync(aofFile('appendonly.aof.1.base.rdb'))).toBe(false);
    const fields = info(engine);
    expect(fields.aof_rewrites).toBe('1');
    expect(fields.aof_last_bgrewrite_status).toBe('ok');
    expect(Number(fields.aof_base_size)).toBe(fs.statSync(aofFile('appendonly.aof.2.base.aof')).size);
    await c.execute(['INCR', 'counter']);
    engine.close();
    const reopened = open().engine;
    expect(await run(reopened, 'GET', 'counter')).toEqual({ kind: 'bulk', value: '100001' });
  });

  it('rewrites every type, as RESP commands or as an RDB preamble, to the same keyspace', async () => {
    for (const preamble of ['no', 'yes']) {
      const { engine } = open([['aof-use-rdb-preamble', preamble]]);
      const c = engine.connect();
      await fillEveryType((...argv) => c.execute(argv), NOW);
      const expected = await describeKeyspace((...argv) => c.execute(argv), ALL_DBS);
      await c.execute(['BGREWRITEAOF']);
      await waitForAofRewrite(engine);
      engine.close();
      const reopened = open().engine;
      const c2 = reopened.connect();
      expect(await describeKeyspace((...argv) => c2.execute(argv), ALL_DBS)).toEqual(expected);
      await c2.execute(['FLUSHALL']);
      reopened.close();
      engines.splice(0);
      fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true });
    }
  });

  it('rewrites on its own once the AOF has grown by auto-aof-rewrite-percentage past auto-aof-rewrite-min-size', async () => {
    const { engine, log } = open([['auto-aof-rewrite-min-size', '1kb'], ['auto-aof-rewrite-percentage', '100']]);
    const aof = aofOf(engine);
    for (let i = 0; i < 20; i++) await run(engine, 'SET', `k${i}`, 'x'.repeat(10));
    aof.cron();
    expect(aof.rewrite).toBeUndefined();
    for (let i = 0; i < 40; i++) await run(engine, 'SET', `k${i}`, 'y'.repeat(20));
    aof.cron();
    expect(log.some((l) => /^\* Starting automatic rewriting of AOF on \d+% growth$/.test(l))).toBe(true);
    await waitForAofRewrite(engine);
    expect(info(engine).aof_rewrites).toBe('1');
  });

  it('CONFIG SET appendonly yes writes the data set as a base, then appends; no stops appending', async () => {
    const { engine } = open([['appendonly', 'no']]);
    const c = engine.connect();
    await c.execute(['SET', 'before', '1']);
    expect(fs.existsSync(path.join(dir, 'appendonlydir'))).toBe(false);
    expect(await c.execute(['CONFIG', 'SET', 'appendonly', 'yes'])).toEqual({ kind: 'simple', value: 'OK' });
    expect(info(engine).aof_enabled).toBe('1');
    await c.execute(['SET', 'during', '2']);
    await waitForAofRewrite(engine);
    await c.execute(['SET', 'after', '3']);
    expect(fs.readFileSync(aofFile('appendonly.aof.manifest'), 'latin1')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(commandsOf(aofFile('appendonly.aof.1.incr.aof'))).toEqual([['SELECT', '0'], ['SET', 'during', '2'], ['SET', 'after', '3']]);
    expect(await c.execute(['CONFIG', 'SET', 'appendonly', 'no'])).toEqual({ kind: 'simple', value: 'OK' });
    await c.execute(['SET', 'ignored', '4']);
    expect(commandsOf(aofFile('appendonly.aof.1.incr.aof')).length).toBe(3);
    engine.close();
    const reopened = open().engine;
    const c2 = reopened.connect();
    for (const key of ['before', 'during', 'after']) expect((await c2.execute(['EXISTS', key]))).toEqual({ kind: 'integer', value: 1 });
    expect(await c2.execute(['EXISTS', 'ignored'])).toEqual({ kind: 'integer', value: 0 });
  });

  it('an engine without a data directory cannot turn the AOF on or rewrite it', async () => {
    const engine = new Engine({ activeExpiry: false });
    engines.push(engine);
    const c = engine.connect();
    expect(await c.execute(['CONFIG', 'SET', 'appendonly', 'yes'])).toEqual({
      kind: 'error', message: "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
    });
    expect(await configGet(engine, 'appendonly')).toBe('no');
    expect((await c.execute(['BGREWRITEAOF'])).kind).toBe('error');
  });
});

describe('crash and restart', () => {
  it('crash() drops everything and disconnects; restart() loads the directory again, as a fresh start', async () => {
    const { engine } = open([['appendfsync', 'always']]);
    let closed = false;
    const c = engine.connect({ onClose: () => { closed = true; } });
    await c.execute(['SET', 'kept', '1']);
    await c.execute(['CONFIG', 'SET', 'maxmemory', '1mb']);
    engine.crash();
    expect(closed).toBe(true);
    const other = engine.connect();
    expect(await other.execute(['GET', 'kept'])).toEqual({ kind: 'error', message: 'ERR redislings: the server has crashed and is down until it restarts' });
    engine.restart();
    const after = engine.connect();
    expect(await after.execute(['GET', 'kept'])).toEqual({ kind: 'bulk', value: '1' });
    // A CONFIG SET not written with CONFIG REWRITE does not survive a restart.
    expect(await configGet(engine, 'maxmemory')).toBe('0');
    expect(await configGet(engine, 'appendonly')).toBe('yes');
  });

  it('a power failure loses what was not fsynced: everything since the last fsync with appendfsync no, nothing with always', async () => {
    for (const [policy, survives] of [['no', false], ['always', true]] as const) {
      const { engine } = open([['appendfsync', policy]]);
      await run(engine, 'SET', 'k', policy);
      engine.crash({ powerFailure: true });
      engine.restart();
      expect(await run(engine, 'EXISTS', 'k')).toEqual({ kind: 'integer', value: survives ? 1 : 0 });
      engine.close();
      engines.splice(0);
      fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true });
    }
  });

  it('without appendonly, a restart loads dump.rdb: what came after the last SAVE is lost', async () => {
    const { engine } = open([['appendonly', 'no']]);
    await run(engine, 'SET', 'saved', '1');
    expect(await run(engine, 'SAVE')).toEqual({ kind: 'simple', value: 'OK' });
    await run(engine, 'SET', 'lost', '2');
    engine.crash();
    engine.restart();
    expect(await run(engine, 'MGET', 'saved', 'lost')).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: '1' }, { kind: 'null' }] });
  });
});

describe('the configuration file', () => {
  it('CONFIG REWRITE writes redislings.conf (non-default values, comments kept); a restart reads it', async () => {
    fs.writeFileSync(path.join(dir, 'redislings.conf'), '# my settings\nappendonly yes\n\n\nmaxmemory 10mb\n# the end\n');
    const { engine } = open([], { config: [] });
    const c = engine.connect();
    expect(await configGet(engine, 'maxmemory')).toBe('10485760');
    await c.execute(['CONFIG', 'SET', 'maxmemory', '0', 'appendfsync', 'always', 'save', '900 1']);
    expect(await c.execute(['CONFIG', 'REWRITE'])).toEqual({ kind: 'simple', value: 'OK' });
    const text = fs.readFileSync(path.join(dir, 'redislings.conf'), 'latin1');
    // In place, with the comments; the run of empty lines becomes one.
    expect(text.split('\n').slice(0, 5)).toEqual(['# my settings', 'appendonly yes', '', 'maxmemory 0', '# the end']);
    expect(text).toContain('# the end\n\n# Generated by CONFIG REWRITE\n');
    expect(text).toContain('\nappendfsync always\n');
    expect(text).toContain('\nsave 900 1\n');
    expect(text).toContain(`\ndir "${dir}"\n`);
    expect(text).not.toContain('hash-max-listpack-entries');
    engine.crash();
    engine.restart();
    expect(await configGet(engine, 'appendfsync')).toBe('always');
    expect(await configGet(engine, 'save')).toBe('900 1');
  });

  it('refuses to start on a bad configuration line, as redis-server does', () => {
    fs.writeFileSync(path.join(dir, 'redislings.conf'), 'appendonly maybe\n');
    expect(() => open([], { config: [] })).toThrow(/FATAL CONFIG FILE ERROR \(Redis 7\.0\.15\) \*\*\*\nReading the configuration file, at line 1\n>>> 'appendonly maybe'\nargument must be 'yes' or 'no'/);
  });

  it('CONFIG REWRITE needs a data directory', async () => {
    const engine = new Engine({ activeExpiry: false });
    engines.push(engine);
    expect(await engine.connect().execute(['CONFIG', 'REWRITE'])).toEqual({ kind: 'error', message: 'ERR The server is running without a config file' });
  });
});
