/**
 * Commands on keys of any type and on whole databases (db.c): DEL, UNLINK, EXISTS, KEYS, SCAN,
 * TYPE, RENAME, RENAMENX, COPY, MOVE, RANDOMKEY, TOUCH, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB. OBJECT
 * is in object.ts, and its handlers are served from here.
 */
import { bulkArray, bulkOrNil, integer, OK, ONE, simple, ZERO, type Reply } from '../resp/reply.js';
import { is, parseInt32 } from './args.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import type { Engine } from './engine.js';
import {
  DB_INDEX_OUT_OF_RANGE, INVALID_FIRST_DB_INDEX, INVALID_SECOND_DB_INDEX, NO_SUCH_KEY, RedisError,
  SAME_OBJECT, SYNTAX,
} from './errors.js';
import { getExpireAt, lookupReadNoTouch, setExpireAt } from './expire.js';
import { globMatch } from './glob.js';
import type { Database } from './keyspace.js';
import { commands as objectCommands, noteCopy } from './object.js';
import { rdbSave } from './persistence/snapshot.js';
import { forcePropagation } from './propagate.js';
import { matches, parseCursor, parseScanOptions, scanReply } from './scan.js';

/** The database with that index, as selectDb finds it (the index is already a C int). */
function databaseAt(engine: Engine, id: number): Database {
  const db = engine.databases[id];
  if (!db) throw new RedisError(DB_INDEX_OUT_OF_RANGE);
  return db;
}

/** DEL key [key ...] — and UNLINK, which frees memory lazily in Redis but is the same to a client. */
function del(c: Client, argv: readonly string[]): Reply {
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i] as string;
    c.db.expireIfNeeded(key);
    if (c.db.delete(key)) {
      c.db.signalModifiedKey(key);
      c.engine.dirty++;
      deleted++;
    }
  }
  return integer(deleted);
}

/** EXISTS key [key ...]: counts a key given twice twice. */
function exists(c: Client, argv: readonly string[]): Reply {
  let count = 0;
  for (let i = 1; i < argv.length; i++) if (lookupReadNoTouch(c.db, argv[i] as string)) count++;
  return integer(count);
}

/** TYPE key */
function type(c: Client, argv: readonly string[]): Reply {
  return simple(lookupReadNoTouch(c.db, argv[1] as string)?.type ?? 'none');
}

/** KEYS pattern: logically expired keys are left out but, unlike SCAN, not deleted. */
function keys(c: Client, argv: readonly string[]): Reply {
  const pattern = argv[1] as string;
  const all = pattern === '*';
  const time = c.engine.time;
  const found: string[] = [];
  for (const key of c.db.dict.keys()) {
    if (!all && !globMatch(pattern, key)) continue;
    const when = c.db.expires.get(key);
    // keyIsExpired: not while loading, when keys never expire.
    if (when !== undefined && time > when && !c.engine.loading) continue;
    found.push(key);
  }
  return bulkArray(found);
}

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: COUNT bounds the keys looked at, before
 * filtering, so a step may return fewer. Filters in Redis' order: the pattern, the type (a lookup
 * that expires the key lazily), then expiry (expired keys are deleted on the way).
 */
function scan(c: Client, argv: readonly string[]): Reply {
  const cursor = parseCursor(argv[1] as string);
  const options = parseScanOptions(argv, 2, true);
  const db = c.db;
  const step = c.engine.scanCursors.step(cursor, db.dict, options.count);
  const wantedType = options.type?.toLowerCase();
  const names = step.names.filter((name) => {
    if (!matches(options, name)) return false;
    // A key expired by this lookup reads as "none", so TYPE none returns it: Redis does the same.
    if (wantedType !== undefined && (lookupReadNoTouch(db, name)?.type ?? 'none').toLowerCase() !== wantedType) return false;
    return !db.expireIfNeeded(name);
  });
  return scanReply(step.cursor, names);
}

/**
 * renameGenericCommand: the value moves with its expiry. The same name is no change but must
 * exist; an existing destination is overwritten (RENAME) or left alone (RENAMENX answers 0).
 */
function renameGeneric(c: Client, argv: readonly string[], nx: boolean): Reply {
  const source = argv[1] as string;
  const destination = argv[2] as string;
  const value = c.db.lookupWrite(source);
  if (value === undefined) throw new RedisError(NO_SUCH_KEY);
  if (source === destination) return nx ? ZERO : OK;
  const when = getExpireAt(c.db, source);
  if (c.db.lookupWrite(destination) !== undefined) {
    if (nx) return ZERO;
    c.db.delete(destination);
  }
  c.db.add(destination, value);
  if (when !== undefined) setExpireAt(c.db, destination, when);
  c.db.delete(source);
  c.db.signalModifiedKey(source);
  c.db.signalModifiedKey(destination);
  c.engine.dirty++;
  return nx ? ONE : OK;
}

/** RENAME key newkey */
function rename(c: Client, argv: readonly string[]): Reply {
  return renameGeneric(c, argv, false);
}

/** RENAMENX key newkey */
function renamenx(c: Client, argv: readonly string[]): Reply {
  return renameGeneric(c, argv, true);
}

