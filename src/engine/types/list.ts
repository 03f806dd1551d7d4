/**
 * Lists (t_list.c): a deque of byte strings. First the value (ListValue, over quicklist.ts), then the
 * commands, then the blocking ones (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP), which wait through
 * blocking.ts and are served by the engine after the write that made their key ready.
 */
import {
  array, bulk, bulkArray, EMPTY_ARRAY, integer, NIL, NIL_ARRAY, OK, ZERO, type Reply,
} from '../../resp/reply.js';
import { INT64_MAX, INT64_MIN, is, parseBigInt, parseInteger, parsePositiveLong, parseRangeLong } from '../args.js';
import { BlockRequest, parseTimeout } from '../blocking.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import {
  COUNT_NEGATIVE, COUNT_NOT_POSITIVE, INDEX_OUT_OF_RANGE, MAXLEN_NEGATIVE, NO_SUCH_KEY, NUMKEYS_NOT_POSITIVE,
  RANK_ZERO, RedisError, SYNTAX, wrongArity,
} from '../errors.js';
import { RedisObject } from '../keyspace.js';
import { alsoPropagate, rewriteCommand } from '../propagate.js';
import { Quicklist } from './quicklist.js';

/** LIST_HEAD / LIST_TAIL: which end of a list a command works on. */
export type ListEnd = 'head' | 'tail';

const LONG_MAX = Number(INT64_MAX);

/**
 * A list value: Redis 7.0 keeps every list in a quicklist, and so do we (quicklist.ts), with small
 * elements packed many to a string.
 */
export class ListValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  get type() {
    return 'list' as const;
  }
  private items = new Quicklist();

  get length(): number {
    return this.items.length;
  }

  /** Redis 7.0 has one list encoding (7.2 added listpack for small lists). */
  encoding(): string {
    return 'quicklist';
  }

  duplicate(): ListValue {
    const copy = new ListValue();
    copy.items = this.items.duplicate();
    return copy;
  }

  /** The element at `index` (0 ≤ index < length). */
  get(index: number): string {
    return this.items.get(index);
  }

  /** Replaces the element at `index` (0 ≤ index < length). */
  set(index: number, element: string): void {
    this.items.set(index, element);
  }

  push(element: string, where: ListEnd): void {
    this.items.push(element, where);
  }

  /** Removes and returns the element at one end (undefined when empty). */
  pop(where: ListEnd): string | undefined {
    return this.items.pop(where);
  }

  /** Removes up to `count` elements from one end, in the order they come off. */
  popMany(count: number, where: ListEnd): string[] {
    return this.items.popMany(count, where);
  }

  /** Elements start..end (valid indexes, start ≤ end), from end to start if `reverse`. */
  range(start: number, end: number, reverse = false): string[] {
    return this.items.range(start, end, reverse);
  }

  /** Inserts so that the element ends up at `index` (0 ≤ index ≤ length). */
  insert(index: number, element: string): void {
    this.items.insert(index, element);
  }

  /**
   * Visits the elements equal to `element` from the head (or from the tail; indexes are always
   * counted from the head), looking at no more than `maxlen` elements (0: all), and calls `found`
   * with each match's index until it returns false.
   */
  search(element: string, fromTail: boolean, maxlen: number, found: (index: number) => boolean): void {
    this.items.search(element, fromTail, maxlen, found);
  }

  /** The index of the first `element` from the head, or -1. */
  indexOf(element: string): number {
    return this.items.indexOf(element);
  }

  /** LREM: removes up to `limit` elements equal to `element` (0: all), from the tail if `fromTail`. */
  remove(element: string, limit: number, fromTail: boolean): number {
    return this.items.remove(element, limit, fromTail);
  }

  /** LTRIM: drops `fromHead` elements at the head and `fromTail` at the tail. */
  trim(fromHead: number, fromTail: number): void {
    this.items.trim(fromHead, fromTail);
  }
}

// --- helpers shared by the commands ---

/** getListPositionFromObjectOrReply: LEFT or RIGHT. */
function listEnd(arg: string): ListEnd {
  if (is(arg, 'LEFT')) return 'head';
  if (is(arg, 'RIGHT')) return 'tail';
  throw new RedisError(SYNTAX);
}

