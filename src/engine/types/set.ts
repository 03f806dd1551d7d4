/**
 * Sets (t_set.c): unordered collections of distinct strings.
 *
 * Redis keeps a set of integers (each a canonical 64-bit integer, string2ll's rule) as an intset,
 * a sorted array, while it holds at most set-max-intset-entries members; a non-integer or one
 * member too many converts it for good to a hash table. The limit is a live setting: a command
 * reads it once (intsetLimit) and hands it to `add`. An intset answers in ascending numeric
 * order, which learners see (SMEMBERS of small numbers comes back sorted), so we reproduce it. A
 * hash table's order depends on hashing and cannot be reproduced; ours is insertion order.
 *
 * Members live in a Map (member → slot) and an array (slot → member): the Map gives membership,
 * insertion order and live SSCAN iterators; the array gives O(1) random picks for SPOP and
 * SRANDMEMBER (a removal moves the last member into the freed slot).
 */
import { array, bulk, bulkArray, EMPTY_ARRAY, integer, NIL, ONE, set as setReply, ZERO, type Reply } from '../../resp/reply.js';
import { INT64_MAX, is, parsePositiveLong, parseRangeBigInt, toInt64 } from '../args.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import {
  LIMIT_NEGATIVE, MAX_RANDOM_REPEATED, NUMKEYS_NOT_POSITIVE, NUMKEYS_OVER_ARGS, RANDOM_COUNT_TOO_LARGE, RedisError, SYNTAX,
} from '../errors.js';
import { checkType, RedisObject } from '../keyspace.js';
import { alsoPropagate, preventPropagation, rewriteCommand } from '../propagate.js';
import { matches, parseCursor, parseScanOptions, scanReply } from '../scan.js';

/** set-max-intset-entries' default: an intset with more members than this becomes a hash table. */
export const SET_MAX_INTSET_ENTRIES = 512;

/** setTypeAdd caps set-max-intset-entries at 2^30 ("due to intset internals"). */
const INTSET_MAX_ENTRIES_CAP = 1 << 30;

/** set-max-intset-entries as setTypeAdd applies it, read once per command. */
export function intsetLimit(c: Client): number {
  return Math.min(c.engine.config.encodingLimits.setMaxIntsetEntries, INTSET_MAX_ENTRIES_CAP);
}

/** SPOP_MOVE_STRATEGY_MUL: when few members would remain, SPOP rebuilds the set from them. */
const SPOP_MOVE_STRATEGY_MUL = 5;