/** COPY source destination [DB destination-db] [REPLACE]: a deep copy, with the expiry. */
function copy(c: Client, argv: readonly string[]): Reply {
  const source = argv[1] as string;
  const destination = argv[2] as string;
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (is(argv[j], 'REPLACE')) {
      replace = true;
    } else if (is(argv[j], 'DB') && j + 1 < argv.length) {
      dst = databaseAt(c.engine, parseInt32(argv[++j] as string));
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  if (src === dst && source === destination) throw new RedisError(SAME_OBJECT);

  const value = src.lookupRead(source);
  if (value === undefined) return ZERO;
  const when = getExpireAt(src, source);
  if (dst.lookupWrite(destination) !== undefined) {
    if (!replace) return ZERO;
    dst.delete(destination);
  }
  const duplicate = value.duplicate();
  noteCopy(duplicate);
  dst.add(destination, duplicate);
  if (when !== undefined) setExpireAt(dst, destination, when);
  dst.signalModifiedKey(destination);
  c.engine.dirty++;
  return ONE;
}

/** MOVE key db: 0 when the key is missing here or already exists there. */
function move(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const src = c.db;
  const dst = databaseAt(c.engine, parseInt32(argv[2] as string));
  if (dst === src) throw new RedisError(SAME_OBJECT);
  const value = src.lookupWrite(key);
  if (value === undefined) return ZERO;
  const when = getExpireAt(src, key);
  if (dst.lookupWrite(key) !== undefined) return ZERO;
  dst.add(key, value);
  if (when !== undefined) setExpireAt(dst, key, when);
  src.delete(key);
  src.signalModifiedKey(key);
  dst.signalModifiedKey(key);
  c.engine.dirty++;
  return ONE;
}

/** RANDOMKEY */
function randomkey(c: Client): Reply {
  return bulkOrNil(c.db.randomKey());
}

/** TOUCH key [key ...]: a read of each, which updates its access time. */
function touch(c: Client, argv: readonly string[]): Reply {
  let touched = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.lookupRead(argv[i] as string)) touched++;
  return integer(touched);
}

/** DBSIZE: every key in the table, including expired ones the active cycle has not removed yet. */
function dbsize(c: Client): Reply {
  return integer(c.db.size);
}

/**
 * getFlushCommandFlags: SYNC or ASYNC. Freeing memory in the background makes no difference
 * here, so both flush at once.
 */
function checkFlushOptions(argv: readonly string[]): void {
  if (argv.length === 1) return;
  if (argv.length === 2 && (is(argv[1], 'SYNC') || is(argv[1], 'ASYNC'))) return;
  throw new RedisError(SYNTAX);
}

/** FLUSHDB [ASYNC | SYNC] */
function flushdb(c: Client, argv: readonly string[]): Reply {
  checkFlushOptions(argv);
  c.engine.dirty += c.db.flush();
  // Propagated even when the database was already empty.
  forcePropagation(c);
  return OK;
}

/** FLUSHALL [ASYNC | SYNC] */
function flushall(c: Client, argv: readonly string[]): Reply {
  checkFlushOptions(argv);
  for (const db of c.engine.databases) c.engine.dirty += db.flush();
  // flushAllDataAndResetRDB: with save rules, the empty data set is saved at once.
  if (c.engine.config.saveParams().length > 0) rdbSave(c.engine);
  forcePropagation(c);
  return OK;
}

/** SWAPDB index1 index2 */
function swapdb(c: Client, argv: readonly string[]): Reply {
  const id1 = parseInt32(argv[1] as string, INVALID_FIRST_DB_INDEX);
  const id2 = parseInt32(argv[2] as string, INVALID_SECOND_DB_INDEX);
  const a = c.engine.databases[id1];
  const b = c.engine.databases[id2];
  if (!a || !b) throw new RedisError(DB_INDEX_OUT_OF_RANGE);
  if (a !== b) swapDatabases(c.engine, a, b);
  c.engine.dirty++;
  return OK;
}

/**
 * dbSwapDatabases: the two Database objects exchange their keys and expiries; clients, WATCHes
 * and blocked clients stay with their index, so each sees the other's data from now on.
 */
export function swapDatabases(engine: Engine, a: Database, b: Database): void {
  engine.touchAllWatchedKeys(a, b);
  engine.touchAllWatchedKeys(b, a);
  engine.scanDatabaseForDeletedStreams(a, b);
  engine.scanDatabaseForDeletedStreams(b, a);
  [a.dict, b.dict] = [b.dict, a.dict];
  [a.expires, b.expires] = [b.expires, a.expires];
  signalBlockedKeysThatExist(engine, a);
  signalBlockedKeysThatExist(engine, b);
}

/** scanDatabaseForReadyKeys: a client blocked on a key the swap brought in may now be served. */
function signalBlockedKeysThatExist(engine: Engine, db: Database): void {
  for (const client of engine.clients.values()) {
    const blocked = client.blocked;
    if (blocked?.db !== db) continue;
    for (const key of blocked.request.keys) if (db.dict.has(key)) engine.signalKeyAsReady(db, key);
  }
}

export const commands: Handlers = {
  del, unlink: del, exists, type, keys, scan, rename, renamenx, copy, move, randomkey, touch,
  dbsize, flushdb, flushall, swapdb,
  ...objectCommands,
};
