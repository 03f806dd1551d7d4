/**
 * Geo commands beyond what a redis-cli script shows: RESP3 bytes (GEOPOS's "%.17Lf" doubles),
 * WATCH, the geohash arithmetic and number formats on their own, and a seeded random comparison
 * with a real redis-server on a sorted set big enough to be a skiplist.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client } from '../../src/engine/client.js';
import { Engine } from '../../src/engine/engine.js';
import { printfFixed } from '../../src/engine/types/geo.js';
import { asin, cos, sin } from '../../src/engine/types/geo-math.js';
import {
  calculateAreasByShape, decodeGeohashScore, geohashString, geoScore,
} from '../../src/engine/types/geohash.js';
import { asProtocol, encode } from '../../src/resp/encode.js';
import { renderReply } from '../../src/resp/render.js';
import type { Reply } from '../../src/resp/reply.js';
import { prng } from '../helpers/prng.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { respClient, type RespClient } from '../helpers/resp-client.js';

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

const SICILY = ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];

describe('RESP3', () => {
  // The bytes redis-server 7.0.15 sent after HELLO 3, read off the socket.
  it('GEOPOS answers doubles with the %.17Lf digits, and a null for a missing member', async () => {
    await run(...SICILY);
    c.resp = 3;
    const reply = await run('GEOPOS', 'Sicily', 'Palermo', 'nope');
    expect(encode(reply, 3)).toBe('*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n');
    expect(renderReply(reply)).toBe('1) 1) (double) 13.36138933897018433\n   2) (double) 38.11555639549629859\n2) (nil)\n');
  });

  it('GEORADIUS WITHDIST WITHHASH WITHCOORD: distance bulk, hash integer, coordinates doubles', async () => {
    await run(...SICILY);
    c.resp = 3;
    const reply = await run('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH');
    expect(encode(reply, 3)).toBe(
      '*2\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n' +
      '*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n');
  });

  it('GEODIST is a bulk string, or a null', async () => {
    await run(...SICILY);
    c.resp = 3;
    expect(encode(await run('GEODIST', 'Sicily', 'Palermo', 'Catania'), 3)).toBe('$11\r\n166274.1516\r\n');
    expect(encode(await run('GEODIST', 'Sicily', 'Palermo', 'nope'), 3)).toBe('_\r\n');
  });

  it('RESP2 sends the same coordinate digits as bulk strings', async () => {
    await run(...SICILY);
    expect(encode(await run('GEOPOS', 'Sicily', 'Catania', 'nope'), 2))
      .toBe('*2\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*-1\r\n');
  });
});

describe('WATCH and geo keys', () => {
  async function watched(key: string, ...write: string[]): Promise<Reply> {
    const other = engine.connect();
    await run('WATCH', key);
    await other.execute(write);
    await run('MULTI');
    await run('PING');
    return run('EXEC');
  }

  it('GEOADD touches the key only when it changes it', async () => {
    await run(...SICILY);
    expect((await watched('Sicily', ...SICILY)).kind).toBe('array');
    expect((await watched('Sicily', 'GEOADD', 'Sicily', '1', '1', 'x')).kind).toBe('null');
    expect((await watched('Sicily', 'GEOADD', 'Sicily', 'XX', '1', '1', 'nosuch')).kind).toBe('array');
  });

  it('a store touches its destination; an empty result only if it deletes one', async () => {
    await run(...SICILY);
    expect((await watched('dst', 'GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km')).kind).toBe('null');
    expect((await watched('dst', 'GEORADIUS', 'Sicily', '0', '0', '1', 'km', 'STORE', 'dst')).kind).toBe('null');
    expect((await watched('dst', 'GEORADIUS', 'Sicily', '0', '0', '1', 'km', 'STORE', 'dst')).kind).toBe('array');
    expect((await watched('dst', 'GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km')).kind).toBe('array');
  });
});

describe('geohash arithmetic', () => {
  it('encodes the docs example to the scores ZRANGE WITHSCORES shows', () => {
    expect(geoScore(13.361389, 38.115556)).toBe(3479099956230698);
    expect(geoScore(15.087269, 37.502669)).toBe(3479447370796909);
    expect(geohashString(3479099956230698)).toBe('sqc8b49rny0');
    expect(geohashString(3479447370796909)).toBe('sqdtr74hyu0');
  });

  it('the top edges spill past 52 bits, as C does (redis-cli: "13510798882111488")', () => {
    expect(geoScore(180, 85.05112878)).toBe(13510798882111488);
    expect(decodeGeohashScore(13510798882111488)).toEqual([180, 85.05112878]);
  });

  it('any score decodes, even one no GEOADD makes (x86 conversion to uint64)', () => {
    // redis-cli: ZADD k -1 m; GEOPOS k m → "180", "85.0511287799999991".
    expect(decodeGeohashScore(-1)).toEqual([180, 85.05112878]);
    expect(decodeGeohashScore(Infinity)).toEqual(decodeGeohashScore(0));
  });

  it('a huge radius searches from a coarse cell and drops no neighbour below step 2', () => {
    const areas = calculateAreasByShape({ type: 'radius', xy: [0, 0], conversion: 1000, radius: 20000 });
    expect(areas.hash.step).toBe(1);
    expect(Object.values(areas.neighbors).every((n) => n !== undefined)).toBe(true);
  });

  it('printf %f rounds the exact binary value half to even, and prints every digit', () => {
    // redis-cli: GEOADD k 0.0078125 inf x → "...pair 0.007812,inf".
    expect(printfFixed(0.0078125, 6)).toBe('0.007812');
    expect(printfFixed(0.0234375, 6)).toBe('0.023438');
    expect(printfFixed(-0.0000001, 6)).toBe('-0.000000');
    expect(printfFixed(1e22, 6)).toBe('10000000000000000000000.000000');
    expect(printfFixed(-Infinity, 6)).toBe('-inf');
  });
});

describe('sin, cos, asin as glibc rounds them (not as V8 does)', () => {
  // Python's math module calls glibc 2.36: math.sin(-0.164575488849431) == -0.16383357061215467.
  it('agree with glibc where Math.* is an ulp off', () => {
    expect(sin(-0.164575488849431)).toBe(-0.16383357061215467);
    expect(sin(0.13430429629165003)).toBe(0.1339009047611307);
    expect(cos(-0.1307884255377934)).toBe(0.9914593786719933);
    expect(cos(-0.3971984883331847)).toBe(0.9221483381487451);
    expect(asin(0.6083352980805553)).toBe(0.6539614538354627);
    expect(asin(0.63831914547769)).toBe(0.6923127084070623);
  });

  it('cover the arguments the haversine gives (up to π) and the edges', () => {
    expect(sin(3.0)).toBe(0.1411200080598672);
    expect(sin(-2.9)).toBe(-0.23924932921398243);
    expect(cos(1.4)).toBe(0.16996714290024104);
    expect(sin(0)).toBe(0);
    expect(asin(1)).toBe(Math.PI / 2);
    expect(asin(0)).toBe(0);
  });
});

const available = realRedisAvailable('geo random comparison');

describe.runIf(available)('random searches against redis-server', () => {
  let server: RedisServer;
  let redis: RespClient;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = await respClient(server.port);
  });
  afterAll(async () => {
    redis?.close();
    await server?.stop();
  });

  /** Runs a command on both; the replies, as redis-cli renders them, must be the same. */
  async function both(...argv: string[]): Promise<void> {
    const theirs = renderReply(await redis.call(...argv));
    const ours = renderReply(asProtocol(await run(...argv), 2));
    expect(ours, argv.join(' ')).toBe(theirs);
  }

  // Distances are compared at GEODIST's and WITHDIST's four decimals: a full-precision STOREDIST
  // score can still differ from Redis' in its last bit, where glibc's sin/cos/asin are not
  // correctly rounded (a few inputs in ten thousand) and ours are.
  it('600 points around Europe, 400 searches of every kind (a skiplist)', async () => {
    const random = prng(20240601);
    await redis.call('FLUSHALL');
    const members: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const args: string[] = [];
      for (let i = 0; i < 100; i++) {
        const m = `p${members.length}`;
        members.push(m);
        args.push((-10 + random() * 40).toFixed(5), (35 + random() * 30).toFixed(5), m);
      }
      await both('GEOADD', 'eu', ...args);
    }
    await both('OBJECT', 'ENCODING', 'eu');
    await both('ZRANGE', 'eu', '0', '-1', 'WITHSCORES');
    const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)] as T;
    for (let i = 0; i < 400; i++) {
      const unit = pick(['m', 'km', 'mi', 'ft'] as const);
      const perUnit = { m: 1, km: 1000, mi: 1609.34, ft: 0.3048 }[unit];
      const size = ((random() * 800_000) / perUnit).toFixed(2);
      const options = [pick(['', 'WITHDIST']), pick(['', 'WITHCOORD']), pick(['', 'WITHHASH']), pick(['', 'ASC', 'DESC'])];
      if (random() < 0.4) options.push('COUNT', String(1 + Math.floor(random() * 40)), pick(['', 'ANY']));
      const opts = options.filter((o) => o !== '');
      const x = (-10 + random() * 40).toFixed(4);
      const y = (35 + random() * 30).toFixed(4);
      const from = random() < 0.5 ? ['FROMLONLAT', x, y] : ['FROMMEMBER', pick(members)];
      const by = random() < 0.5 ? ['BYRADIUS', size, unit] : ['BYBOX', size, ((random() * 800_000) / perUnit).toFixed(2), unit];
      switch (i % 4) {
        case 0: await both('GEORADIUS', 'eu', x, y, size, unit, ...opts); break;
        case 1: await both('GEORADIUSBYMEMBER', 'eu', pick(members), size, unit, ...opts); break;
        case 2: await both('GEOSEARCH', 'eu', ...from, ...by, ...opts); break;
        default:
          await both('GEOSEARCHSTORE', 'dst', 'eu', ...from, ...by, ...opts.filter((o) => !o.startsWith('WITH')));
          await both('ZRANGE', 'dst', '0', '-1');
          await both('GEODIST', 'eu', pick(members), pick(members), unit);
      }
    }
  }, 120_000);
});
