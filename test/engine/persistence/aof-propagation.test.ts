/**
 * Propagation against what redis-server 7.0 writes to its own AOF: each script runs on a private
 * redis-server (appendonly yes, appendfsync always, active expiry off) and on our engine with its
 * AOF on, and the commands each appended are compared one by one: SELECT where the database
 * changes, expiries as PXAT / PEXPIREAT, random choices as their outcome, blocking pops as the
 * plain pop, stream side effects as XCLAIM / XGROUP SETID, MULTI … EXEC around transactions.
 *
 * The changes counted (rdb_changes_since_last_save, server.dirty) are compared too.
 *
 * Numbers that are times (ms since the epoch, and stream IDs made of them) come from two clocks,
 * so they are compared within a tolerance; everything else must be equal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../src/engine/client.js';
import { Engine } from '../../../src/engine/engine.js';
import { AofReader } from '../../../src/engine/persistence/aof-format.js';
import { encode } from '../../../src/resp/encode.js';
import type { Reply } from '../../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { respClient, type RespClient } from '../../helpers/resp-client.js';

const available = realRedisAvailable('AOF propagation compared with redis-server');

/** A step: a command on client A; or on client B, `blocked` meaning it is sent and answered later; or a pause. */
type Step = string[] | { readonly b: string[]; readonly blocked?: true } | { readonly sleep: number } | { readonly awaitB: true };

const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

function commandsIn(data: Buffer): string[][] {
  const reader = new AofReader(data);
  const out: string[][] = [];
  for (let argv = reader.next(); argv !== undefined; argv = reader.next()) out.push(argv);
  expect(reader.stop).toBeUndefined();
  return out;
}

/**
 * Equal, or both times (13-digit ms, or `ms-seq` stream IDs) from two clocks less than 5 s apart.
 * A stream ID's sequence depends on whether two XADD * fell in the same millisecond, so it is
 * compared only when the milliseconds are equal.
 */
function sameToken(ours: string, theirs: string): boolean {
  if (ours === theirs) return true;
  const time = /^(\d{13})(-\d+)?$/;
  const a = time.exec(ours);
  const b = time.exec(theirs);
  if (a === null || b === null || (a[2] === undefined) !== (b[2] === undefined) || a[1] === b[1]) return false;
  return Math.abs(Number(a[1]) - Number(b[1])) < 5000;
}

function sameCommands(ours: string[][], theirs: string[][]): boolean {
  return ours.length === theirs.length && ours.every((cmd, i) => {
    const other = theirs[i] as string[];
    return cmd.length === other.length && cmd.every((t, j) => sameToken(t, other[j] as string));
  });
}

interface Side {
  a(argv: string[]): Promise<Reply>;
  b(argv: string[]): Promise<Reply>;
  aof(): Buffer;
}

