/**
 * Sorted sets (t_zset.c): members with a score, ordered by (score, member bytes).
 *
 * A ZSetValue holds, as Redis' skiplist encoding does, a Map from member to score (the dict) and
 * an ordered skiplist with spans (skiplist.ts), so lookups are O(1) and inserts, deletes and rank
 * queries O(log n). Redis keeps small sorted sets in a listpack instead; we keep one structure but
 * remember the encoding Redis would have, because it shows: OBJECT ENCODING, ZSCAN (a listpack is
 * returned whole, scores in the listpack's own spelling), -0 (a listpack stores it as integer 0)
 * and the linear lexicographic scans of a listpack. Conversion to skiplist is one-way, except for
 * sorted sets built whole (ZUNIONSTORE, ZRANGESTORE…), which start in the smallest fitting
 * encoding.
 *
 * The commands follow, roughly in t_zset.c's order.
 */
import { SetValue } from './set.js';
import { formatDouble } from '../../resp/double.js';
import {
  array, bulk, bulkArray, double, EMPTY_ARRAY, integer, NIL, NIL_ARRAY, ZERO, type Reply,
} from '../../resp/reply.js';
import { is, parseDouble, strtod, toInt64 } from '../args.js';
import { BlockRequest, parseTimeout } from '../blocking.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import type { EncodingLimits } from '../config.js';
import {
  NOT_INTEGER, RedisError, SYNTAX, TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT, WRONGTYPE, ZADD_GT_LT_NX,
  ZADD_INCR_SINGLE_PAIR, ZADD_XX_AND_NX, COUNT_NOT_POSITIVE, NUMKEYS_NOT_POSITIVE, ZPOP_COUNT_NOT_POSITIVE,
  VALUE_OUT_OF_RANGE, ZRANGE_BYLEX_WITHSCORES, ZRANGE_LIMIT_NEEDS_BY, ZSET_MIN_MAX_NOT_FLOAT,
  ZSET_MIN_MAX_NOT_LEX, ZSET_NAN_SCORE, ZSET_WEIGHT_NOT_FLOAT, zsetNeedsInputKey,
  MAX_RANDOM_REPEATED, RANDOM_COUNT_TOO_LARGE,
} from '../errors.js';
import { RedisObject } from '../keyspace.js';
import { alsoPropagate, rewriteCommand } from '../propagate.js';
import { matches, parseCursor, parseScanOptions, scanReply } from '../scan.js';
import {
  LEX_MAX, LEX_MIN, lexGteMin, lexLteMax, type LexBound, type LexRange, type ScoreRange, scoreGteMin,
  scoreLteMax, type ZSkipNode, ZSkipList,
} from './skiplist.js';

export { LEX_MAX, LEX_MIN, type LexBound, type LexRange, type ScoreRange } from './skiplist.js';

/** The defaults of Redis' zset-max-listpack-entries and zset-max-listpack-value (bytes of one member). */
export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;

/**
 * The two thresholds a sorted set obeys. They are live settings: a command reads them once
 * (`c.engine.config.encodingLimits`) and hands them to whatever fills a sorted set.
 */
export type ZSetLimits = Pick<EncodingLimits, 'zsetMaxListpackEntries' | 'zsetMaxListpackValue'>;

/** The built-in thresholds, for a sorted set filled outside a command. */
const DEFAULT_LIMITS: ZSetLimits = {
  zsetMaxListpackEntries: ZSET_MAX_LISTPACK_ENTRIES,
  zsetMaxListpackValue: ZSET_MAX_LISTPACK_VALUE,
};

export interface ZEntry {
  readonly member: string;
  readonly score: number;
}

/** ZADD's conditions: NX, XX, GT, LT, and INCR (the score is an increment). */
export interface ZAddFlags {
  readonly nx?: boolean;
  readonly xx?: boolean;
  readonly gt?: boolean;
  readonly lt?: boolean;
  readonly incr?: boolean;
}

/**
 * What zsetAdd did: `added` a new member, `updated` its score, `unchanged` (processed, same
 * score), `skipped` by NX/XX/GT/LT, or `nan` when the score (or the increment's result) is NaN
 * and nothing was done. `score` is the member's new score when it was processed.
 */
export interface ZAddResult {
  readonly outcome: 'added' | 'updated' | 'unchanged' | 'skipped' | 'nan';
  readonly score: number;
}

