/**
 * Transactions (multi.c): MULTI queues, EXEC runs the queue atomically, DISCARD drops it, and
 * WATCH makes EXEC fail (null array) if a watched key changed in between. Queue-time errors
 * (unknown command, wrong arity) make EXEC answer EXECABORT; errors while running are per
 * command, inside EXEC's array, and do not stop the rest.
 */
import { array, NIL_ARRAY, OK, type Reply } from '../resp/reply.js';
import { BlockRequest } from './blocking.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import { EXECABORT, NESTED_MULTI, NOT_IN_MULTI_DISCARD, NOT_IN_MULTI_EXEC, RedisError, WATCH_IN_MULTI } from './errors.js';
import type { Database } from './keyspace.js';

export interface WatchedKey {
  readonly client: Client;
  readonly db: Database;
  readonly key: string;
  /** The key was already (logically) expired when WATCHed: its lazy deletion is no change. */
  expired: boolean;
}

export function watchForKey(c: Client, key: string): void {
  if (c.watched.some((wk) => wk.db === c.db && wk.key === key)) return;
  const wk: WatchedKey = { client: c, db: c.db, key, expired: isLogicallyExpired(c.db, key) };
  c.watched.push(wk);
  const list = c.db.watchedKeys.get(key);
  if (list) list.push(wk);
  else c.db.watchedKeys.set(key, [wk]);
}

export function unwatchAllKeys(c: Client): void {
  for (const wk of c.watched) {
    const list = wk.db.watchedKeys.get(wk.key);
    if (!list) continue;
    const i = list.indexOf(wk);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) wk.db.watchedKeys.delete(wk.key);
  }
  c.watched.length = 0;
}

function isLogicallyExpired(db: Database, key: string): boolean {
  const when = db.expires.get(key);
  return when !== undefined && db.engine.time > when && !db.engine.loading;
}

function isWatchedKeyExpired(c: Client): boolean {
  return c.watched.some((wk) => !wk.expired && wk.db.dict.has(wk.key) && isLogicallyExpired(wk.db, wk.key));
}

/** touchWatchedKey: every client watching `key` in `db` will fail its EXEC. */
export function touchWatchedKey(db: Database, key: string): void {
  const list = db.watchedKeys.get(key);
  if (!list) return;
  for (const wk of [...list]) {
    if (wk.expired) {
      if (!db.dict.has(key)) {
        // The key was already expired when watched and has now been deleted: logically no change.
        wk.expired = false;
        continue;
      }
      // Redis 7.0 leaves the loop here (a `break`), so later watchers of the key are not touched.
      break;
    }
    wk.client.watchDirty = true;
    unwatchAllKeys(wk.client);
  }
}

/**
 * touchAllWatchedKeysInDb: after FLUSHDB/FLUSHALL (called before the data goes) or SWAPDB
 * (`replacedWith` is the database whose data takes its place), watchers of keys that existed in
 * either are touched; keys that were expired on both sides are no change.
 */
export function touchAllWatchedKeysInDb(emptied: Database, replacedWith?: Database): void {
  for (const [key, list] of emptied.watchedKeys) {
    const existsInEmptied = emptied.dict.has(key);
    if (!existsInEmptied && !replacedWith?.dict.has(key)) continue;
    for (const wk of list) {
      if (wk.expired) {
        if (!replacedWith || !replacedWith.dict.has(key)) {
          wk.expired = false;
          continue;
        } else if (isLogicallyExpired(replacedWith, key)) {
          continue;
        }
      } else if (!existsInEmptied && replacedWith && isLogicallyExpired(replacedWith, key)) {
        wk.expired = true;
        continue;
      }
      wk.client.watchDirty = true;
    }
  }
}

export function discardTransaction(c: Client): void {
  c.multi = null;
  c.multiDirty = false;
  c.watchDirty = false;
  unwatchAllKeys(c);
}

/** MULTI */
function multi(c: Client): Reply {
  if (c.multi) throw new RedisError(NESTED_MULTI);
  c.multi = [];
  return OK;
}

/** EXEC */
function exec(c: Client): Reply {
  if (!c.multi) throw new RedisError(NOT_IN_MULTI_EXEC);
  if (isWatchedKeyExpired(c)) c.watchDirty = true;
  if (c.multiDirty || c.watchDirty) {
    const reply = c.multiDirty ? { kind: 'error' as const, message: EXECABORT } : NIL_ARRAY;
    discardTransaction(c);
    return reply;
  }
  const queue = c.multi;
  unwatchAllKeys(c);
  const replies: Reply[] = [];
  c.inExec = true;
  try {
    for (const { spec, argv } of queue) {
      const reply = c.engine.call(c, spec, argv);
      // c.inExec makes call() answer a blocking command's timeout reply instead of blocking.
      if (reply instanceof BlockRequest) throw new Error('a command blocked inside EXEC');
      replies.push(reply);
    }
  } finally {
    c.inExec = false;
    discardTransaction(c);
  }
  return array(replies);
}

/** DISCARD */
function discard(c: Client): Reply {
  if (!c.multi) throw new RedisError(NOT_IN_MULTI_DISCARD);
  discardTransaction(c);
  return OK;
}

/** WATCH key [key ...] */
function watch(c: Client, argv: readonly string[]): Reply {
  if (c.multi) throw new RedisError(WATCH_IN_MULTI);
  // A client already marked dirty need not watch more: EXEC will fail anyway.
  if (c.watchDirty) return OK;
  for (let i = 1; i < argv.length; i++) watchForKey(c, argv[i] as string);
  return OK;
}

/** UNWATCH */
function unwatch(c: Client): Reply {
  unwatchAllKeys(c);
  c.watchDirty = false;
  return OK;
}

export const commands: Handlers = { multi, exec, discard, watch, unwatch };