describe.runIf(available)('AOF propagation compared with redis-server 7.0', () => {
  let server: RedisServer;
  let ra: RespClient;
  let rb: RespClient;
  let engine: Engine;
  let ea: Client;
  let eb: Client;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-aofprop-'));
  let theirs: Side;
  let ours: Side;

  beforeAll(async () => {
    server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--enable-debug-command', 'yes']);
    ra = await respClient(server.port);
    rb = await respClient(server.port);
    await ra.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    engine = new Engine({ dir, config: [['appendonly', 'yes'], ['appendfsync', 'always'], ['save', '']], activeExpiry: false });
    ea = engine.connect();
    eb = engine.connect();
    theirs = { a: (argv) => ra.call(...argv), b: (argv) => rb.call(...argv), aof: () => fs.readFileSync(path.join(server.dir, INCR)) };
    ours = { a: async (argv) => ea.execute(argv), b: async (argv) => eb.execute(argv), aof: () => fs.readFileSync(path.join(dir, INCR)) };
  });
  afterAll(async () => {
    ra?.close();
    rb?.close();
    engine?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** rdb_changes_since_last_save: server.dirty as INFO shows it. */
  async function changes(side: Side): Promise<number> {
    const info = await side.b(['INFO', 'persistence']);
    const text = info.kind === 'bulk' || info.kind === 'verbatim' ? info.value : '';
    const n = Number(/rdb_changes_since_last_save:(\d+)/.exec(text)?.[1]);
    expect(Number.isInteger(n)).toBe(true);
    return n;
  }

  /** Runs the steps on one side; returns the replies, the commands appended and the changes counted meanwhile. */
  async function run(side: Side, steps: readonly Step[]): Promise<{ replies: Reply[]; appended: string[][]; dirty: number }> {
    // The same start on both sides: database 0 selected, everything empty.
    await side.a(['SELECT', '0']);
    await side.b(['SELECT', '0']);
    await side.a(['FLUSHALL']);
    const from = side.aof().length;
    const dirtyBefore = await changes(side);
    const replies: Reply[] = [];
    let pending: Promise<Reply> | undefined;
    for (const step of steps) {
      if (Array.isArray(step)) {
        replies.push(await side.a(step));
      } else if ('b' in step) {
        if (step.blocked) {
          pending = side.b(step.b);
          // Let the command reach the server and block there.
          await new Promise((r) => setTimeout(r, 30));
        } else {
          replies.push(await side.b(step.b));
        }
      } else if ('sleep' in step) {
        await new Promise((r) => setTimeout(r, step.sleep));
      } else {
        replies.push(await (pending as Promise<Reply>));
      }
    }
    return { replies, appended: commandsIn(side.aof().subarray(from)), dirty: (await changes(side)) - dirtyBefore };
  }

  async function compare(steps: readonly Step[]): Promise<string[][]> {
    const redis = await run(theirs, steps);
    const mine = await run(ours, steps);
    if (!sameCommands(mine.appended, redis.appended)) {
      // Shown whole, so that a difference reads at a glance.
      expect(mine.appended.map((c) => c.join(' '))).toEqual(redis.appended.map((c) => c.join(' ')));
    }
    // The same kind of reply on the wire (values may differ: random picks, times).
    const kinds = (replies: Reply[]) => replies.map((r) => encode(r, 2).charAt(0));
    expect(kinds(mine.replies)).toEqual(kinds(redis.replies));
    // The changes counted (server.dirty), as each handler adds them.
    expect(mine.dirty).toBe(redis.dirty);
    return redis.appended;
  }

  it('strings: expiries become absolute PXAT / PEXPIREAT, GET options go, INCRBYFLOAT becomes SET KEEPTTL', async () => {
    const log = await compare([
      ['SET', 'k', 'v'], ['SET', 'k', 'v2', 'EX', '100'], ['SET', 'k', 'v3', 'PX', '100000', 'GET'], ['SET', 'k', 'v4', 'KEEPTTL'],
      ['SET', 'k', 'v5', 'EXAT', '4102444800'], ['SET', 'k', 'v6', 'PXAT', '4102444800123'], ['SET', 'k', 'x', 'NX'],
      ['SET', 'k', 'v7', 'XX', 'GET', 'get'], ['SET', 'nokey', 'x', 'XX'], ['SETEX', 's', '10', 'v'], ['PSETEX', 'p', '10000', 'v'],
      ['SETNX', 'n', '1'], ['SETNX', 'n', '2'], ['GETSET', 'n', '3'], ['GETEX', 'n', 'EX', '50'], ['GETEX', 'n', 'PXAT', '4102444800000'],
      ['GETEX', 'n', 'PERSIST'], ['GETEX', 'n', 'PERSIST'], ['GETEX', 'n'], ['GETEX', 'n', 'EXAT', '1'], ['GETDEL', 'k'], ['GETDEL', 'k'],
      ['MSET', 'a', '1', 'b', '2'], ['MSETNX', 'a', '1', 'c', '3'], ['MSETNX', 'c', '3', 'd', '4'], ['APPEND', 'a', 'xyz'],
      ['SETRANGE', 'a', '10', 'q'], ['SETRANGE', 'e', '0', ''], ['INCR', 'i'], ['DECR', 'i'], ['INCRBY', 'i', '10'], ['DECRBY', 'i', '3'],
      ['INCRBYFLOAT', 'f', '1.5'], ['INCRBYFLOAT', 'f', '0.1'], ['INCR', 'a'], ['SETBIT', 'bits', '7', '1'], ['SETBIT', 'bits', '7', '1'],
      ['BITOP', 'OR', 'dest', 'bits', 'a'], ['BITOP', 'AND', 'dest', 'none1', 'none2'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '200', 'GET', 'u8', '0'],
      ['BITFIELD', 'bf', 'GET', 'u8', '0'],
    ]);
    expect(log.map((c) => c[0])).toContain('PEXPIREAT');
  });

  it('keys and expiry: DEL per key, RENAME, COPY, MOVE and SWAPDB with SELECT, EXPIRE as PEXPIREAT, a past time as DEL', async () => {
    await compare([
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['DEL', 'a', 'zz', 'b'], ['DEL', 'zz'], ['SET', 'a', '1'], ['UNLINK', 'a'],
      ['SET', 'r', '1'], ['RENAME', 'r', 'r2'], ['RENAME', 'r2', 'r2'], ['SET', 'r3', 'x'], ['RENAMENX', 'r2', 'r3'], ['RENAMENX', 'r2', 'r4'],
      ['COPY', 'r4', 'c1'], ['COPY', 'r4', 'c1'], ['COPY', 'r4', 'c1', 'DB', '3', 'REPLACE'], ['MOVE', 'c1', '5'], ['SELECT', '5'],
      ['SET', 'in5', 'x'], ['SWAPDB', '5', '6'], ['SELECT', '0'], ['EXPIRE', 'r4', '100'], ['EXPIRE', 'r4', '200', 'NX'],
      ['EXPIRE', 'r4', '300', 'GT'], ['PEXPIRE', 'r4', '500000'], ['EXPIREAT', 'r4', '4102444800'], ['PEXPIREAT', 'r4', '4102444800001'],
      ['PERSIST', 'r4'], ['PERSIST', 'r4'], ['EXPIRE', 'r4', '0'], ['SET', 'x', '1'], ['PEXPIREAT', 'x', '1'], ['EXPIRE', 'missing', '10'],
      ['SELECT', '9'], ['FLUSHDB'], ['SELECT', '0'], ['FLUSHALL'],
    ]);
  });

  it('a key found expired is propagated as DEL: alone for a read, in MULTI with a write', async () => {
    const log = await compare([
      ['SET', 'k', '5', 'PX', '1'], ['SET', 'j', '5', 'PX', '1'], { sleep: 20 }, ['INCR', 'k'], ['GET', 'j'], ['GET', 'j'],
    ]);
    expect(log.map((c) => c[0])).toEqual(['SET', 'SET', 'MULTI', 'DEL', 'INCR', 'EXEC', 'DEL']);
  });

  it('lists: pops with counts, LMPOP and blocking pops served at once as the plain pop', async () => {
    await compare([
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'], ['LPUSH', 'l', 'z'], ['LPUSHX', 'l', 'y'], ['RPUSHX', 'none', 'y'],
      ['LPOP', 'l'], ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['LSET', 'l', '0', 'A'], ['LINSERT', 'l', 'BEFORE', 'A', 'B'],
      ['LINSERT', 'l', 'AFTER', 'nope', 'x'], ['LREM', 'l', '0', 'A'], ['LREM', 'l', '0', 'nope'], ['LTRIM', 'l', '0', '-1'],
      ['LTRIM', 'l', '1', '-1'], ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'l', 'm'], ['LMPOP', '2', 'none', 'm', 'RIGHT', 'COUNT', '10'],
      ['RPUSH', 'q', '1', '2', '3', '4'], ['BLPOP', 'none', 'q', '1'], ['BRPOP', 'q', '1'], ['BLMPOP', '1', '1', 'q', 'LEFT', 'COUNT', '5'],
      ['RPUSH', 'q', '1', '2'], ['BLMOVE', 'q', 'q2', 'RIGHT', 'left', '1'], ['BRPOPLPUSH', 'q', 'q2', '1'],
    ]);
  });

  it('lists: a blocked client served later is logged as the plain pop after the push', async () => {
    const log = await compare([
      { b: ['BLPOP', 'w', '5'], blocked: true }, ['RPUSH', 'w', 'x', 'y'], { awaitB: true },
      { b: ['BLMOVE', 'w2', 'dst', 'LEFT', 'RIGHT', '5'], blocked: true }, ['LPUSH', 'w2', 'm'], { awaitB: true },
      { b: ['BRPOPLPUSH', 'w3', 'dst', '5'], blocked: true }, ['LPUSH', 'w3', 'n'], { awaitB: true },
      { b: ['BLMPOP', '5', '1', 'w4', 'RIGHT', 'COUNT', '3'], blocked: true }, ['LPUSH', 'w4', '1', '2'], { awaitB: true },
    ]);
    expect(log.map((c) => c[0])).toEqual(['RPUSH', 'LPOP', 'LPUSH', 'LMOVE', 'LPUSH', 'RPOPLPUSH', 'LPUSH', 'RPOP']);
  });

  it('hashes and sets: HINCRBYFLOAT as HSET, SPOP as SREM of what was popped, a whole SPOP as DEL', async () => {
    await compare([
      ['HSET', 'h', 'a', '1', 'b', '2'], ['HMSET', 'h', 'c', '3'], ['HSETNX', 'h', 'a', 'x'], ['HSETNX', 'h', 'd', '4'],
      ['HDEL', 'h', 'a', 'zz'], ['HINCRBY', 'h', 'b', '5'], ['HINCRBYFLOAT', 'h', 'f', '2.5'], ['HDEL', 'h', 'nope'],
      ['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a'], ['SREM', 's', 'a', 'z'], ['SMOVE', 's', 't', 'b'], ['SMOVE', 's', 't', 'nope'],
      ['SADD', 'one', 'only'], ['SPOP', 'one'], ['SPOP', 'one'], ['SADD', 'all', '1', '2', '3'], ['SPOP', 'all', '5'],
      ['SADD', 's1', 'a', 'b'], ['SADD', 's2', 'b', 'c'], ['SINTERSTORE', 'd1', 's1', 's2'], ['SUNIONSTORE', 'd2', 's1', 's2'],
      ['SDIFFSTORE', 'd3', 's1', 's2'], ['SINTERSTORE', 'd1', 's1', 'none'], ['SINTERSTORE', 'd1', 's1', 'none'],
    ]);
  });

  it('sorted sets and geo: pops, ZMPOP and blocking pops as ZPOPMIN / ZPOPMAX, stores, GEOADD as ZADD', async () => {
    await compare([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZADD', 'z', 'NX', '9', 'a'], ['ZADD', 'z', 'XX', 'CH', '5', 'a'],
      ['ZINCRBY', 'z', '1.5', 'b'], ['ZREM', 'z', 'nope'], ['ZREM', 'z', 'c'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '1'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZREMRANGEBYSCORE', 'z', '5', '5'],
      ['ZREMRANGEBYLEX', 'z', '[x', '[y'], ['ZMPOP', '1', 'z', 'MIN'], ['ZMPOP', '2', 'none', 'z', 'MAX', 'COUNT', '9'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'z', '1'], ['BZPOPMAX', 'none', 'z', '1'], ['BZMPOP', '1', '1', 'z', 'MIN', 'COUNT', '4'],
      { b: ['BZPOPMIN', 'bz', '5'], blocked: true }, ['ZADD', 'bz', '1', 'x', '2', 'y'], { awaitB: true },
      { b: ['BZMPOP', '5', '1', 'bz2', 'MAX', 'COUNT', '2'], blocked: true }, ['ZADD', 'bz2', '1', 'x'], { awaitB: true },
      ['ZADD', 'u1', '1', 'a', '2', 'b'], ['ZADD', 'u2', '3', 'b'], ['ZUNIONSTORE', 'u', '2', 'u1', 'u2'], ['ZINTERSTORE', 'i', '2', 'u1', 'u2'],
      ['ZDIFFSTORE', 'df', '2', 'u1', 'u2'], ['ZRANGESTORE', 'rs', 'u1', '0', '-1'], ['ZINTERSTORE', 'i', '2', 'u1', 'none'],
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], ['GEOADD', 'g', 'CH', 'NX', '13.4', '38.1', 'Palermo'],
      ['GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'gr'], ['GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ]);
  });

  it('streams: `*` as the ID chosen, approximate trims made exact, group reads as XCLAIM and XGROUP SETID', async () => {
    const adds: Step[] = [];
    for (let i = 1; i <= 250; i++) adds.push(['XADD', 'big', `${i}-0`, 'f', String(i)]);
    const log = await compare([
      ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', '*', 'b', '2'], ['XADD', 's', 'NOMKSTREAM', '*', 'c', '3'],
      ['XADD', 'none', 'NOMKSTREAM', '*', 'c', '3'], ...adds, ['XADD', 'big', 'MAXLEN', '~', '120', '251-0', 'f', 'x'],
      ['XTRIM', 'big', 'MAXLEN', '~', '10'], ['XTRIM', 'big', 'MINID', '~', '180-0'], ['XTRIM', 'big', 'MAXLEN', '=', '20'],
      ['XDEL', 'big', '240-0', '999-0'], ['XADD', 'g', '1-0', 'f', 'v'], ['XADD', 'g', '2-0', 'f', 'v'], ['XADD', 'g', '3-0', 'f', 'v'],
      ['XGROUP', 'CREATE', 'g', 'grp', '0'], ['XGROUP', 'CREATE', 'g', 'grp2', '$'], ['XGROUP', 'CREATECONSUMER', 'g', 'grp', 'alice'],
      ['XREADGROUP', 'GROUP', 'grp', 'bob', 'COUNT', '2', 'STREAMS', 'g', '>'], ['XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'grp2', 'carol', 'NOACK', 'STREAMS', 'g', '>'], ['XREADGROUP', 'GROUP', 'grp', 'dave', 'NOACK', 'STREAMS', 'g', '>'],
      ['XACK', 'g', 'grp', '1-0', '9-9'], ['XCLAIM', 'g', 'grp', 'alice', '0', '2-0', 'JUSTID'], ['XDEL', 'g', '2-0'],
      ['XCLAIM', 'g', 'grp', 'alice', '0', '2-0'], ['XAUTOCLAIM', 'g', 'grp', 'erin', '0', '0-0', 'COUNT', '10'],
      ['XCLAIM', 'g', 'grp', 'alice', '0', '3-0', 'LASTID', '3-0'], ['XCLAIM', 'g', 'grp', 'alice', '0', '9-0', 'LASTID', '5-0'],
      ['XGROUP', 'SETID', 'g', 'grp', '0'], ['XGROUP', 'DELCONSUMER', 'g', 'grp', 'alice'], ['XGROUP', 'DESTROY', 'g', 'grp2'],
      ['XSETID', 'g', '100-0'], { b: ['XREADGROUP', 'GROUP', 'grp', 'fred', 'BLOCK', '5000', 'STREAMS', 'g', '>'], blocked: true },
      ['XADD', 'g', '200-0', 'f', 'v'], { awaitB: true },
    ]);
    expect(log.filter((c) => c[0] === 'XCLAIM').length).toBeGreaterThan(3);
  });

  it('transactions: one write alone, several in MULTI … EXEC, SELECT inside, nothing for reads only', async () => {
    const log = await compare([
      ['MULTI'], ['SET', 'a', '1'], ['EXEC'], ['MULTI'], ['GET', 'a'], ['EXEC'], ['MULTI'], ['SET', 'a', '2'], ['SELECT', '3'], ['INCR', 'n'],
      ['SELECT', '0'], ['EXEC'], ['MULTI'], ['SET', 'b', '1', 'EX', '100'], ['SPOP', 'none'], ['LPUSH', 'l', 'x'], ['BLPOP', 'l', '0'], ['EXEC'],
      ['WATCH', 'a'], { b: ['SET', 'a', '9'] }, ['MULTI'], ['SET', 'a', '3'], ['EXEC'], ['SELECT', '0'],
    ]);
    expect(log.filter((c) => c[0] === 'MULTI').length).toBe(2);
  });
});
