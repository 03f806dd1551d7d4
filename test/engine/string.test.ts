/**
 * Strings: what the differential corpus cannot show. Encodings (OBJECT belongs to another
 * module, so `encoding()` is asked directly; each expectation is what OBJECT ENCODING answered on
 * Redis 7.0.15), WRONGTYPE against a non-string value, expiry with a manual clock, WATCH, RESP3
 * replies and sizes near the limits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { Client } from '../../src/engine/client.js';
import { RedisObject } from '../../src/engine/keyspace.js';
import { readString, StringValue, UnencodedStringValue } from '../../src/engine/types/string.js';
import type { Reply } from '../../src/resp/reply.js';

/** A value of another type, to provoke WRONGTYPE without depending on the list module. */
class OtherValue extends RedisObject {
  lru = 0;
  get type() {
    return 'list' as const;
  }
  encoding(): string {
    return 'quicklist';
  }
  duplicate(): OtherValue {
    return new OtherValue();
  }
}

const WRONGTYPE = { kind: 'error', message: 'WRONGTYPE Operation against a key holding the wrong kind of value' };

let engine: Engine;
let clock: ManualClock;

function setup(): Client {
  clock = new ManualClock(1_700_000_000_000);
  engine = new Engine({ activeExpiry: false, clock });
  return engine.connect();
}

afterEach(() => engine?.close());

async function run(c: Client, ...argv: string[]): Promise<Reply> {
  return c.execute(argv);
}

function encodingOf(c: Client, key: string): string | undefined {
  return c.db.lookupRead(key)?.encoding();
}

describe('string encodings (as OBJECT ENCODING reports them)', () => {
  it('follows tryObjectEncoding for SET, MSET, SETNX, SETEX and a new key made by APPEND', async () => {
    const c = setup();
    const cases: [string, string][] = [
      ['12345', 'int'],
      ['-9223372036854775808', 'int'],
      ['9223372036854775807', 'int'],
      ['9223372036854775808', 'embstr'],
      ['01', 'embstr'],
      ['-0', 'embstr'],
      ['+1', 'embstr'],
      ['', 'embstr'],
      ['x'.repeat(44), 'embstr'],
      ['x'.repeat(45), 'raw'],
      ['1'.repeat(45), 'raw'],
    ];
    for (const [value, expected] of cases) {
      await run(c, 'SET', 'k', value);
      expect(encodingOf(c, 'k'), value).toBe(expected);
    }
    await run(c, 'MSET', 'm', '7', 'n', 'seven');
    expect([encodingOf(c, 'm'), encodingOf(c, 'n')]).toEqual(['int', 'embstr']);
    await run(c, 'SETEX', 'e', '100', '42');
    expect(encodingOf(c, 'e')).toBe('int');
    await run(c, 'APPEND', 'a', '123');
    expect(encodingOf(c, 'a')).toBe('int');
  });

  it('makes a string changed in place raw, even when short or numeric', async () => {
    const c = setup();
    await run(c, 'SET', 'a', '5');
    await run(c, 'APPEND', 'a', '');
    expect(encodingOf(c, 'a')).toBe('raw');
    await run(c, 'SETRANGE', 'r', '0', 'abc');
    expect(encodingOf(c, 'r')).toBe('raw');
    await run(c, 'SET', 'b', '1');
    await run(c, 'SETBIT', 'b', '0', '0'); // no bit changes, yet the value is unshared
    expect(encodingOf(c, 'b')).toBe('raw');
    await run(c, 'BITOP', 'NOT', 'd', 'a');
    expect(encodingOf(c, 'd')).toBe('raw');
    await run(c, 'SET', 'f', 'abc');
    await run(c, 'BITFIELD', 'f', 'GET', 'u8', '0');
    expect(encodingOf(c, 'f')).toBe('embstr');
    await run(c, 'BITFIELD', 'f', 'SET', 'u8', '0', '97');
    expect(encodingOf(c, 'f')).toBe('raw');
  });

  it('leaves the encoding alone for reads and for a SETRANGE of nothing', async () => {
    const c = setup();
    await run(c, 'SET', 'k', 'abc');
    await run(c, 'SETRANGE', 'k', '0', '');
    await run(c, 'GETRANGE', 'k', '0', '1');
    await run(c, 'GETBIT', 'k', '3');
    await run(c, 'GETEX', 'k', 'EX', '100');
    expect(encodingOf(c, 'k')).toBe('embstr');
  });

  it('gives INCR an int and INCRBYFLOAT never an int', async () => {
    const c = setup();
    await run(c, 'SET', 'n', '1');
    await run(c, 'APPEND', 'n', '0');
    await run(c, 'INCR', 'n');
    expect(encodingOf(c, 'n')).toBe('int');
    await run(c, 'SET', 'f', '9.5');
    expect(await run(c, 'INCRBYFLOAT', 'f', '0.5')).toEqual({ kind: 'bulk', value: '10' });
    expect(encodingOf(c, 'f')).toBe('embstr');
    await run(c, 'INCRBYFLOAT', 'g', '1e50');
    expect(encodingOf(c, 'g')).toBe('raw');
    await run(c, 'INCRBYFLOAT', 'h', '1e30');
    expect(encodingOf(c, 'h')).toBe('embstr');
    // INCR changes an int in place; INCRBYFLOAT's unencoded result is replaced by an int.
    await run(c, 'INCR', 'f');
    expect(encodingOf(c, 'f')).toBe('int');
  });

  it('INCR in place leaves a COPY of the counter alone', async () => {
    const c = setup();
    await run(c, 'SET', 'n', '5');
    await run(c, 'COPY', 'n', 'm');
    expect(await run(c, 'INCR', 'n')).toEqual({ kind: 'integer', value: 6 });
    expect(await run(c, 'GET', 'm')).toEqual({ kind: 'bulk', value: '5' });
    expect(await run(c, 'GET', 'n')).toEqual({ kind: 'bulk', value: '6' });
  });

  it('keeps the encoding in a duplicate (COPY)', () => {
    expect(new StringValue('12').duplicate().encoding()).toBe('int');
    expect(new UnencodedStringValue('12').duplicate().encoding()).toBe('embstr');
    const raw = StringValue.raw('12');
    const copy = raw.duplicate();
    expect(copy.encoding()).toBe('raw');
    copy.append('3');
    expect([raw.value, copy.value]).toEqual(['12', '123']);
  });
});

