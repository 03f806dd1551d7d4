/**
 * Expiry (expire.c): EXPIRE and friends, TTL and friends, PERSIST, and the active expiry cycle
 * that removes keys whose time has passed without anyone touching them. Lazy expiry, on access,
 * lives in keyspace.ts (Database.expireIfNeeded).
 */
import { integer, ONE, ZERO, type Reply } from '../resp/reply.js';
import { INT64_MAX, INT64_MIN, parseBigInt } from './args.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import type { Engine } from './engine.js';
import {
  EXPIRE_GT_AND_LT, EXPIRE_NX_AND_XX_GT_LT, invalidExpire, RedisError, unsupportedOption,
} from './errors.js';
import type { Database, RedisObject } from './keyspace.js';
import { rewriteCommand } from './propagate.js';

/**
 * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): expires the key lazily and counts a keyspace hit or
 * miss, but leaves the access time alone. EXISTS, TYPE, TTL, OBJECT and SCAN's TYPE filter look
 * keys up this way, so OBJECT IDLETIME is not reset by them.
 */
export function lookupReadNoTouch(db: Database, key: string): RedisObject | undefined {
  db.expireIfNeeded(key);
  const value = db.dict.get(key);
  if (value === undefined) db.engine.stats.keyspaceMisses++;
  else db.engine.stats.keyspaceHits++;
  return value;
}

// ---------------------------------------------------------------------------------------------
// Exact expiry times
// ---------------------------------------------------------------------------------------------

/**
 * Database.expires holds doubles, exact up to 2^53 ms (the year 287396). Redis keeps a 64-bit
 * integer, and PEXPIREAT k 9223372036854775807 then PEXPIRETIME k answers it digit for digit, so
 * the few times beyond 2^53 are also kept here exactly, per expires table (SWAPDB swaps tables,
 * and this follows). An entry counts only while the double stored for the key is still its
 * rounding, so a later write of the expiry by any other path makes it stale, never wrong.
 */
const exactExpires = new WeakMap<ReadonlyMap<string, number>, Map<string, bigint>>();

/** The key's expiry time in ms since the epoch, exactly; undefined when it has none. */
export function getExpireAt(db: Database, key: string): bigint | undefined {
  const when = db.getExpire(key);
  if (when === undefined) return undefined;
  if (Number.isSafeInteger(when)) return BigInt(when);
  const exact = exactExpires.get(db.expires)?.get(key);
  return exact !== undefined && Number(exact) === when ? exact : BigInt(Math.trunc(when));
}

/** setExpire with a 64-bit time (see exactExpires). */
export function setExpireAt(db: Database, key: string, when: bigint): void {
  const ms = Number(when);
  db.setExpire(key, ms);
  if (Number.isSafeInteger(ms)) return;
  let exact = exactExpires.get(db.expires);
  if (!exact) exactExpires.set(db.expires, (exact = new Map()));
  exact.set(key, when);
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

/** parseExtendedExpireArgumentsOrReply: NX | XX | GT | LT, in any number and order, checked after. */
function parseExpireFlags(argv: readonly string[]): ExpireFlags {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false };
  for (let i = 3; i < argv.length; i++) {
    const option = (argv[i] as string).toLowerCase();
    if (option === 'nx' || option === 'xx' || option === 'gt' || option === 'lt') flags[option] = true;
    else throw new RedisError(unsupportedOption(argv[i] as string));
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) throw new RedisError(EXPIRE_NX_AND_XX_GT_LT);
  if (flags.gt && flags.lt) throw new RedisError(EXPIRE_GT_AND_LT);
  return flags;
}

/** Whether the flags let a new expiry `when` replace `current` (undefined: no expiry, an infinite TTL). */
function flagsAllow(flags: ExpireFlags, when: bigint, current: bigint | undefined): boolean {
  if (flags.nx && current !== undefined) return false;
  if (flags.xx && current === undefined) return false;
  if (flags.gt && (current === undefined || when <= current)) return false;
  // With no expiry the key's TTL is infinite, so any new time is less.
  if (flags.lt && current !== undefined && when >= current) return false;
  return true;
}

