/**
 * Hashes (t_hash.c): field → value maps.
 *
 * Redis keeps a small hash as a listpack (fields in insertion order, a value updated in place)
 * and converts it for good to a hash table once it holds more than hash-max-listpack-entries
 * fields or a field or value longer than hash-max-listpack-value bytes (both live settings: a
 * command reads them once from the configuration and hands them to `set`). A JS Map has exactly
 * the listpack's order, so one Map serves both encodings; `listpack` only records which encoding
 * Redis would report (and decides whether HSCAN answers in one go). A hash table's order in Redis
 * depends on hashing and cannot be reproduced; ours stays insertion order.
 */
import {
  array, bulk, bulkArray, bulkOrNil, EMPTY_ARRAY, integer, map, NIL, OK, ONE, ZERO, type Reply,
} from '../../resp/reply.js';
import { INT64_MAX, isInt64, is, parseBigInt, parseRangeBigInt, toInt64 } from '../args.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import type { EncodingLimits } from '../config.js';
import {
  HASH_VALUE_NOT_FLOAT, HASH_VALUE_NOT_INTEGER, INCR_NAN_OR_INF, NOT_FLOAT, OVERFLOW, RedisError, SYNTAX,
  VALUE_NAN_OR_INFINITY, VALUE_OUT_OF_RANGE, wrongArity,
  MAX_RANDOM_REPEATED, RANDOM_COUNT_TOO_LARGE,
} from '../errors.js';
import { RedisObject } from '../keyspace.js';
import {
  addLongDouble, formatLongDouble, isFiniteLongDouble, type LongDouble, parseLongDouble,
} from '../long-double.js';
import { rewriteCommand } from '../propagate.js';
import { matches, parseCursor, parseScanOptions, scanReply } from '../scan.js';

/**
 * hash-max-listpack-entries' default: more fields than this and the hash becomes a hash table.
 * The redis.conf shipped with Redis says 128, but a server started without it (as ours and the
 * differential tests' are) has config.c's built-in default, 512.
 */
export const HASH_MAX_LISTPACK_ENTRIES = 512;
/** hash-max-listpack-value's default: a longer field or value (in bytes) makes the hash a hash table. */
export const HASH_MAX_LISTPACK_VALUE = 64;

/** The two thresholds a hash obeys (from `engine.config.encodingLimits`). */
export type HashLimits = Pick<EncodingLimits, 'hashMaxListpackEntries' | 'hashMaxListpackValue'>;

/** The built-in thresholds, for a hash filled outside a command. */
const DEFAULT_LIMITS: HashLimits = {
  hashMaxListpackEntries: HASH_MAX_LISTPACK_ENTRIES,
  hashMaxListpackValue: HASH_MAX_LISTPACK_VALUE,
};

export class HashValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  get type() {
    return 'hash' as const;
  }
  private readonly fields = new Map<string, string>();
  private listpack = true;
  /** The fields as an array, for picking at random; built when needed, dropped when fields change. */
  private fieldArray: string[] | undefined;

  encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  get isListpack(): boolean {
    return this.listpack;
  }

  get size(): number {
    return this.fields.size;
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  has(field: string): boolean {
    return this.fields.has(field);
  }

  /**
   * hashTypeSet: adds or updates a field; true when the field is new. Redis checks the lengths
   * of HSET's arguments before setting any (hashTypeTryConversion) and again here for HINCRBY*;
   * checking here alone gives the same final encoding, as every argument is then set. The
   * count is checked after an update too, as in Redis: once the limit has been lowered by
   * CONFIG SET, any write converts a listpack that is over it.
   */
  set(field: string, value: string, limits: HashLimits = DEFAULT_LIMITS): boolean {
    if (this.listpack && (field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue)) {
      this.listpack = false;
    }
    const added = !this.fields.has(field);
    this.fields.set(field, value);
    if (added) this.fieldArray = undefined;
    if (this.listpack && this.fields.size > limits.hashMaxListpackEntries) this.listpack = false;
    return added;
  }

  /** hashTypeDelete: true when the field was there. A hash table never goes back to a listpack. */
  delete(field: string): boolean {
    if (!this.fields.delete(field)) return false;
    this.fieldArray = undefined;
    return true;
  }

  entries(): IterableIterator<[string, string]> {
    return this.fields.entries();
  }

  /** The map HSCAN walks with a live cursor (the hash-table case). */
  get scanSource(): ReadonlyMap<string, string> {
    return this.fields;
  }

  /** A field picked uniformly at random, with its value (the hash is not empty). */
  randomEntry(): [string, string] {
    const fields = this.randomAccess();
    const field = fields[Math.floor(Math.random() * fields.length)] as string;
    return [field, this.fields.get(field) as string];
  }

  /** `count` distinct fields picked at random, in random order (count < size). */
  randomDistinctEntries(count: number): [string, string][] {
    const fields = this.randomAccess();
    const picked: string[] = [];
    if (count * 3 > fields.length) {
      // Most fields are wanted: a partial Fisher–Yates shuffle of a copy.
      const copy = fields.slice();
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(Math.random() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j] as string, copy[i] as string];
        picked.push(copy[i] as string);
      }
    } else {
      // Few fields are wanted: draw until enough distinct ones came up.
      const seen = new Set<string>();
      while (picked.length < count) {
        const field = fields[Math.floor(Math.random() * fields.length)] as string;
        if (seen.has(field)) continue;
        seen.add(field);
        picked.push(field);
      }
    }
    return picked.map((f) => [f, this.fields.get(f) as string]);
  }

  private randomAccess(): string[] {
    this.fieldArray ??= [...this.fields.keys()];
    return this.fieldArray;
  }

  /** hashTypeDup: same fields, same order, same encoding. */
  duplicate(): HashValue {
    const copy = new HashValue();
    for (const [field, value] of this.fields) copy.fields.set(field, value);
    copy.listpack = this.listpack;
    return copy;
  }
}

