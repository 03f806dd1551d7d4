/**
 * RDB snapshots (rdb.c): the real Redis 7.0 format, version 10, as redis-server 7.0.15 writes and
 * loads it and redis-check-rdb accepts it.
 *
 * Layout
 * - rdb.ts          this API: encodeRdb, loadRdb, saveRdbFile, RdbError.
 * - rdb-save.ts     writing a snapshot of the engine; rdb-writer.ts the format's primitives.
 * - rdb-load.ts     reading one (parseRdb, shared with check-rdb.ts); rdb-reader.ts primitives.
 * - rdb-stream.ts   streams (radix-tree nodes of listpacks, consumer groups).
 * - rdb-types.ts    type and opcode numbers; listpack.ts, ziplist.ts, intset.ts, lzf.ts,
 *                   crc64.ts the packed encodings, compression and checksum.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine.js';
import { setExpireAt } from '../expire.js';
import type { Database, RedisObject } from '../keyspace.js';
import { parseRdb } from './rdb-load.js';
import { RdbError } from './rdb-reader.js';
import { encodeRdb } from './rdb-save.js';

export { encodeRdb, type EncodeOptions } from './rdb-save.js';
export { RdbError } from './rdb-reader.js';

export interface LoadOptions {
  /**
   * The RDB is the preamble of an AOF base (RDBFLAGS_AOF_PREAMBLE): keys already expired are
   * kept, because the commands that follow in the AOF were logged against them.
   */
  readonly aofPreamble?: boolean;
}

export interface LoadResult {
  /** Bytes the RDB took, checksum included (an AOF's commands follow them). */
  readonly bytes: number;
  /** rdb_last_load_keys_loaded and rdb_last_load_keys_expired, as INFO reports them. */
  readonly keysLoaded: number;
  readonly keysExpired: number;
}

/**
 * Loads an RDB file's keys into the engine's databases (rdbLoad). Nothing is changed unless the
 * whole file reads correctly (checksum included, when the file has one): a damaged file throws an
 * RdbError naming `file`, the byte offset and what was wrong. A key that is already in the
 * engine is replaced. Keys past their expiry are dropped (unless `aofPreamble`), as a master does.
 */
export function loadRdb(engine: Engine, data: Buffer, file: string, options: LoadOptions = {}): LoadResult {
  const staged = new Map<number, { dict: Map<string, RedisObject>; expires: Map<string, number> }>();
  const now = engine.clock.now();
  const lruClock = Math.floor(now / 1000);
  let currentDb = -1;
  let target = { dict: new Map<string, RedisObject>(), expires: new Map<string, number>() };
  const exact: { db: number; key: string; when: bigint }[] = [];
  let keysLoaded = 0;
  let keysExpired = 0;
  const wasLoading = engine.loading;
  engine.loading = true;
  let bytes: number;
  try {
    bytes = parseRdb(data, file, { databases: engine.databases.length, limits: engine.config.encodingLimits }, {
      key(db, key, value, expireAt, idle, _rdbType, offset, exactExpireAt) {
        if (value === undefined) return;
        if (expireAt !== undefined && !options.aofPreamble && expireAt < now) {
          keysExpired++;
          return;
        }
        if (db !== currentDb) {
          currentDb = db;
          let t = staged.get(db);
          if (!t) staged.set(db, (t = { dict: new Map(), expires: new Map() }));
          target = t;
        }
        value.lru = idle === undefined ? lruClock : Math.max(0, lruClock - idle);
        const size = target.dict.size;
        target.dict.set(key, value);
        // One lookup instead of has() then set(): a key seen before leaves the size unchanged.
        if (target.dict.size === size) throw new RdbError(file, offset, `Duplicated key '${key}' in DB ${db}`);
        if (expireAt !== undefined) target.expires.set(key, expireAt);
        if (exactExpireAt !== undefined) exact.push({ db, key, when: exactExpireAt });
        keysLoaded++;
      },
    });
  } finally {
    engine.loading = wasLoading;
  }
  for (const [id, { dict, expires }] of staged) {
    const db = engine.databases[id];
    if (!db) continue;
    if (db.dict.size === 0) {
      db.dict = dict;
      db.expires = expires;
      continue;
    }
    for (const [key, value] of dict) {
      db.dict.set(key, value);
      const when = expires.get(key);
      if (when !== undefined) db.expires.set(key, when);
      else db.expires.delete(key);
    }
  }
  for (const { db, key, when } of exact) setExpireAt(engine.databases[db] as Database, key, when);
  return { bytes, keysLoaded, keysExpired };
}

/**
 * rdbSave's file handling: the snapshot goes to temp-<pid>.rdb in the same directory, is flushed
 * to disk (fsync), then renamed over `file`, and the directory is fsynced, so a crash at any
 * moment leaves either the old file or the new one, never half of one.
 */
export function writeRdbFileSync(data: Buffer, file: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `temp-${process.pid}.rdb`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDirectory(dir);
}

/** The same, without blocking the engine (BGSAVE): the file work happens on libuv's threads. */
export async function writeRdbFile(data: Buffer, file: string, tmpName = `temp-bg-${process.pid}.rdb`): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, tmpName);
  try {
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  const dirHandle = await fs.promises.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a snapshot of the engine to `file` (SAVE): encodeRdb, then writeRdbFileSync. */
export function saveRdbFile(engine: Engine, file: string): void {
  writeRdbFileSync(encodeRdb(engine), file);
}
