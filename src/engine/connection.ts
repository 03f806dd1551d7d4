/**
 * Connection commands (PING, ECHO, SELECT, HELLO, AUTH, QUIT, RESET, CLIENT …): they act on the
 * calling client, not on the data.
 */
import { array, bulk, OK, simple, type Reply } from '../resp/reply.js';
import { parseInt32 } from './args.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import { DB_INDEX_OUT_OF_RANGE, RedisError } from './errors.js';

/** PING [message] */
function ping(c: Client, argv: readonly string[]): Reply {
  if (argv.length > 2) throw new RedisError(`ERR wrong number of arguments for 'ping' command`);
  // A RESP2 subscriber cannot take a plain reply, so PING answers in the shape of a message.
  if (c.inPubSub && c.resp === 2) return array([bulk('pong'), bulk(argv[1] ?? '')]);
  return argv.length === 1 ? simple('PONG') : bulk(argv[1] as string);
}

/** ECHO message */
function echo(_c: Client, argv: readonly string[]): Reply {
  return bulk(argv[1] as string);
}

/** SELECT index */
function select(c: Client, argv: readonly string[]): Reply {
  const id = parseInt32(argv[1] as string);
  const db = c.engine.databases[id];
  if (!db) throw new RedisError(DB_INDEX_OUT_OF_RANGE);
  c.db = db;
  return OK;
}

export const commands: Handlers = { ping, echo, select };
