/**
 * Interchange with a real redis-server 7.0, key by key (type, value, expiry time, encoding):
 * a dump.rdb written by redis-server loads in our engine; a dump.rdb written by our engine loads
 * in redis-server; redis-check-rdb accepts our files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/engine/clock.js';
import { Engine } from '../../../src/engine/engine.js';
import { checkRdb } from '../../../src/engine/persistence/check-rdb.js';
import { encodeRdb, loadRdb } from '../../../src/engine/persistence/rdb.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { respClient, type RespClient } from '../../helpers/resp-client.js';
import { describeKeyspace } from './keyspace-dump.js';
import { fillEveryType } from './fill.js';

const available = realRedisAvailable('RDB interchange with redis-server');
const ALL_DBS = Array.from({ length: 16 }, (_, i) => i);

/** Waits until a freshly started server has loaded its data (PING stops answering LOADING). */
async function connectLoaded(port: number): Promise<RespClient> {
  const client = await respClient(port);
  for (let i = 0; i < 500; i++) {
    const r = await client.call('PING');
    if (r.kind !== 'error') return client;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('redis-server did not finish loading');
}

describe.runIf(available)('RDB interchange with redis-server 7.0', () => {
  let server: RedisServer;
  let client: RespClient;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-rdb-'));

  beforeAll(async () => {
    server = await startRedisServer(['--enable-debug-command', 'yes']);
    client = await respClient(server.port);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("loads redis-server's dump.rdb with the same keyspace", async () => {
    await client.call('FLUSHALL');
    const now = Date.now();
    await fillEveryType((...argv) => client.call(...argv), now);
    expect((await client.call('SAVE')).kind).toBe('simple');
    // What a loaded keyspace looks like in redis-server (a loaded short string is embstr, etc.).
    expect(await client.call('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({ kind: 'simple', value: 'OK' });
    const expected = await describeKeyspace((...argv) => client.call(...argv), ALL_DBS, true);
    const data = fs.readFileSync(path.join(server.dir, 'dump.rdb'));

    const engine = new Engine({ activeExpiry: false, clock: new ManualClock(now) });
    const c = engine.connect();
    const result = loadRdb(engine, data, 'dump.rdb');
    expect(result.keysLoaded).toBe(Object.keys(expected).length);
    const got = await describeKeyspace((...argv) => c.execute(argv), ALL_DBS, true);
    engine.close();
    expect(got).toEqual(expected);
  });

  it('writes a dump.rdb that redis-server loads with the same keyspace, and redis-check-rdb accepts', async () => {
    const now = Date.now();
    const engine = new Engine({ activeExpiry: false, clock: new ManualClock(now) });
    const c = engine.connect();
    await fillEveryType((...argv) => c.execute(argv), now);
    const rdb = encodeRdb(engine);
    engine.close();
    // The keyspace as our engine has it after loading the file (a loaded short string is
    // embstr, as in redis-server), to compare with redis-server's after loading the same file.
    const reloaded = new Engine({ activeExpiry: false, clock: new ManualClock(now) });
    loadRdb(reloaded, rdb, 'dump.rdb');
    const rc = reloaded.connect();
    const expected = await describeKeyspace((...argv) => rc.execute(argv), ALL_DBS, true);
    reloaded.close();
    const dir = path.join(tmp, 'ours');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'dump.rdb'), rdb);

    const check = execFileSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' });
    expect(check).toContain('RDB looks OK');

    const loaded = await startRedisServer(['--dir', dir]);
    try {
      const other = await connectLoaded(loaded.port);
      const got = await describeKeyspace((...argv) => other.call(...argv), ALL_DBS, true);
      other.close();
      expect(got).toEqual(expected);
    } finally {
      await loaded.stop();
    }
  });

  it('check-rdb reports as redis-check-rdb does, on a sound file and on damaged ones', async () => {
    await client.call('FLUSHALL');
    await fillEveryType((...argv) => client.call(...argv), Date.now());
    await client.call('SAVE');
    const data = fs.readFileSync(path.join(server.dir, 'dump.rdb'));
    const cases: [string, Buffer][] = [['whole', data]];
    for (const cut of [9, 30, 200, Math.floor(data.length / 2), data.length - 3]) cases.push([`cut${cut}`, data.subarray(0, cut)]);
    const flipped = Buffer.from(data);
    flipped[data.length - 2] = (flipped[data.length - 2] as number) ^ 1;
    cases.push(['crc', flipped]);
    for (const [name, bytes] of cases) {
      const file = path.join(tmp, `${name}.rdb`);
      fs.writeFileSync(file, bytes);
      const theirs = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
      const ours = checkRdb(bytes, file);
      expect(ours.ok, name).toBe(theirs.status === 0);
      // Our report has every line of theirs but the state-machine note ("While doing: …"), in the
      // same order; it adds keys per type at the end.
      const theirLines = theirs.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('[additional info] While doing'));
      const ourLines = ours.output.split('\n').filter((l) => l !== '' && !/^\[info\] \d+ \S+ keys?$/.test(l));
      if (name === 'whole' || name === 'crc') expect(ourLines, name).toEqual(theirLines);
      else {
        // Where a cut file fails, both name an offset within the file; the first lines agree.
        expect(ourLines[0]).toBe(theirLines[0]);
        expect(ourLines).toContain('--- RDB ERROR DETECTED ---');
      }
    }
  });

  // Redis' own golden files (tests/assets of the Redis 7.0 sources): RDBs written by older
  // versions, with zipmaps, ziplists, intsets, quicklists of ziplists, and damaged ones. Each is
  // given to redis-server and to our engine: the same keyspace where redis-server loads it, an
  // RdbError where it refuses it.
  const ASSETS = '/work/redis-src/tests/assets';
  const assets = fs.existsSync(ASSETS) ? fs.readdirSync(ASSETS).filter((f) => f.endsWith('.rdb')) : [];
  if (assets.length === 0) console.warn(`\n*** SKIPPED Redis' golden RDB files: ${ASSETS} not found ***\n`);
  it.each(assets)("loads Redis' golden file %s as redis-server does", async (name) => {
    const dir = path.join(tmp, `asset-${name}`);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(ASSETS, name), path.join(dir, name));
    const data = fs.readFileSync(path.join(dir, name));
    const loaded = await startRedisServer(['--dir', dir, '--dbfilename', name]).catch(() => undefined);
    let expected: Record<string, unknown> | undefined;
    if (loaded) {
      try {
        const other = await connectLoaded(loaded.port).catch(() => undefined);
        if (other) {
          expected = await describeKeyspace((...argv) => other.call(...argv), ALL_DBS, true);
          other.close();
        }
      } finally {
        await loaded.stop();
      }
    }
    const engine = new Engine({ activeExpiry: false });
    try {
      if (expected === undefined) {
        expect(() => loadRdb(engine, data, name)).toThrow(/Bad RDB file/);
        return;
      }
      loadRdb(engine, data, name);
      const c = engine.connect();
      expect(await describeKeyspace((...argv) => c.execute(argv), ALL_DBS, true)).toEqual(expected);
    } finally {
      engine.close();
    }
  });
});