export class ZSetValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  get type() {
    return 'zset' as const;
  }

  /** member → score: the hash-table half of the sorted set, and what ZSCAN walks. */
  private readonly dict = new Map<string, number>();
  private readonly zsl = new ZSkipList();
  private listpack: boolean;

  /** An empty sorted set; `listpack` false starts it in the skiplist encoding. */
  constructor(listpack = true) {
    super();
    this.listpack = listpack;
  }

  /**
   * The sorted set ZADD creates for a new key: a listpack unless listpacks are disabled
   * (zset-max-listpack-entries 0) or the first member is already too long for one
   * (zaddGenericCommand checks only that one).
   */
  static forFirstMember(member: string, limits: ZSetLimits = DEFAULT_LIMITS): ZSetValue {
    return new ZSetValue(limits.zsetMaxListpackEntries !== 0 && member.length <= limits.zsetMaxListpackValue);
  }

  /**
   * A sorted set built whole from distinct members (ZUNIONSTORE, ZRANGESTORE, GEOSEARCHSTORE):
   * made as a skiplist, then a listpack if small enough (zsetConvertToListpackIfNeeded).
   */
  static fromEntries(entries: Iterable<ZEntry>, limits: ZSetLimits = DEFAULT_LIMITS): ZSetValue {
    const z = new ZSetValue(false);
    let longest = 0;
    for (const { member, score } of entries) {
      z.dict.set(member, score);
      z.zsl.insert(score, member);
      if (member.length > longest) longest = member.length;
    }
    if (z.size <= limits.zsetMaxListpackEntries && longest <= limits.zsetMaxListpackValue) z.toListpack();
    return z;
  }

  get size(): number {
    return this.dict.size;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  /** zsetDup: same members, scores and encoding. */
  duplicate(): ZSetValue {
    const copy = new ZSetValue(this.listpack);
    for (let n = this.zsl.last; n; n = n.backward) {
      copy.dict.set(n.member, n.score);
      copy.zsl.insert(n.score, n.member);
    }
    return copy;
  }

  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  /**
   * zsetAdd: adds a member or changes its score, under ZADD's flags. A listpack converts when a
   * new member would take it past `limits` (an update never converts it, even over a lowered limit).
   */
  add(score: number, member: string, flags: ZAddFlags = {}, limits: ZSetLimits = DEFAULT_LIMITS): ZAddResult {
    if (Number.isNaN(score)) return { outcome: 'nan', score };
    const current = this.dict.get(member);
    if (current !== undefined) {
      if (flags.nx) return { outcome: 'skipped', score: current };
      if (flags.incr) {
        score += current;
        if (Number.isNaN(score)) return { outcome: 'nan', score };
      }
      if ((flags.lt && score >= current) || (flags.gt && score <= current)) return { outcome: 'skipped', score: current };
      if (score === current) return { outcome: 'unchanged', score };
      const stored = this.storable(score);
      this.zsl.updateScore(current, member, stored);
      this.dict.set(member, stored);
      return { outcome: 'updated', score };
    }
    if (flags.xx) return { outcome: 'skipped', score };
    if (this.listpack && (this.size + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)) {
      this.listpack = false;
    }
    const stored = this.storable(score);
    this.zsl.insert(stored, member);
    this.dict.set(member, stored);
    return { outcome: 'added', score };
  }

  /** zsetDel: true if the member was there. */
  remove(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    this.zsl.delete(score, member);
    return true;
  }

  /** zsetRank: the 0-based rank from the lowest (or, reversed, the highest) score; undefined if absent. */
  rank(member: string, reverse = false): number | undefined {
    const score = this.dict.get(member);
    if (score === undefined) return undefined;
    const rank = this.zsl.rank(score, member);
    return reverse ? this.size - rank : rank - 1;
  }

  /** The lowest (or highest) entry, if any. */
  first(reverse = false): ZEntry | undefined {
    const node = reverse ? this.zsl.last : this.zsl.first;
    return node ? { member: node.member, score: node.score } : undefined;
  }

  /** Removes and returns the entry with the lowest (or highest) score. */
  pop(reverse = false): ZEntry | undefined {
    const entry = this.first(reverse);
    if (entry) this.remove(entry.member);
    return entry;
  }

  /** The entries from rank `start` to `end` (0-based, inclusive, already within bounds), reversed counts from the top. */
  rangeByRank(start: number, end: number, reverse = false): ZEntry[] {
    const out: ZEntry[] = [];
    let node = this.zsl.byRank(reverse ? this.size - start : start + 1);
    for (let n = end - start + 1; n > 0 && node; n--) {
      out.push({ member: node.member, score: node.score });
      node = reverse ? node.backward : node.next;
    }
    return out;
  }

  /**
   * genericZrangebyscoreCommand: the entries in the score range, from the low end (or the high
   * end, reversed), skipping `offset` of them and taking at most `limit` (negative: all).
   */
  rangeByScore(range: ScoreRange, reverse = false, offset = 0, limit = -1): ZEntry[] {
    if (offset > 0 && offset >= this.size) return [];
    const start = reverse ? this.zsl.lastInRange(range) : this.zsl.firstInRange(range);
    return this.walk(start, reverse, offset, limit, (n) => (reverse ? scoreGteMin(n.score, range) : scoreLteMax(n.score, range)));
  }

  /** genericZrangebylexCommand: as rangeByScore, by member bytes (meant for members of one score). */
  rangeByLex(range: LexRange, reverse = false, offset = 0, limit = -1): ZEntry[] {
    const start = reverse ? this.lastInLexRange(range) : this.firstInLexRange(range);
    return this.walk(start, reverse, offset, limit, (n) => (reverse ? lexGteMin(n.member, range) : lexLteMax(n.member, range)));
  }

  /** ZCOUNT's count of members in a score range. */
  countByScore(range: ScoreRange): number {
    const first = this.zsl.firstInRange(range);
    if (!first) return 0;
    const last = this.zsl.lastInRange(range) as ZSkipNode;
    return this.zsl.rank(last.score, last.member) - this.zsl.rank(first.score, first.member) + 1;
  }

  /**
   * ZLEXCOUNT's count. A listpack counts forward from the first member in range; the skiplist
   * subtracts ranks, which differ only when members of different scores are mixed (as in Redis).
   */
  countByLex(range: LexRange): number {
    const first = this.firstInLexRange(range);
    if (!first) return 0;
    if (this.listpack) {
      let count = 0;
      for (let n: ZSkipNode | null = first; n && lexLteMax(n.member, range); n = n.next) count++;
      return count;
    }
    let count = this.size - (this.zsl.rank(first.score, first.member) - 1);
    const last = this.zsl.lastInLexRange(range);
    if (last) count -= this.size - this.zsl.rank(last.score, last.member);
    return count;
  }

  /** Removes ranks `start`..`end` (0-based, inclusive, within bounds); returns how many. */
  removeRangeByRank(start: number, end: number): number {
    return this.zsl.deleteRangeByRank(start + 1, end + 1, (n) => this.dict.delete(n.member));
  }

  removeRangeByScore(range: ScoreRange): number {
    return this.zsl.deleteRangeByScore(range, (n) => this.dict.delete(n.member));
  }

  removeRangeByLex(range: LexRange): number {
    if (!this.listpack) return this.zsl.deleteRangeByLex(range, (n) => this.dict.delete(n.member));
    // zzlDeleteRangeByLex: from the first member in range, forward while under the maximum.
    let removed = 0;
    for (let n = this.firstInLexRange(range); n && lexLteMax(n.member, range); ) {
      const next = n.next;
      this.remove(n.member);
      removed++;
      n = next;
    }
    return removed;
  }

  /** The entries from the lowest score up (or from the highest down). */
  *entries(reverse = false): IterableIterator<ZEntry> {
    for (let n = reverse ? this.zsl.last : this.zsl.first; n; n = reverse ? n.backward : n.next) {
      yield { member: n.member, score: n.score };
    }
  }

  /** The member → score map, live: ZSCAN's cursors walk it. */
  get members(): ReadonlyMap<string, number> {
    return this.dict;
  }

  /** A member picked uniformly at random (the set must not be empty). */
  randomEntry(): ZEntry {
    const node = this.zsl.byRank(1 + Math.floor(Math.random() * this.size)) as ZSkipNode;
    return { member: node.member, score: node.score };
  }

  /** A listpack writes an integral score as an integer (zzlInsertAt), and so -0 becomes 0. */
  private storable(score: number): number {
    return this.listpack && score === 0 ? 0 : score;
  }

  private toListpack(): void {
    this.listpack = true;
    for (const n of this.zsl) {
      if (Object.is(n.score, -0)) {
        n.score = 0;
        this.dict.set(n.member, 0);
      }
    }
  }

  /** zzlFirstInLexRange scans a listpack from the start; the skiplist descends its levels. */
  private firstInLexRange(range: LexRange): ZSkipNode | null {
    if (!this.listpack) return this.zsl.firstInLexRange(range);
    if (!this.zsl.isInLexRange(range)) return null;
    for (let n = this.zsl.first; n; n = n.next) {
      if (lexGteMin(n.member, range)) return lexLteMax(n.member, range) ? n : null;
    }
    return null;
  }

  private lastInLexRange(range: LexRange): ZSkipNode | null {
    if (!this.listpack) return this.zsl.lastInLexRange(range);
    if (!this.zsl.isInLexRange(range)) return null;
    for (let n = this.zsl.last; n; n = n.backward) {
      if (lexLteMax(n.member, range)) return lexGteMin(n.member, range) ? n : null;
    }
    return null;
  }

  /** Skips `offset` nodes, then takes up to `limit` while `inRange` holds (the range loops of Redis). */
  private walk(start: ZSkipNode | null, reverse: boolean, offset: number, limit: number, inRange: (n: ZSkipNode) => boolean): ZEntry[] {
    let node = start;
    // A negative offset never reaches zero in Redis' `while (offset--)`: it walks off the end.
    if (offset < 0) return [];
    for (; node && offset > 0; offset--) node = reverse ? node.backward : node.next;
    const out: ZEntry[] = [];
    for (; node && limit !== 0 && inRange(node); limit--) {
      out.push({ member: node.member, score: node.score });
      node = reverse ? node.backward : node.next;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading ranges, counts and timeouts out of arguments

/** zslParseRange: "(" before a number makes that end exclusive. */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  return { min: lo.value, minex: lo.exclusive, max: hi.value, maxex: hi.exclusive };
}

function parseScoreBound(arg: string): { value: number; exclusive: boolean } {
  // C sees the argument only up to its first NUL byte.
  const nul = arg.indexOf('\0');
  const text = nul >= 0 ? arg.slice(0, nul) : arg;
  const exclusive = text.startsWith('(');
  const value = rangeStrtod(exclusive ? text.slice(1) : text);
  if (value === undefined) throw new RedisError(ZSET_MIN_MAX_NOT_FLOAT);
  return { value, exclusive };
}

/**
 * The bare strtod zslParseRange uses (unlike ZADD's scores): leading blanks are skipped, an empty
 * string is 0 (no conversion leaves the end pointer at the end), and overflow is just ±inf.
 */
function rangeStrtod(text: string): number | undefined {
  if (text === '') return 0;
  return strtod(text.replace(/^[ \t\n\v\f\r]+/, ''))?.value;
}

/** zslParseLexRange: "[" inclusive, "(" exclusive, "-" and "+" the ends of all strings. */
export function parseLexRange(min: string, max: string): LexRange {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  return { min: lo.bound, minex: lo.exclusive, max: hi.bound, maxex: hi.exclusive };
}

function parseLexBound(arg: string): { bound: LexBound; exclusive: boolean } {
  // "+" and "-" must stand alone, as far as C can see (up to a NUL byte).
  const alone = arg.length === 1 || arg[1] === '\0';
  switch (arg[0]) {
    case '+': if (alone) return { bound: LEX_MAX, exclusive: true }; break;
    case '-': if (alone) return { bound: LEX_MIN, exclusive: true }; break;
    case '(': return { bound: arg.slice(1), exclusive: true };
    case '[': return { bound: arg.slice(1), exclusive: false };
  }
  throw new RedisError(ZSET_MIN_MAX_NOT_LEX);
}

const LONG_MAX = 2n ** 63n - 1n;

/** getLongFromObjectOrReply kept exact (a bigint), for range checks near 2^63. */
function parseLong(arg: string, message = NOT_INTEGER): bigint {
  const v = toInt64(arg);
  if (v === undefined) throw new RedisError(message);
  return BigInt(v);
}

/** getRangeLongFromObjectOrReply(1, LONG_MAX, message): ZMPOP's numkeys and COUNT. */
function parseAtLeastOne(arg: string, message: string): number {
  const v = parseLong(arg, message);
  if (v < 1n) throw new RedisError(message);
  return Number(v);
}

// ---------------------------------------------------------------------------------------------
// Replies

/** Members, or members with scores: flat pairs in RESP2, [member, score] arrays in RESP3. */
function entriesReply(c: Client, entries: readonly ZEntry[], withScores: boolean): Reply {
  if (!withScores) return bulkArray(entries.map((e) => e.member));
  if (c.resp === 2) return array(entries.flatMap((e) => [bulk(e.member), double(e.score)]));
  return array(entries.map((e) => array([bulk(e.member), double(e.score)])));
}

/**
 * A score as a listpack holds it, which is what ZSCAN returns for one: an integral score within
 * ±2^62 as an integer (double2ll), anything else as %.17g (d2string).
 */
function listpackScore(score: number): string {
  if (Number.isInteger(score) && Math.abs(score) <= 2 ** 62) return BigInt(score).toString();
  return formatDouble(score);
}

/** Compares entries by score, then member bytes: the order of a sorted set. */
function byScoreThenMember(a: ZEntry, b: ZEntry): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

/**
 * Stores a computed sorted set at `dst` (setKey: looked up first, so an expired key counts as
 * new), or deletes `dst` for an empty result; answers the stored size.
 */
function storeResult(c: Client, dst: string, value: ZSetValue): Reply {
  if (value.size === 0) {
    if (c.db.delete(dst)) {
      c.db.signalModifiedKey(dst);
      c.engine.dirty++;
    }
    return ZERO;
  }
  c.db.lookupWrite(dst);
  c.db.setKey(dst, value);
  c.engine.dirty++;
  return integer(value.size);
}

/**
 * ZRANGESTORE's destination, filled as zrangeResultBeginStore does: a listpack unless a rank range
 * is known to be too long, then converted by the adds themselves, so a -0 keeps its sign only
 * once the set has become a skiplist.
 */
function rangeStoreValue(entries: readonly ZEntry[], kind: RangeKind, limits: ZSetLimits): ZSetValue {
  const value = new ZSetValue(!(kind === 'rank' && entries.length > limits.zsetMaxListpackEntries));
  for (const { member, score } of entries) value.add(score, member, {}, limits);
  return value;
}

// ---------------------------------------------------------------------------------------------
// ZADD, ZINCRBY, ZREM, ZREMRANGEBY*

/** ZADD and ZINCRBY (zaddGenericCommand); ZINCRBY is ZADD with INCR from the start. */
function zaddGeneric(c: Client, argv: readonly string[], incrCommand: boolean): Reply {
  const key = argv[1] as string;
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = incrCommand;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = argv[scoreIdx] as string;
    if (is(opt, 'NX')) nx = true;
    else if (is(opt, 'XX')) xx = true;
    else if (is(opt, 'CH')) ch = true;
    else if (is(opt, 'INCR')) incr = true;
    else if (is(opt, 'GT')) gt = true;
    else if (is(opt, 'LT')) lt = true;
    else break;
  }
  const rest = argv.length - scoreIdx;
  if (rest === 0 || rest % 2 !== 0) throw new RedisError(SYNTAX);
  const pairs = rest / 2;
  if (nx && xx) throw new RedisError(ZADD_XX_AND_NX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new RedisError(ZADD_GT_LT_NX);
  if (incr && pairs > 1) throw new RedisError(ZADD_INCR_SINGLE_PAIR);
  // Every score is read before anything changes: the command runs whole or not at all.
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = parseDouble(argv[scoreIdx + j * 2] as string);

  const limits = c.engine.config.encodingLimits;
  let z = c.db.writeAs(key, ZSetValue);
  if (!z) {
    if (xx) return incr ? NIL : ZERO;
    z = ZSetValue.forFirstMember(argv[scoreIdx + 1] as string, limits);
    c.db.add(key, z);
  }
  const flags: ZAddFlags = { nx, xx, gt, lt, incr };
  let added = 0, updated = 0, processed = 0, score = 0;
  for (let j = 0; j < pairs; j++) {
    const result = z.add(scores[j] as number, argv[scoreIdx + 1 + j * 2] as string, flags, limits);
    if (result.outcome === 'nan') throw new RedisError(ZSET_NAN_SCORE);
    if (result.outcome === 'added') added++;
    if (result.outcome === 'updated') updated++;
    if (result.outcome !== 'skipped') processed++;
    score = result.score;
  }
  if (added + updated > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += added + updated;
  if (incr) return processed > 0 ? double(score) : NIL;
  return integer(ch ? added + updated : added);
}

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
function zadd(c: Client, argv: readonly string[]): Reply {
  return zaddGeneric(c, argv, false);
}

/** ZINCRBY key increment member */
function zincrby(c: Client, argv: readonly string[]): Reply {
  return zaddGeneric(c, argv, true);
}

/** Deletes the key once its sorted set is empty, as Redis never keeps an empty collection. */
function deleteIfEmpty(c: Client, key: string, z: ZSetValue): void {
  if (z.size === 0) c.db.delete(key);
}

/** ZREM key member [member ...] */
function zrem(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const z = c.db.writeAs(key, ZSetValue);
  if (!z) return ZERO;
  let deleted = 0;
  for (let j = 2; j < argv.length && z.size > 0; j++) {
    if (z.remove(argv[j] as string)) deleted++;
  }
  deleteIfEmpty(c, key, z);
  if (deleted > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += deleted;
  return integer(deleted);
}

/** Redis' index sanitizing for rank ranges: [start, end] within the set, or undefined when empty. */
function rankSpan(startArg: bigint, endArg: bigint, length: number): [number, number] | undefined {
  const len = BigInt(length);
  let start = startArg < 0n ? len + startArg : startArg;
  let end = endArg < 0n ? len + endArg : endArg;
  if (start < 0n) start = 0n;
  if (start > end || start >= len) return undefined;
  if (end >= len) end = len - 1n;
  return [Number(start), Number(end)];
}

type RangeKind = 'rank' | 'score' | 'lex';

/** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: the range is read before the key. */
function zremrangeGeneric(c: Client, argv: readonly string[], kind: RangeKind): Reply {
  const key = argv[1] as string;
  const [minArg, maxArg] = [argv[2] as string, argv[3] as string];
  let remove: (z: ZSetValue) => number;
  if (kind === 'rank') {
    const start = parseLong(minArg);
    const end = parseLong(maxArg);
    remove = (z) => {
      const span = rankSpan(start, end, z.size);
      return span ? z.removeRangeByRank(span[0], span[1]) : 0;
    };
  } else if (kind === 'score') {
    const range = parseScoreRange(minArg, maxArg);
    remove = (z) => z.removeRangeByScore(range);
  } else {
    const range = parseLexRange(minArg, maxArg);
    remove = (z) => z.removeRangeByLex(range);
  }
  const z = c.db.writeAs(key, ZSetValue);
  if (!z) return ZERO;
  const deleted = remove(z);
  deleteIfEmpty(c, key, z);
  if (deleted > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += deleted;
  return integer(deleted);
}

/** ZREMRANGEBYRANK key start stop */
function zremrangebyrank(c: Client, argv: readonly string[]): Reply {
  return zremrangeGeneric(c, argv, 'rank');
}

/** ZREMRANGEBYSCORE key min max */
function zremrangebyscore(c: Client, argv: readonly string[]): Reply {
  return zremrangeGeneric(c, argv, 'score');
}

/** ZREMRANGEBYLEX key min max */
function zremrangebylex(c: Client, argv: readonly string[]): Reply {
  return zremrangeGeneric(c, argv, 'lex');
}

// ---------------------------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF and their STORE forms

/** What ZUNION, ZINTER and ZDIFF need of a set (SADD's type): its members, each scoring 1. */
/** One input of a set operation (zsetopsrc): a sorted set, a set, or a missing key. */
interface Operand {
  readonly value: RedisObject | undefined;
  readonly size: number;
  weight: number;
  score(member: string): number | undefined;
  /** Sorted sets are walked from the highest score down, as zuiNext does. */
  entries(): Iterable<ZEntry>;
}

function operandOf(value: RedisObject | undefined): Operand {
  if (value === undefined) {
    return { value, size: 0, weight: 1, score: () => undefined, entries: () => [] };
  }
  if (value instanceof ZSetValue) {
    return { value, size: value.size, weight: 1, score: (m) => value.score(m), entries: () => value.entries(true) };
  }
  if (!(value instanceof SetValue)) throw new RedisError(WRONGTYPE);
  const set = value;
  return {
    value,
    size: set.size,
    weight: 1,
    score: (m) => (set.has(m) ? 1 : undefined),
    *entries() {
      for (const member of set.values()) yield { member, score: 1 };
    },
  };
}

type Aggregate = 'sum' | 'min' | 'max';
type SetOp = 'union' | 'inter' | 'diff';

/** zunionInterAggregate: a sum of +inf and -inf is 0 by convention, not NaN. */
function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/**
 * zunionInterDiffGenericCommand: numkeys, the keys (looked up, and type-checked, before any
 * option is read), then WEIGHTS / AGGREGATE (not for ZDIFF) and WITHSCORES (not for the STORE
 * forms). `dst` is the destination key of the STORE forms.
 */
function zsetOperation(c: Client, argv: readonly string[], numkeysIndex: number, op: SetOp, dst?: string): Reply {
  const setnum = parseLong(argv[numkeysIndex] as string);
  if (setnum < 1n) throw new RedisError(zsetNeedsInputKey((argv[0] as string).toLowerCase()));
  if (setnum > BigInt(argv.length - (numkeysIndex + 1))) throw new RedisError(SYNTAX);
  const n = Number(setnum);
  const srcs: Operand[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < n; i++, j++) {
    const value = c.db.lookupRead(argv[j] as string);
    if (value && !(value instanceof ZSetValue) && value.type !== 'set') throw new RedisError(WRONGTYPE);
    srcs.push(operandOf(value));
  }
  let how: Aggregate = 'sum';
  let withScores = false;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const opt = argv[j] as string;
    if (op !== 'diff' && remaining >= n + 1 && is(opt, 'WEIGHTS')) {
      j++;
      for (const src of srcs) src.weight = parseDouble(argv[j++] as string, ZSET_WEIGHT_NOT_FLOAT);
    } else if (op !== 'diff' && remaining >= 2 && is(opt, 'AGGREGATE')) {
      const name = argv[j + 1] as string;
      if (is(name, 'SUM')) how = 'sum';
      else if (is(name, 'MIN')) how = 'min';
      else if (is(name, 'MAX')) how = 'max';
      else throw new RedisError(SYNTAX);
      j += 2;
    } else if (dst === undefined && is(opt, 'WITHSCORES')) {
      withScores = true;
      j++;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  // Smallest input first (a stable sort, as glibc's qsort is for so few): it bounds ZINTER's work,
  // and the order of the additions decides the last bits of a sum.
  if (op !== 'diff') srcs.sort((a, b) => a.size - b.size);
  const result = op === 'inter' ? intersect(srcs, how) : op === 'union' ? unite(srcs, how) : subtract(srcs);
  if (dst !== undefined) return storeResult(c, dst, ZSetValue.fromEntries(result, c.engine.config.encodingLimits));
  return entriesReply(c, result.sort(byScoreThenMember), withScores);
}

function intersect(srcs: readonly Operand[], how: Aggregate): ZEntry[] {
  const [first] = srcs as [Operand];
  const out: ZEntry[] = [];
  if (first.size === 0) return out;
  for (const { member, score: own } of first.entries()) {
    let score = first.weight * own;
    if (Number.isNaN(score)) score = 0;
    let inAll = true;
    for (let j = 1; j < srcs.length && inAll; j++) {
      const src = srcs[j] as Operand;
      // The same key given twice is not looked up again (Redis cannot while iterating it).
      const found = src.value === first.value ? own : src.score(member);
      if (found === undefined) inAll = false;
      else score = aggregate(score, found * src.weight, how);
    }
    if (inAll) out.push({ member, score });
  }
  return out;
}

function unite(srcs: readonly Operand[], how: Aggregate): ZEntry[] {
  const accumulator = new Map<string, number>();
  for (const src of srcs) {
    for (const { member, score: own } of src.entries()) {
      let score = src.weight * own;
      if (Number.isNaN(score)) score = 0;
      const existing = accumulator.get(member);
      accumulator.set(member, existing === undefined ? score : aggregate(existing, score, how));
    }
  }
  return Array.from(accumulator, ([member, score]) => ({ member, score }));
}

/** ZDIFF keeps the first input's scores; no weights apply. */
function subtract(srcs: readonly Operand[]): ZEntry[] {
  const [first, ...others] = srcs as [Operand, ...Operand[]];
  if (first.size === 0 || others.some((o) => o.value === first.value)) return [];
  const out: ZEntry[] = [];
  for (const entry of first.entries()) {
    if (!others.some((o) => o.score(entry.member) !== undefined)) out.push(entry);
  }
  return out;
}

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] */
function zunionstore(c: Client, argv: readonly string[]): Reply {
  return zsetOperation(c, argv, 2, 'union', argv[1] as string);
}

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] */
function zinterstore(c: Client, argv: readonly string[]): Reply {
  return zsetOperation(c, argv, 2, 'inter', argv[1] as string);
}

/** ZDIFFSTORE destination numkeys key [key ...] */
function zdiffstore(c: Client, argv: readonly string[]): Reply {
  return zsetOperation(c, argv, 2, 'diff', argv[1] as string);
}

/** ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zunion(c: Client, argv: readonly string[]): Reply {
  return zsetOperation(c, argv, 1, 'union');
}

/** ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zinter(c: Client, argv: readonly string[]): Reply {
  return zsetOperation(c, argv, 1, 'inter');
}

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
function zdiff(c: Client, argv: readonly string[]): Reply {
  return zsetOperation(c, argv, 1, 'diff');
}

// ---------------------------------------------------------------------------------------------
// ZRANGE and its older forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT

type Direction = 'forward' | 'reverse';

/**
 * zrangeGenericCommand: `<src> <min> <max>` at argv[at], then BYSCORE|BYLEX, REV, WITHSCORES
 * (not when storing) and LIMIT offset count. The older commands fix the kind or the direction,
 * which then cannot be given as options. `dst` is ZRANGESTORE's destination.
 */
function zrangeGeneric(
  c: Client, argv: readonly string[], at: number, fixedKind?: RangeKind, fixedDirection?: Direction, dst?: string,
): Reply {
  const store = dst !== undefined;
  let kind = fixedKind;
  let direction = fixedDirection;
  let withScores = false;
  let offset = 0n;
  let limit = -1n;
  for (let j = at + 3; j < argv.length; j++) {
    const opt = argv[j] as string;
    const left = argv.length - j - 1;
    if (!store && is(opt, 'WITHSCORES')) {
      withScores = true;
    } else if (is(opt, 'LIMIT') && left >= 2) {
      offset = parseLong(argv[j + 1] as string);
      limit = parseLong(argv[j + 2] as string);
      j += 2;
    } else if (fixedDirection === undefined && direction === undefined && is(opt, 'REV')) {
      direction = 'reverse';
    } else if (fixedKind === undefined && kind === undefined && is(opt, 'BYLEX')) {
      kind = 'lex';
    } else if (fixedKind === undefined && kind === undefined && is(opt, 'BYSCORE')) {
      kind = 'score';
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  kind ??= 'rank';
  const reverse = direction === 'reverse';
  if (limit !== -1n && kind === 'rank') throw new RedisError(ZRANGE_LIMIT_NEEDS_BY);
  if (withScores && kind === 'lex') throw new RedisError(ZRANGE_BYLEX_WITHSCORES);
  let minArg = argv[at + 1] as string;
  let maxArg = argv[at + 2] as string;
  // BYSCORE and BYLEX take the range as max min when reversed.
  if (reverse && kind !== 'rank') [minArg, maxArg] = [maxArg, minArg];

  let select: (z: ZSetValue) => ZEntry[];
  if (kind === 'rank') {
    const start = parseLong(minArg);
    const end = parseLong(maxArg);
    select = (z) => {
      const span = rankSpan(start, end, z.size);
      return span ? z.rangeByRank(span[0], span[1], reverse) : [];
    };
  } else {
    // Counts beyond 2^53 behave like infinity here: no sorted set is that large.
    const off = Number(offset);
    const lim = Number(limit);
    if (kind === 'score') {
      const range = parseScoreRange(minArg, maxArg);
      select = (z) => z.rangeByScore(range, reverse, off, lim);
    } else {
      const range = parseLexRange(minArg, maxArg);
      select = (z) => z.rangeByLex(range, reverse, off, lim);
    }
  }
  const z = c.db.readAs(argv[at] as string, ZSetValue);
  const entries = z ? select(z) : [];
  if (store) return storeResult(c, dst, rangeStoreValue(entries, kind, c.engine.config.encodingLimits));
  return entriesReply(c, entries, withScores);
}

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrange(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 1);
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
function zrangestore(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 2, undefined, undefined, argv[1] as string);
}

/** ZREVRANGE key start stop [WITHSCORES] */
function zrevrange(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 1, 'rank', 'reverse');
}

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscore(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 1, 'score', 'forward');
}

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscore(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 1, 'score', 'reverse');
}

/** ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylex(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 1, 'lex', 'forward');
}

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylex(c: Client, argv: readonly string[]): Reply {
  return zrangeGeneric(c, argv, 1, 'lex', 'reverse');
}

/** ZCOUNT key min max */
function zcount(c: Client, argv: readonly string[]): Reply {
  const range = parseScoreRange(argv[2] as string, argv[3] as string);
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  return integer(z ? z.countByScore(range) : 0);
}

/** ZLEXCOUNT key min max */
function zlexcount(c: Client, argv: readonly string[]): Reply {
  const range = parseLexRange(argv[2] as string, argv[3] as string);
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  return integer(z ? z.countByLex(range) : 0);
}

// ---------------------------------------------------------------------------------------------
// ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZSCAN

/** ZCARD key */
function zcard(c: Client, argv: readonly string[]): Reply {
  return integer(c.db.readAs(argv[1] as string, ZSetValue)?.size ?? 0);
}

/** ZSCORE key member */
function zscore(c: Client, argv: readonly string[]): Reply {
  const score = c.db.readAs(argv[1] as string, ZSetValue)?.score(argv[2] as string);
  return score === undefined ? NIL : double(score);
}

/** ZMSCORE key member [member ...]: a missing key is an empty sorted set. */
function zmscore(c: Client, argv: readonly string[]): Reply {
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  const items: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j] as string);
    items.push(score === undefined ? NIL : double(score));
  }
  return array(items);
}