export class SetValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  get type() {
    return 'set' as const;
  }
  private readonly slots = new Map<string, number>();
  private readonly members: string[] = [];
  private intset = true;
  /** An intset's members in ascending order; built when needed, dropped when members change. */
  private ascending: string[] | undefined;

  /**
   * An empty set starts as an intset, as createIntsetObject (and setTypeCreate for an integer);
   * the first non-integer converts it, so starting as a hash table (setTypeCreate for anything
   * else) comes to the same. `members` are added under the intset limit `maxIntset`.
   */
  constructor(members: Iterable<string> = [], maxIntset = SET_MAX_INTSET_ENTRIES) {
    super();
    for (const member of members) this.add(member, maxIntset);
  }

  encoding(): string {
    return this.intset ? 'intset' : 'hashtable';
  }

  get isIntset(): boolean {
    return this.intset;
  }

  get size(): number {
    return this.members.length;
  }

  has(member: string): boolean {
    return this.slots.has(member);
  }

  /**
   * setTypeAdd: true when the member is new. An intset converts when a new member takes it past
   * `maxIntset` (intsetLimit), so an existing member never converts it, even over a lowered limit.
   */
  add(member: string, maxIntset = SET_MAX_INTSET_ENTRIES): boolean {
    if (this.slots.has(member)) return false;
    if (this.intset && toInt64(member) === undefined) this.intset = false;
    this.slots.set(member, this.members.length);
    this.members.push(member);
    this.ascending = undefined;
    if (this.members.length > maxIntset) this.intset = false;
    return true;
  }

  /** setTypeRemove: true when the member was there. A hash table never goes back to an intset. */
  remove(member: string): boolean {
    const slot = this.slots.get(member);
    if (slot === undefined) return false;
    const last = this.members.pop() as string;
    if (slot < this.members.length) {
      this.members[slot] = last;
      this.slots.set(last, slot);
    }
    this.slots.delete(member);
    this.ascending = undefined;
    return true;
  }

  /** The members in Redis' iteration order for the encoding: ascending for an intset. */
  values(): Iterable<string> {
    if (!this.intset) return this.slots.keys();
    this.ascending ??= this.members.slice().sort(compareIntegers);
    return this.ascending;
  }

  /** A member picked uniformly at random (the set is not empty). */
  random(): string {
    return this.members[Math.floor(Math.random() * this.members.length)] as string;
  }

  /** `count` distinct members picked at random, in random order (count < size). */
  randomDistinct(count: number): string[] {
    const picked: string[] = [];
    if (count * 3 > this.members.length) {
      // Most members are wanted: a partial Fisher–Yates shuffle of a copy.
      const copy = this.members.slice();
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(Math.random() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j] as string, copy[i] as string];
        picked.push(copy[i] as string);
      }
    } else {
      // Few members are wanted: draw until enough distinct ones came up.
      const seen = new Set<string>();
      while (picked.length < count) {
        const member = this.random();
        if (seen.has(member)) continue;
        seen.add(member);
        picked.push(member);
      }
    }
    return picked;
  }

  /** The map SSCAN walks with a live cursor (the hash-table case). */
  get scanSource(): ReadonlyMap<string, number> {
    return this.slots;
  }

  /** setTypeDup: same members, same encoding. */
  duplicate(): SetValue {
    const copy = new SetValue();
    for (const member of this.slots.keys()) {
      copy.slots.set(member, copy.members.length);
      copy.members.push(member);
    }
    copy.intset = this.intset;
    return copy;
  }
}

/** Orders canonical integer strings (string2ll's form) numerically, without converting them. */
function compareIntegers(a: string, b: string): number {
  const negA = a[0] === '-';
  const negB = b[0] === '-';
  if (negA !== negB) return negA ? -1 : 1;
  if (a.length !== b.length) return (a.length < b.length) !== negA ? -1 : 1;
  if (a === b) return 0;
  return (a < b) !== negA ? -1 : 1;
}

function membersReply(set: SetValue): Reply {
  return setReply([...set.values()].map(bulk));
}

const EMPTY_SET = setReply([]);

/** SADD key member [member ...] */
function sadd(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  let set = c.db.writeAs(key, SetValue);
  if (!set) {
    set = new SetValue();
    c.db.add(key, set);
  }
  const maxIntset = intsetLimit(c);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i] as string, maxIntset)) added++;
  if (added > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += added;
  return integer(added);
}