describe('WRONGTYPE', () => {
  it('is the answer of every string command on a key of another type', async () => {
    const c = setup();
    c.db.add('l', new OtherValue());
    const commands = [
      ['GET', 'l'], ['GETDEL', 'l'], ['GETEX', 'l'], ['GETEX', 'l', 'PERSIST'], ['SET', 'l', 'v', 'GET'],
      ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'], ['SUBSTR', 'l', '0', '1'],
      ['SETRANGE', 'l', '0', 'x'], ['SETRANGE', 'l', '0', ''], ['INCR', 'l'], ['DECR', 'l'], ['INCRBY', 'l', '1'],
      ['DECRBY', 'l', '1'], ['INCRBYFLOAT', 'l', '1'],
    ];
    for (const argv of commands) expect(await c.execute(argv), argv.join(' ')).toEqual(WRONGTYPE);
    expect(c.db.lookupRead('l')).toBeInstanceOf(OtherValue);
  });

  it('is not raised where Redis checks something else first', async () => {
    const c = setup();
    c.db.add('l', new OtherValue());
    // Arguments are parsed before the key is looked up.
    expect(await run(c, 'INCRBY', 'l', 'x')).toEqual({ kind: 'error', message: 'ERR value is not an integer or out of range' });
    expect(await run(c, 'GETRANGE', 'l', 'a', '1')).toEqual({ kind: 'error', message: 'ERR value is not an integer or out of range' });
    expect(await run(c, 'SETRANGE', 'l', '-1', 'x')).toEqual({ kind: 'error', message: 'ERR offset is out of range' });
    expect(await run(c, 'SET', 'l', 'v', 'EX', '0', 'GET')).toEqual({ kind: 'error', message: "ERR invalid expire time in 'set' command" });
    // GETEX checks the type before the expire time.
    expect(await run(c, 'GETEX', 'l', 'EX', '0')).toEqual(WRONGTYPE);
    // MGET answers nil for it; LCS has its own message.
    expect(await run(c, 'MGET', 'l', 'nokey')).toEqual({ kind: 'array', items: [{ kind: 'null' }, { kind: 'null' }] });
    expect(await run(c, 'LCS', 'l', 'nokey')).toEqual({ kind: 'error', message: 'ERR The specified keys must contain string values' });
    expect(await run(c, 'LCS', 'nokey', 'l')).toEqual({ kind: 'error', message: 'ERR The specified keys must contain string values' });
  });

  it('lets SET, MSET, SETEX and friends overwrite a key of another type', async () => {
    const c = setup();
    for (const argv of [['SET', 'l', 'v'], ['MSET', 'l', 'v'], ['SETEX', 'l', '10', 'v'], ['PSETEX', 'l', '10', 'v']]) {
      c.db.setKey('l', new OtherValue());
      expect(await c.execute(argv)).toEqual({ kind: 'simple', value: 'OK' });
      expect(readString(c.db, 'l')).toBe('v');
    }
    c.db.setKey('l', new OtherValue());
    expect(await run(c, 'SETNX', 'l', 'v')).toEqual({ kind: 'integer', value: 0 });
    expect(await run(c, 'MSETNX', 'l', 'v')).toEqual({ kind: 'integer', value: 0 });
  });
});