function zrankGeneric(c: Client, argv: readonly string[], reverse: boolean): Reply {
  const rank = c.db.readAs(argv[1] as string, ZSetValue)?.rank(argv[2] as string, reverse);
  return rank === undefined ? NIL : integer(rank);
}

/** ZRANK key member */
function zrank(c: Client, argv: readonly string[]): Reply {
  return zrankGeneric(c, argv, false);
}

/** ZREVRANK key member */
function zrevrank(c: Client, argv: readonly string[]): Reply {
  return zrankGeneric(c, argv, true);
}

/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]. A listpack is returned whole with cursor 0 (its
 * scores spelled as the listpack stores them); a skiplist is walked with the engine's cursors.
 */
function zscan(c: Client, argv: readonly string[]): Reply {
  const cursor = parseCursor(argv[2] as string);
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  if (!z) return scanReply(0n, []);
  const options = parseScanOptions(argv, 3, false);
  const out: string[] = [];
  if (z.encoding() === 'listpack') {
    for (const { member, score } of z.entries()) {
      if (matches(options, member)) out.push(member, listpackScore(score));
    }
    return scanReply(0n, out);
  }
  const step = c.engine.scanCursors.step(cursor, z.members, options.count);
  for (const member of step.names) {
    const score = z.score(member);
    if (score !== undefined && matches(options, member)) out.push(member, formatDouble(score));
  }
  return scanReply(step.cursor, out);
}

