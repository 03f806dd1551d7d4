/**
 * Sorted sets beyond what a redis-cli script shows: encodings and their conversions, RESP3
 * reply shapes, ZRANDMEMBER's random answers (by their properties), ZSCAN of a skiplist, WATCH,
 * sets as ZUNION/ZINTER/ZDIFF inputs, and timeout parsing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Client } from '../../src/engine/client.js';
import { COMMANDS } from '../../src/engine/commands.js';
import { Engine } from '../../src/engine/engine.js';
import { RedisObject } from '../../src/engine/keyspace.js';
import {
  ZSET_MAX_LISTPACK_ENTRIES, ZSetValue,
} from '../../src/engine/types/zset.js';
import { renderReply } from '../../src/resp/render.js';
import type { Reply } from '../../src/resp/reply.js';
import { parseTimeout } from '../../src/engine/blocking.js';

let engine: Engine;
let c: Client;

beforeEach(() => {
  engine = new Engine({ activeExpiry: false });
  c = engine.connect();
});
afterEach(() => engine.close());

async function run(...argv: string[]): Promise<Reply> {
  return c.execute(argv);
}

function values(reply: Reply): string[] {
  if (reply.kind !== 'array') throw new Error(`not an array: ${reply.kind}`);
  return reply.items.map((r) => {
    if (r.kind === 'bulk') return r.value;
    if (r.kind === 'double') return String(r.value);
    throw new Error(`unexpected ${r.kind}`);
  });
}

function zset(key: string): ZSetValue {
  const value = c.db.dict.get(key);
  if (!(value instanceof ZSetValue)) throw new Error(`${key} is not a sorted set`);
  return value;
}

describe('ZSetValue encodings', () => {
  it('converts to skiplist past 128 members or at a 65-byte member, and never back', async () => {
    for (let i = 0; i < ZSET_MAX_LISTPACK_ENTRIES; i++) await run('ZADD', 'z', String(i), `m${i}`);
    expect(zset('z').encoding()).toBe('listpack');
    await run('ZADD', 'z', '0', 'one-more');
    expect(zset('z').encoding()).toBe('skiplist');
    await run('ZREMRANGEBYRANK', 'z', '0', '-3');
    expect(zset('z').size).toBe(2);
    expect(zset('z').encoding()).toBe('skiplist');

    await run('ZADD', 'long', '1', 'a');
    await run('ZADD', 'long', 'XX', '1', 'x'.repeat(65));
    expect(zset('long').encoding()).toBe('listpack');
    await run('ZADD', 'long', '1', 'x'.repeat(64));
    expect(zset('long').encoding()).toBe('listpack');
    await run('ZADD', 'long', '1', 'x'.repeat(65));
    expect(zset('long').encoding()).toBe('skiplist');
    await run('ZADD', 'first', '1', 'y'.repeat(65));
    expect(zset('first').encoding()).toBe('skiplist');
  });

  it('builds stored results in the smallest encoding that fits (ZUNIONSTORE, ZRANGESTORE)', async () => {
    await run('ZADD', 'big', '1', 'a', '2', 'x'.repeat(70));
    expect(zset('big').encoding()).toBe('skiplist');
    await run('ZREM', 'big', 'x'.repeat(70));
    expect(zset('big').encoding()).toBe('skiplist');
    await run('ZUNIONSTORE', 'u', '1', 'big');
    expect(zset('u').encoding()).toBe('listpack');
    await run('ZRANGESTORE', 'r', 'big', '0', '-1');
    expect(zset('r').encoding()).toBe('listpack');
    const many = Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat();
    await run('ZADD', 'many', ...many);
    await run('ZRANGESTORE', 'r128', 'many', '0', '127');
    expect(zset('r128').encoding()).toBe('listpack');
    await run('ZRANGESTORE', 'r129', 'many', '0', '128');
    expect(zset('r129').encoding()).toBe('skiplist');
    await run('ZINTERSTORE', 'i', '2', 'many', 'many');
    expect(zset('i').encoding()).toBe('skiplist');
  });

  it('duplicates with the same encoding and no shared state', () => {
    const z = new ZSetValue();
    z.add(1, 'a');
    z.add(2, 'b');
    const copy = z.duplicate();
    copy.add(5, 'a');
    expect(z.score('a')).toBe(1);
    expect(copy.encoding()).toBe('listpack');
    const big = ZSetValue.fromEntries(Array.from({ length: 200 }, (_, i) => ({ member: `m${i}`, score: i })));
    expect(big.duplicate().encoding()).toBe('skiplist');
    expect([...big.duplicate().entries()]).toEqual([...big.entries()]);
  });

  it('keeps -0 only in the skiplist encoding, as a listpack stores integer 0', () => {
    const small = new ZSetValue();
    expect(small.add(-0, 'a')).toEqual({ outcome: 'added', score: -0 });
    expect(Object.is(small.score('a'), 0)).toBe(true);
    const large = new ZSetValue(false);
    large.add(-0, 'a');
    expect(Object.is(large.score('a'), -0)).toBe(true);
    expect(Object.is(ZSetValue.fromEntries([{ member: 'a', score: -0 }]).score('a'), 0)).toBe(true);
  });

  it('offers the API GEO builds on: flags, rank, ranges and score lookups', () => {
    const z = new ZSetValue();
    expect(z.add(3, 'c').outcome).toBe('added');
    expect(z.add(1, 'a').outcome).toBe('added');
    expect(z.add(2, 'b').outcome).toBe('added');
    expect(z.add(2, 'b').outcome).toBe('unchanged');
    expect(z.add(5, 'b', { nx: true }).outcome).toBe('skipped');
    expect(z.add(5, 'd', { xx: true }).outcome).toBe('skipped');
    expect(z.add(1, 'b', { gt: true }).outcome).toBe('skipped');
    expect(z.add(2, 'b', { incr: true })).toEqual({ outcome: 'updated', score: 4 });
    expect(z.add(Number.NaN, 'x').outcome).toBe('nan');
    expect(z.rank('b')).toBe(2);
    expect(z.rank('b', true)).toBe(0);
    expect(z.rangeByRank(0, 1).map((e) => e.member)).toEqual(['a', 'c']);
    expect(z.rangeByScore({ min: 2, max: 4, minex: false, maxex: false }).map((e) => e.member)).toEqual(['c', 'b']);
    expect(z.rangeByScore({ min: 2, max: 4, minex: false, maxex: false }, true, 1).map((e) => e.member)).toEqual(['c']);
    expect(z.countByScore({ min: -Infinity, max: Infinity, minex: false, maxex: false })).toBe(3);
    expect(z.remove('a')).toBe(true);
    expect(z.remove('a')).toBe(false);
    expect(z.pop(true)).toEqual({ member: 'b', score: 4 });
    expect(z.size).toBe(1);
  });
});

describe('RESP3 replies', () => {
  // Expected output taken from `redis-cli -3 --no-raw` against Redis 7.0.15, fed the same lines.
  const script = [
    'ZADD z 1.1 a 2 b inf c', 'ZSCORE z a', 'ZSCORE z nosuch', 'ZMSCORE z a nosuch c', 'ZINCRBY z 1 b',
    'ZADD z INCR 1 b', 'ZADD z NX INCR 1 b', 'ZRANK z b', 'ZRANK z nosuch', 'ZRANGE z 0 -1 WITHSCORES',
    'ZRANGE z 0 -1', 'ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 1 1', 'ZRANGE z 5 6 WITHSCORES',
    'ZUNION 1 z WITHSCORES', 'ZINTER 1 z WITHSCORES', 'ZDIFF 1 z WITHSCORES', 'ZRANDMEMBER z 10 WITHSCORES',
    'ZRANDMEMBER nokey 10 WITHSCORES', 'ZRANDMEMBER nokey', 'ZSCAN z 0', 'ZPOPMIN z', 'ZPOPMAX z 1',
    'ZPOPMIN nokey', 'ZPOPMIN nokey 1', 'ZADD z 1 a 2 b 3 c', 'BZPOPMIN z 0', 'BZMPOP 0 1 z MAX COUNT 1',
    'ZMPOP 1 z MIN', 'ZMPOP 1 z MIN', 'BZPOPMIN nokey 0.01', 'BZMPOP 0.01 1 nokey MIN',
  ];
  const expected = `(integer) 3
(double) 1.1000000000000001
(nil)
1) (double) 1.1000000000000001
2) (nil)
3) (double) inf
(double) 3
(double) 4
(nil)
(integer) 1
(nil)
1) 1) "a"
   2) (double) 1.1000000000000001
2) 1) "b"
   2) (double) 4
3) 1) "c"
   2) (double) inf
1) "a"
2) "b"
3) "c"
1) 1) "b"
   2) (double) 4
(empty array)
1) 1) "a"
   2) (double) 1.1000000000000001
2) 1) "b"
   2) (double) 4
3) 1) "c"
   2) (double) inf
1) 1) "a"
   2) (double) 1.1000000000000001
2) 1) "b"
   2) (double) 4
3) 1) "c"
   2) (double) inf
1) 1) "a"
   2) (double) 1.1000000000000001
2) 1) "b"
   2) (double) 4
3) 1) "c"
   2) (double) inf
1) 1) "c"
   2) (double) inf
2) 1) "b"
   2) (double) 4
3) 1) "a"
   2) (double) 1.1000000000000001
(empty array)
(nil)
1) "0"
2) 1) "a"
   2) "1.1000000000000001"
   3) "b"
   4) "4"
   5) "c"
   6) "inf"
1) "a"
2) (double) 1.1000000000000001
1) 1) "c"
   2) (double) inf
(empty array)
(empty array)
(integer) 2
1) "z"
2) "a"
3) (double) 1
1) "z"
2) 1) 1) "c"
      2) (double) 3
1) "z"
2) 1) 1) "b"
      2) (double) 2
(nil)
(nil)
(nil)
`;

  it('nest WITHSCORES pairs and answer doubles as redis-cli -3 shows', async () => {
    c.resp = 3;
    let out = '';
    for (const line of script) out += renderReply(await run(...line.split(' ')));
    expect(out).toBe(expected);
  });
});

describe('ZRANDMEMBER', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => [String(i), `m${i}`]).flat();

  it('a negative count repeats members, as many as asked, each with its own score', async () => {
    await run('ZADD', 'z', ...members(5));
    const reply = values(await run('ZRANDMEMBER', 'z', '-50', 'WITHSCORES'));
    expect(reply.length).toBe(100);
    for (let i = 0; i < reply.length; i += 2) expect(`m${reply[i + 1]}`).toBe(reply[i]);
    expect(new Set(values(await run('ZRANDMEMBER', 'z', '-200'))).size).toBeGreaterThan(1);
  });

  it('a positive count gives distinct members, in every strategy and encoding', async () => {
    await run('ZADD', 'small', ...members(100));
    await run('ZADD', 'large', ...members(1000));
    for (const [key, count] of [['small', 50], ['small', 10], ['large', 400], ['large', 20], ['large', 1]] as const) {
      const got = values(await run('ZRANDMEMBER', key, String(count)));
      expect(got.length).toBe(count);
      expect(new Set(got).size).toBe(count);
      for (const m of got) expect(zset(key).has(m)).toBe(true);
    }
  });

  it('a small listpack picks a few members in set order (lpRandomPairsUnique)', async () => {
    await run('ZADD', 'z', ...members(100));
    const got = values(await run('ZRANDMEMBER', 'z', '10'));
    const ranks = got.map((m) => zset('z').rank(m) as number);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('without a count answers one member, and reaches every member', async () => {
    await run('ZADD', 'z', ...members(4));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = await run('ZRANDMEMBER', 'z');
      if (r.kind !== 'bulk') throw new Error('expected a bulk reply');
      seen.add(r.value);
    }
    expect(seen).toEqual(new Set(['m0', 'm1', 'm2', 'm3']));
  });

  it('refuses a repeated count too large to answer rather than exhausting memory', async () => {
    await run('ZADD', 'z', '1', 'a');
    const r = await run('ZRANDMEMBER', 'z', '-9223372036854775807');
    expect(r.kind).toBe('error');
  });
});

describe('ZSCAN of a skiplist', () => {
  it('returns every member exactly once with its score, across cursors', async () => {
    const args = Array.from({ length: 300 }, (_, i) => [String(i + 0.5), `m${i}`]).flat();
    await run('ZADD', 'z', ...args);
    const seen = new Map<string, string>();
    let cursor = '0';
    let rounds = 0;
    do {
      const r = await run('ZSCAN', 'z', cursor, 'COUNT', '25');
      if (r.kind !== 'array') throw new Error('expected an array');
      const [next, items] = r.items as [Reply, Reply];
      if (next.kind !== 'bulk') throw new Error('expected a cursor');
      cursor = next.value;
      const flat = values(items);
      for (let i = 0; i < flat.length; i += 2) {
        expect(seen.has(flat[i] as string)).toBe(false);
        seen.set(flat[i] as string, flat[i + 1] as string);
      }
      rounds++;
    } while (cursor !== '0');
    expect(rounds).toBeGreaterThan(10);
    expect(seen.size).toBe(300);
    expect(seen.get('m7')).toBe('7.5');
  });

  it('filters with MATCH after taking COUNT members', async () => {
    const args = Array.from({ length: 200 }, (_, i) => [String(i), `${i % 2 ? 'odd' : 'even'}${i}`]).flat();
    await run('ZADD', 'z', ...args);
    const r = await run('ZSCAN', 'z', '0', 'MATCH', 'odd*', 'COUNT', '1000');
    if (r.kind !== 'array') throw new Error('expected an array');
    expect(values(r.items[1] as Reply).length).toBe(200);
  });
});

describe('WATCH and sorted sets', () => {
  async function watched(...write: string[]): Promise<Reply> {
    const other = engine.connect();
    await run('WATCH', 'z');
    await other.execute(write);
    await run('MULTI');
    await run('PING');
    return run('EXEC');
  }

  it('a ZADD that changes nothing does not touch the key; one that does, does', async () => {
    await run('ZADD', 'z', '1', 'a');
    expect((await watched('ZADD', 'z', '1', 'a')).kind).toBe('array');
    expect((await watched('ZADD', 'z', '2', 'a')).kind).toBe('null');
    expect((await watched('ZREM', 'z', 'nosuch')).kind).toBe('array');
    expect((await watched('ZPOPMIN', 'z')).kind).toBe('null');
  });

  it('stores and their deletions of an empty result touch the destination', async () => {
    await run('ZADD', 'src', '1', 'a');
    expect((await watched('ZUNIONSTORE', 'z', '1', 'src')).kind).toBe('null');
    expect((await watched('ZINTERSTORE', 'z', '2', 'src', 'nokey')).kind).toBe('null');
    expect((await watched('ZINTERSTORE', 'z', '2', 'src', 'nokey')).kind).toBe('array');
  });
});

describe('sets as ZUNION/ZINTER/ZDIFF inputs (each member scores 1)', () => {
  beforeEach(async () => {
    await run('SADD', 's', 'a', 'b', 'x');
    await run('ZADD', 'z', '5', 'a', '7', 'b', '9', 'c');
  });

  it('counts set members with score 1, weighted', async () => {
    expect(values(await run('ZUNION', '2', 's', 'z', 'WITHSCORES'))).toEqual(['x', '1', 'a', '6', 'b', '8', 'c', '9']);
    expect(values(await run('ZINTER', '2', 's', 'z', 'WEIGHTS', '10', '1', 'WITHSCORES'))).toEqual(['a', '15', 'b', '17']);
    expect(values(await run('ZDIFF', '2', 's', 'z', 'WITHSCORES'))).toEqual(['x', '1']);
    expect(values(await run('ZDIFF', '2', 'z', 's'))).toEqual(['c']);
    expect(await run('ZUNIONSTORE', 'dst', '1', 's')).toEqual({ kind: 'integer', value: 3 });
    expect(values(await run('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'))).toEqual(['a', '1', 'b', '1', 'x', '1']);
  });

  it('takes intsets too, and AGGREGATE MIN against the sorted set', async () => {
    expect(values(await run('ZINTER', '2', 's', 'z', 'AGGREGATE', 'MIN', 'WITHSCORES'))).toEqual(['a', '1', 'b', '1']);
    await run('SADD', 'ints', '1', '2', '3');
    expect(values(await run('ZUNION', '1', 'ints', 'WITHSCORES'))).toEqual(['1', '1', '2', '1', '3', '1']);
  });
});

/** How long BZPOPMIN waits for a timeout argument (0: forever), through the shared parseTimeout. */
function waitMs(arg: string): number {
  const deadline = parseTimeout(arg, 1000, 'seconds');
  return deadline === 0 ? 0 : deadline - 1000;
}