/** hashTypeLookupWriteOrCreate: the hash at `key`, created empty (and added) when missing. */
export function hashForWrite(c: Client, key: string): HashValue {
  let hash = c.db.writeAs(key, HashValue);
  if (!hash) {
    hash = new HashValue();
    c.db.add(key, hash);
  }
  return hash;
}

/** HSET key field value [field value ...] — and HMSET, which answers OK instead of a count. */
function hset(c: Client, argv: readonly string[]): Reply {
  const name = (argv[0] as string).toLowerCase();
  if (argv.length % 2 === 1) throw new RedisError(wrongArity(name));
  const key = argv[1] as string;
  const hash = hashForWrite(c, key);
  const limits = c.engine.config.encodingLimits;
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argv[i] as string, argv[i + 1] as string, limits)) created++;
  }
  c.db.signalModifiedKey(key);
  c.engine.dirty += (argv.length - 2) / 2;
  return name === 'hmset' ? OK : integer(created);
}

/** HSETNX key field value */
function hsetnx(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const hash = hashForWrite(c, key);
  if (hash.has(argv[2] as string)) return ZERO;
  hash.set(argv[2] as string, argv[3] as string, c.engine.config.encodingLimits);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return ONE;
}

/** HGET key field */
function hget(c: Client, argv: readonly string[]): Reply {
  return bulkOrNil(c.db.readAs(argv[1] as string, HashValue)?.get(argv[2] as string));
}

/** HMGET key field [field ...]: a missing key is an empty hash, so every field is nil. */
function hmget(c: Client, argv: readonly string[]): Reply {
  const hash = c.db.readAs(argv[1] as string, HashValue);
  const items: Reply[] = [];
  for (let i = 2; i < argv.length; i++) items.push(bulkOrNil(hash?.get(argv[i] as string)));
  return array(items);
}

/** HDEL key field [field ...] */
function hdel(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const hash = c.db.writeAs(key, HashValue);
  if (!hash) return ZERO;
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!hash.delete(argv[i] as string)) continue;
    deleted++;
    if (hash.size === 0) {
      c.db.delete(key);
      break;
    }
  }
  if (deleted > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += deleted;
  return integer(deleted);
}

/** HLEN key */
function hlen(c: Client, argv: readonly string[]): Reply {
  return integer(c.db.readAs(argv[1] as string, HashValue)?.size ?? 0);
}

/** HSTRLEN key field */
function hstrlen(c: Client, argv: readonly string[]): Reply {
  return integer(c.db.readAs(argv[1] as string, HashValue)?.get(argv[2] as string)?.length ?? 0);
}

/** HEXISTS key field */
function hexists(c: Client, argv: readonly string[]): Reply {
  return c.db.readAs(argv[1] as string, HashValue)?.has(argv[2] as string) ? ONE : ZERO;
}

/** HGETALL key: a map in RESP3 (a flat array of field, value… in RESP2). */
function hgetall(c: Client, argv: readonly string[]): Reply {
  const hash = c.db.readAs(argv[1] as string, HashValue);
  const entries: [Reply, Reply][] = [];
  if (hash) for (const [field, value] of hash.entries()) entries.push([bulk(field), bulk(value)]);
  return map(entries);
}

/** HKEYS key */
function hkeys(c: Client, argv: readonly string[]): Reply {
  const hash = c.db.readAs(argv[1] as string, HashValue);
  if (!hash) return EMPTY_ARRAY;
  const fields: string[] = [];
  for (const [field] of hash.entries()) fields.push(field);
  return bulkArray(fields);
}

/** HVALS key */
function hvals(c: Client, argv: readonly string[]): Reply {
  const hash = c.db.readAs(argv[1] as string, HashValue);
  if (!hash) return EMPTY_ARRAY;
  const values: string[] = [];
  for (const [, value] of hash.entries()) values.push(value);
  return bulkArray(values);
}