// ---------------------------------------------------------------------------------------------
// ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP

/** How a pop answers: with the key first (the blocking pops, ZMPOP), nested [member, score] pairs. */
interface PopShape {
  readonly emitKey: boolean;
  readonly nested: boolean;
}

/**
 * How a pop propagates: as itself (ZPOPMIN, ZPOPMAX), or as the plain pop ZPOPMIN/ZPOPMAX key
 * [count] in its place (ZMPOP, or a blocking pop served at once), or after it (a blocked client
 * served). `withCount`: BZMPOP and ZMPOP say how many (capped by the size); BZPOPMIN/MAX pop one.
 */
interface PopPropagation {
  readonly how: 'itself' | 'rewrite' | 'served';
  readonly withCount: boolean;
}

const AS_ITSELF: PopPropagation = { how: 'itself', withCount: false };

/** Pops up to `count` entries from a non-empty sorted set and builds genericZpopCommand's reply. */
function popFrom(
  c: Client, key: string, z: ZSetValue, reverse: boolean, count: number, shape: PopShape, propagation = AS_ITSELF,
): Reply {
  if (propagation.how !== 'itself') {
    const argv = [reverse ? 'ZPOPMAX' : 'ZPOPMIN', key];
    if (propagation.withCount) argv.push(String(Math.min(count, z.size)));
    if (propagation.how === 'rewrite') rewriteCommand(c, argv);
    else alsoPropagate(c, argv);
  }
  const popped: ZEntry[] = [];
  for (let n = Math.min(count, z.size); n > 0; n--) popped.push(z.pop(reverse) as ZEntry);
  c.engine.dirty += popped.length;
  c.db.signalModifiedKey(key);
  deleteIfEmpty(c, key, z);
  const pairs: Reply[] = shape.nested
    ? popped.map((e) => array([bulk(e.member), double(e.score)]))
    : popped.flatMap((e) => [bulk(e.member), double(e.score)]);
  if (!shape.emitKey) return array(pairs);
  return shape.nested ? array([bulk(key), array(pairs)]) : array([bulk(key), ...pairs]);
}