/** SREM key member [member ...] */
function srem(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const set = c.db.writeAs(key, SetValue);
  if (!set) return ZERO;
  let removed = 0;
  for (let i = 2; i < argv.length; i++) {
    if (!set.remove(argv[i] as string)) continue;
    removed++;
    if (set.size === 0) {
      c.db.delete(key);
      break;
    }
  }
  if (removed > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += removed;
  return integer(removed);
}

/** SMOVE source destination member */
function smove(c: Client, argv: readonly string[]): Reply {
  const srcKey = argv[1] as string;
  const dstKey = argv[2] as string;
  const member = argv[3] as string;
  const srcValue = c.db.lookupWrite(srcKey);
  const dstValue = c.db.lookupWrite(dstKey);
  // A missing source answers 0 before the destination's type is looked at.
  if (!srcValue) return ZERO;
  const src = checkType(srcValue, SetValue) as SetValue;
  let dst = checkType(dstValue, SetValue);
  if (src === dst) return src.has(member) ? ONE : ZERO;
  if (!src.remove(member)) return ZERO;
  if (src.size === 0) c.db.delete(srcKey);
  if (!dst) {
    dst = new SetValue();
    c.db.add(dstKey, dst);
  }
  c.db.signalModifiedKey(srcKey);
  c.engine.dirty++;
  if (dst.add(member, intsetLimit(c))) {
    c.db.signalModifiedKey(dstKey);
    c.engine.dirty++;
  }
  return ONE;
}

/** SISMEMBER key member */
function sismember(c: Client, argv: readonly string[]): Reply {
  return c.db.readAs(argv[1] as string, SetValue)?.has(argv[2] as string) ? ONE : ZERO;
}

/** SMISMEMBER key member [member ...]: a missing key is an empty set, so every answer is 0. */
function smismember(c: Client, argv: readonly string[]): Reply {
  const set = c.db.readAs(argv[1] as string, SetValue);
  const items: Reply[] = [];
  for (let i = 2; i < argv.length; i++) items.push(set?.has(argv[i] as string) ? ONE : ZERO);
  return array(items);
}

/** SCARD key */
function scard(c: Client, argv: readonly string[]): Reply {
  return integer(c.db.readAs(argv[1] as string, SetValue)?.size ?? 0);
}

/** SPOP key [count] */
function spop(c: Client, argv: readonly string[]): Reply {
  if (argv.length === 3) return spopWithCount(c, argv);
  if (argv.length > 3) throw new RedisError(SYNTAX);
  const key = argv[1] as string;
  const set = c.db.writeAs(key, SetValue);
  if (!set) return NIL;
  const member = set.random();
  set.remove(member);
  // Propagated as the outcome of the random choice.
  rewriteCommand(c, ['SREM', key, member]);
  if (set.size === 0) c.db.delete(key);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return bulk(member);
}

/**
 * SPOP key count: a set reply. Asking for the whole set answers it as SUNION would (so an all
 * integer set comes back sorted); asking for most of it keeps the few that stay in a new set
 * (which may be an intset again) and answers the rest in the old set's order.
 */
function spopWithCount(c: Client, argv: readonly string[]): Reply {
  const count = parsePositiveLong(argv[2] as string);
  const key = argv[1] as string;
  const set = c.db.writeAs(key, SetValue);
  if (!set || count === 0) return EMPTY_SET;
  const size = set.size;
  c.engine.dirty += Math.min(count, size);
  if (count >= size) {
    const whole = new SetValue(set.values(), intsetLimit(c));
    c.db.delete(key);
    rewriteCommand(c, ['DEL', key]);
    c.db.signalModifiedKey(key);
    return membersReply(whole);
  }
  // Propagated as an SREM per member popped, not as itself.
  preventPropagation(c);
  const remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    const popped: string[] = [];
    for (let i = 0; i < count; i++) {
      const member = set.random();
      set.remove(member);
      popped.push(member);
      alsoPropagate(c, ['SREM', key, member]);
    }
    c.db.signalModifiedKey(key);
    return setReply(popped.map(bulk));
  }
  const kept = new SetValue();
  const maxIntset = intsetLimit(c);
  for (let i = 0; i < remaining; i++) {
    const member = set.random();
    kept.add(member, maxIntset);
    set.remove(member);
  }
  // dbOverwrite: the key keeps its time to live.
  c.db.setKey(key, kept, true);
  for (const member of set.values()) alsoPropagate(c, ['SREM', key, member]);
  return membersReply(set);
}

/** SRANDMEMBER key [count] */
function srandmember(c: Client, argv: readonly string[]): Reply {
  if (argv.length === 3) return srandmemberWithCount(c, argv);
  if (argv.length > 3) throw new RedisError(SYNTAX);
  const set = c.db.readAs(argv[1] as string, SetValue);
  return set ? bulk(set.random()) : NIL;
}