/** HINCRBY key field increment */
function hincrby(c: Client, argv: readonly string[]): Reply {
  const increment = parseBigInt(argv[3] as string);
  const key = argv[1] as string;
  const field = argv[2] as string;
  const hash = hashForWrite(c, key);
  const current = hash.get(field);
  let value = 0n;
  if (current !== undefined) {
    const parsed = toInt64(current);
    if (parsed === undefined) throw new RedisError(HASH_VALUE_NOT_INTEGER);
    value = BigInt(parsed);
  }
  const result = value + increment;
  if (!isInt64(result)) throw new RedisError(OVERFLOW);
  hash.set(field, String(result), c.engine.config.encodingLimits);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return integer(result);
}

/**
 * HINCRBYFLOAT key field increment: the sum in long double, stored and answered as Redis prints
 * it ("%.17Lf" without trailing zeros), so 10.1 + 0.2 gives "10.3" where doubles would not.
 */
function hincrbyfloat(c: Client, argv: readonly string[]): Reply {
  const increment = parseLongDouble(argv[3] as string);
  if (increment === undefined) throw new RedisError(NOT_FLOAT);
  if (!isFiniteLongDouble(increment)) throw new RedisError(VALUE_NAN_OR_INFINITY);
  const key = argv[1] as string;
  const field = argv[2] as string;
  const hash = hashForWrite(c, key);
  const current = hash.get(field);
  let value: LongDouble = { kind: 'finite', negative: false, significand: 0n, exponent: 0 };
  if (current !== undefined) {
    const parsed = parseLongDouble(current);
    if (parsed === undefined) throw new RedisError(HASH_VALUE_NOT_FLOAT);
    value = parsed;
  }
  const result = addLongDouble(value, increment);
  if (!isFiniteLongDouble(result)) throw new RedisError(INCR_NAN_OR_INF);
  const text = formatLongDouble(result);
  hash.set(field, text, c.engine.config.encodingLimits);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  // Propagated as the value it produced (float formatting must not differ on replay).
  rewriteCommand(c, ['HSET', key, field, text]);
  return bulk(text);
}

/** How random fields are answered: names, or name and value flat (RESP2) or paired (RESP3). */
function randomFieldsReply(c: Client, entries: Iterable<[string, string]>, withValues: boolean): Reply {
  const items: Reply[] = [];
  for (const [field, value] of entries) {
    if (!withValues) items.push(bulk(field));
    else if (c.resp === 2) items.push(bulk(field), bulk(value));
    else items.push(array([bulk(field), bulk(value)]));
  }
  return array(items);
}

/**
 * HRANDFIELD key [count [WITHVALUES]]. A negative count may repeat fields; a positive one
 * returns distinct fields, and the whole hash in its own order when count ≥ its size.
 */
function hrandfield(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  if (argv.length === 2) {
    const hash = c.db.readAs(key, HashValue);
    return hash ? bulk(hash.randomEntry()[0]) : NIL;
  }
  const requested = parseRangeBigInt(argv[2] as string, -INT64_MAX, INT64_MAX);
  if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'WITHVALUES'))) throw new RedisError(SYNTAX);
  const withValues = argv.length === 4;
  // With values the reply holds two entries per field, so Redis halves the range.
  if (withValues && (requested < -INT64_MAX / 2n || requested > INT64_MAX / 2n)) {
    throw new RedisError(VALUE_OUT_OF_RANGE);
  }
  const hash = c.db.readAs(key, HashValue);
  if (!hash || requested === 0n) return EMPTY_ARRAY;
  const unique = requested > 0n;
  const count = Number(unique ? requested : -requested);
  if (!unique || count === 1) {
    if (count > MAX_RANDOM_REPEATED) throw new RedisError(RANDOM_COUNT_TOO_LARGE);
    const picks: [string, string][] = [];
    for (let i = 0; i < count; i++) picks.push(hash.randomEntry());
    return randomFieldsReply(c, picks, withValues);
  }
  if (count >= hash.size) return randomFieldsReply(c, hash.entries(), withValues);
  return randomFieldsReply(c, hash.randomDistinctEntries(count), withValues);
}

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]. A listpack hash answers whole, with cursor 0,
 * whatever the cursor given, as Redis does for every compact encoding.
 */
function hscan(c: Client, argv: readonly string[]): Reply {
  const cursor = parseCursor(argv[2] as string);
  const hash = c.db.readAs(argv[1] as string, HashValue);
  if (!hash) return scanReply(0n, []);
  const options = parseScanOptions(argv, 3, false);
  const elements: string[] = [];
  if (hash.isListpack) {
    for (const [field, value] of hash.entries()) if (matches(options, field)) elements.push(field, value);
    return scanReply(0n, elements);
  }
  const step = c.engine.scanCursors.step(cursor, hash.scanSource, options.count);
  for (const field of step.names) {
    const value = hash.get(field);
    if (value !== undefined && matches(options, field)) elements.push(field, value);
  }
  return scanReply(step.cursor, elements);
}

export const commands: Handlers = {
  hset, hmset: hset, hsetnx, hget, hmget, hdel, hlen, hstrlen, hexists, hgetall, hkeys, hvals,
  hincrby, hincrbyfloat, hrandfield, hscan,
};