/**
 * genericZpopCommand: pops from the first of `keys` that exists (a key of another type first is
 * an error). `count` undefined is the plain single pop.
 */
function zpopGeneric(
  c: Client, keys: readonly string[], reverse: boolean, count: number | undefined, shape: PopShape, nilWhenEmpty: boolean,
  propagation = AS_ITSELF,
): Reply {
  for (const key of keys) {
    const z = c.db.writeAs(key, ZSetValue);
    if (!z) continue;
    if (count === 0) return EMPTY_ARRAY;
    return popFrom(c, key, z, reverse, count ?? 1, shape, propagation);
  }
  return nilWhenEmpty ? NIL_ARRAY : EMPTY_ARRAY;
}

/** ZPOPMIN/ZPOPMAX key [count]: flat pairs, but [member, score] arrays for a COUNT in RESP3. */
function zpopMinMax(c: Client, argv: readonly string[], reverse: boolean): Reply {
  if (argv.length > 3) throw new RedisError(SYNTAX);
  let count: number | undefined;
  if (argv.length === 3) {
    const v = parseLong(argv[2] as string, ZPOP_COUNT_NOT_POSITIVE);
    if (v < 0n) throw new RedisError(ZPOP_COUNT_NOT_POSITIVE);
    count = Number(v);
  }
  const shape = { emitKey: false, nested: c.resp > 2 && count !== undefined };
  return zpopGeneric(c, [argv[1] as string], reverse, count, shape, false);
}

