/**
 * Bitmaps: WRONGTYPE against a non-string value, the order in which Redis checks things, WATCH
 * (a bit command that changes nothing does not touch the key), and sizes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import { RedisObject } from '../../src/engine/keyspace.js';
import { readString } from '../../src/engine/types/string.js';
import type { Reply } from '../../src/resp/reply.js';

class OtherValue extends RedisObject {
  lru = 0;
  get type() {
    return 'set' as const;
  }
  encoding(): string {
    return 'intset';
  }
  duplicate(): OtherValue {
    return new OtherValue();
  }
}

const WRONGTYPE = { kind: 'error', message: 'WRONGTYPE Operation against a key holding the wrong kind of value' };
const int = (value: number) => ({ kind: 'integer', value });

let engine: Engine;

function setup(): Client {
  engine = new Engine({ activeExpiry: false });
  return engine.connect();
}

afterEach(() => engine?.close());

async function run(c: Client, ...argv: string[]): Promise<Reply> {
  return c.execute(argv);
}

describe('WRONGTYPE', () => {
  it('is the answer of every bit command on a key of another type', async () => {
    const c = setup();
    c.db.add('s', new OtherValue());
    await run(c, 'SET', 'str', 'abc');
    const commands = [
      ['SETBIT', 's', '0', '1'], ['GETBIT', 's', '0'], ['BITCOUNT', 's'], ['BITCOUNT', 's', '0', '1', 'BIT'],
      ['BITPOS', 's', '1'], ['BITPOS', 's', '0', '0', '1'], ['BITOP', 'AND', 'd', 'str', 's'], ['BITOP', 'NOT', 'd', 's'],
      ['BITFIELD', 's', 'GET', 'u8', '0'], ['BITFIELD', 's'], ['BITFIELD', 's', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 's', 'GET', 'u8', '0'],
    ];
    for (const argv of commands) expect(await c.execute(argv), argv.join(' ')).toEqual(WRONGTYPE);
    expect(c.db.exists('d')).toBe(false);
  });

  it('comes after the argument checks Redis makes first', async () => {
    const c = setup();
    c.db.add('s', new OtherValue());
    expect(await run(c, 'SETBIT', 's', '0', '2')).toEqual({ kind: 'error', message: 'ERR bit is not an integer or out of range' });
    expect(await run(c, 'SETBIT', 's', '-1', '1')).toEqual({ kind: 'error', message: 'ERR bit offset is not an integer or out of range' });
    expect(await run(c, 'GETBIT', 's', 'x')).toEqual({ kind: 'error', message: 'ERR bit offset is not an integer or out of range' });
    expect(await run(c, 'BITPOS', 's', '2')).toEqual({ kind: 'error', message: 'ERR The bit argument must be 1 or 0.' });
    expect(await run(c, 'BITFIELD', 's', 'GET', 'u64', '0')).toEqual({
      kind: 'error', message: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
    });
    expect(await run(c, 'BITFIELD_RO', 's', 'SET', 'u8', '0', '1')).toEqual({
      kind: 'error', message: 'ERR BITFIELD_RO only supports the GET subcommand',
    });
    // BITCOUNT parses its range only once it has a string: here the type comes first.
    expect(await run(c, 'BITCOUNT', 's', 'x', 'y')).toEqual(WRONGTYPE);
  });

  it('BITOP overwrites a destination of any type', async () => {
    const c = setup();
    c.db.add('d', new OtherValue());
    await run(c, 'SET', 'a', 'x');
    expect(await run(c, 'BITOP', 'OR', 'd', 'a')).toEqual(int(1));
    expect(readString(c.db, 'd')).toBe('x');
    c.db.setKey('d', new OtherValue());
    expect(await run(c, 'BITOP', 'OR', 'd', 'nokey')).toEqual(int(0));
    expect(c.db.exists('d')).toBe(false);
  });
});

describe('WATCH', () => {
  async function execSucceeds(prepare: string[][], change: string[][]): Promise<boolean> {
    const c = setup();
    const other = engine.connect();
    for (const argv of prepare) await other.execute(argv);
    await run(c, 'WATCH', 'k');
    for (const argv of change) await other.execute(argv);
    await run(c, 'MULTI');
    await run(c, 'PING');
    return (await run(c, 'EXEC')).kind === 'array';
  }

  it('SETBIT touches the key only when a bit changes or the string grows', async () => {
    const set = [['SET', 'k', '\x01']];
    expect(await execSucceeds(set, [['SETBIT', 'k', '7', '1']])).toBe(true);
    expect(await execSucceeds(set, [['SETBIT', 'k', '0', '0']])).toBe(true);
    expect(await execSucceeds(set, [['SETBIT', 'k', '0', '1']])).toBe(false);
    expect(await execSucceeds(set, [['SETBIT', 'k', '8', '0']])).toBe(false);
    expect(await execSucceeds([], [['SETBIT', 'k', '0', '0']])).toBe(false);
  });

  it('BITFIELD touches the key only when a write changes bits', async () => {
    const set = [['SET', 'k', 'a']];
    expect(await execSucceeds(set, [['BITFIELD', 'k', 'GET', 'u8', '0']])).toBe(true);
    expect(await execSucceeds(set, [['BITFIELD', 'k', 'SET', 'u8', '0', '97']])).toBe(true);
    expect(await execSucceeds(set, [['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000']])).toBe(true);
    expect(await execSucceeds(set, [['BITFIELD', 'k', 'SET', 'u8', '0', '98']])).toBe(false);
    expect(await execSucceeds(set, [['BITFIELD', 'k', 'SET', 'u8', '8', '0']])).toBe(false);
  });

  it('BITOP touches its destination, even when it only deletes it', async () => {
    expect(await execSucceeds([['SET', 'a', 'x']], [['BITOP', 'AND', 'k', 'a']])).toBe(false);
    expect(await execSucceeds([['SET', 'k', 'x']], [['BITOP', 'AND', 'k', 'nokey']])).toBe(false);
    expect(await execSucceeds([], [['BITOP', 'AND', 'k', 'nokey']])).toBe(true);
  });
});

describe('sizes', () => {
  it('SETBIT far out pads with zero bytes, and many SETBITs stay fast', async () => {
    const c = setup();
    expect(await run(c, 'SETBIT', 'big', String(8 * 1024 * 1024 - 1), '1')).toEqual(int(0));
    expect(await run(c, 'STRLEN', 'big')).toEqual(int(1024 * 1024));
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) await run(c, 'SETBIT', 'big', String((i * 7919) % (8 * 1024 * 1024)), '1');
    // In place: a copy of the megabyte per SETBIT would take many seconds.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await run(c, 'BITCOUNT', 'big')).toEqual(int(20_001));
    expect(await run(c, 'BITPOS', 'big', '1', '-1')).toEqual(int(8 * 1024 * 1024 - 1));
  });

  it('accepts the last bit offset (2^32 - 1) and refuses the next', async () => {
    const c = setup();
    expect(await run(c, 'GETBIT', 'k', '4294967295')).toEqual(int(0));
    expect(await run(c, 'GETBIT', 'k', '4294967296')).toEqual({ kind: 'error', message: 'ERR bit offset is not an integer or out of range' });
    expect(await run(c, 'BITFIELD', 'k', 'GET', 'u8', '4294967295')).toEqual({ kind: 'array', items: [int(0)] });
  });
});
