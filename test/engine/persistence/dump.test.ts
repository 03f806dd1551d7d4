/**
 * DUMP and RESTORE against redis-server 7.0: payloads move both ways for every type and
 * encoding (redis-server's DUMP restored here, ours restored there, compared key by key), and
 * RESTORE's errors and options answer as Redis does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/engine/clock.js';
import { Engine } from '../../../src/engine/engine.js';
import type { Reply } from '../../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { respClient, type RespClient } from '../../helpers/resp-client.js';
import { describeKeyspace } from './keyspace-dump.js';
import { fillEveryType } from './fill.js';

const available = realRedisAvailable('DUMP/RESTORE with redis-server');

function bulkValue(r: Reply): string {
  if (r.kind !== 'bulk') throw new Error(`expected a bulk reply, got ${r.kind}`);
  return r.value;
}

describe.runIf(available)('DUMP and RESTORE with redis-server 7.0', () => {
  let server: RedisServer;
  let redis: RespClient;
  let engine: Engine;
  const ours = (...argv: string[]) => engine.connect().execute(argv);
  const theirs = (...argv: string[]) => redis.call(...argv);

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await respClient(server.port);
    engine = new Engine({ activeExpiry: false });
  });
  afterAll(async () => {
    redis?.close();
    engine?.close();
    await server?.stop();
  });

  async function keys(call: (...argv: string[]) => Promise<Reply> | Reply): Promise<string[]> {
    const r = await call('KEYS', '*');
    if (r.kind !== 'array') throw new Error('KEYS');
    return r.items.map(bulkValue).sort();
  }

  it("restores redis-server's payloads, and redis-server restores ours, for every type", async () => {
    await theirs('FLUSHALL');
    await fillEveryType(theirs, Date.now());
    const expected = await describeKeyspace(theirs, [0], true);
    // RESTORE goes through rdbLoadObject, whose tryObjectEncoding makes a short raw string embstr.
    expected['0:s:raw'] = { ...expected['0:s:raw']!, encoding: 'embstr' };
    // Theirs into ours.
    const c = engine.connect();
    for (const key of await keys(theirs)) {
      const payload = bulkValue(await theirs('DUMP', key));
      const pttl = (await theirs('PTTL', key)) as { value: number };
      expect(await c.execute(['RESTORE', key, String(Math.max(0, pttl.value)), payload])).toEqual({ kind: 'simple', value: 'OK' });
    }
    const restoredHere = await describeKeyspace((...argv) => c.execute(argv), [0], true);
    const stripTtl = (d: Record<string, { expireAt: string }>) =>
      Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { ...v, expireAt: v.expireAt === '-1' ? '-1' : 'set' }]));
    expect(stripTtl(restoredHere)).toEqual(stripTtl(expected));
    // Ours back into redis-server, with absolute expiry times.
    await theirs('FLUSHALL');
    for (const key of await keys(ours)) {
      const payload = bulkValue(await c.execute(['DUMP', key]));
      const at = (await c.execute(['PEXPIRETIME', key])) as { value: number };
      const args = at.value > 0 ? [String(at.value), payload, 'ABSTTL'] : ['0', payload];
      expect(await theirs('RESTORE', key, ...args)).toEqual({ kind: 'simple', value: 'OK' });
    }
    expect(await describeKeyspace(theirs, [0], true)).toEqual(restoredHere);
  });

  it('answers errors and options as Redis does', async () => {
    await theirs('FLUSHALL');
    await ours('FLUSHALL');
    for (const call of [ours, theirs]) {
      await call('SET', 'src', 'hello');
      await call('RPUSH', 'list', 'a', 'b');
    }
    const payload = bulkValue(await theirs('DUMP', 'src'));
    const corrupt = payload.slice(0, -1) + String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1);
    const cases: string[][] = [
      ['DUMP', 'missing'],
      ['RESTORE', 'src', '0', payload],
      ['RESTORE', 'src', '0', payload, 'REPLACE'],
      ['RESTORE', 'new', '-1', payload],
      ['RESTORE', 'new', 'abc', payload],
      ['RESTORE', 'new', '0', corrupt],
      ['RESTORE', 'new', '0', 'short'],
      ['RESTORE', 'new', '0', payload, 'BOGUS'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME', '-1'],
      ['RESTORE', 'new', '0', payload, 'FREQ', '256'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME', '10', 'FREQ', '5'],
      ['RESTORE', 'new', '0', payload, 'IDLETIME'],
      ['RESTORE', 'new2', '0', payload, 'IDLETIME', '1000'],
      ['OBJECT', 'IDLETIME', 'new2'],
      ['RESTORE', 'list', '1', payload, 'REPLACE', 'ABSTTL'],
      ['EXISTS', 'list'],
      ['RESTORE', 'new3', '100000', payload],
      ['TYPE', 'new3'],
      ['RESTORE', 'new4', '0', '\x00\x05hello\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00'],
      ['RESTORE', 'new5', '0', '\x63garbage\x0a\x00'],
      ['RESTORE'],
    ];
    for (const argv of cases) {
      expect(await ours(...argv), argv.join(' ')).toEqual(await theirs(...argv));
    }
  });
});
