/**
 * RDB round trips inside the engine: every type and encoding, with expiries, through encodeRdb
 * and loadRdb, compared key by key (type, value, expiry time, OBJECT ENCODING); expired keys;
 * the codec's building blocks (CRC-64, LZF, listpacks); and damaged files, which must fail with an
 * RdbError naming the offset and load nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/engine/clock.js';
import { Engine } from '../../../src/engine/engine.js';
import { crc64 } from '../../../src/engine/persistence/crc64.js';
import { ListpackBuilder, readListpack } from '../../../src/engine/persistence/listpack.js';
import { lzfCompress, lzfDecompress } from '../../../src/engine/persistence/lzf.js';
import { encodeRdb, loadRdb, RdbError } from '../../../src/engine/persistence/rdb.js';
import { describeKeyspace } from './keyspace-dump.js';
import { fillEveryType } from './fill.js';

const engines: Engine[] = [];
function newEngine(clock = new ManualClock(1_700_000_000_000)): Engine {
  const e = new Engine({ activeExpiry: false, clock });
  engines.push(e);
  return e;
}
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

function caller(engine: Engine) {
  const c = engine.connect();
  return (...argv: string[]) => c.execute(argv);
}

const ALL_DBS = Array.from({ length: 16 }, (_, i) => i);

describe('building blocks', () => {
  it('CRC-64 is Redis crc64 (Jones): crc64("123456789") = e9c6d914c4b8d9ca', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
    // Slicing-by-8 agrees with the bit-by-bit definition at every length around its step.
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff));
    const bitwise = (d: Uint8Array) => {
      let c = 0n;
      for (const b of d) {
        c ^= BigInt(b);
        for (let i = 0; i < 8; i++) c = c & 1n ? (c >> 1n) ^ 0x95ac9329ac4bc9b5n : c >> 1n;
      }
      return c;
    };
    for (let n = 0; n <= 100; n++) expect(crc64(data, 0, n)).toBe(bitwise(data.subarray(0, n)));
  });

  it('LZF round-trips and refuses what does not save 4 bytes', () => {
    const texts = ['a'.repeat(1000), 'abcabcabcabcabcabcabcabc-hello-hello-hello', Array.from({ length: 5000 }, (_, i) => String(i % 97)).join(',')];
    for (const t of texts) {
      const input = Buffer.from(t, 'latin1');
      const packed = lzfCompress(input, input.length - 4);
      expect(packed).toBeDefined();
      expect(lzfDecompress(packed as Buffer, input.length)?.toString('latin1')).toBe(t);
    }
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 7919 + 13) % 251));
    expect(lzfCompress(random, random.length - 4)).toBeUndefined();
    expect(lzfDecompress(Buffer.from([0xe0, 0x05]), 10)).toBeUndefined();
  });

  it('listpacks: integers in every width, strings of every length class, back-lengths', () => {
    const lp = new ListpackBuilder();
    const values = ['0', '127', '128', '-1', '-4096', '4095', '32767', '-32768', '8388607', '-8388608', '2147483647',
      '-2147483648', '9223372036854775807', '-9223372036854775808', '007', '', 'x'.repeat(63), 'y'.repeat(64),
      'z'.repeat(4095), 'w'.repeat(4096), 'w'.repeat(20000)];
    for (const v of values) lp.appendString(v);
    const buf = lp.finish();
    expect(buf.readUInt32LE(0)).toBe(buf.length);
    expect(readListpack(buf).map(String)).toEqual(values);
  });
});

describe('encodeRdb / loadRdb round trip', () => {
  it('keeps every type, encoding and expiry, key by key', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const source = newEngine(clock);
    const call = caller(source);
    await fillEveryType(call, clock.now());
    await call('JSON.SET', 'json', '$', '{"a":[1,2.5,"x\\u00e9"],"b":{"c":null,"d":true},"e":-0.0}');
    await call('SELECT', '2');
    await call('JSON.SET', 'json2', '$', '"just a string"');
    const before = await describeKeyspace(call, ALL_DBS, true);
    expect(Object.keys(before).length).toBeGreaterThan(35);

    const rdb = encodeRdb(source);
    expect(rdb.toString('latin1', 0, 9)).toBe('REDIS0010');
    // A loaded string goes through tryObjectEncoding (rdbLoadObject), so a short raw string comes
    // back embstr, as in redis-server (SETRANGE's raw string after DEBUG RELOAD: "embstr").
    before['0:s:raw'] = { ...before['0:s:raw']!, encoding: 'embstr' };
    const target = newEngine(new ManualClock(clock.now()));
    const result = loadRdb(target, rdb, 'dump.rdb');
    expect(result.bytes).toBe(rdb.length);
    expect(result.keysLoaded).toBe(Object.keys(before).length);
    expect(result.keysExpired).toBe(0);
    const after = await describeKeyspace(caller(target), ALL_DBS, true);
    expect(after).toEqual(before);
    // Written again, the loaded keyspace gives the same bytes but for the aux fields' values.
    expect(encodeRdb(target).length).toBe(rdb.length);
  });

  it('drops keys already expired when loading, but keeps them for an AOF preamble', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const source = newEngine(clock);
    const call = caller(source);
    await call('SET', 'gone', '1', 'PX', '100');
    await call('SET', 'stays', '2', 'PX', '100000');
    await call('SET', 'forever', '3');
    clock.advance(1000);
    // Redis writes a key that expired but was not touched yet; the loader drops it.
    const rdb = encodeRdb(source);
    const target = newEngine(new ManualClock(clock.now()));
    expect(loadRdb(target, rdb, 'dump.rdb')).toMatchObject({ keysLoaded: 2, keysExpired: 1 });
    expect([...target.databases[0]!.dict.keys()].sort()).toEqual(['forever', 'stays']);
    expect(target.databases[0]!.expires.get('stays')).toBe(1_700_000_100_000);
    const base = newEngine(new ManualClock(clock.now()));
    expect(loadRdb(base, rdb, 'base.rdb', { aofPreamble: true })).toMatchObject({ keysLoaded: 3, keysExpired: 0 });
  });

  it('keeps a 64-bit expiry time exactly (PEXPIREAT k 9223372036854775807)', async () => {
    const source = newEngine();
    const call = caller(source);
    await call('SET', 'k', 'v');
    await call('PEXPIREAT', 'k', '9223372036854775807');
    await call('SET', 'k2', 'v');
    await call('PEXPIREAT', 'k2', '9007199254740993');
    const target = newEngine();
    loadRdb(target, encodeRdb(source), 'dump.rdb');
    const read = caller(target);
    expect(await read('PEXPIRETIME', 'k')).toEqual({ kind: 'integer', value: 9223372036854775807n });
    expect(await read('PEXPIRETIME', 'k2')).toEqual({ kind: 'integer', value: 9007199254740993n });
  });

  it('writes aof-base 1 for an AOF base, and returns where the RDB ends', () => {
    const engine = newEngine();
    const rdb = encodeRdb(engine, { aofBase: true });
    expect(rdb.includes(Buffer.from('aof-base'))).toBe(true);
    const withTail = Buffer.concat([rdb, Buffer.from('*1\r\n$4\r\nPING\r\n')]);
    expect(loadRdb(newEngine(), withTail, 'appendonly.aof.1.base.rdb', { aofPreamble: true }).bytes).toBe(rdb.length);
  });
});

describe('damaged files', () => {
  async function sample(): Promise<Buffer> {
    const e = newEngine();
    const call = caller(e);
    await call('SET', 'a', 'hello');
    await call('RPUSH', 'l', '1', '2', '3');
    await call('HSET', 'h', 'f', 'v');
    await call('ZADD', 'z', '1', 'm');
    return encodeRdb(e);
  }

  function expectRdbError(data: Buffer, pattern: RegExp): RdbError {
    const engine = newEngine();
    let caught: unknown;
    try {
      loadRdb(engine, data, '/data/dump.rdb');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RdbError);
    const err = caught as RdbError;
    expect(err.message).toContain('/data/dump.rdb');
    expect(err.message).toMatch(/offset \d+/);
    expect(err.reason).toMatch(pattern);
    // Nothing was loaded.
    expect(engine.databases.every((db) => db.dict.size === 0)).toBe(true);
    expect(engine.loading).toBe(false);
    return err;
  }

  it('a file cut anywhere fails with the offset, and loads nothing', async () => {
    const rdb = await sample();
    for (let n = 0; n < rdb.length; n++) {
      const err = expectRdbError(rdb.subarray(0, n), /EOF|signature|version|integrity|checksum|CRC/);
      expect(err.offset).toBeLessThanOrEqual(n);
    }
  });

  it('a wrong checksum is reported after reading it, as redis-check-rdb does', async () => {
    const rdb = Buffer.from(await sample());
    rdb[rdb.length - 1] = (rdb[rdb.length - 1] as number) ^ 0x55;
    const err = expectRdbError(rdb, /^RDB CRC error$/);
    expect(err.offset).toBe(rdb.length);
  });

  it('a flipped byte anywhere is caught (a parse error or the checksum), and loads nothing', async () => {
    const rdb = await sample();
    for (let i = 9; i < rdb.length - 8; i++) {
      const bad = Buffer.from(rdb);
      bad[i] = (bad[i] as number) ^ 0xff;
      expectRdbError(bad, /./);
    }
  });

  it('a checksum of 0 means no checksum (rdbchecksum no)', async () => {
    const rdb = Buffer.from(await sample());
    rdb.fill(0, rdb.length - 8);
    const engine = newEngine();
    expect(loadRdb(engine, rdb, 'dump.rdb').keysLoaded).toBe(4);
  });
});