/**
 * expireGenericCommand: `relative` adds the current time (EXPIRE, PEXPIRE), `seconds` scales the
 * argument. Options and the number are checked before the key is looked up, as in Redis.
 */
function expireGeneric(c: Client, argv: readonly string[], name: string, relative: boolean, seconds: boolean): Reply {
  const key = argv[1] as string;
  const flags = parseExpireFlags(argv);
  let when = parseBigInt(argv[2] as string);
  if (seconds) {
    // C's LLONG_MAX / 1000 truncates toward zero, as bigint division does.
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw new RedisError(invalidExpire(name));
    when *= 1000n;
  }
  const basetime = relative ? BigInt(c.engine.time) : 0n;
  if (when > INT64_MAX - basetime) throw new RedisError(invalidExpire(name));
  when += basetime;

  if (c.db.lookupWrite(key) === undefined) return ZERO;
  if (!flagsAllow(flags, when, getExpireAt(c.db, key))) return ZERO;

  if (when <= BigInt(c.engine.time) && !c.engine.loading) {
    // checkAlreadyExpired: a time in the past deletes the key at once (propagated as a DEL).
    c.db.delete(key);
    rewriteCommand(c, [c.engine.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
  } else {
    setExpireAt(c.db, key, when);
    // Propagated as PEXPIREAT key <absolute ms> [options].
    if (relative || seconds) rewriteCommand(c, ['PEXPIREAT', key, String(when), ...argv.slice(3)]);
  }
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return ONE;
}

/** EXPIRE key seconds [NX | XX | GT | LT] */
function expire(c: Client, argv: readonly string[]): Reply {
  return expireGeneric(c, argv, 'expire', true, true);
}

/** PEXPIRE key milliseconds [NX | XX | GT | LT] */
function pexpire(c: Client, argv: readonly string[]): Reply {
  return expireGeneric(c, argv, 'pexpire', true, false);
}

/** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
function expireat(c: Client, argv: readonly string[]): Reply {
  return expireGeneric(c, argv, 'expireat', false, true);
}

/** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
function pexpireat(c: Client, argv: readonly string[]): Reply {
  return expireGeneric(c, argv, 'pexpireat', false, false);
}

/**
 * ttlGenericCommand: -2 for no key, -1 for no expiry, else the time left (or the absolute time),
 * never below 0. Seconds are rounded to the nearest, as Redis does with (ttl + 500) / 1000.
 */
function ttlGeneric(c: Client, argv: readonly string[], milliseconds: boolean, absolute: boolean): Reply {
  const key = argv[1] as string;
  if (lookupReadNoTouch(c.db, key) === undefined) return integer(-2);
  const when = getExpireAt(c.db, key);
  if (when === undefined) return integer(-1);
  let ttl = absolute ? when : when - BigInt(c.engine.time);
  if (ttl < 0n) ttl = 0n;
  return bigInteger(milliseconds ? ttl : (ttl + 500n) / 1000n);
}

function bigInteger(v: bigint): Reply {
  const n = Number(v);
  return integer(Number.isSafeInteger(n) ? n : v);
}

/** TTL key */
function ttl(c: Client, argv: readonly string[]): Reply {
  return ttlGeneric(c, argv, false, false);
}

/** PTTL key */
function pttl(c: Client, argv: readonly string[]): Reply {
  return ttlGeneric(c, argv, true, false);
}

/** EXPIRETIME key */
function expiretime(c: Client, argv: readonly string[]): Reply {
  return ttlGeneric(c, argv, false, true);
}

/** PEXPIRETIME key */
function pexpiretime(c: Client, argv: readonly string[]): Reply {
  return ttlGeneric(c, argv, true, true);
}

/** PERSIST key */
function persist(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  if (c.db.lookupWrite(key) === undefined || !c.db.removeExpire(key)) return ZERO;
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return ONE;
}

export const commands: Handlers = {
  expire, pexpire, expireat, pexpireat, ttl, pttl, expiretime, pexpiretime, persist,
};

// ---------------------------------------------------------------------------------------------
// The active expiry cycle
// ---------------------------------------------------------------------------------------------

/** Keys sampled per database per loop (ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
const KEYS_PER_LOOP = 20;
/** A fast cycle's time budget in ms (ACTIVE_EXPIRE_CYCLE_FAST_DURATION, 1000 µs). */
const FAST_DURATION_MS = 1;
/** A slow cycle may use this share of the time between two runs of the cron (…_SLOW_TIME_PERC). */
const SLOW_TIME_PERC = 25;
/** Keep sampling a database while more than this percentage of a sample had expired (…_ACCEPTABLE_STALE). */
const ACCEPTABLE_STALE = 10;

export type ExpireCycleKind = 'slow' | 'fast';

/**
 * activeExpireCycle: each run samples the volatile keys of every database from where the last run
 * stopped (a cursor that walks the expires table and starts over at its end, as Redis' dictScan
 * cursor does), deletes those past their time, and keeps going on a database while a sample was
 * more than 10% expired. A run stops when its time budget is spent: 25 ms for the slow cycle the
 * cron runs 10 times a second, 1 ms for the fast cycle run between commands. So every volatile
 * key is eventually looked at, however many there are, and no run blocks the engine for long.
 */
export class ActiveExpire {
  /** The cursor per expires table: a live Map iterator survives deletions and additions. */
  private readonly cursors = new WeakMap<ReadonlyMap<string, number>, Iterator<[string, number]>>();
  private currentDb = 0;
  private lastFastCycle = -Infinity;

  constructor(private readonly engine: Engine, private readonly cronMs: number) {}

  /** One run; returns how many keys it deleted. */
  run(kind: ExpireCycleKind): number {
    if (kind === 'fast') {
      // Never more than one fast cycle per twice its duration, as Redis. The engine's time (read
      // once per command already) is enough for that: no extra clock reading on the hot path.
      if (this.engine.time < this.lastFastCycle + FAST_DURATION_MS * 2) return 0;
      this.lastFastCycle = this.engine.time;
      if (!this.engine.databases.some((db) => db.expires.size > 0)) return 0;
    }
    const start = performance.now();
    const timelimit = kind === 'fast' ? FAST_DURATION_MS : (this.cronMs * SLOW_TIME_PERC) / 100;
    const databases = this.engine.databases;
    let removed = 0;
    let iteration = 0;
    let timelimitExit = false;
    for (let n = 0; n < databases.length && !timelimitExit; n++) {
      const db = databases[this.currentDb % databases.length] as Database;
      this.currentDb = (this.currentDb + 1) % databases.length;
      for (;;) {
        const sample = this.sample(db);
        removed += sample.expired;
        if ((++iteration & 0xf) === 0 && performance.now() - start > timelimit) {
          timelimitExit = true;
          break;
        }
        if (sample.sampled === 0 || (sample.expired * 100) / sample.sampled <= ACCEPTABLE_STALE) break;
      }
    }
    return removed;
  }

  /** Looks at up to KEYS_PER_LOOP volatile keys of `db` from its cursor, deleting the expired ones. */
  private sample(db: Database): { sampled: number; expired: number } {
    const expires = db.expires;
    const count = Math.min(expires.size, KEYS_PER_LOOP);
    let sampled = 0;
    let expired = 0;
    let iterator = this.cursors.get(expires) ?? expires.entries();
    let restarted = false;
    while (sampled < count) {
      const next = iterator.next();
      if (next.done) {
        // The end of the table: start over from its beginning, at most once per sample.
        if (restarted) break;
        restarted = true;
        iterator = expires.entries();
        continue;
      }
      sampled++;
      const [key, when] = next.value;
      if (this.engine.time > when && db.expireIfNeeded(key)) expired++;
    }
    this.cursors.set(expires, iterator);
    return { sampled, expired };
  }
}
