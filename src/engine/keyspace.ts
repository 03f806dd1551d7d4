/**
 * The keyspace: numbered databases of keys → values, each key with an optional expiry.
 *
 * Every read and write of a key goes through `lookupRead` / `lookupWrite` so that a key past its
 * expiry time is deleted at the moment it is touched (lazy expiry), as Redis' expireIfNeeded does;
 * the engine's active cycle removes the rest. Writes tell `signalModifiedKey` so that WATCH and
 * blocked clients hear of them.
 */
import type { Engine } from './engine.js';
import { RedisError, WRONGTYPE } from './errors.js';
import type { WatchedKey } from './multi.js';

/** The type names TYPE reports. */
export type TypeName = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'ReJSON-RL';

/** A value stored under a key. */
export abstract class RedisObject {
  abstract readonly type: TypeName;
  /**
   * The engine's LRU clock (whole seconds, as Redis' LRU clock) at the last access, for OBJECT
   * IDLETIME; seconds keep it a small integer V8 stores inline. Each value class defines it
   * (`lru = 0`): a field defined here would be defined at one spot for objects of every class,
   * which V8 serves by a slow path once it has seen them all (0.15 µs more for every SET).
   */
  abstract lru: number;
  /** The encoding OBJECT ENCODING reports, by Redis' rules for the value's current size and content. */
  abstract encoding(): string;
  /** A deep copy, for COPY (the copy shares nothing with the original). */
  abstract duplicate(): RedisObject;
}

type ObjectClass<T extends RedisObject> = abstract new (...args: never[]) => T;

export class Database {
  // Not readonly: SWAPDB swaps the contents of two databases, and clients stay with the index.
  dict = new Map<string, RedisObject>();
  /** Absolute expiry times in ms, only for keys that have one. */
  expires = new Map<string, number>();
  /** WATCHed key → the watches on it, in the order they were made (see multi.ts). */
  readonly watchedKeys = new Map<string, WatchedKey[]>();

  constructor(readonly engine: Engine, public id: number) {}

  get size(): number {
    return this.dict.size;
  }

  /** The value for a read (counts keyspace hits/misses), or undefined if absent or expired. */
  lookupRead(key: string): RedisObject | undefined {
    const value = this.lookup(key);
    if (value === undefined) this.engine.stats.keyspaceMisses++;
    else this.engine.stats.keyspaceHits++;
    return value;
  }

  /** The value for a write, or undefined if absent or expired. */
  lookupWrite(key: string): RedisObject | undefined {
    return this.lookup(key);
  }

  /** lookupRead, checked to be of the given class (else WRONGTYPE). */
  readAs<T extends RedisObject>(key: string, cls: ObjectClass<T>): T | undefined {
    return checkType(this.lookupRead(key), cls);
  }

  /** lookupWrite, checked to be of the given class (else WRONGTYPE). */
  writeAs<T extends RedisObject>(key: string, cls: ObjectClass<T>): T | undefined {
    return checkType(this.lookupWrite(key), cls);
  }

  /** Present and not expired, without touching the access time or the hit counters. */
  exists(key: string): boolean {
    return this.lookup(key, false) !== undefined;
  }

  private lookup(key: string, touch = true): RedisObject | undefined {
    const value = this.dict.get(key);
    if (value === undefined) return undefined;
    if (this.expireIfNeeded(key)) return undefined;
    if (touch) value.lru = this.engine.lruClock;
    return value;
  }

  /** Deletes the key if its time has come; true when it is (now) gone. */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined || this.engine.time <= when) return false;
    if (this.engine.loading) return false;
    // Through delete(), so that a client blocked in XREADGROUP on an expired stream is answered.
    this.delete(key);
    this.engine.stats.expiredKeys++;
    this.engine.keyExpired(this, key);
    return true;
  }

  /** Adds a key that does not exist (dbAdd). */
  add(key: string, value: RedisObject): void {
    value.lru = this.engine.lruClock;
    this.dict.set(key, value);
    this.engine.signalKeyAsReady(this, key);
  }

  /**
   * setKey: adds or overwrites, dropping any expiry unless keepTtl, and signals the change.
   * The caller has looked the key up, so an expired key is already gone; a caller that kept what
   * it found passes it as `found` (undefined: nothing there), saving a second hash lookup.
   */
  setKey(key: string, value: RedisObject, keepTtl = false, found: RedisObject | undefined | null = null): void {
    value.lru = this.engine.lruClock;
    const old = found === null ? this.dict.get(key) : found;
    this.dict.set(key, value);
    // A new key may serve blocked clients; an overwritten stream ends blocked XREADGROUPs (dbOverwrite).
    if (old === undefined || old.type === 'stream') this.engine.signalKeyAsReady(this, key);
    if (!keepTtl && this.expires.size > 0) this.expires.delete(key);
    this.signalModifiedKey(key);
  }

  /**
   * Deletes a key (with its expiry); true if it existed. Does not signal modification: callers do.
   * A deleted stream is signalled ready so that XREADGROUPs blocked on it end (dbGenericDelete).
   */
  delete(key: string): boolean {
    const value = this.dict.get(key);
    if (value === undefined) return false;
    this.dict.delete(key);
    this.expires.delete(key);
    if (value.type === 'stream') this.engine.signalKeyAsReady(this, key);
    return true;
  }

  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  setExpire(key: string, when: number): void {
    this.expires.set(key, when);
  }

  removeExpire(key: string): boolean {
    return this.expires.delete(key);
  }

  /** A write happened to `key`: WATCHers of it lose their transaction. */
  signalModifiedKey(key: string): void {
    this.engine.touchWatchedKey(this, key);
  }

  /** Empties the database (FLUSHDB); returns how many keys it held. */
  flush(): number {
    const removed = this.dict.size;
    this.engine.touchAllWatchedKeys(this);
    this.engine.scanDatabaseForDeletedStreams(this);
    this.dict.clear();
    this.expires.clear();
    return removed;
  }

  /**
   * Redis' RANDOMKEY (dbRandomKey): a random key that is not expired. An expired key drawn is
   * deleted and another drawn, until a live key turns up or none is left (Redis on a master does
   * the same; only a replica gives up and returns an expired key).
   */
  randomKey(): string | undefined {
    while (this.dict.size > 0) {
      // A Map cannot be indexed, so walk to a uniformly chosen position; it keeps the choice fair,
      // as dictGetFairRandomKey aims to be, and the sizes a tutorial holds make the walk cheap.
      let index = Math.floor(Math.random() * this.dict.size);
      let chosen: string | undefined;
      for (const key of this.dict.keys()) {
        if (index-- === 0) {
          chosen = key;
          break;
        }
      }
      if (chosen === undefined) return undefined;
      if (!this.expires.has(chosen) || !this.expireIfNeeded(chosen)) return chosen;
    }
    return undefined;
  }
}

export function checkType<T extends RedisObject>(value: RedisObject | undefined, cls: ObjectClass<T>): T | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof cls)) throw new RedisError(WRONGTYPE);
  return value;
}