/** ZPOPMIN key [count] */
function zpopmin(c: Client, argv: readonly string[]): Reply {
  return zpopMinMax(c, argv, false);
}

/** ZPOPMAX key [count] */
function zpopmax(c: Client, argv: readonly string[]): Reply {
  return zpopMinMax(c, argv, true);
}

/**
 * blockingGenericZpopCommand: pops at once if any key has members, else waits on all of them. A
 * woken client pops from the key that became ready; a key that became something other than a
 * sorted set does not wake it.
 */
function blockingZpop(
  c: Client, keys: readonly string[], reverse: boolean, timeoutArg: string, count: number, shape: PopShape, withCount: boolean,
): Reply | BlockRequest {
  const deadline = parseTimeout(timeoutArg, c.engine.time, 'seconds');
  for (const key of keys) {
    const z = c.db.writeAs(key, ZSetValue);
    if (z) return popFrom(c, key, z, reverse, count, shape, { how: 'rewrite', withCount });
  }
  const serve = (client: Client, readyKey: string): Reply | undefined => {
    const z = client.db.lookupWrite(readyKey);
    if (!(z instanceof ZSetValue) || z.size === 0) return undefined;
    return popFrom(client, readyKey, z, reverse, count, shape, { how: 'served', withCount });
  };
  return new BlockRequest(keys, deadline, serve, NIL_ARRAY);
}