describe('expiry', () => {
  it('SET EX/PX set the time from the engine clock; SET drops a TTL unless KEEPTTL', async () => {
    const c = setup();
    await run(c, 'SET', 'k', 'v', 'EX', '10');
    expect(c.db.getExpire('k')).toBe(clock.now() + 10_000);
    await run(c, 'SET', 'k', 'v', 'PX', '1500');
    expect(c.db.getExpire('k')).toBe(clock.now() + 1500);
    await run(c, 'SET', 'k', 'w', 'KEEPTTL');
    expect(c.db.getExpire('k')).toBe(clock.now() + 1500);
    await run(c, 'SET', 'k', 'w');
    expect(c.db.getExpire('k')).toBeUndefined();
    await run(c, 'SET', 'k', 'v', 'EXAT', '1800000000');
    expect(c.db.getExpire('k')).toBe(1_800_000_000_000);
    await run(c, 'SET', 'k', 'v', 'PXAT', '1800000000123');
    expect(c.db.getExpire('k')).toBe(1_800_000_000_123);
  });

  it('a key set with EX is gone once the time passes', async () => {
    const c = setup();
    await run(c, 'SETEX', 'k', '2', 'v');
    clock.advance(2000);
    expect(await run(c, 'GET', 'k')).toEqual({ kind: 'bulk', value: 'v' });
    clock.advance(1);
    expect(await run(c, 'GET', 'k')).toEqual({ kind: 'null' });
    await run(c, 'PSETEX', 'p', '5', 'v');
    clock.advance(6);
    expect(await run(c, 'STRLEN', 'p')).toEqual({ kind: 'integer', value: 0 });
  });

  it('INCR, INCRBYFLOAT, APPEND, SETRANGE and SETBIT keep the TTL; an expired counter starts again at 0', async () => {
    const c = setup();
    await run(c, 'SET', 'n', '5', 'PX', '1000');
    for (const argv of [['INCR', 'n'], ['INCRBYFLOAT', 'n', '1.5'], ['APPEND', 'n', '0'], ['SETRANGE', 'n', '0', '1'], ['SETBIT', 'n', '0', '1']]) {
      await c.execute(argv);
      expect(c.db.getExpire('n'), argv.join(' ')).toBe(clock.now() + 1000);
    }
    clock.advance(1001);
    expect(await run(c, 'INCR', 'n')).toEqual({ kind: 'integer', value: 1 });
    expect(c.db.getExpire('n')).toBeUndefined();
  });

  it('GETEX sets, replaces and removes the TTL; EXAT in the past deletes', async () => {
    const c = setup();
    await run(c, 'SET', 'k', 'v');
    await run(c, 'GETEX', 'k', 'EX', '100');
    expect(c.db.getExpire('k')).toBe(clock.now() + 100_000);
    await run(c, 'GETEX', 'k', 'PXAT', String(clock.now() + 5));
    expect(c.db.getExpire('k')).toBe(clock.now() + 5);
    await run(c, 'GETEX', 'k');
    expect(c.db.getExpire('k')).toBe(clock.now() + 5);
    await run(c, 'GETEX', 'k', 'PERSIST');
    expect(c.db.getExpire('k')).toBeUndefined();
    expect(await run(c, 'GETEX', 'k', 'PXAT', String(clock.now()))).toEqual({ kind: 'bulk', value: 'v' });
    expect(c.db.exists('k')).toBe(false);
  });

  it('SET with NX sees an expired key as missing', async () => {
    const c = setup();
    await run(c, 'SET', 'k', 'old', 'PX', '10');
    clock.advance(11);
    expect(await run(c, 'SET', 'k', 'new', 'NX', 'GET')).toEqual({ kind: 'null' });
    expect(await run(c, 'GET', 'k')).toEqual({ kind: 'bulk', value: 'new' });
  });
});

