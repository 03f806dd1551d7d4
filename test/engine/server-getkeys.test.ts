/**
 * COMMAND GETKEYS' key finding (key specs, and Redis' own rules where they cannot tell) for every
 * kind of command in the table, compared with a real redis-server. It runs on the table rather
 * than through the engine, so it covers commands whatever part of the engine implements them.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandMeta } from '../../src/engine/command-meta.js';
import { COMMAND_TABLE } from '../../src/engine/command-table.js';
import { RedisError } from '../../src/engine/errors.js';
import { commandKeys } from '../../src/engine/server-commands.js';
import { parseReply } from '../../src/resp/decode.js';
import { encode } from '../../src/resp/encode.js';
import type { Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

/** lookupCommand over the whole table. */
function metaFor(args: readonly string[]): CommandMeta | undefined {
  const name = (args[0] as string).toLowerCase();
  const base = COMMAND_TABLE.find((m) => m.name === name && !m.container);
  const hasSubs = COMMAND_TABLE.some((m) => m.container === name);
  if (!base || !hasSubs || args.length < 2) return base;
  return COMMAND_TABLE.find((m) => m.name === `${name}|${(args[1] as string).toLowerCase()}`);
}

function ours(args: readonly string[]): Reply {
  const meta = metaFor(args);
  if (!meta) return { kind: 'error', message: 'ERR Invalid command specified' };
  try {
    return { kind: 'array', items: commandKeys(meta, args).map((value) => ({ kind: 'bulk', value })) };
  } catch (e) {
    if (e instanceof RedisError) return { kind: 'error', message: e.reply };
    throw e;
  }
}

/** Each case has at least two words: COMMAND GETKEYS with fewer fails its own arity first. */
const CASES: readonly (readonly string[])[] = [
  ['get', 'k'], ['set', 'k', 'v'], ['set', 'k', 'v', 'GET'], ['mset', 'a', '1', 'b', '2'], ['mset', 'a', '1', 'b'],
  ['mget', 'a', 'b', 'c'], ['del', 'a'], ['rename', 'a', 'b'], ['copy', 'a', 'b', 'DB', '1'], ['lmove', 'a', 'b', 'LEFT', 'RIGHT'],
  ['blpop', 'a', 'b', '0'], ['brpoplpush', 'a', 'b', '0'], ['zunionstore', 'd', '2', 'a', 'b'], ['zunionstore', 'd', '2', 'a'],
  ['zunionstore', 'd', '0', 'a'], ['zunionstore', 'd', '1x', 'a'], ['zunionstore', 'd', '-1', 'a'], ['zunionstore', 'd', '1', 'a', 'WEIGHTS', '2'],
  ['zinterstore', 'd', '2', 'a', 'b', 'AGGREGATE', 'MAX'], ['zdiffstore', 'd', '1', 'a'], ['zunion', '2', 'a', 'b'], ['zinter', '1', 'a', 'WITHSCORES'],
  ['zdiff', '3', 'a', 'b'], ['zdiff', 'x', 'a'], ['sintercard', '2', 'a', 'b', 'LIMIT', '1'], ['sintercard', '0', 'a'],
  ['lmpop', '2', 'a', 'b', 'LEFT'], ['lmpop', '1', 'a', 'LEFT', 'COUNT', '2'], ['blmpop', '0', '2', 'a', 'b', 'LEFT'], ['blmpop', '0', 'x', 'a', 'LEFT'],
  ['zmpop', '1', 'a', 'MIN'], ['bzmpop', '1.5', '2', 'a', 'b', 'MAX'], ['bzpopmin', 'a', 'b', '0'], ['sinterstore', 'd', 'a', 'b'],
  ['smove', 'a', 'b', 'm'], ['bitop', 'AND', 'd', 'a', 'b'], ['bitfield', 'k', 'GET', 'u8', '0'], ['bitfield', 'k', 'INCRBY', 'u8', '0', '1'],
  ['bitfield_ro', 'k', 'GET', 'u8', '0'], ['lcs', 'a', 'b'], ['object', 'encoding', 'k'], ['object', 'help'],
  ['zrangestore', 'd', 's', '0', '-1'], ['georadius', 'k', '0', '0', '1', 'km'], ['watch', 'a', 'b'], ['exists', 'a', 'a'],
  ['ping', 'x'], ['publish', 'ch', 'm'], ['config', 'get', 'x'], ['config', 'nosuch'], ['nosuch', 'x'], ['get', 'a', 'b'],
  ['hset', 'h', 'f', 'v'], ['xadd', 's', '*', 'f', 'v'], ['sort', 'k', 'BY', 'w_*'], ['eval', 'return 1', '1', 'k'],
];

const available = realRedisAvailable('COMMAND GETKEYS against redis-server');

describe.runIf(available)('COMMAND GETKEYS against redis-server', () => {
  let server: RedisServer;
  let socket: net.Socket;
  let buffer = '';
  const waiting: ((r: Reply) => void)[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      for (let p = parseReply(buffer); p; p = parseReply(buffer)) {
        buffer = buffer.slice(p.end);
        waiting.shift()?.(p.reply);
      }
    });
  });
  afterAll(async () => {
    socket?.destroy();
    await server?.stop();
  });

  const real = (argv: readonly string[]) => new Promise<Reply>((resolve) => {
    waiting.push(resolve);
    socket.write(Buffer.from(encode({ kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) }, 2), 'latin1'));
  });

  it('finds the same keys, or gives the same error, for every case', async () => {
    const mismatches: string[] = [];
    for (const args of CASES) {
      // Commands the table does not have yet (GEORADIUS, XADD, SORT, EVAL) cannot be compared.
      if (!metaFor(args) && args[0] !== 'nosuch') continue;
      const expected = await real(['COMMAND', 'GETKEYS', ...args]);
      const got = ours(args);
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${args.join(' ')}: redis ${JSON.stringify(expected)}, ours ${JSON.stringify(got)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