/** BZPOPMIN key [key ...] timeout */
function bzpopmin(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1] as string, 1, { emitKey: true, nested: false }, false);
}

/** BZPOPMAX key [key ...] timeout */
function bzpopmax(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return blockingZpop(c, argv.slice(1, -1), true, argv[argv.length - 1] as string, 1, { emitKey: true, nested: false }, false);
}

/** ZMPOP and BZMPOP: numkeys at argv[numkeysIndex], the keys, MIN|MAX, then [COUNT count]. */
function zmpopGeneric(c: Client, argv: readonly string[], numkeysIndex: number, block: boolean): Reply | BlockRequest {
  const numkeys = parseAtLeastOne(argv[numkeysIndex] as string, NUMKEYS_NOT_POSITIVE);
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) throw new RedisError(SYNTAX);
  const where = argv[whereIndex] as string;
  if (!is(where, 'MIN') && !is(where, 'MAX')) throw new RedisError(SYNTAX);
  const reverse = is(where, 'MAX');
  let count: number | undefined;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === undefined && is(argv[j], 'COUNT') && more > 0) {
      count = parseAtLeastOne(argv[++j] as string, COUNT_NOT_POSITIVE);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const keys = argv.slice(numkeysIndex + 1, whereIndex);
  const shape = { emitKey: true, nested: true };
  if (block) return blockingZpop(c, keys, reverse, argv[1] as string, count ?? 1, shape, true);
  return zpopGeneric(c, keys, reverse, count ?? 1, shape, true, { how: 'rewrite', withCount: true });
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpop(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return zmpopGeneric(c, argv, 1, false);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpop(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return zmpopGeneric(c, argv, 2, true);
}

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER

/** ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmember(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  if (argv.length >= 3) {
    const l = parseLong(argv[2] as string);
    if (l < -LONG_MAX) throw new RedisError(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'WITHSCORES'))) throw new RedisError(SYNTAX);
    const withScores = argv.length === 4;
    if (withScores && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) throw new RedisError(VALUE_OUT_OF_RANGE);
    return zrandmemberWithCount(c, key, l, withScores);
  }
  const z = c.db.readAs(key, ZSetValue);
  return z ? bulk(z.randomEntry().member) : NIL;
}

/** zrandmemberWithCountCommand: distinct members for a positive count, repeats allowed for a negative one. */
function zrandmemberWithCount(c: Client, key: string, l: bigint, withScores: boolean): Reply {
  const z = c.db.readAs(key, ZSetValue);
  if (!z) return EMPTY_ARRAY;
  const unique = l >= 0n;
  const wanted = unique ? l : -l;
  if (wanted === 0n) return EMPTY_ARRAY;
  const size = z.size;
  if (!unique || wanted === 1n) {
    if (wanted > BigInt(MAX_RANDOM_REPEATED)) throw new RedisError(RANDOM_COUNT_TOO_LARGE);
    const picks: ZEntry[] = [];
    for (let n = Number(wanted); n > 0; n--) picks.push(z.randomEntry());
    return entriesReply(c, picks, withScores);
  }
  // Asked for as many as there are, or more: the whole set, walked from the top as zuiNext does.
  if (wanted >= BigInt(size)) return entriesReply(c, [...z.entries(true)], withScores);
  const count = Number(wanted);
  const all = [...z.entries()];
  if (count * 3 > size) {
    // Close to the whole set: drop random members until `count` remain (in no set order).
    shuffle(all);
    return entriesReply(c, all.slice(0, count), withScores);
  }
  if (z.encoding() === 'listpack') {
    // lpRandomPairsUnique: one pass choosing each with the fair probability, so in set order.
    const picks: ZEntry[] = [];
    for (let i = 0; i < size && picks.length < count; i++) {
      if (Math.random() <= (count - picks.length) / (size - i)) picks.push(all[i] as ZEntry);
    }
    return entriesReply(c, picks, withScores);
  }
  shuffle(all);
  return entriesReply(c, all.slice(0, count), withScores);
}

/** Fisher–Yates, in place. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

export const commands: Handlers = {
  zadd, zincrby, zrem, zremrangebyrank, zremrangebyscore, zremrangebylex,
  zunionstore, zinterstore, zdiffstore, zunion, zinter, zdiff,
  zrange, zrangestore, zrevrange, zrangebyscore, zrevrangebyscore, zrangebylex, zrevrangebylex,
  zcount, zlexcount, zcard, zscore, zmscore, zrank, zrevrank, zscan,
  zpopmin, zpopmax, bzpopmin, bzpopmax, zmpop, bzmpop, zrandmember,
};