describe('WATCH', () => {
  async function watchThen(change: string[][], prepare: string[][] = [['SET', 'k', 'abc']]): Promise<boolean> {
    const c = setup();
    const other = engine.connect();
    for (const argv of prepare) await other.execute(argv);
    await run(c, 'WATCH', 'k');
    for (const argv of change) await other.execute(argv);
    await run(c, 'MULTI');
    await run(c, 'PING');
    const reply = await run(c, 'EXEC');
    return reply.kind === 'array';
  }

  it('a write to the key makes EXEC fail', async () => {
    expect(await watchThen([['APPEND', 'k', 'x']])).toBe(false);
    expect(await watchThen([['INCRBYFLOAT', 'n', '1']], [['SET', 'n', '1']])).toBe(true);
    expect(await watchThen([['SETRANGE', 'k', '1', 'x']])).toBe(false);
    expect(await watchThen([['GETDEL', 'k']])).toBe(false);
    expect(await watchThen([['GETEX', 'k', 'EX', '10']])).toBe(false);
    expect(await watchThen([['MSET', 'k', '1']])).toBe(false);
  });

  it('a command that changes nothing leaves EXEC alone', async () => {
    expect(await watchThen([['GETEX', 'k', 'PERSIST']])).toBe(true);
    expect(await watchThen([['SETRANGE', 'k', '1', '']])).toBe(true);
    expect(await watchThen([['SET', 'k', 'x', 'NX']])).toBe(true);
    expect(await watchThen([['GETDEL', 'nokey']])).toBe(true);
    expect(await watchThen([['MSETNX', 'k', '1', 'j', '2']])).toBe(true);
  });
});

describe('replies', () => {
  it('LCS IDX is a map in RESP3', async () => {
    const c = setup();
    await run(c, 'MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    c.resp = 3;
    const reply = await run(c, 'LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4');
    expect(reply.kind).toBe('map');
  });

  it('INCRBY beyond 2^53 answers exact 64-bit integers', async () => {
    const c = setup();
    await run(c, 'SET', 'n', '9007199254740991');
    expect(await run(c, 'INCR', 'n')).toEqual({ kind: 'integer', value: 9007199254740992n });
    expect(await run(c, 'INCRBY', 'n', '-9007199254740992')).toEqual({ kind: 'integer', value: 0 });
    expect(await run(c, 'DECRBY', 'n', '-9223372036854775807')).toEqual({ kind: 'integer', value: 9223372036854775807n });
    expect(await run(c, 'INCR', 'n')).toEqual({ kind: 'error', message: 'ERR increment or decrement would overflow' });
  });
});

describe('sizes', () => {
  it('APPEND grows a string in place, many times over', async () => {
    const c = setup();
    for (let i = 0; i < 10_000; i++) await run(c, 'APPEND', 'log', 'line\n');
    expect(await run(c, 'STRLEN', 'log')).toEqual({ kind: 'integer', value: 50_000 });
    expect(readString(c.db, 'log')).toBe('line\n'.repeat(10_000));
  });

  it('refuses to grow past proto-max-bulk-len (512MB)', async () => {
    const c = setup();
    const tooLong = { kind: 'error', message: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)' };
    await run(c, 'SET', 'k', 'abc');
    expect(await run(c, 'SETRANGE', 'k', String(512 * 1024 * 1024 - 1), 'xy')).toEqual(tooLong);
    expect(await run(c, 'SETRANGE', 'k', String(512 * 1024 * 1024), '')).toEqual({ kind: 'integer', value: 3 });
    expect(readString(c.db, 'k')).toBe('abc');
  });

  it('LCS refuses a table larger than proto-max-bulk-len', async () => {
    const c = setup();
    await run(c, 'SET', 'a', 'x'.repeat(12_000));
    await run(c, 'SET', 'b', 'y'.repeat(12_000));
    expect(await run(c, 'LCS', 'a', 'b')).toEqual({
      kind: 'error', message: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
    });
  });
});