/**
 * SRANDMEMBER key count: an array. A negative count may repeat members; a positive one returns
 * distinct members, and the whole set in its own order when count ≥ its size.
 */
function srandmemberWithCount(c: Client, argv: readonly string[]): Reply {
  const requested = parseRangeBigInt(argv[2] as string, -INT64_MAX, INT64_MAX);
  const set = c.db.readAs(argv[1] as string, SetValue);
  if (!set || requested === 0n) return EMPTY_ARRAY;
  const unique = requested > 0n;
  const count = Number(unique ? requested : -requested);
  if (!unique || count === 1) {
    if (count > MAX_RANDOM_REPEATED) throw new RedisError(RANDOM_COUNT_TOO_LARGE);
    const picks: string[] = [];
    for (let i = 0; i < count; i++) picks.push(set.random());
    return bulkArray(picks);
  }
  if (count >= set.size) return bulkArray(set.values());
  return bulkArray(set.randomDistinct(count));
}

/** The sets at `keys` for reading; a missing key is undefined (WRONGTYPE stops at the first bad key). */
function readSets(c: Client, keys: readonly string[]): (SetValue | undefined)[] {
  return keys.map((key) => c.db.readAs(key, SetValue));
}

/** The end of every *STORE: the result replaces `dstKey`, or an empty result deletes it. */
function storeResult(c: Client, dstKey: string, result: SetValue): Reply {
  if (result.size > 0) {
    c.db.setKey(dstKey, result);
    c.engine.dirty++;
    return integer(result.size);
  }
  if (c.db.delete(dstKey)) {
    c.db.signalModifiedKey(dstKey);
    c.engine.dirty++;
  }
  return ZERO;
}

interface InterOptions {
  /** SINTERSTORE's destination. */
  readonly dstKey?: string;
  /** SINTERCARD: count only, stopping at `limit` (0: no limit). */
  readonly cardinalityOnly?: boolean;
  readonly limit?: number;
}

/**
 * sinterGenericCommand (SINTER, SMEMBERS, SINTERSTORE, SINTERCARD): walks the smallest set and
 * keeps the members every other set has, so the reply is in the smallest set's order.
 */
function intersect(c: Client, keys: readonly string[], options: InterOptions = {}): Reply {
  const found = readSets(c, keys);
  const sets = found.filter((s): s is SetValue => s !== undefined);
  if (sets.length < found.length) {
    if (options.dstKey !== undefined) return storeResult(c, options.dstKey, new SetValue());
    return options.cardinalityOnly ? ZERO : EMPTY_SET;
  }
  sets.sort((a, b) => a.size - b.size);
  const [smallest, ...others] = sets as [SetValue, ...SetValue[]];
  const limit = options.limit ?? 0;
  const result: string[] = [];
  for (const member of smallest.values()) {
    if (!others.every((s) => s === smallest || s.has(member))) continue;
    result.push(member);
    if (options.cardinalityOnly && limit > 0 && result.length >= limit) break;
  }
  if (options.cardinalityOnly) return integer(result.length);
  if (options.dstKey !== undefined) return storeResult(c, options.dstKey, new SetValue(result, intsetLimit(c)));
  return setReply(result.map(bulk));
}

/**
 * sunionDiffGenericCommand (SUNION, SDIFF and their STORE forms). The result is built as a set
 * that starts as an intset, so an all-integer result comes back sorted. SDIFF picks one of
 * Redis' two algorithms by the same estimate, because the path decides the result's encoding:
 * the second adds the whole first set before removing, and may pass 512 members on the way.
 */
function unionOrDiff(c: Client, keys: readonly string[], op: 'union' | 'diff', dstKey?: string): Reply {
  const sets = readSets(c, keys);
  const result = new SetValue();
  const maxIntset = intsetLimit(c);
  if (op === 'union') {
    for (const set of sets) if (set) for (const member of set.values()) result.add(member, maxIntset);
  } else {
    diffInto(result, sets, maxIntset);
  }
  if (dstKey !== undefined) return storeResult(c, dstKey, result);
  return membersReply(result);
}

