/**
 * DUMP and RESTORE (cluster.c): a value serialized as in an RDB file (its type byte and the
 * value), followed by the RDB version (2 bytes) and a CRC-64 of everything before it (8 bytes),
 * both little-endian. The payload is the same one redis-server 7.0 produces and accepts, so a
 * value can move between our engine and a real Redis with DUMP and RESTORE.
 */
import { bulk, NIL, OK, type Reply } from '../../resp/reply.js';
import { is, parseInteger } from '../args.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import {
  BUSYKEY, DUMP_PAYLOAD_INVALID, RedisError, RESTORE_BAD_DATA, RESTORE_INVALID_FREQ, RESTORE_INVALID_IDLETIME,
  RESTORE_INVALID_TTL, SYNTAX,
} from '../errors.js';
import { setExpireAt } from '../expire.js';
import type { RedisObject } from '../keyspace.js';
import { NOTIFY } from '../config.js';
import { notifyKeyspaceEvent } from '../pubsub.js';
import { crc64 } from './crc64.js';
import { loadObject } from './rdb-load.js';
import { RdbError, RdbReader } from './rdb-reader.js';
import { rdbTypeOf, saveObject } from './rdb-save.js';
import { isObjectType, RDB_VERSION } from './rdb-types.js';
import { RdbWriter } from './rdb-writer.js';

/** createDumpPayload */
export function createDumpPayload(value: RedisObject, compression = true): Buffer {
  const w = new RdbWriter(compression, 256);
  w.byte(rdbTypeOf(value));
  saveObject(w, value);
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  const body = w.contents();
  const out = Buffer.allocUnsafe(body.length + 8);
  body.copy(out);
  out.writeBigUInt64LE(crc64(body), body.length);
  return out;
}

/** verifyDumpPayload: a version this engine reads and a matching checksum. */
export function verifyDumpPayload(p: Buffer): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = (p[footer] as number) | ((p[footer + 1] as number) << 8);
  if (version > RDB_VERSION) return false;
  return crc64(p, 0, p.length - 8) === p.readBigUInt64LE(p.length - 8);
}

/** The value a payload holds, or undefined when it is not one (bad type, truncated, empty). */
function loadPayload(c: Client, p: Buffer): RedisObject | undefined {
  const r = new RdbReader(p.subarray(0, p.length - 10), 'DUMP payload');
  try {
    const type = r.byte();
    if (!isObjectType(type)) return undefined;
    return loadObject(r, type, { databases: c.engine.databases.length, limits: c.engine.config.encodingLimits });
  } catch (e) {
    if (e instanceof RdbError) return undefined;
    throw e;
  }
}

/** DUMP key */
function dump(c: Client, argv: readonly string[]): Reply {
  const value = c.db.lookupRead(argv[1] as string);
  if (value === undefined) return NIL;
  return bulk(createDumpPayload(value, c.engine.config.bool('rdbcompression')).toString('latin1'));
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restore(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    const opt = argv[j] as string;
    if (is(opt, 'REPLACE')) replace = true;
    else if (is(opt, 'ABSTTL')) absttl = true;
    else if (is(opt, 'IDLETIME') && additional >= 1 && freq === -1) {
      idle = parseInteger(argv[++j] as string);
      if (idle < 0) throw new RedisError(RESTORE_INVALID_IDLETIME);
    } else if (is(opt, 'FREQ') && additional >= 1 && idle === -1) {
      freq = parseInteger(argv[++j] as string);
      if (freq < 0 || freq > 255) throw new RedisError(RESTORE_INVALID_FREQ);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const db = c.db;
  if (!replace && db.lookupWrite(key) !== undefined) throw new RedisError(BUSYKEY);
  let ttl = BigInt(parseInteger(argv[2] as string));
  if (ttl < 0n) throw new RedisError(RESTORE_INVALID_TTL);
  const payload = Buffer.from(argv[3] as string, 'latin1');
  if (!verifyDumpPayload(payload)) throw new RedisError(DUMP_PAYLOAD_INVALID);
  const value = loadPayload(c, payload);
  if (value === undefined) throw new RedisError(RESTORE_BAD_DATA);

  const engine = c.engine;
  const deleted = replace && db.delete(key);
  if (ttl > 0n && !absttl) ttl += BigInt(engine.time);
  // checkAlreadyExpired: a time already past deletes instead (but never while loading).
  if (ttl > 0n && ttl <= BigInt(engine.time) && !engine.loading) {
    if (deleted) {
      db.signalModifiedKey(key);
      notifyKeyspaceEvent(engine, NOTIFY.GENERIC, 'del', key, db.id);
      engine.dirty++;
    }
    return OK;
  }
  db.add(key, value);
  if (ttl > 0n) setExpireAt(db, key, ttl);
  // objectSetLRUOrLFU: without an LFU policy, IDLETIME sets the access time and FREQ is ignored.
  if (idle >= 0) value.lru = Math.max(0, engine.lruClock - idle);
  db.signalModifiedKey(key);
  notifyKeyspaceEvent(engine, NOTIFY.GENERIC, 'restore', key, db.id);
  engine.dirty++;
  return OK;
}

export const commands: Handlers = { dump, restore };
