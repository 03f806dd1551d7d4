/**
 * AOF interchange with a real redis-server 7.0, key by key (type, value, expiry time): the
 * append-only directory our engine writes (an RDB base or a RESP base, then incremental files)
 * loads in redis-server as it loads in our engine, and the one redis-server writes loads in our
 * engine as it loads in redis-server (DEBUG LOADAOF).
 *
 * Each side is compared with the other loading the same files, not with the data before: an AOF
 * does not hold everything (XREADGROUP propagates as XCLAIM … LASTID, which does not carry a
 * group's entries-read, so a reload of Redis' own AOF shows it as nil). A consumer's seen-time
 * is the time its commands were replayed, so it is left out; everything else is compared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { waitForAofRewrite } from '../../../src/engine/persistence/aof.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { respClient, type RespClient } from '../../helpers/resp-client.js';
import { fillEveryType } from './fill.js';
import { describeKeyspace, type KeyDescription } from './keyspace-dump.js';

const available = realRedisAvailable('AOF interchange with redis-server');
const ALL_DBS = Array.from({ length: 16 }, (_, i) => i);

/** The description without consumers' seen-time (see the top). */
function withoutSeenTime(keys: Record<string, KeyDescription>): Record<string, KeyDescription> {
  const strip = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    return v.map((x, i) => (v[i - 1] === 'seen-time' ? '*' : strip(x)));
  };
  return Object.fromEntries(Object.entries(keys).map(([k, d]) => [k, { ...d, value: strip(d.value) }]));
}

async function connectLoaded(port: number): Promise<RespClient> {
  const client = await respClient(port);
  for (let i = 0; i < 500; i++) {
    if ((await client.call('PING')).kind !== 'error') return client;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('redis-server did not finish loading');
}

describe.runIf(available)('AOF interchange with redis-server 7.0', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-aofx-'));
  const servers: RedisServer[] = [];
  const clients: RespClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const preamble of ['yes', 'no']) {
    it(`writes an append-only directory (aof-use-rdb-preamble ${preamble}) that redis-server loads with the same keyspace`, async () => {
      const dir = path.join(tmp, `ours-${preamble}`);
      const engine = new Engine({ dir, config: [['appendonly', 'yes'], ['aof-use-rdb-preamble', preamble]] });
      const c = engine.connect();
      await fillEveryType((...argv) => c.execute(argv), Date.now());
      // A rewrite half way, so that the files are a base with data and an incremental file.
      await c.execute(['BGREWRITEAOF']);
      await waitForAofRewrite(engine);
      await c.execute(['SET', 'after-rewrite', 'x']);
      await c.execute(['SPOP', 's:strings']);
      await c.execute(['XADD', 'x:stream', '*', 'late', 'entry']);
      await c.execute(['XREADGROUP', 'GROUP', 'g2', 'late', 'STREAMS', 'x:stream', '>']);
      engine.close();
      const reopened = new Engine({ dir, config: [['appendonly', 'yes']] });
      const rc = reopened.connect();
      const expected = await describeKeyspace((...argv) => rc.execute(argv), ALL_DBS);
      reopened.close();

      const server = await startRedisServer(['--dir', dir, '--appendonly', 'yes']);
      servers.push(server);
      const client = await connectLoaded(server.port);
      clients.push(client);
      const got = await describeKeyspace((...argv) => client.call(...argv), ALL_DBS);
      expect(withoutSeenTime(got)).toEqual(withoutSeenTime(expected));
    });
  }

  it("loads redis-server's append-only directory with the same keyspace", async () => {
    const server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--aof-use-rdb-preamble', 'no', '--enable-debug-command', 'yes']);
    servers.push(server);
    const client = await respClient(server.port);
    clients.push(client);
    await fillEveryType((...argv) => client.call(...argv), Date.now());
    await client.call('BGREWRITEAOF');
    for (let i = 0; i < 500; i++) {
      const info = await client.call('INFO', 'persistence');
      if (info.kind === 'bulk' && info.value.includes('aof_rewrite_in_progress:0') && info.value.includes('aof_rewrite_scheduled:0')) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    await client.call('SET', 'after-rewrite', 'x');
    await client.call('SPOP', 's:strings');
    await client.call('XADD', 'x:stream', '*', 'late', 'entry');
    await client.call('XREADGROUP', 'GROUP', 'g2', 'late', 'STREAMS', 'x:stream', '>');
    expect(await client.call('DEBUG', 'LOADAOF')).toEqual({ kind: 'simple', value: 'OK' });
    const expected = await describeKeyspace((...argv) => client.call(...argv), ALL_DBS);
    const dir = path.join(tmp, 'theirs');
    fs.mkdirSync(dir);
    fs.cpSync(path.join(server.dir, 'appendonlydir'), path.join(dir, 'appendonlydir'), { recursive: true });
    expect(fs.readdirSync(path.join(dir, 'appendonlydir')).sort()).toEqual([
      'appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest',
    ]);

    const engine = new Engine({ dir, config: [['appendonly', 'yes']] });
    const c = engine.connect();
    const got = await describeKeyspace((...argv) => c.execute(argv), ALL_DBS);
    engine.close();
    expect(withoutSeenTime(got)).toEqual(withoutSeenTime(expected));
  });
});