/** A list index (negative from the tail) as an offset from the head, or undefined when outside. */
function offset(list: ListValue, index: number): number | undefined {
  const i = index < 0 ? list.length + index : index;
  return i >= 0 && i < list.length ? i : undefined;
}

/** listElementsRemoved: an emptied list is deleted, and WATCHers hear of the pop of `count` elements. */
function elementsRemoved(c: Client, key: string, list: ListValue, count: number): void {
  if (list.length === 0) c.db.delete(key);
  c.db.signalModifiedKey(key);
  c.engine.dirty += count;
}

/** addListRangeReply: elements start..end (negative from the tail, clamped), reversed if asked. */
function rangeReply(list: ListValue, start: number, end: number, reverse = false): Reply {
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return EMPTY_ARRAY;
  if (end >= len) end = len - 1;
  return bulkArray(list.range(start, end, reverse));
}

/** listPopRangeAndReplyWithKey: pops up to `count` and answers [key, [elements]] (LMPOP, BLMPOP). */
function popRangeWithKey(c: Client, key: string, list: ListValue, where: ListEnd, count: number): Reply {
  const elements = list.popMany(count, where);
  elementsRemoved(c, key, list, elements.length);
  return array([bulk(key), bulkArray(elements)]);
}

/** How a pop of `count` elements (capped by the list's length) propagates: [LR]POP key count. */
function popWithCount(where: ListEnd, key: string, count: number, length: number): string[] {
  return [where === 'head' ? 'LPOP' : 'RPOP', key, String(Math.min(count, length))];
}

/** lmoveHandlePush: pushes the moved element to the destination, creating it if needed. */
function pushMoved(c: Client, key: string, list: ListValue | undefined, element: string, where: ListEnd): void {
  if (!list) {
    list = new ListValue();
    c.db.add(key, list);
  }
  c.db.signalModifiedKey(key);
  list.push(element, where);
}

/**
 * CLIENT_DENY_BLOCKING: inside MULTI/EXEC a blocking command cannot wait. BLPOP and friends then
 * answer their timeout reply (the engine does that), but BLMOVE answers a plain nil instead.
 */
function cannotBlock(c: Client): boolean {
  return c.inExec;
}

// --- commands ---

function pushGeneric(c: Client, argv: readonly string[], where: ListEnd, onlyIfExists: boolean): Reply {
  const key = argv[1] as string;
  let list = c.db.writeAs(key, ListValue);
  if (!list) {
    if (onlyIfExists) return ZERO;
    list = new ListValue();
    c.db.add(key, list);
  }
  for (let j = 2; j < argv.length; j++) list.push(argv[j] as string, where);
  c.db.signalModifiedKey(key);
  c.engine.dirty += argv.length - 2;
  return integer(list.length);
}

/** LPUSH key element [element ...] */
function lpush(c: Client, argv: readonly string[]): Reply {
  return pushGeneric(c, argv, 'head', false);
}

/** RPUSH key element [element ...] */
function rpush(c: Client, argv: readonly string[]): Reply {
  return pushGeneric(c, argv, 'tail', false);
}

/** LPUSHX key element [element ...] */
function lpushx(c: Client, argv: readonly string[]): Reply {
  return pushGeneric(c, argv, 'head', true);
}

/** RPUSHX key element [element ...] */
function rpushx(c: Client, argv: readonly string[]): Reply {
  return pushGeneric(c, argv, 'tail', true);
}

/**
 * popGenericCommand. Without a count the reply is one bulk string (nil for no key); with a count
 * it is an array (a null array for no key, an empty one for a count of 0).
 */
function popGeneric(c: Client, argv: readonly string[], where: ListEnd): Reply {
  // The table's arity (-2) lets any number through; Redis checks the upper bound here.
  if (argv.length > 3) throw new RedisError(wrongArity(where === 'head' ? 'lpop' : 'rpop'));
  const key = argv[1] as string;
  const hasCount = argv.length === 3;
  const count = hasCount ? parsePositiveLong(argv[2] as string) : 0;
  const list = c.db.writeAs(key, ListValue);
  if (!list) return hasCount ? NIL_ARRAY : NIL;
  if (hasCount && count === 0) return EMPTY_ARRAY;
  if (!hasCount) {
    const element = list.pop(where) as string;
    elementsRemoved(c, key, list, 1);
    return bulk(element);
  }
  const elements = list.popMany(count, where);
  elementsRemoved(c, key, list, elements.length);
  return bulkArray(elements);
}