function diffInto(result: SetValue, sets: readonly (SetValue | undefined)[], maxIntset: number): void {
  const [first, ...rest] = sets;
  // The same key given again (even two missing keys) leaves nothing.
  if (!first || rest.some((s) => s === first)) return;
  let algoOneWork = 0;
  let algoTwoWork = 0;
  for (const set of sets) {
    if (!set) continue;
    algoOneWork += first.size;
    algoTwoWork += set.size;
  }
  // Algorithm 1 has better constant times and stops early on common members: give it an edge.
  if (Math.floor(algoOneWork / 2) <= algoTwoWork) {
    const others = rest.filter((s): s is SetValue => s !== undefined).sort((a, b) => b.size - a.size);
    for (const member of first.values()) {
      if (!others.some((s) => s.has(member))) result.add(member, maxIntset);
    }
    return;
  }
  for (const member of first.values()) result.add(member, maxIntset);
  for (const set of rest) {
    if (result.size === 0) return;
    if (!set) continue;
    for (const member of set.values()) result.remove(member);
  }
}

/** SMEMBERS key */
function smembers(c: Client, argv: readonly string[]): Reply {
  return intersect(c, argv.slice(1, 2));
}

/** SINTER key [key ...] */
function sinter(c: Client, argv: readonly string[]): Reply {
  return intersect(c, argv.slice(1));
}

/** SINTERSTORE destination key [key ...] */
function sinterstore(c: Client, argv: readonly string[]): Reply {
  return intersect(c, argv.slice(2), { dstKey: argv[1] as string });
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercard(c: Client, argv: readonly string[]): Reply {
  const numkeys = Number(parseRangeBigInt(argv[1] as string, 1n, INT64_MAX, NUMKEYS_NOT_POSITIVE));
  if (numkeys > argv.length - 2) throw new RedisError(NUMKEYS_OVER_ARGS);
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (is(argv[i], 'LIMIT') && i + 1 < argv.length) {
      limit = parsePositiveLong(argv[++i] as string, LIMIT_NEGATIVE);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  return intersect(c, argv.slice(2, 2 + numkeys), { cardinalityOnly: true, limit });
}

/** SUNION key [key ...] */
function sunion(c: Client, argv: readonly string[]): Reply {
  return unionOrDiff(c, argv.slice(1), 'union');
}

/** SUNIONSTORE destination key [key ...] */
function sunionstore(c: Client, argv: readonly string[]): Reply {
  return unionOrDiff(c, argv.slice(2), 'union', argv[1] as string);
}

/** SDIFF key [key ...] */
function sdiff(c: Client, argv: readonly string[]): Reply {
  return unionOrDiff(c, argv.slice(1), 'diff');
}

/** SDIFFSTORE destination key [key ...] */
function sdiffstore(c: Client, argv: readonly string[]): Reply {
  return unionOrDiff(c, argv.slice(2), 'diff', argv[1] as string);
}

/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]. An intset answers whole, in ascending order,
 * with cursor 0, whatever the cursor given, as Redis does for every compact encoding.
 */
function sscan(c: Client, argv: readonly string[]): Reply {
  const cursor = parseCursor(argv[2] as string);
  const set = c.db.readAs(argv[1] as string, SetValue);
  if (!set) return scanReply(0n, []);
  const options = parseScanOptions(argv, 3, false);
  if (set.isIntset) return scanReply(0n, [...set.values()].filter((m) => matches(options, m)));
  const step = c.engine.scanCursors.step(cursor, set.scanSource, options.count);
  return scanReply(step.cursor, step.names.filter((m) => matches(options, m)));
}

export const commands: Handlers = {
  sadd, srem, smove, sismember, smismember, scard, spop, srandmember, smembers, sinter,
  sinterstore, sintercard, sunion, sunionstore, sdiff, sdiffstore, sscan,
};