describe('blocking timeouts (getTimeoutFromObjectOrReply, in seconds)', () => {
  // Each case checked against Redis 7.0.15 with BZPOPMIN on a key holding a member.
  it.each([
    ['0', 0], ['1', 1000], ['0.001', 1], ['1.5', 1500], ['.5', 500], ['1.', 1000], ['+1', 1000],
    ['0x10', 16000], ['-0', 0], ['-0.001', 0], ['-0.0005', 0], ['1e-400', 1], ['-1e-400', 0],
  ])('%s waits %i ms', (arg, ms) => {
    expect(waitMs(arg)).toBe(ms);
  });

  it.each([
    ['-1', 'ERR timeout is negative'], ['-0.0015', 'ERR timeout is negative'], ['inf', 'ERR timeout is negative'],
    ['-inf', 'ERR timeout is negative'], ['1e400', 'ERR timeout is negative'], ['9.3e15', 'ERR timeout is negative'],
    ['x', 'ERR timeout is not a float or out of range'], [' 1', 'ERR timeout is not a float or out of range'],
    ['nan', 'ERR timeout is not a float or out of range'], ['1e5000', 'ERR timeout is not a float or out of range'],
    ['1e-5000', 'ERR timeout is not a float or out of range'], ['', 'ERR timeout is not a float or out of range'],
  ])('%s is refused', (arg, message) => {
    expect(() => waitMs(arg)).toThrow(message);
  });
});