/** LPOP key [count] */
function lpop(c: Client, argv: readonly string[]): Reply {
  return popGeneric(c, argv, 'head');
}

/** RPOP key [count] */
function rpop(c: Client, argv: readonly string[]): Reply {
  return popGeneric(c, argv, 'tail');
}

/** LLEN key */
function llen(c: Client, argv: readonly string[]): Reply {
  const list = c.db.readAs(argv[1] as string, ListValue);
  return integer(list ? list.length : 0);
}

/** LRANGE key start stop */
function lrange(c: Client, argv: readonly string[]): Reply {
  const start = parseInteger(argv[2] as string);
  const end = parseInteger(argv[3] as string);
  const list = c.db.readAs(argv[1] as string, ListValue);
  return list ? rangeReply(list, start, end) : EMPTY_ARRAY;
}

/** LINDEX key index */
function lindex(c: Client, argv: readonly string[]): Reply {
  // The key comes first: a missing key answers nil even to an index that is not a number.
  const list = c.db.readAs(argv[1] as string, ListValue);
  if (!list) return NIL;
  const i = offset(list, parseInteger(argv[2] as string));
  return i === undefined ? NIL : bulk(list.get(i));
}

/** LSET key index element */
function lset(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const list = c.db.writeAs(key, ListValue);
  if (!list) throw new RedisError(NO_SUCH_KEY);
  const i = offset(list, parseInteger(argv[2] as string));
  if (i === undefined) throw new RedisError(INDEX_OUT_OF_RANGE);
  list.set(i, argv[3] as string);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return OK;
}

/** LINSERT key BEFORE|AFTER pivot element */
function linsert(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const position = argv[2] as string;
  let after: boolean;
  if (is(position, 'AFTER')) after = true;
  else if (is(position, 'BEFORE')) after = false;
  else throw new RedisError(SYNTAX);
  const list = c.db.writeAs(key, ListValue);
  if (!list) return ZERO;
  const pivot = list.indexOf(argv[3] as string);
  if (pivot < 0) return integer(-1);
  list.insert(after ? pivot + 1 : pivot, argv[4] as string);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return integer(list.length);
}

/** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
function lrem(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const count = parseInteger(argv[2] as string);
  const list = c.db.writeAs(key, ListValue);
  if (!list) return ZERO;
  const removed = list.remove(argv[3] as string, Math.abs(count), count < 0);
  if (removed > 0) c.db.signalModifiedKey(key);
  if (list.length === 0) c.db.delete(key);
  c.engine.dirty += removed;
  return integer(removed);
}

/** LTRIM key start stop */
function ltrim(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  let start = parseInteger(argv[2] as string);
  let end = parseInteger(argv[3] as string);
  const list = c.db.writeAs(key, ListValue);
  if (!list) return OK;
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    list.trim(len, 0);
  } else {
    if (end >= len) end = len - 1;
    list.trim(start, len - end - 1);
  }
  if (list.length === 0) c.db.delete(key);
  c.db.signalModifiedKey(key);
  c.engine.dirty += len - list.length;
  return OK;
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
function lpos(c: Client, argv: readonly string[]): Reply {
  let rank = 1;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  // Redis negates RANK in a C long: -2^63 stays negative, so every match counts from the first
  // one, and `matches - rank + 1` overflows, so COUNT never stops the scan.
  let rankOverflows = false;
  for (let j = 3; j < argv.length; j++) {
    const option = argv[j] as string;
    const moreArgs = j < argv.length - 1;
    if (is(option, 'RANK') && moreArgs) {
      const r = parseBigInt(argv[++j] as string);
      if (r === 0n) throw new RedisError(RANK_ZERO);
      rankOverflows = r === INT64_MIN;
      rank = Number(r);
    } else if (is(option, 'COUNT') && moreArgs) {
      count = parsePositiveLong(argv[++j] as string, COUNT_NEGATIVE);
    } else if (is(option, 'MAXLEN') && moreArgs) {
      maxlen = parsePositiveLong(argv[++j] as string, MAXLEN_NEGATIVE);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = rankOverflows ? 1 : -rank;
  const list = c.db.readAs(argv[1] as string, ListValue);
  if (!list) return count !== -1 ? EMPTY_ARRAY : NIL;

  const found: number[] = [];
  let matches = 0;
  list.search(argv[2] as string, fromTail, maxlen, (index) => {
    matches++;
    if (matches < rank) return true;
    found.push(index);
    if (count === -1) return false;
    return rankOverflows || count === 0 || matches - rank + 1 < count;
  });
  if (count !== -1) return array(found.map((i) => integer(i)));
  return found.length > 0 ? integer(found[0] as number) : NIL;
}

/** lmoveGenericCommand: pops from `source`, pushes onto `destination`, answers the element. */
function lmoveGeneric(c: Client, source: string, destination: string, from: ListEnd, to: ListEnd): Reply {
  const src = c.db.writeAs(source, ListValue);
  if (!src) return NIL;
  // The destination is checked before anything moves; it may be the source itself.
  const dst = c.db.writeAs(destination, ListValue);
  const element = src.pop(from) as string;
  pushMoved(c, destination, dst, element, to);
  if (src.length === 0) c.db.delete(source);
  c.db.signalModifiedKey(source);
  c.engine.dirty++;
  return bulk(element);
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmove(c: Client, argv: readonly string[]): Reply {
  const from = listEnd(argv[3] as string);
  const to = listEnd(argv[4] as string);
  return lmoveGeneric(c, argv[1] as string, argv[2] as string, from, to);
}

/** RPOPLPUSH source destination */
function rpoplpush(c: Client, argv: readonly string[]): Reply {
  return lmoveGeneric(c, argv[1] as string, argv[2] as string, 'tail', 'head');
}

interface MpopArgs {
  readonly keys: readonly string[];
  readonly where: ListEnd;
  readonly count: number;
}

/** lmpopGenericCommand's parsing: numkeys key [key ...] LEFT|RIGHT [COUNT count], from `at`. */
function parseMpop(argv: readonly string[], at: number): MpopArgs {
  const numkeys = parseRangeLong(argv[at] as string, 1, LONG_MAX, NUMKEYS_NOT_POSITIVE);
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) throw new RedisError(SYNTAX);
  const where = listEnd(argv[whereAt] as string);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j], 'COUNT') && j < argv.length - 1) {
      count = parseRangeLong(argv[++j] as string, 1, LONG_MAX, COUNT_NOT_POSITIVE);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  return { keys: argv.slice(at + 1, whereAt), where, count: count === -1 ? 1 : count };
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list. */
function lmpop(c: Client, argv: readonly string[]): Reply {
  const { keys, where, count } = parseMpop(argv, 1);
  for (const key of keys) {
    const list = c.db.writeAs(key, ListValue);
    if (!list) continue;
    rewriteCommand(c, popWithCount(where, key, count, list.length));
    return popRangeWithKey(c, key, list, where, count);
  }
  return NIL_ARRAY;
}

// --- blocking commands ---

/**
 * The list a blocked client can be served from now, if any. A key that became another type is not
 * an error for the waiter: it keeps waiting, as in Redis 7.0 (handleClientsBlockedOnKeys serves
 * list waiters only when the key holds a list).
 */
function readyList(c: Client, key: string): ListValue | undefined {
  const value = c.db.lookupWrite(key);
  return value instanceof ListValue ? value : undefined;
}

/**
 * blockingPopGenericCommand (BLPOP, BRPOP, BLMPOP): pops from the first key holding a list, or
 * waits on all of them. `count` is undefined for the single-element form ([key, element]).
 */
function blockingPop(c: Client, keys: readonly string[], where: ListEnd, timeoutArg: string, count?: number): Reply | BlockRequest {
  const deadline = parseTimeout(timeoutArg, c.engine.time, 'seconds');
  for (const key of keys) {
    const list = c.db.writeAs(key, ListValue);
    if (!list) continue;
    // Served at once: propagated as the plain pop.
    if (count !== undefined) {
      rewriteCommand(c, popWithCount(where, key, count, list.length));
      return popRangeWithKey(c, key, list, where, count);
    }
    rewriteCommand(c, [where === 'head' ? 'LPOP' : 'RPOP', key]);
    const element = list.pop(where) as string;
    elementsRemoved(c, key, list, 1);
    return array([bulk(key), bulk(element)]);
  }
  return new BlockRequest(keys, deadline, (client, key) => {
    const list = readyList(client, key);
    if (!list) return undefined;
    if (count !== undefined) {
      alsoPropagate(client, popWithCount(where, key, count, list.length));
      return popRangeWithKey(client, key, list, where, count);
    }
    // serveClientBlockedOnList: the push that woke us already signalled the key (no WATCH touch),
    // and a served single pop does not count as a change (no dirty), as in Redis 7.0.
    alsoPropagate(client, [where === 'head' ? 'LPOP' : 'RPOP', key]);
    const element = list.pop(where) as string;
    if (list.length === 0) client.db.delete(key);
    return array([bulk(key), bulk(element)]);
  }, NIL_ARRAY);
}

/** BLPOP key [key ...] timeout */
function blpop(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return blockingPop(c, argv.slice(1, -1), 'head', argv[argv.length - 1] as string);
}

/** BRPOP key [key ...] timeout */
function brpop(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return blockingPop(c, argv.slice(1, -1), 'tail', argv[argv.length - 1] as string);
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function blmpop(c: Client, argv: readonly string[]): Reply | BlockRequest {
  // The timeout is read last, after the other arguments (as lmpopGenericCommand does).
  const { keys, where, count } = parseMpop(argv, 2);
  return blockingPop(c, keys, where, argv[1] as string, count);
}

/**
 * blmoveGenericCommand (BLMOVE, BRPOPLPUSH): moves at once, or waits on the source. Either way
 * it propagates as the move without blocking: `nonBlocking` is LMOVE's or RPOPLPUSH's argv
 * without the element ends, which a served wait adds as LEFT/RIGHT.
 */
function blockingMove(
  c: Client, argv: readonly string[], from: ListEnd, to: ListEnd, deadline: number,
): Reply | BlockRequest {
  const source = argv[1] as string;
  const destination = argv[2] as string;
  const brpoplpush = argv.length === 4;
  if (c.db.writeAs(source, ListValue)) {
    const reply = lmoveGeneric(c, source, destination, from, to);
    rewriteCommand(c, brpoplpush ? ['RPOPLPUSH', source, destination] : ['LMOVE', ...argv.slice(1, 5)]);
    return reply;
  }
  if (cannotBlock(c)) return NIL;
  return new BlockRequest([source], deadline, (client, key) => {
    const src = readyList(client, key);
    if (!src) return undefined;
    // A destination of another type ends the wait with WRONGTYPE, and nothing moves.
    const dst = client.db.writeAs(destination, ListValue);
    const element = src.pop(from) as string;
    pushMoved(client, destination, dst, element, to);
    alsoPropagate(client, brpoplpush ? ['RPOPLPUSH', key, destination] : ['LMOVE', key, destination, END_NAMES[from], END_NAMES[to]]);
    if (src.length === 0) client.db.delete(key);
    return bulk(element);
  }, NIL_ARRAY);
}

/** getStringObjectFromListPosition (Redis' shared.left and shared.right are lower case) */
const END_NAMES: Readonly<Record<ListEnd, string>> = { head: 'left', tail: 'right' };

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmove(c: Client, argv: readonly string[]): Reply | BlockRequest {
  const from = listEnd(argv[3] as string);
  const to = listEnd(argv[4] as string);
  const deadline = parseTimeout(argv[5] as string, c.engine.time, 'seconds');
  return blockingMove(c, argv, from, to, deadline);
}

/** BRPOPLPUSH source destination timeout */
function brpoplpush(c: Client, argv: readonly string[]): Reply | BlockRequest {
  const deadline = parseTimeout(argv[3] as string, c.engine.time, 'seconds');
  return blockingMove(c, argv, 'tail', 'head', deadline);
}

export const commands: Handlers = {
  lpush, rpush, lpushx, rpushx, lpop, rpop, llen, lrange, lindex, lset, linsert, lrem, ltrim, lpos,
  lmove, rpoplpush, lmpop, blpop, brpop, blmpop, blmove, brpoplpush,
};
