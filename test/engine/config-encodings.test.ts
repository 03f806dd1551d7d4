/**
 * The encoding thresholds follow CONFIG SET: what the differential corpus
 * (config-encodings.redis) cannot show — the cached limits and when they change, one engine's
 * settings not leaking into another's, limits above the defaults on big collections, and that a
 * command reads the configuration once rather than per element. Encodings were checked against
 * redis-server 7.0.15 (`CONFIG SET …` then `OBJECT ENCODING`).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Config, ConfigError } from '../../src/engine/config.js';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import { HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE } from '../../src/engine/types/hash.js';
import { SET_MAX_INTSET_ENTRIES } from '../../src/engine/types/set.js';
import { ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE } from '../../src/engine/types/zset.js';
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

async function encoding(key: string, client: Client = c): Promise<string> {
  const reply = await client.execute(['OBJECT', 'ENCODING', key]);
  if (reply.kind !== 'bulk') throw new Error(`no encoding for ${key}: ${JSON.stringify(reply)}`);
  return reply.value;
}

const numbers = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => String(from + i));
const pairs = (n: number): string[] => numbers(n).flatMap((i) => [`f${i}`, i]);
const scored = (n: number): string[] => numbers(n).flatMap((i) => [i, `m${i}`]);

describe('Config.encodingLimits', () => {
  it("starts at config.c's built-in defaults, the types' named constants", () => {
    expect(new Config().encodingLimits).toEqual({
      hashMaxListpackEntries: HASH_MAX_LISTPACK_ENTRIES,
      hashMaxListpackValue: HASH_MAX_LISTPACK_VALUE,
      setMaxIntsetEntries: SET_MAX_INTSET_ENTRIES,
      zsetMaxListpackEntries: ZSET_MAX_LISTPACK_ENTRIES,
      zsetMaxListpackValue: ZSET_MAX_LISTPACK_VALUE,
      // stream-node-max-entries and stream-node-max-bytes (config.c: 100 and 4096)
      streamNodeMaxEntries: 100,
      streamNodeMaxBytes: 4096,
    });
  });

  it('is one frozen object until a value changes, then a new one', () => {
    const config = new Config();
    const before = config.encodingLimits;
    expect(Object.isFrozen(before)).toBe(true);
    expect(config.encodingLimits).toBe(before);
    config.set([['hash-max-ziplist-entries', '7'], ['zset-max-ziplist-value', '1kb']]);
    const after = config.encodingLimits;
    expect(after).not.toBe(before);
    expect(after.hashMaxListpackEntries).toBe(7);
    expect(after.zsetMaxListpackValue).toBe(1024);
    expect(before.hashMaxListpackEntries).toBe(512);
  });

  it('is untouched by a CONFIG SET that fails half way', () => {
    const config = new Config();
    expect(() => config.set([['set-max-intset-entries', '3'], ['zset-max-listpack-entries', '-1']])).toThrow(ConfigError);
    expect(config.encodingLimits.setMaxIntsetEntries).toBe(512);
    expect(config.encodingLimits.zsetMaxListpackEntries).toBe(128);
  });

  it('follows values set at startup', () => {
    const config = new Config();
    expect(config.encodingLimits.hashMaxListpackValue).toBe(64);
    config.setStartup('hash-max-listpack-value', '2mb');
    expect(config.encodingLimits.hashMaxListpackValue).toBe(2 * 1024 * 1024);
  });
});

describe('thresholds per engine', () => {
  it("one engine's CONFIG SET does not change another's encodings", async () => {
    const other = new Engine({ activeExpiry: false });
    try {
      const d = other.connect();
      await run('CONFIG', 'SET', 'hash-max-listpack-entries', '1', 'set-max-intset-entries', '1', 'zset-max-listpack-entries', '1');
      for (const client of [c, d]) {
        await client.execute(['HSET', 'h', 'a', '1', 'b', '2']);
        await client.execute(['SADD', 's', '1', '2']);
        await client.execute(['ZADD', 'z', '1', 'a', '2', 'b']);
      }
      expect([await encoding('h'), await encoding('s'), await encoding('z')]).toEqual(['hashtable', 'hashtable', 'skiplist']);
      expect([await encoding('h', d), await encoding('s', d), await encoding('z', d)]).toEqual(['listpack', 'intset', 'listpack']);
    } finally {
      other.close();
    }
  });

  it('a CONFIG SET queued in MULTI applies to the commands after it in the same EXEC', async () => {
    await run('MULTI');
    await run('HSET', 'before', 'a', '1', 'b', '2');
    await run('CONFIG', 'SET', 'hash-max-listpack-entries', '1');
    await run('HSET', 'after', 'a', '1', 'b', '2');
    await run('EXEC');
    expect(await encoding('before')).toBe('listpack');
    expect(await encoding('after')).toBe('hashtable');
  });
});

describe('limits above the defaults', () => {
  it('keeps a hash of 1000 fields a listpack, answered whole by HSCAN', async () => {
    await run('CONFIG', 'SET', 'hash-max-listpack-entries', '1000');
    await run('HSET', 'h', ...pairs(1000));
    expect(await encoding('h')).toBe('listpack');
    const scan = await run('HSCAN', 'h', '0', 'COUNT', '10');
    expect(scan.kind === 'array' && scan.items[0]).toEqual({ kind: 'bulk', value: '0' });
    const fields = scan.kind === 'array' ? scan.items[1] : undefined;
    expect(fields?.kind === 'array' && fields.items.length).toBe(2000);
    await run('HSET', 'h', 'one-more', 'x');
    expect(await encoding('h')).toBe('hashtable');
  });

  it('keeps 1000 integers an intset, answered in ascending order', async () => {
    await run('CONFIG', 'SET', 'set-max-intset-entries', '1000');
    await run('SADD', 's', ...numbers(1000).reverse());
    expect(await encoding('s')).toBe('intset');
    const members = await run('SMEMBERS', 's');
    expect(members.kind === 'set' && members.items.map((m) => (m.kind === 'bulk' ? m.value : '?'))).toEqual(numbers(1000));
    await run('SADD', 's', '1000');
    expect(await encoding('s')).toBe('hashtable');
  });

  it('takes a set-max-intset-entries beyond 2^30 (setTypeAdd caps it there); CONFIG GET shows the value set', async () => {
    await run('CONFIG', 'SET', 'set-max-intset-entries', '5000000000');
    expect(await run('CONFIG', 'GET', 'set-max-intset-entries')).toEqual({
      kind: 'map', entries: [[{ kind: 'bulk', value: 'set-max-intset-entries' }, { kind: 'bulk', value: '5000000000' }]],
    });
    await run('SADD', 's', ...numbers(600));
    expect(await encoding('s')).toBe('intset');
  });

  it('keeps a sorted set of 300 members a listpack, and builds ZUNIONSTORE results as one', async () => {
    await run('CONFIG', 'SET', 'zset-max-listpack-entries', '300', 'zset-max-listpack-value', '200');
    await run('ZADD', 'z', ...scored(300));
    await run('ZADD', 'long', '1', 'x'.repeat(200));
    expect(await encoding('z')).toBe('listpack');
    expect(await encoding('long')).toBe('listpack');
    await run('ZUNIONSTORE', 'u', '2', 'z', 'long');
    expect(await encoding('u')).toBe('skiplist');
    await run('ZINTERSTORE', 'i', '1', 'z');
    expect(await encoding('i')).toBe('listpack');
    await run('ZADD', 'z', '1', 'one-more');
    expect(await encoding('z')).toBe('skiplist');
  });
});

describe('reading the configuration', () => {
  it('once per command, not once per element', async () => {
    await run('CONFIG', 'SET', 'hash-max-listpack-entries', '100', 'set-max-intset-entries', '100', 'zset-max-listpack-entries', '100');
    const lookups = vi.spyOn(engine.config, 'number');
    const limits = vi.spyOn(engine.config, 'encodingLimits', 'get');
    await run('HSET', 'h', ...pairs(500));
    await run('SADD', 's', ...numbers(500));
    await run('ZADD', 'z', ...scored(500));
    await run('SUNIONSTORE', 'u', 's', 's');
    expect(limits.mock.calls.length).toBeGreaterThan(0);
    expect(limits.mock.calls.length).toBeLessThanOrEqual(4);
    // The cache is rebuilt once after the CONFIG SET: seven parameters, looked up once each.
    expect(lookups.mock.calls.length).toBe(7);
    expect([await encoding('h'), await encoding('s'), await encoding('z'), await encoding('u')])
      .toEqual(['hashtable', 'hashtable', 'skiplist', 'hashtable']);
  });
});
