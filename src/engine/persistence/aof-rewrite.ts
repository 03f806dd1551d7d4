/**
 * An AOF rewrite's base file (aof.c rewriteAppendOnlyFileRio): the data set as it is, either as
 * an RDB (aof-use-rdb-preamble yes, the default: encodeRdb with aof-base 1) or as the fewest RESP
 * commands that rebuild it: per database a SELECT, then per key a SET, RPUSH, SADD, ZADD or
 * HMSET of at most 64 items each, a stream's XADDs, XSETID, XGROUP CREATE and XCLAIMs, a JSON
 * document's JSON.SET, and PEXPIREAT for a key with an expiry.
 */
import { formatDouble } from '../../resp/double.js';
import { toBytes } from '../../resp/reply.js';
import type { Engine } from '../engine.js';
import { getExpireAt } from '../expire.js';
import type { RedisObject } from '../keyspace.js';
import { HashValue } from '../types/hash.js';
import { JsonValue, serialize } from '../types/json.js';
import { ListValue } from '../types/list.js';
import { SetValue } from '../types/set.js';
import { formatId, MAX_ID, MIN_ID } from '../types/stream-id.js';
import { type Consumer, type PendingEntry, StreamValue } from '../types/stream.js';
import { StringValue } from '../types/string.js';
import { ZSetValue } from '../types/zset.js';
import { encodeCommand } from './aof-format.js';
import { encodeRdb } from './rdb.js';

/** AOF_REWRITE_ITEMS_PER_CMD */
const ITEMS_PER_COMMAND = 64;

/**
 * The base of a rewrite: the data set now, as an RDB or as commands (which start with a `#TS:`
 * annotation of `timestamp` when aof-timestamp-enabled gives one).
 */
export function encodeAofBase(engine: Engine, rdbPreamble: boolean, timestamp?: number): Buffer {
  return rdbPreamble ? encodeRdb(engine, { aofBase: true }) : rewriteCommands(engine, timestamp);
}

/** The commands that rebuild every database (rewriteAppendOnlyFileRio). */
export function rewriteCommands(engine: Engine, timestamp?: number): Buffer {
  const chunks: Buffer[] = [];
  let text = timestamp === undefined ? '' : `#TS:${timestamp}\r\n`;
  const emit = (argv: readonly string[]): void => {
    text += encodeCommand(argv);
    // Bounded pieces: one string for a large data set would pass V8's string limit.
    if (text.length > 1 << 20) {
      chunks.push(Buffer.from(text, 'latin1'));
      text = '';
    }
  };
  for (const db of engine.databases) {
    if (db.dict.size === 0) continue;
    emit(['SELECT', String(db.id)]);
    for (const [key, value] of db.dict) {
      rewriteObject(key, value, emit);
      const when = getExpireAt(db, key);
      if (when !== undefined) emit(['PEXPIREAT', key, String(when)]);
    }
  }
  chunks.push(Buffer.from(text, 'latin1'));
  return Buffer.concat(chunks);
}

type Emit = (argv: readonly string[]) => void;

function rewriteObject(key: string, value: RedisObject, emit: Emit): void {
  if (value instanceof StringValue) emit(['SET', key, value.value]);
  else if (value instanceof ListValue) batched('RPUSH', key, listItems(value), emit);
  else if (value instanceof SetValue) batched('SADD', key, [...value.values()].map((m) => [m]), emit);
  else if (value instanceof ZSetValue) batched('ZADD', key, [...value.entries()].map((e) => [formatDouble(e.score), e.member]), emit);
  else if (value instanceof HashValue) batched('HMSET', key, [...value.entries()], emit);
  else if (value instanceof StreamValue) rewriteStream(key, value, emit);
  else if (value instanceof JsonValue) emit(['JSON.SET', key, '$', toBytes(serialize(value.root))]);
  else throw new Error(`AOF rewrite: no commands for a value of type ${value.type}`);
}

function listItems(list: ListValue): string[][] {
  const items: string[][] = [];
  for (let i = 0; i < list.length; i++) items.push([list.get(i)]);
  return items;
}

/** Items of a collection, at most 64 per command (each item one or two arguments). */
function batched(command: string, key: string, items: readonly (readonly string[])[], emit: Emit): void {
  for (let i = 0; i < items.length; i += ITEMS_PER_COMMAND) {
    const argv = [command, key];
    for (const item of items.slice(i, i + ITEMS_PER_COMMAND)) argv.push(...item);
    emit(argv);
  }
}

/** Names in the byte order of Redis' rax (one char per byte). */
function byName<V>(m: ReadonlyMap<string, V>): [string, V][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** rewriteStreamObject */
function rewriteStream(key: string, s: StreamValue, emit: Emit): void {
  if (s.length > 0) {
    for (const e of s.range(MIN_ID, MAX_ID, 0)) emit(['XADD', key, formatId(e.id), ...e.fields]);
  } else {
    // An empty stream: XADD MAXLEN 0 creates it empty.
    emit(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  emit(['XSETID', key, formatId(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', formatId(s.maxDeletedId)]);
  for (const [name, group] of byName(s.groups)) {
    emit(['XGROUP', 'CREATE', key, name, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
    for (const [, consumer] of byName(group.consumers)) {
      if (consumer.pel.size === 0) {
        emit(['XGROUP', 'CREATECONSUMER', key, name, consumer.name]);
        continue;
      }
      for (const id of consumer.pel.from(MIN_ID)) pendingEntry(key, name, consumer, formatId(id), consumer.pel.get(id) as PendingEntry, emit);
    }
  }
}

/** rioWriteStreamPendingEntry: XCLAIM … FORCE puts the entry in the consumer's pending list. */
function pendingEntry(key: string, group: string, consumer: Consumer, id: string, nack: PendingEntry, emit: Emit): void {
  emit([
    'XCLAIM', key, group, consumer.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE',
  ]);
}
