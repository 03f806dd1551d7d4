/**
 * Writing an RDB snapshot (rdbSaveRio): the magic "REDIS0010", aux fields, then per non-empty
 * database SELECTDB and RESIZEDB, then each key (its expiry, type, name, value), EOF and the
 * CRC-64. Values are written in the encoding Redis 7.0 would use for them in memory:
 * listpacks for small hashes and sorted sets, an intset for a set of integers, a quicklist of
 * listpacks for a list, the plain forms for the rest; streams as their radix-tree nodes; JSON as
 * a RedisJSON module value (see rdb-types.ts).
 */
import { formatDouble } from '../../resp/double.js';
import { toBytes } from '../../resp/reply.js';
import type { Engine } from '../engine.js';
import { getExpireAt } from '../expire.js';
import { REDIS_VERSION } from '../version.js';
import type { RedisObject } from '../keyspace.js';
import { HashValue } from '../types/hash.js';
import { JsonValue, serialize } from '../types/json.js';
import { ListValue } from '../types/list.js';
import { SetValue } from '../types/set.js';
import { StreamValue } from '../types/stream.js';
import { StringValue } from '../types/string.js';
import { ZSetValue } from '../types/zset.js';
import { encodeIntset } from './intset.js';
import { ListpackBuilder } from './listpack.js';
import {
  RDB_MODULE_OPCODE_EOF, RDB_MODULE_OPCODE_STRING, RDB_OPCODE_AUX, RDB_OPCODE_EXPIRETIME_MS, RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_MODULE_2,
  RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STRING, RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK, RDB_VERSION, QUICKLIST_NODE_CONTAINER_PACKED, REJSON_ENCVER, REJSON_TYPE_NAME, moduleTypeId,
} from './rdb-types.js';
import { RdbWriter } from './rdb-writer.js';
import { saveStream } from './rdb-stream.js';

/** list-max-listpack-size -2: a quicklist node holds up to 8 KB of listpack. */
const LIST_NODE_BYTES = 8192;

const REJSON_MODULE_ID = moduleTypeId(REJSON_TYPE_NAME, REJSON_ENCVER);

export interface EncodeOptions {
  /** The snapshot is the base of an AOF (aux field aof-base 1). */
  readonly aofBase?: boolean;
}

/**
 * A snapshot of every database at this instant, as redis-server 7.0 writes dump.rdb. Keys past
 * their expiry that nobody touched yet are written with their expiry, as rdbSaveDb does; whoever
 * loads the file drops them (a master loading an RDB skips expired keys).
 */
export function encodeRdb(engine: Engine, options: EncodeOptions = {}): Buffer {
  const w = new RdbWriter(engine.config.bool('rdbcompression'), 1 << 20);
  w.raw(Buffer.from(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 'latin1'));
  aux(w, 'redis-ver', REDIS_VERSION);
  aux(w, 'redis-bits', process.arch.endsWith('64') ? '64' : '32');
  aux(w, 'ctime', String(Math.floor(engine.clock.now() / 1000)));
  aux(w, 'used-mem', String(process.memoryUsage().heapUsed));
  aux(w, 'aof-base', options.aofBase ? '1' : '0');
  for (const db of engine.databases) {
    if (db.dict.size === 0) continue;
    w.byte(RDB_OPCODE_SELECTDB);
    w.len(db.id);
    w.byte(RDB_OPCODE_RESIZEDB);
    w.len(db.dict.size);
    w.len(db.expires.size);
    const expires = db.expires;
    const hasExpires = expires.size > 0;
    for (const [key, value] of db.dict) {
      if (hasExpires) {
        const when = expires.get(key);
        if (when !== undefined) {
          w.byte(RDB_OPCODE_EXPIRETIME_MS);
          // Beyond 2^53 ms the double is a rounding; the exact 64-bit time is kept aside.
          w.millis(Number.isSafeInteger(when) ? when : (getExpireAt(db, key) ?? BigInt(Math.trunc(when))));
        }
      }
      saveKeyValue(w, key, value);
    }
  }
  return w.finish(engine.config.bool('rdbchecksum'));
}

function aux(w: RdbWriter, key: string, value: string): void {
  w.byte(RDB_OPCODE_AUX);
  w.string(key);
  w.string(value);
}

