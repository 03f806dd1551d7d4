/**
 * Hashes: what the differential corpus cannot show — encodings (OBJECT ENCODING is another
 * module's), duplicate(), RESP3 reply types, WATCH, and big hashes. Encoding expectations were
 * taken from redis-server 7.0.15 started without a config file (`OBJECT ENCODING`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import { HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE, HashValue } from '../../src/engine/types/hash.js';
import type { Reply } from '../../src/resp/reply.js';

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

function hashAt(key: string): HashValue {
  const value = c.db.dict.get(key);
  if (!(value instanceof HashValue)) throw new Error(`${key} is not a hash`);
  return value;
}

function fieldsAndValues(n: number, prefix = 'f'): string[] {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(`${prefix}${i}`, String(i));
  return args;
}

describe('hash encoding', () => {
  it('uses the built-in thresholds of redis-server 7.0 (512 entries, 64 bytes)', () => {
    expect(HASH_MAX_LISTPACK_ENTRIES).toBe(512);
    expect(HASH_MAX_LISTPACK_VALUE).toBe(64);
  });

  it('is a listpack up to 512 fields and a hash table from the 513th', async () => {
    await run('HSET', 'h', ...fieldsAndValues(512));
    expect(hashAt('h').encoding()).toBe('listpack');
    await run('HSET', 'h', 'f0', 'updated');
    expect(hashAt('h').encoding()).toBe('listpack');
    await run('HSET', 'h', 'one-more', 'x');
    expect(hashAt('h').encoding()).toBe('hashtable');
  });

  it('converts for a field or value longer than 64 bytes, by any command', async () => {
    await run('HSET', 'ok', 'a'.repeat(64), 'b'.repeat(64));
    expect(hashAt('ok').encoding()).toBe('listpack');
    await run('HSET', 'value', 'f', 'v'.repeat(65));
    expect(hashAt('value').encoding()).toBe('hashtable');
    await run('HSET', 'field', 'f'.repeat(65), 'v');
    expect(hashAt('field').encoding()).toBe('hashtable');
    await run('HSETNX', 'nx', 'f', 'v'.repeat(65));
    expect(hashAt('nx').encoding()).toBe('hashtable');
    await run('HINCRBY', 'incr', 'f'.repeat(65), '1');
    expect(hashAt('incr').encoding()).toBe('hashtable');
    // redis-cli: HINCRBYFLOAT h f 1e300 stores a 301-digit number.
    await run('HINCRBYFLOAT', 'float', 'f', '1e300');
    expect(hashAt('float').encoding()).toBe('hashtable');
  });

  it('does not convert when HSETNX finds the field (nothing is set)', async () => {
    await run('HSET', 'h', 'f', 'v');
    expect(await run('HSETNX', 'h', 'f', 'v'.repeat(100))).toEqual({ kind: 'integer', value: 0 });
    expect(hashAt('h').encoding()).toBe('listpack');
  });

  it('never goes back to a listpack, until the key is deleted and made again', async () => {
    await run('HSET', 'h', 'f', 'v'.repeat(65), 'g', '1');
    await run('HDEL', 'h', 'f');
    expect(hashAt('h').encoding()).toBe('hashtable');
    await run('HDEL', 'h', 'g');
    expect(c.db.dict.has('h')).toBe(false);
    await run('HSET', 'h', 'g', '1');
    expect(hashAt('h').encoding()).toBe('listpack');
  });
});

describe('HashValue.duplicate', () => {
  it('copies fields, order and encoding, and shares nothing', async () => {
    await run('HSET', 'h', 'b', '1', 'a', '2', 'c', '3');
    const original = hashAt('h');
    const copy = original.duplicate();
    expect([...copy.entries()]).toEqual([['b', '1'], ['a', '2'], ['c', '3']]);
    expect(copy.encoding()).toBe('listpack');
    copy.set('d', '4');
    copy.delete('a');
    expect(original.size).toBe(3);
    expect(original.get('a')).toBe('2');
    expect(original.has('d')).toBe(false);
  });

  it('keeps the hash-table encoding even when the copy is small', async () => {
    await run('HSET', 'h', 'f', 'v'.repeat(65), 'g', '1');
    await run('HDEL', 'h', 'f');
    const copy = hashAt('h').duplicate();
    expect(copy.encoding()).toBe('hashtable');
    expect([...copy.entries()]).toEqual([['g', '1']]);
  });
});

describe('RESP3 reply types', () => {
  it('HGETALL is a map (an empty one for a missing key); HKEYS and HVALS are arrays', async () => {
    c.resp = 3;
    await run('HSET', 'h', 'a', '1');
    expect(await run('HGETALL', 'h')).toEqual({
      kind: 'map',
      entries: [[{ kind: 'bulk', value: 'a' }, { kind: 'bulk', value: '1' }]],
    });
    expect(await run('HGETALL', 'nokey')).toEqual({ kind: 'map', entries: [] });
    expect(await run('HKEYS', 'h')).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: 'a' }] });
    expect(await run('HVALS', 'nokey')).toEqual({ kind: 'array', items: [] });
  });

  it('HRANDFIELD WITHVALUES pairs each field with its value in RESP3, flat in RESP2', async () => {
    // redis-cli -3: HRANDFIELD h 5 WITHVALUES → 1) 1) "a" 2) "1"  2) 1) "b" 2) "2"
    await run('HSET', 'h', 'a', '1', 'b', '2');
    c.resp = 3;
    expect(await run('HRANDFIELD', 'h', '5', 'WITHVALUES')).toEqual({
      kind: 'array',
      items: [
        { kind: 'array', items: [{ kind: 'bulk', value: 'a' }, { kind: 'bulk', value: '1' }] },
        { kind: 'array', items: [{ kind: 'bulk', value: 'b' }, { kind: 'bulk', value: '2' }] },
      ],
    });
    const negative = await run('HRANDFIELD', 'h', '-3', 'WITHVALUES');
    expect(negative.kind === 'array' && negative.items.every((i) => i.kind === 'array')).toBe(true);
    c.resp = 2;
    expect(await run('HRANDFIELD', 'h', '5', 'WITHVALUES')).toEqual({
      kind: 'array',
      items: ['a', '1', 'b', '2'].map((value) => ({ kind: 'bulk', value })),
    });
  });
});

describe('WATCH sees hash writes', () => {
  async function watchedThen(setup: string[][], write: string[]): Promise<Reply> {
    c.db.flush();
    for (const argv of setup) await run(...argv);
    const other = engine.connect();
    await run('WATCH', 'h');
    await other.execute(write);
    await run('MULTI');
    await run('PING');
    return run('EXEC');
  }
  const aborted = { kind: 'null', array: true };

  it('aborts after HSET, HDEL, HINCRBY, HINCRBYFLOAT, HSETNX that change the hash', async () => {
    expect(await watchedThen([], ['HSET', 'h', 'f', 'v'])).toEqual(aborted);
    expect(await watchedThen([['HSET', 'h', 'f', 'v']], ['HDEL', 'h', 'f'])).toEqual(aborted);
    expect(await watchedThen([], ['HINCRBY', 'h', 'n', '1'])).toEqual(aborted);
    expect(await watchedThen([], ['HINCRBYFLOAT', 'h', 'n', '1.5'])).toEqual(aborted);
    expect(await watchedThen([], ['HSETNX', 'h', 'n', '1'])).toEqual(aborted);
  });

  it('does not abort when nothing changed', async () => {
    const ok = await watchedThen([['HSET', 'h', 'f', 'v']], ['HDEL', 'h', 'nosuchfield']);
    expect(ok.kind).toBe('array');
    const ok2 = await watchedThen([['HSET', 'h', 'f', 'v']], ['HSETNX', 'h', 'f', 'other']);
    expect(ok2.kind).toBe('array');
  });
});

describe('HSCAN over a hash table', () => {
  it('returns every field exactly once with its value, even while the hash changes', async () => {
    await run('HSET', 'h', ...fieldsAndValues(1000));
    expect(hashAt('h').encoding()).toBe('hashtable');
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const reply = await run('HSCAN', 'h', cursor, 'COUNT', '25');
      if (reply.kind !== 'array') throw new Error('not an array');
      const [next, items] = reply.items as [Reply, Reply];
      if (next.kind !== 'bulk' || items.kind !== 'array') throw new Error('bad scan reply');
      cursor = next.value;
      const flat = items.items.map((i) => (i.kind === 'bulk' ? i.value : ''));
      expect(flat.length).toBeLessThanOrEqual(50);
      for (let i = 0; i < flat.length; i += 2) {
        expect(seen.has(flat[i] as string)).toBe(false);
        seen.set(flat[i] as string, flat[i + 1] as string);
      }
      // Writes between calls: fields added during the scan may or may not be seen.
      if (calls++ === 3) await run('HSET', 'h', 'added-during-scan', 'x', 'f999', 'changed');
    } while (cursor !== '0');
    for (let i = 0; i < 999; i++) expect(seen.get(`f${i}`)).toBe(String(i));
    expect(seen.get('f999')).toBe('changed');
    expect(calls).toBeGreaterThan(30);
  });

  it('filters by MATCH after counting, as Redis does', async () => {
    await run('HSET', 'h', ...fieldsAndValues(600));
    const reply = await run('HSCAN', 'h', '0', 'MATCH', 'f1*', 'COUNT', '10');
    if (reply.kind !== 'array') throw new Error('not an array');
    const items = reply.items[1];
    expect(items?.kind === 'array' && items.items.length <= 20).toBe(true);
  });
});

describe('HRANDFIELD properties (random, so not in the corpus)', () => {
  beforeEach(async () => {
    await run('HSET', 'h', ...fieldsAndValues(10));
    await run('HSET', 'big', ...fieldsAndValues(1000));
  });

  function strings(reply: Reply): string[] {
    if (reply.kind !== 'array') throw new Error('not an array');
    return reply.items.map((i) => (i.kind === 'bulk' ? i.value : '?'));
  }

  it('without a count, answers one existing field', async () => {
    for (let i = 0; i < 50; i++) {
      const reply = await run('HRANDFIELD', 'h');
      expect(reply.kind === 'bulk' && /^f[0-9]$/.test(reply.value)).toBe(true);
    }
  });

  it('a positive count gives that many distinct fields', async () => {
    for (const [key, count] of [['h', 3], ['h', 9], ['big', 10], ['big', 400], ['big', 999]] as const) {
      const fields = strings(await run('HRANDFIELD', key, String(count)));
      expect(fields).toHaveLength(count);
      expect(new Set(fields).size).toBe(count);
    }
  });

  it('a negative count gives exactly that many fields, repeats allowed', async () => {
    const fields = strings(await run('HRANDFIELD', 'h', '-100'));
    expect(fields).toHaveLength(100);
    expect(fields.every((f) => /^f[0-9]$/.test(f))).toBe(true);
    expect(new Set(fields).size).toBeGreaterThan(1);
  });

  it('WITHVALUES pairs each field with its own value', async () => {
    for (const count of ['5', '-20', '1']) {
      const flat = strings(await run('HRANDFIELD', 'big', count, 'WITHVALUES'));
      for (let i = 0; i < flat.length; i += 2) expect(flat[i]).toBe(`f${flat[i + 1]}`);
    }
  });

  it('picks every field sooner or later', async () => {
    const seen = new Set(strings(await run('HRANDFIELD', 'h', '-2000')));
    expect(seen.size).toBe(10);
  });

  it('sees fields added and removed since the last pick', async () => {
    await run('HRANDFIELD', 'h', '-5');
    await run('HDEL', 'h', ...Array.from({ length: 9 }, (_, i) => `f${i}`));
    await run('HSET', 'h', 'new', 'x');
    expect(new Set(strings(await run('HRANDFIELD', 'h', '-50')))).toEqual(new Set(['f9', 'new']));
  });
});

describe('a 100,000-field hash', () => {
  it('is written, read, counted, sampled and scanned quickly', async () => {
    const started = performance.now();
    for (let batch = 0; batch < 100; batch++) {
      const args: string[] = [];
      for (let i = batch * 1000; i < (batch + 1) * 1000; i++) args.push(`field:${i}`, `value:${i}`);
      await run('HSET', 'huge', ...args);
    }
    expect(await run('HLEN', 'huge')).toEqual({ kind: 'integer', value: 100_000 });
    expect(await run('HGET', 'huge', 'field:99999')).toEqual({ kind: 'bulk', value: 'value:99999' });
    expect(hashAt('huge').encoding()).toBe('hashtable');
    for (let i = 0; i < 1000; i++) await run('HRANDFIELD', 'huge');
    const sample = await run('HRANDFIELD', 'huge', '100');
    expect(sample.kind === 'array' && sample.items.length).toBe(100);
    let cursor = '0';
    let fields = 0;
    do {
      const reply = await run('HSCAN', 'huge', cursor, 'COUNT', '1000');
      if (reply.kind !== 'array') throw new Error('not an array');
      const [next, items] = reply.items as [Reply, Reply];
      if (next.kind !== 'bulk' || items.kind !== 'array') throw new Error('bad scan reply');
      cursor = next.value;
      fields += items.items.length / 2;
    } while (cursor !== '0');
    expect(fields).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