/** The type byte, the key and the value (rdbSaveObjectType, rdbSaveStringObject, rdbSaveObject). */
export function saveKeyValue(w: RdbWriter, key: string, value: RedisObject): void {
  w.byte(rdbTypeOf(value));
  w.string(key);
  saveObject(w, value);
}

/** rdbSaveObjectType: the RDB type the value is written as. */
export function rdbTypeOf(value: RedisObject): number {
  if (value instanceof StringValue) return RDB_TYPE_STRING;
  if (value instanceof ListValue) return RDB_TYPE_LIST_QUICKLIST_2;
  if (value instanceof SetValue) return value.isIntset ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
  if (value instanceof ZSetValue) return value.encoding() === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
  if (value instanceof HashValue) return value.isListpack ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
  if (value instanceof StreamValue) return RDB_TYPE_STREAM_LISTPACKS_2;
  if (value instanceof JsonValue) return RDB_TYPE_MODULE_2;
  throw new Error(`RDB: no encoding for a value of type ${value.type}`);
}

/** rdbSaveObject: the value alone, in the form rdbTypeOf names. */
export function saveObject(w: RdbWriter, value: RedisObject): void {
  if (value instanceof StringValue) {
    w.string(value.value);
  } else if (value instanceof ListValue) {
    saveList(w, value);
  } else if (value instanceof SetValue) {
    saveSet(w, value);
  } else if (value instanceof ZSetValue) {
    saveZSet(w, value, value.encoding() === 'listpack');
  } else if (value instanceof HashValue) {
    saveHash(w, value);
  } else if (value instanceof StreamValue) {
    saveStream(w, value);
  } else if (value instanceof JsonValue) {
    w.len(REJSON_MODULE_ID);
    w.len(RDB_MODULE_OPCODE_STRING);
    w.string(toBytes(serialize(value.root)));
    w.len(RDB_MODULE_OPCODE_EOF);
  } else {
    throw new Error(`RDB: no encoding for a value of type ${value.type}`);
  }
}

/** A quicklist of listpack nodes of about 8 KB each (list-max-listpack-size -2). */
function saveList(w: RdbWriter, list: ListValue): void {
  const nodes: Buffer[] = [];
  let lp = new ListpackBuilder();
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const element = list.get(i);
    if (lp.count > 0 && lp.bytes + element.length + 11 > LIST_NODE_BYTES) {
      nodes.push(lp.finish());
      lp = new ListpackBuilder();
    }
    lp.appendString(element);
  }
  if (lp.count > 0) nodes.push(lp.finish());
  w.len(nodes.length);
  for (const node of nodes) {
    w.len(QUICKLIST_NODE_CONTAINER_PACKED);
    w.blob(node);
  }
}

function saveSet(w: RdbWriter, set: SetValue): void {
  if (set.isIntset) {
    w.blob(encodeIntset(set.values()));
    return;
  }
  w.len(set.size);
  for (const member of set.values()) w.string(member);
}

/** zzlInsertAt's score: an integer when the double is one (double2ll), else d2string's %.17g. */
function appendScore(lp: ListpackBuilder, score: number): void {
  if (Number.isInteger(score) && Math.abs(score) <= 2 ** 62) {
    lp.appendInteger(score === 0 ? 0 : score);
  } else {
    lp.appendString(formatDouble(score));
  }
}

function saveZSet(w: RdbWriter, zset: ZSetValue, listpack: boolean): void {
  if (listpack) {
    const lp = new ListpackBuilder();
    for (const { member, score } of zset.entries()) {
      lp.appendString(member);
      appendScore(lp, score);
    }
    w.blob(lp.finish());
    return;
  }
  // Highest first, as Redis writes them, so that loading inserts at the skiplist's head.
  w.len(zset.size);
  for (const { member, score } of zset.entries(true)) {
    w.string(member);
    w.binaryDouble(score);
  }
}

function saveHash(w: RdbWriter, hash: HashValue): void {
  if (hash.isListpack) {
    const lp = new ListpackBuilder();
    for (const [field, value] of hash.entries()) {
      lp.appendString(field);
      lp.appendString(value);
    }
    w.blob(lp.finish());
    return;
  }
  w.len(hash.size);
  for (const [field, value] of hash.entries()) {
    w.string(field);
    w.string(value);
  }
}
