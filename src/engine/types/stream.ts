/**
 * Streams (t_stream.c): an append-only log of entries (an ID and field-value pairs) with consumer
 * groups. First the value (StreamValue: entries in nodes, see stream-nodes.ts, and the groups with
 * their pending entries lists), then the commands, then the blocking reads (XREAD BLOCK,
 * XREADGROUP BLOCK), which wait through blocking.ts and are served after an XADD.
 */
import {
  array, bulk, bulkArray, error, integer, map, NIL, NIL_ARRAY, OK, ONE, ZERO, type Reply,
} from '../../resp/reply.js';
import { is, parseInteger, parseRangeLong } from '../args.js';
import { BlockRequest, parseTimeout } from '../blocking.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import {
  NO_SUCH_KEY, RedisError, SYNTAX, wrongArity,
  XADD_ID_ZERO, XADD_ID_TOO_SMALL, XADD_TOO_LARGE, XADD_EXHAUSTED, XTRIM_MAXLEN_NEGATIVE, XTRIM_LIMIT_NEGATIVE,
  XTRIM_MAXLEN_AND_MINID, XTRIM_LIMIT_WITHOUT_STRATEGY, XTRIM_NEEDS_STRATEGY, XTRIM_LIMIT_WITHOUT_APPROX,
  XRANGE_INVALID_START, XRANGE_INVALID_END, XREAD_UNBALANCED, XREAD_GROUP_ONLY_XREADGROUP,
  XREAD_NOACK_ONLY_XREADGROUP, XREADGROUP_MISSING_GROUP, XREADGROUP_DOLLAR, XREAD_GT_ONLY_XREADGROUP,
  XGROUP_KEY_MUST_EXIST, XGROUP_ENTRIESREAD_INVALID, BUSYGROUP, XSETID_ENTRIES_ADDED_NEGATIVE,
  XSETID_SMALLER_THAN_MAX_DELETED, XSETID_SMALLER_THAN_TOP, XSETID_ENTRIES_ADDED_TOO_SMALL,
  XCLAIM_INVALID_MIN_IDLE, XCLAIM_INVALID_IDLE, XCLAIM_INVALID_TIME, XCLAIM_INVALID_RETRYCOUNT,
  XAUTOCLAIM_INVALID_MIN_IDLE, XAUTOCLAIM_COUNT, XREADGROUP_GROUP_DESTROYED, XREADGROUP_KEY_DELETED,
  noNewlines,
} from '../errors.js';
import { RedisObject } from '../keyspace.js';
import { alsoPropagate, preventPropagation, rewriteCommand } from '../propagate.js';
import { helpReply, subcommandSyntaxError } from '../subcommands.js';
import {
  decrId, formatId, idMs, idSeq, incrId, makeId, MAX_ID, MIN_ID, parseIntervalId, parseStreamId, type StreamId, tryParseStreamId,
  U64_MAX,
} from './stream-id.js';
import { raxNodeCount, type StreamEntry, StreamNode } from './stream-nodes.js';

/** STREAM_LISTPACK_MAX_SIZE: no node (and no entry) may pass 1GB. */
const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
/** SCG_INVALID_ENTRIES_READ: a group's entries-read counter that is not known. */
const INVALID_ENTRIES_READ = -1;
/** XREAD_BLOCKED_DEFAULT_COUNT: what a blocked XREAD without COUNT reads at most. */
const XREAD_BLOCKED_DEFAULT_COUNT = 1000;
/** XAUTOCLAIM looks at no more than COUNT × this many pending entries. */
const XAUTOCLAIM_ATTEMPTS_FACTOR = 10;
const LONG_MAX = 2 ** 63 - 1;

// --- pending entries ---

/** streamNACK: an entry delivered to a consumer and not yet acknowledged. */
export interface PendingEntry {
  deliveryTime: number;
  deliveryCount: number;
  /** Null only for an entry XCLAIM FORCE created, until it is given to a consumer. */
  consumer: Consumer | null;
}

/** A pending entries list: ID → entry, iterated in ID order (a rax in Redis). */
export class PendingList {
  private readonly ids: StreamId[] = [];
  private readonly byId = new Map<StreamId, PendingEntry>();

  get size(): number {
    return this.ids.length;
  }

  get(id: StreamId): PendingEntry | undefined {
    return this.byId.get(id);
  }

  /** raxTryInsert: false if the ID is already there. */
  add(id: StreamId, entry: PendingEntry): boolean {
    if (this.byId.has(id)) return false;
    this.byId.set(id, entry);
    const at = this.lowerBound(id);
    this.ids.splice(at, 0, id);
    return true;
  }

  delete(id: StreamId): boolean {
    if (!this.byId.delete(id)) return false;
    this.ids.splice(this.lowerBound(id), 1);
    return true;
  }

  first(): StreamId | undefined {
    return this.ids[0];
  }

  last(): StreamId | undefined {
    return this.ids[this.ids.length - 1];
  }

  /** The IDs ≥ start, in order (a snapshot: the caller may change the list meanwhile). */
  from(start: StreamId): StreamId[] {
    return this.ids.slice(this.lowerBound(start));
  }

  /** The first ID ≥ start. */
  seek(start: StreamId): StreamId | undefined {
    return this.ids[this.lowerBound(start)];
  }

  private lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ids[mid] as StreamId) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface Consumer {
  readonly name: string;
  seenTime: number;
  readonly pel: PendingList;
}

export interface ConsumerGroup {
  lastId: StreamId;
  entriesRead: number;
  readonly pel: PendingList;
  readonly consumers: Map<string, Consumer>;
}

/** Names in the byte order Redis' rax keeps them (the strings hold one char per byte). */
function sortedNames<V>(m: Map<string, V>): [string, V][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// --- the value ---

export type TrimStrategy = 'none' | 'maxlen' | 'minid';

export interface TrimArgs {
  strategy: TrimStrategy;
  approx: boolean;
  /** At most this many entries removed (0: no limit). */
  limit: number;
  maxlen: number;
  minid: StreamId;
}

export class StreamValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  get type() {
    return 'stream' as const;
  }
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = MIN_ID;
  /** recorded-first-entry-id */
  firstId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  entriesAdded = 0;
  groups = new Map<string, ConsumerGroup>();

  encoding(): string {
    return 'stream';
  }

  /** streamDup: entries, counters, groups, consumers and pending entries, sharing nothing. */
  duplicate(): StreamValue {
    const copy = new StreamValue();
    copy.nodes = this.nodes.map((n) => n.clone());
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    for (const [name, g] of this.groups) {
      const group: ConsumerGroup = { lastId: g.lastId, entriesRead: g.entriesRead, pel: new PendingList(), consumers: new Map() };
      const copied = new Map<PendingEntry, PendingEntry>();
      for (const id of g.pel.from(MIN_ID)) {
        const nack = g.pel.get(id) as PendingEntry;
        const dup = { deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount, consumer: null };
        copied.set(nack, dup);
        group.pel.add(id, dup);
      }
      for (const [cname, c] of g.consumers) {
        const consumer: Consumer = { name: cname, seenTime: c.seenTime, pel: new PendingList() };
        for (const id of c.pel.from(MIN_ID)) {
          const dup = copied.get(c.pel.get(id) as PendingEntry) as PendingEntry;
          dup.consumer = consumer;
          consumer.pel.add(id, dup);
        }
        group.consumers.set(cname, consumer);
      }
      copy.groups.set(name, group);
    }
    return copy;
  }

  /**
   * streamAppendItem: adds an entry with the given ID, or the next one (`seqGiven` false: the
   * sequence is generated for the given milliseconds; `id` undefined: all generated from `now`).
   */
  append(fields: readonly string[], id: StreamId | undefined, seqGiven: boolean, now: number, maxEntries: number, maxBytes: number): StreamId {
    let newId: StreamId;
    if (id !== undefined) {
      if (seqGiven) newId = id;
      else if (idMs(this.lastId) === idMs(id)) {
        // A generated sequence may not overflow into the next millisecond; Redis then fails
        // without setting errno, which XADD reports as elements too large.
        if (idSeq(this.lastId) === U64_MAX) throw new RedisError(XADD_TOO_LARGE);
        newId = this.lastId + 1n;
      } else newId = id;
    } else {
      // streamNextID: never backwards, even when the clock stalls or steps back.
      const ms = BigInt(now);
      newId = ms > idMs(this.lastId) ? ms << 64n : (incrId(this.lastId) ?? MIN_ID);
    }
    if (newId <= this.lastId) throw new RedisError(XADD_ID_TOO_SMALL);
    let total = 0;
    for (const f of fields) total += f.length;
    if (total > STREAM_LISTPACK_MAX_SIZE) throw new RedisError(XADD_TOO_LARGE);

    let node = this.nodes[this.nodes.length - 1];
    if (node) {
      const nodeMaxBytes = maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE ? STREAM_LISTPACK_MAX_SIZE : maxBytes;
      if (node.bytes() + total >= nodeMaxBytes) node = undefined;
      else if (maxEntries && node.live + node.deletedCount >= maxEntries) node = undefined;
    }
    if (!node) {
      const masterFields: string[] = [];
      for (let i = 0; i < fields.length; i += 2) masterFields.push(fields[i] as string);
      node = new StreamNode(newId, masterFields);
      this.nodes.push(node);
    }
    node.append(newId, fields);
    this.length++;
    this.entriesAdded++;
    this.lastId = newId;
    if (this.length === 1) this.firstId = newId;
    return newId;
  }

  /** The index of the last node whose master ID is ≤ id (-1 if none). */
  private nodeFor(id: StreamId): number {
    let lo = 0;
    let hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.nodes[mid] as StreamNode).masterId <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The live entries with start ≤ ID ≤ end, in order (or reversed), at most `count` (0: all). */
  range(start: StreamId, end: StreamId, count = 0, rev = false): StreamEntry[] {
    const out: StreamEntry[] = [];
    if (start > end) return out;
    if (!rev) {
      for (let n = Math.max(0, this.nodeFor(start)); n < this.nodes.length; n++) {
        const node = this.nodes[n] as StreamNode;
        if (node.masterId > end) break;
        for (let i = node.lowerBound(start); i < node.size; i++) {
          if (node.idAt(i) > end) return out;
          if (node.isDeleted(i)) continue;
          out.push(node.entryAt(i));
          if (count && out.length === count) return out;
        }
      }
    } else {
      for (let n = this.nodeFor(end); n >= 0; n--) {
        const node = this.nodes[n] as StreamNode;
        for (let i = node.lowerBound(end + 1n) - 1; i >= 0; i--) {
          if (node.idAt(i) < start) return out;
          if (node.isDeleted(i)) continue;
          out.push(node.entryAt(i));
          if (count && out.length === count) return out;
        }
      }
    }
    return out;
  }

  /** The live entry with this ID. */
  find(id: StreamId): StreamEntry | undefined {
    const n = this.nodeFor(id);
    if (n < 0) return undefined;
    const node = this.nodes[n] as StreamNode;
    const i = node.lowerBound(id);
    return i < node.size && node.idAt(i) === id && !node.isDeleted(i) ? node.entryAt(i) : undefined;
  }

  /** streamDeleteItem: flags the entry deleted; a node left without live entries goes. */
  delete(id: StreamId): boolean {
    const n = this.nodeFor(id);
    if (n < 0) return false;
    const node = this.nodes[n] as StreamNode;
    const i = node.lowerBound(id);
    if (i >= node.size || node.idAt(i) !== id || node.isDeleted(i)) return false;
    if (node.live === 1) this.nodes.splice(n, 1);
    else node.markDeleted(i);
    this.length--;
    return true;
  }

  /** streamGetEdgeID(first, skip tombstones): the first live ID (MAX_ID when empty). */
  firstLiveId(): StreamId {
    return this.range(MIN_ID, MAX_ID, 1)[0]?.id ?? MAX_ID;
  }

  /** streamLastValidID: the last live ID (0-0 when empty). */
  lastLiveId(): StreamId {
    return this.range(MIN_ID, MAX_ID, 1, true)[0]?.id ?? MIN_ID;
  }

  /** streamTrim: removes entries from the head; approximate trimming removes whole nodes only. */
  trim(args: TrimArgs): number {
    if (args.strategy === 'none') return 0;
    const maxlen = args.strategy === 'maxlen';
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (maxlen && this.length <= args.maxlen) break;
      const node = this.nodes[0] as StreamNode;
      const entries = node.live;
      if (args.limit && deleted + entries > args.limit) break;
      const removeNode = maxlen ? this.length - entries >= args.maxlen : node.lastEntryId() < args.minid;
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      for (let i = 0; i < node.size; i++) {
        if (maxlen ? this.length <= args.maxlen : node.idAt(i) >= args.minid) break;
        if (node.isDeleted(i)) continue;
        node.markDeleted(i);
        this.length--;
        deleted++;
      }
      break;
    }
    if (this.length === 0) this.firstId = MIN_ID;
    else if (deleted) this.firstId = this.firstLiveId();
    return deleted;
  }

  radixTreeKeys(): number {
    return this.nodes.length;
  }

  radixTreeNodes(): number {
    return raxNodeCount(this.nodes.map((n) => n.masterId));
  }

  /** streamRangeHasTombstones: could an entry between start and end (inclusive) have been deleted? */
  rangeHasTombstones(start: StreamId, end: StreamId = MAX_ID): boolean {
    if (!this.length || this.maxDeletedId === MIN_ID) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the entries-read counter of an ID, if knowable. */
  estimateDistance(id: StreamId): number {
    if (!this.entriesAdded) return 0;
    if (!this.length && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return INVALID_ENTRIES_READ;
    if (this.maxDeletedId === MIN_ID || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - this.length;
      if (id === this.firstId) return this.entriesAdded - this.length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  /** streamReplyWithCGLag: how many entries the group has yet to read, null when unknown. */
  lag(group: ConsumerGroup): Reply {
    if (!this.entriesAdded) return ZERO;
    if (group.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(group.lastId)) {
      return integer(this.entriesAdded - group.entriesRead);
    }
    const read = this.estimateDistance(group.lastId);
    return read === INVALID_ENTRIES_READ ? NIL : integer(this.entriesAdded - read);
  }
}

// --- replies ---

function idReply(id: StreamId): Reply {
  return bulk(formatId(id));
}

function entryReply(e: StreamEntry): Reply {
  return array([idReply(e.id), bulkArray(e.fields)]);
}

/** A NOGROUP error (its text names the key and group, with Redis' newline rule). */
function noGroup(text: string): RedisError {
  return new RedisError(noNewlines(`NOGROUP ${text}`));
}

// --- lookups ---

function streamConfig(c: Client): { maxEntries: number; maxBytes: number } {
  const limits = c.engine.config.encodingLimits;
  return { maxEntries: limits.streamNodeMaxEntries, maxBytes: limits.streamNodeMaxBytes };
}

/** streamLookupConsumer: finds a consumer, marking it seen now unless `refresh` is false. */
function lookupConsumer(c: Client, group: ConsumerGroup, name: string, refresh = true): Consumer | undefined {
  const consumer = group.consumers.get(name);
  if (consumer && refresh) consumer.seenTime = c.engine.time;
  return consumer;
}

/** streamCreateConsumer: undefined if it exists already. */
function createConsumer(c: Client, group: ConsumerGroup, name: string): Consumer | undefined {
  if (group.consumers.has(name)) return undefined;
  const consumer: Consumer = { name, seenTime: c.engine.time, pel: new PendingList() };
  group.consumers.set(name, consumer);
  c.engine.dirty++;
  return consumer;
}

function lookupOrCreateConsumer(c: Client, group: ConsumerGroup, name: string): Consumer {
  return lookupConsumer(c, group, name) ?? (createConsumer(c, group, name) as Consumer);
}

// --- propagation (t_stream.c streamPropagate*) ---

/** Where a group read propagates its effects: the key and group as the command named them. */
interface GroupPropagation {
  readonly key: string;
  readonly groupName: string;
}

/**
 * streamPropagateXCLAIM: a pending entry's state, as an XCLAIM that recreates it exactly on
 * replay (FORCE creates it, TIME and RETRYCOUNT set it, LASTID moves the group on).
 */
function propagateXclaim(c: Client, to: GroupPropagation, group: ConsumerGroup, idArg: string, nack: PendingEntry): void {
  alsoPropagate(c, [
    'XCLAIM', to.key, to.groupName, (nack.consumer as Consumer).name, '0', idArg,
    'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID',
    'LASTID', formatId(group.lastId),
  ]);
}

/** streamPropagateGroupID: XGROUP SETID key group <last id> ENTRIESREAD <entries read>. */
function propagateGroupId(c: Client, to: GroupPropagation, group: ConsumerGroup): void {
  alsoPropagate(c, ['XGROUP', 'SETID', to.key, to.groupName, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
}

/** The consumer a group read uses, created if needed; with NOACK a new one is propagated (streamPropagateConsumerCreation). */
function readingConsumer(c: Client, group: ConsumerGroup, name: string, noack: boolean, to: GroupPropagation): Consumer {
  const found = lookupConsumer(c, group, name);
  if (found) return found;
  const created = createConsumer(c, group, name) as Consumer;
  if (noack) alsoPropagate(c, ['XGROUP', 'CREATECONSUMER', to.key, to.groupName, name]);
  return created;
}

/**
 * streamReplyWithRange for a group read: the entries after `start`, moving the group's last ID
 * and entries-read counter, and (unless NOACK) adding each to the pending lists.
 */
function readForGroup(
  c: Client, s: StreamValue, start: StreamId, count: number, group: ConsumerGroup, consumer: Consumer, noack: boolean,
  to: GroupPropagation,
): Reply[] {
  const out: Reply[] = [];
  // Each delivery propagates as an XCLAIM; with NOACK only the group's new last ID does.
  let propagateLastId = false;
  for (const e of s.range(start, MAX_ID, count)) {
    if (e.id > group.lastId) {
      if (group.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(e.id)) group.entriesRead++;
      else if (s.entriesAdded) group.entriesRead = s.estimateDistance(e.id);
      group.lastId = e.id;
      if (noack) propagateLastId = true;
    }
    out.push(entryReply(e));
    if (noack) continue;
    const nack: PendingEntry = { deliveryTime: c.engine.time, deliveryCount: 1, consumer };
    if (group.pel.add(e.id, nack)) {
      consumer.pel.add(e.id, nack);
    } else {
      // Delivered before to some consumer: it becomes this one's, as if delivered for the first time.
      const old = group.pel.get(e.id) as PendingEntry;
      old.consumer?.pel.delete(e.id);
      old.consumer = consumer;
      old.deliveryTime = c.engine.time;
      old.deliveryCount = 1;
      consumer.pel.add(e.id, old);
    }
    propagateXclaim(c, to, group, formatId(e.id), group.pel.get(e.id) as PendingEntry);
  }
  if (propagateLastId) propagateGroupId(c, to, group);
  return out;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries after `start`. */
function readHistory(c: Client, s: StreamValue, start: StreamId, count: number, consumer: Consumer): Reply[] {
  const out: Reply[] = [];
  for (const id of consumer.pel.from(start)) {
    if (count && out.length >= count) break;
    const e = s.find(id);
    if (!e) {
      out.push(array([idReply(id), NIL_ARRAY]));
      continue;
    }
    out.push(entryReply(e));
    const nack = consumer.pel.get(id) as PendingEntry;
    nack.deliveryTime = c.engine.time;
    nack.deliveryCount++;
  }
  return out;
}

// --- XADD, XTRIM ---

interface AddTrimArgs extends TrimArgs {
  id: StreamId | undefined;
  seqGiven: boolean;
  noMkstream: boolean;
  /** Where the ID is (XADD). */
  idPos: number;
  /** Where the MAXLEN/MINID threshold is (trim_strategy_arg_idx). */
  thresholdPos: number;
}

/** streamParseAddOrTrimArgsOrReply */
function parseAddOrTrimArgs(c: Client, argv: readonly string[], xadd: boolean): AddTrimArgs {
  const args: AddTrimArgs = {
    strategy: 'none', approx: false, limit: 0, maxlen: 0, minid: MIN_ID,
    id: undefined, seqGiven: true, noMkstream: false, idPos: 0, thresholdPos: 0,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i] as string;
    if (xadd && opt === '*') break;
    if ((is(opt, 'MAXLEN') || is(opt, 'MINID')) && moreargs) {
      if (args.strategy !== 'none') throw new RedisError(XTRIM_MAXLEN_AND_MINID);
      args.approx = false;
      const next = argv[i + 1];
      if (moreargs >= 2 && next === '~') {
        args.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') {
        i++;
      }
      args.thresholdPos = i + 1;
      if (is(opt, 'MAXLEN')) {
        args.maxlen = parseInteger(argv[i + 1] as string);
        if (args.maxlen < 0) throw new RedisError(XTRIM_MAXLEN_NEGATIVE);
        args.strategy = 'maxlen';
      } else {
        args.minid = parseStreamId(argv[i + 1] as string, 0n, true).id;
        args.strategy = 'minid';
      }
      i++;
    } else if (is(opt, 'LIMIT') && moreargs) {
      args.limit = parseInteger(argv[i + 1] as string);
      if (args.limit < 0) throw new RedisError(XTRIM_LIMIT_NEGATIVE);
      limitGiven = true;
      i++;
    } else if (xadd && is(opt, 'NOMKSTREAM')) {
      args.noMkstream = true;
    } else if (xadd) {
      const parsed = parseStreamId(opt, 0n, true, true);
      args.id = parsed.id;
      args.seqGiven = parsed.seqGiven;
      break;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  if (args.limit && args.strategy === 'none') throw new RedisError(XTRIM_LIMIT_WITHOUT_STRATEGY);
  if (!xadd && args.strategy === 'none') throw new RedisError(XTRIM_NEEDS_STRATEGY);
  if (limitGiven) {
    if (!args.approx) throw new RedisError(XTRIM_LIMIT_WITHOUT_APPROX);
  } else if (args.approx) {
    // At most 100 nodes' worth of work per call, kept within sane bounds.
    args.limit = 100 * streamConfig(c).maxEntries;
    if (args.limit <= 0) args.limit = 10000;
    if (args.limit > 1000000) args.limit = 1000000;
  } else {
    args.limit = 0;
  }
  args.idPos = i;
  return args;
}

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
function xadd(c: Client, argv: readonly string[]): Reply {
  const args = parseAddOrTrimArgs(c, argv, true);
  const fieldPos = args.idPos + 1;
  const n = argv.length - fieldPos;
  if (n < 2 || n % 2 === 1) throw new RedisError(wrongArity('xadd'));
  if (args.id !== undefined && args.seqGiven && args.id === MIN_ID) throw new RedisError(XADD_ID_ZERO);
  const key = argv[1] as string;
  let s = c.db.writeAs(key, StreamValue);
  if (!s) {
    if (args.noMkstream) return NIL;
    s = new StreamValue();
    c.db.add(key, s);
  }
  if (s.lastId === MAX_ID) throw new RedisError(XADD_EXHAUSTED);
  const { maxEntries, maxBytes } = streamConfig(c);
  const id = s.append(argv.slice(fieldPos), args.id, args.seqGiven, c.engine.time, maxEntries, maxBytes);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  s.trim(args);
  const idText = formatId(id);
  // Propagated with the ID chosen (for `*` or `ms-*`) and an approximate trim made exact; the
  // copy of the arguments is only made when something listens (the AOF).
  if (c.engine.propagation.active && (args.approx || args.id === undefined || !args.seqGiven)) {
    const propagated = args.approx ? exactTrimArgv(argv, args, s) : [...argv];
    propagated[args.idPos] = idText;
    rewriteCommand(c, propagated);
  }
  c.engine.signalKeyAsReady(c.db, key);
  return bulk(idText);
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrim(c: Client, argv: readonly string[]): Reply {
  const args = parseAddOrTrimArgs(c, argv, false);
  const key = argv[1] as string;
  const s = c.db.writeAs(key, StreamValue);
  if (!s) return ZERO;
  const deleted = s.trim(args);
  if (deleted) {
    if (args.approx) rewriteCommand(c, exactTrimArgv(argv, args, s));
    c.db.signalModifiedKey(key);
    c.engine.dirty += deleted;
  }
  return integer(deleted);
}

/**
 * streamRewriteApproxSpecifier + streamRewriteTrimArgument: `MAXLEN ~ n` trims whole nodes, so
 * it propagates as `MAXLEN = <length now>` (`MINID = <first ID now>`) to trim the same on replay.
 */
function exactTrimArgv(argv: readonly string[], args: AddTrimArgs, s: StreamValue): string[] {
  const out = [...argv];
  out[args.thresholdPos - 1] = '=';
  // streamGetEdgeID without skipping tombstones: the first entry of the first node, deleted or not.
  const head = s.nodes[0];
  const first = head && head.size > 0 ? head.idAt(0) : MAX_ID;
  out[args.thresholdPos] = args.strategy === 'maxlen' ? String(s.length) : formatId(first);
  return out;
}

/** XLEN key */
function xlen(c: Client, argv: readonly string[]): Reply {
  return integer(c.db.readAs(argv[1] as string, StreamValue)?.length ?? 0);
}

/** XDEL key id [id ...] */
function xdel(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const s = c.db.writeAs(key, StreamValue);
  if (!s) return ZERO;
  const ids = argv.slice(2).map((a) => parseStreamId(a, 0n, true).id);
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.delete(id)) continue;
    if (id === s.firstId) firstEntry = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = MIN_ID;
    else if (firstEntry) s.firstId = s.firstLiveId();
    c.db.signalModifiedKey(key);
    c.engine.dirty += deleted;
  }
  return integer(deleted);
}

// --- XRANGE, XREVRANGE ---

/** xrangeGenericCommand */
function rangeGeneric(c: Client, argv: readonly string[], rev: boolean): Reply {
  const start = parseIntervalId(argv[rev ? 3 : 2] as string, 0n);
  let startId = start.id;
  if (start.exclusive) startId = incrId(startId) ?? fail(XRANGE_INVALID_START);
  const end = parseIntervalId(argv[rev ? 2 : 3] as string, U64_MAX);
  let endId = end.id;
  if (end.exclusive) endId = decrId(endId) ?? fail(XRANGE_INVALID_END);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (is(argv[j], 'COUNT') && argv.length - j - 1 >= 1) {
      count = Math.max(0, parseInteger(argv[j + 1] as string));
      j++;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const s = c.db.readAs(argv[1] as string, StreamValue);
  if (!s) return array([]);
  if (count === 0) return NIL_ARRAY;
  return array(s.range(startId, endId, count === -1 ? 0 : count, rev).map(entryReply));
}

function fail(message: string): never {
  throw new RedisError(message);
}

/** XRANGE key start end [COUNT count] */
function xrange(c: Client, argv: readonly string[]): Reply {
  return rangeGeneric(c, argv, false);
}

/** XREVRANGE key end start [COUNT count] */
function xrevrange(c: Client, argv: readonly string[]): Reply {
  return rangeGeneric(c, argv, true);
}

// --- XREAD, XREADGROUP ---

interface ReadArgs {
  keys: string[];
  /** Per key: read what comes after this ID (MAX_ID stands for `>`). */
  ids: StreamId[];
  groups: ConsumerGroup[] | undefined;
  groupName: string | undefined;
  consumerName: string;
  count: number;
  /** undefined: no BLOCK; else the deadline (0: forever). */
  deadline: number | undefined;
  noack: boolean;
}

/** The reply of XREAD/XREADGROUP: key → entries (an array of pairs in RESP2, a map in RESP3). */
function readReply(c: Client, results: [string, Reply[]][]): Reply {
  if (c.resp === 2) return array(results.map(([key, entries]) => array([bulk(key), array(entries)])));
  return map(results.map(([key, entries]) => [bulk(key), array(entries)] as const));
}

/** xreadCommand's argument parsing and checks. */
function parseRead(c: Client, argv: readonly string[]): ReadArgs {
  const xreadgroup = (argv[0] as string).length === 10;
  const args: ReadArgs = {
    keys: [], ids: [], groups: undefined, groupName: undefined, consumerName: '', count: 0, deadline: undefined, noack: false,
  };
  let streamsArg = 0;
  let streamsCount = 0;
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1;
    const o = argv[i] as string;
    if (is(o, 'BLOCK') && moreargs) {
      i++;
      args.deadline = parseTimeout(argv[i] as string, c.engine.time, 'milliseconds');
    } else if (is(o, 'COUNT') && moreargs) {
      i++;
      args.count = Math.max(0, parseInteger(argv[i] as string));
    } else if (is(o, 'STREAMS') && moreargs) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) throw new RedisError(XREAD_UNBALANCED);
      streamsCount /= 2;
      break;
    } else if (is(o, 'GROUP') && moreargs >= 2) {
      if (!xreadgroup) throw new RedisError(XREAD_GROUP_ONLY_XREADGROUP);
      args.groupName = argv[i + 1] as string;
      args.consumerName = argv[i + 2] as string;
      i += 2;
    } else if (is(o, 'NOACK')) {
      if (!xreadgroup) throw new RedisError(XREAD_NOACK_ONLY_XREADGROUP);
      args.noack = true;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  if (streamsArg === 0) throw new RedisError(SYNTAX);
  if (xreadgroup && args.groupName === undefined) throw new RedisError(XREADGROUP_MISSING_GROUP);
  if (args.groupName !== undefined) args.groups = [];
  for (let k = 0; k < streamsCount; k++) {
    const key = argv[streamsArg + k] as string;
    const idArg = argv[streamsArg + streamsCount + k] as string;
    const s = c.db.readAs(key, StreamValue);
    args.keys.push(key);
    if (args.groups) {
      const group = s?.groups.get(args.groupName as string);
      if (!group) throw noGroup(`No such key '${key}' or consumer group '${args.groupName}' in XREADGROUP with GROUP option`);
      args.groups.push(group);
    }
    if (idArg === '$') {
      if (xreadgroup) throw new RedisError(XREADGROUP_DOLLAR);
      args.ids.push(s ? s.lastId : MIN_ID);
    } else if (idArg === '>') {
      if (!xreadgroup) throw new RedisError(XREAD_GT_ONLY_XREADGROUP);
      args.ids.push(MAX_ID);
    } else {
      args.ids.push(parseStreamId(idArg, 0n, true).id);
    }
  }
  return args;
}

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] (and XREADGROUP) */
function xread(c: Client, argv: readonly string[]): Reply | BlockRequest {
  // A group read propagates its effects (XCLAIM, XGROUP SETID…), never itself.
  preventPropagation(c);
  const args = parseRead(c, argv);
  const results: [string, Reply[]][] = [];
  args.keys.forEach((key, i) => {
    const s = c.db.readAs(key, StreamValue);
    if (!s) return;
    let gt = args.ids[i] as StreamId;
    const group = args.groups?.[i];
    let serve = false;
    let history = false;
    if (group) {
      if (gt !== MAX_ID) serve = history = true;
      else if (s.length && s.lastLiveId() > group.lastId) {
        serve = true;
        gt = group.lastId;
      }
    } else if (s.length && s.lastLiveId() > gt) {
      serve = true;
    }
    if (!serve) return;
    // The next ID after gt; after the last possible ID it wraps to 0-0, as streamIncrID does.
    const start = incrId(gt) ?? MIN_ID;
    if (!group) {
      results.push([key, s.range(start, MAX_ID, args.count).map(entryReply)]);
      return;
    }
    const to = { key, groupName: args.groupName as string };
    const consumer = readingConsumer(c, group, args.consumerName, args.noack, to);
    const entries = history
      ? readHistory(c, s, start, args.count, consumer)
      : readForGroup(c, s, start, args.count, group, consumer, args.noack, to);
    c.engine.dirty++;
    results.push([key, entries]);
  });
  if (results.length > 0) return readReply(c, results);
  if (args.deadline === undefined) return NIL_ARRAY;
  return blockRead(c, args);
}

/** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
function xreadgroup(c: Client, argv: readonly string[]): Reply | BlockRequest {
  return xread(c, argv);
}

/**
 * Waits for entries after the IDs resolved now (`$` already is the last ID). Served as
 * serveClientsBlockedOnStreamKey does: a group read waits for entries after the group's last
 * delivered ID at the time it is served, and ends with an error if the group or the stream went.
 */
function blockRead(c: Client, args: ReadArgs): BlockRequest {
  // Only the first occurrence of a key counts (blockForKeys skips repeated keys).
  const after = new Map<string, StreamId>();
  args.keys.forEach((key, i) => {
    if (!after.has(key)) after.set(key, args.ids[i] as StreamId);
  });
  const count = args.count || XREAD_BLOCKED_DEFAULT_COUNT;
  const groupName = args.groupName;
  return new BlockRequest(args.keys, args.deadline as number, (client, key) => {
    const value = client.db.lookupWrite(key);
    if (!(value instanceof StreamValue)) {
      return groupName === undefined ? undefined : error(XREADGROUP_KEY_DELETED);
    }
    let gt = after.get(key) as StreamId;
    let group: ConsumerGroup | undefined;
    if (groupName !== undefined) {
      group = value.groups.get(groupName);
      if (!group) return error(XREADGROUP_GROUP_DESTROYED);
      gt = group.lastId;
    }
    if (value.lastId <= gt) return undefined;
    const start = gt + 1n;
    let entries: Reply[];
    if (group) {
      const to = { key, groupName: groupName as string };
      const consumer = readingConsumer(client, group, args.consumerName, args.noack, to);
      entries = readForGroup(client, value, start, count, group, consumer, args.noack, to);
    } else {
      entries = value.range(start, MAX_ID, count).map(entryReply);
    }
    return readReply(client, [[key, entries]]);
  }, NIL_ARRAY);
}

// --- XGROUP ---

interface GroupTarget {
  s: StreamValue | undefined;
  group: ConsumerGroup | undefined;
  mkstream: boolean;
  entriesRead: number;
}

/** The part of xgroupCommand every subcommand with a key goes through. */
function groupTarget(c: Client, argv: readonly string[]): GroupTarget {
  const sub = (argv[1] as string).toUpperCase();
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  for (let i = 5; i < argv.length;) {
    if (sub === 'CREATE' && is(argv[i], 'MKSTREAM')) {
      mkstream = true;
      i++;
    } else if ((sub === 'CREATE' || sub === 'SETID') && is(argv[i], 'ENTRIESREAD') && i + 1 < argv.length) {
      entriesRead = parseInteger(argv[i + 1] as string);
      if (entriesRead < 0 && entriesRead !== INVALID_ENTRIES_READ) throw new RedisError(XGROUP_ENTRIESREAD_INVALID);
      i += 2;
    } else {
      subcommandSyntaxError(argv);
    }
  }
  const key = argv[2] as string;
  const s = c.db.writeAs(key, StreamValue);
  const name = argv[3] as string;
  let group: ConsumerGroup | undefined;
  if (!mkstream) {
    if (!s) throw new RedisError(XGROUP_KEY_MUST_EXIST);
    group = s.groups.get(name);
    if (!group && (sub === 'SETID' || sub === 'CREATECONSUMER' || sub === 'DELCONSUMER')) {
      throw noGroup(`No such consumer group '${name}' for key name '${key}'`);
    }
  }
  return { s, group, mkstream, entriesRead };
}

/** XGROUP CREATE key groupname id|$ [MKSTREAM] [ENTRIESREAD entries_read] */
function xgroupCreate(c: Client, argv: readonly string[]): Reply {
  const target = groupTarget(c, argv);
  if (argv.length > 8) subcommandSyntaxError(argv);
  const key = argv[2] as string;
  let s = target.s;
  const id = argv[4] === '$' ? (s ? s.lastId : MIN_ID) : parseStreamId(argv[4] as string, 0n, true).id;
  if (!s) {
    s = new StreamValue();
    c.db.add(key, s);
    c.db.signalModifiedKey(key);
  }
  const name = argv[3] as string;
  if (s.groups.has(name)) throw new RedisError(BUSYGROUP);
  s.groups.set(name, { lastId: id, entriesRead: target.entriesRead, pel: new PendingList(), consumers: new Map() });
  c.engine.dirty++;
  return OK;
}

/** XGROUP SETID key groupname id|$ [ENTRIESREAD entries_read] */
function xgroupSetid(c: Client, argv: readonly string[]): Reply {
  const { s, group, entriesRead } = groupTarget(c, argv);
  if (argv.length !== 5 && argv.length !== 7) subcommandSyntaxError(argv);
  const stream = s as StreamValue;
  const target = group as ConsumerGroup;
  target.lastId = argv[4] === '$' ? stream.lastId : parseStreamId(argv[4] as string, 0n).id;
  target.entriesRead = entriesRead;
  c.engine.dirty++;
  return OK;
}

/** XGROUP DESTROY key groupname */
function xgroupDestroy(c: Client, argv: readonly string[]): Reply {
  const { s, group } = groupTarget(c, argv);
  if (!group) return ZERO;
  (s as StreamValue).groups.delete(argv[3] as string);
  c.engine.dirty++;
  // Clients blocked reading through this group must hear that it is gone.
  c.engine.signalKeyAsReady(c.db, argv[2] as string);
  return ONE;
}

/** XGROUP CREATECONSUMER key groupname consumername */
function xgroupCreateconsumer(c: Client, argv: readonly string[]): Reply {
  const { group } = groupTarget(c, argv);
  return createConsumer(c, group as ConsumerGroup, argv[4] as string) ? ONE : ZERO;
}

/** XGROUP DELCONSUMER key groupname consumername */
function xgroupDelconsumer(c: Client, argv: readonly string[]): Reply {
  const { group } = groupTarget(c, argv);
  const g = group as ConsumerGroup;
  const consumer = lookupConsumer(c, g, argv[4] as string, false);
  if (!consumer) return ZERO;
  const pending = consumer.pel.size;
  for (const id of consumer.pel.from(MIN_ID)) g.pel.delete(id);
  g.consumers.delete(consumer.name);
  c.engine.dirty++;
  return integer(pending);
}

/** XGROUP HELP */
function xgroupHelp(): Reply {
  return helpReply('XGROUP', [
    'CREATE <key> <groupname> <id|$> [option]',
    '    Create a new consumer group. Options are:',
    '    * MKSTREAM',
    '      Create the empty stream if it does not exist.',
    '    * ENTRIESREAD entries_read',
    "      Set the group's entries_read counter (internal use).",
    'CREATECONSUMER <key> <groupname> <consumer>',
    '    Create a new consumer in the specified group.',
    'DELCONSUMER <key> <groupname> <consumer>',
    '    Remove the specified consumer.',
    'DESTROY <key> <groupname>',
    '    Remove the specified group.',
    'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
    '    Set the current group ID and entries_read counter.',
  ]);
}

// --- XSETID, XACK, XPENDING ---

/** XSETID key last-id [ENTRIESADDED entries_added] [MAXDELETEDID max_deleted_entry_id] */
function xsetid(c: Client, argv: readonly string[]): Reply {
  const id = parseStreamId(argv[2] as string, 0n, true).id;
  let entriesAdded = -1;
  let maxDeleted = MIN_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const moreargs = argv.length - 1 - i;
    if (is(argv[i], 'ENTRIESADDED') && moreargs) {
      entriesAdded = parseInteger(argv[i + 1] as string);
      if (entriesAdded < 0) throw new RedisError(XSETID_ENTRIES_ADDED_NEGATIVE);
    } else if (is(argv[i], 'MAXDELETEDID') && moreargs) {
      maxDeleted = parseStreamId(argv[i + 1] as string, 0n, true).id;
      if (id < maxDeleted) throw new RedisError(XSETID_SMALLER_THAN_MAX_DELETED);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const s = c.db.writeAs(argv[1] as string, StreamValue);
  if (!s) throw new RedisError(NO_SUCH_KEY);
  if (s.length > 0) {
    if (id < s.lastLiveId()) throw new RedisError(XSETID_SMALLER_THAN_TOP);
    if (entriesAdded !== -1 && s.length > entriesAdded) throw new RedisError(XSETID_ENTRIES_ADDED_TOO_SMALL);
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDeleted !== MIN_ID) s.maxDeletedId = maxDeleted;
  c.engine.dirty++;
  return OK;
}

/** XACK key group id [id ...] */
function xack(c: Client, argv: readonly string[]): Reply {
  const s = c.db.readAs(argv[1] as string, StreamValue);
  const group = s?.groups.get(argv[2] as string);
  if (!group) return ZERO;
  const ids = argv.slice(3).map((a) => parseStreamId(a, 0n, true).id);
  let acknowledged = 0;
  for (const id of ids) {
    const nack = group.pel.get(id);
    if (!nack) continue;
    group.pel.delete(id);
    nack.consumer?.pel.delete(id);
    acknowledged++;
  }
  c.engine.dirty += acknowledged;
  return integer(acknowledged);
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpending(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const groupName = argv[2] as string;
  const justInfo = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) throw new RedisError(SYNTAX);
  let startId = MIN_ID;
  let endId = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | undefined;
  if (argv.length >= 6) {
    let startIdx = 3;
    if (is(argv[3], 'IDLE')) {
      minIdle = parseInteger(argv[4] as string);
      if (argv.length < 8) throw new RedisError(SYNTAX);
      startIdx += 2;
    }
    count = Math.max(0, parseInteger(argv[startIdx + 2] as string));
    const start = parseIntervalId(argv[startIdx] as string, 0n);
    startId = start.exclusive ? incrId(start.id) ?? fail(XRANGE_INVALID_START) : start.id;
    const end = parseIntervalId(argv[startIdx + 1] as string, U64_MAX);
    endId = end.exclusive ? decrId(end.id) ?? fail(XRANGE_INVALID_END) : end.id;
    if (startIdx + 3 < argv.length) consumerName = argv[startIdx + 3];
  }
  const s = c.db.readAs(key, StreamValue);
  const group = s?.groups.get(groupName);
  if (!group) throw noGroup(`No such key '${key}' or consumer group '${groupName}'`);
  if (justInfo) return pendingSummary(group);
  let pel = group.pel;
  if (consumerName !== undefined) {
    const consumer = lookupConsumer(c, group, consumerName, false);
    if (!consumer) return array([]);
    pel = consumer.pel;
  }
  const now = c.engine.time;
  const out: Reply[] = [];
  for (const id of pel.from(startId)) {
    if (!count || id > endId) break;
    const nack = pel.get(id) as PendingEntry;
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    count--;
    out.push(array([
      idReply(id), bulk((nack.consumer as Consumer).name), integer(Math.max(0, now - nack.deliveryTime)), integer(nack.deliveryCount),
    ]));
  }
  return array(out);
}

/** XPENDING's summary: how many, the smallest and greatest IDs, and the count per consumer. */
function pendingSummary(group: ConsumerGroup): Reply {
  const first = group.pel.first();
  if (first === undefined) return array([ZERO, NIL, NIL, NIL_ARRAY]);
  const consumers: Reply[] = [];
  for (const [name, consumer] of sortedNames(group.consumers)) {
    if (consumer.pel.size === 0) continue;
    consumers.push(array([bulk(name), bulk(String(consumer.pel.size))]));
  }
  return array([integer(group.pel.size), idReply(first), idReply(group.pel.last() as StreamId), array(consumers)]);
}

// --- XCLAIM, XAUTOCLAIM ---

/** Gives a pending entry to a consumer (moving it from its previous owner's list). */
function assignPending(nack: PendingEntry, id: StreamId, consumer: Consumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.delete(id);
  consumer.pel.add(id, nack);
  nack.consumer = consumer;
}

/** Drops a pending entry whose stream entry no longer exists. */
function dropPending(group: ConsumerGroup, id: StreamId, nack: PendingEntry): void {
  group.pel.delete(id);
  nack.consumer?.pel.delete(id);
}

/** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid] */
function xclaim(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const s = c.db.readAs(key, StreamValue);
  const group = s?.groups.get(argv[2] as string);
  if (!s || !group) throw noGroup(`No such key '${key}' or consumer group '${argv[2]}'`);
  const minIdle = Math.max(0, parseInteger(argv[4] as string, XCLAIM_INVALID_MIN_IDLE));
  const ids: StreamId[] = [];
  // Propagated as an XCLAIM per entry claimed or dropped (and XGROUP SETID for LASTID alone).
  preventPropagation(c);
  const to = { key, groupName: argv[2] as string };
  let j = 5;
  for (; j < argv.length; j++) {
    // The IDs end at the first argument that is not one; the options follow.
    const parsed = tryParseStreamId(argv[j] as string, 0n, true);
    if (!parsed) break;
    ids.push(parsed.id);
  }
  const now = c.engine.time;
  let retryCount = -1;
  let deliveryTime = -1;
  let force = false;
  let justId = false;
  let lastId = MIN_ID;
  for (; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = argv[j] as string;
    if (is(opt, 'FORCE')) force = true;
    else if (is(opt, 'JUSTID')) justId = true;
    else if (is(opt, 'IDLE') && moreargs) deliveryTime = now - parseInteger(argv[++j] as string, XCLAIM_INVALID_IDLE);
    else if (is(opt, 'TIME') && moreargs) deliveryTime = parseInteger(argv[++j] as string, XCLAIM_INVALID_TIME);
    else if (is(opt, 'RETRYCOUNT') && moreargs) retryCount = parseInteger(argv[++j] as string, XCLAIM_INVALID_RETRYCOUNT);
    else if (is(opt, 'LASTID') && moreargs) lastId = parseStreamId(argv[++j] as string, 0n, true).id;
    else throw new RedisError(noNewlines(`ERR Unrecognized XCLAIM option '${opt}'`));
  }
  let propagateLastId = false;
  if (lastId > group.lastId) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  let consumer: Consumer | undefined;
  const out: Reply[] = [];
  for (const [k, id] of ids.entries()) {
    let nack = group.pel.get(id);
    const entry = s.find(id);
    // The ID as the command gave it (XCLAIM propagates its own arguments).
    const idArg = argv[5 + k] as string;
    if (!entry) {
      if (nack) {
        propagateXclaim(c, to, group, idArg, nack);
        propagateLastId = false;
        c.engine.dirty++;
        dropPending(group, id, nack);
      }
      continue;
    }
    if (force && !nack) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      group.pel.add(id, nack);
    }
    if (!nack) continue;
    if (nack.consumer && minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(c, group, argv[3] as string);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justId) nack.deliveryCount++;
    assignPending(nack, id, consumer);
    out.push(justId ? idReply(id) : entryReply(entry));
    propagateXclaim(c, to, group, idArg, nack);
    propagateLastId = false;
    c.engine.dirty++;
  }
  if (propagateLastId) {
    propagateGroupId(c, to, group);
    c.engine.dirty++;
  }
  return array(out);
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaim(c: Client, argv: readonly string[]): Reply {
  const minIdle = Math.max(0, parseInteger(argv[4] as string, XAUTOCLAIM_INVALID_MIN_IDLE));
  const start = parseIntervalId(argv[5] as string, 0n);
  const startId = start.exclusive ? incrId(start.id) ?? fail(XRANGE_INVALID_START) : start.id;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (is(argv[j], 'COUNT') && moreargs) {
      const maxCount = Math.floor(LONG_MAX / Math.max(16, XAUTOCLAIM_ATTEMPTS_FACTOR));
      count = parseRangeLong(argv[j + 1] as string, 1, maxCount, XAUTOCLAIM_COUNT);
      j++;
    } else if (is(argv[j], 'JUSTID')) {
      justId = true;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const key = argv[1] as string;
  const s = c.db.readAs(key, StreamValue);
  const group = s?.groups.get(argv[2] as string);
  if (!s || !group) throw noGroup(`No such key '${key}' or consumer group '${argv[2]}'`);
  // Propagated as an XCLAIM per entry claimed or dropped.
  preventPropagation(c);
  const to = { key, groupName: argv[2] as string };
  let attempts = count * XAUTOCLAIM_ATTEMPTS_FACTOR;
  const now = c.engine.time;
  let consumer: Consumer | undefined;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  let next: StreamId | undefined = group.pel.seek(startId);
  while (attempts-- > 0 && count > 0 && next !== undefined) {
    const id: StreamId = next;
    const nack = group.pel.get(id) as PendingEntry;
    const entry = s.find(id);
    next = group.pel.seek(id + 1n);
    if (!entry) {
      propagateXclaim(c, to, group, formatId(id), nack);
      c.engine.dirty++;
      dropPending(group, id, nack);
      deleted.push(idReply(id));
      count--;
      continue;
    }
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(c, group, argv[3] as string);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    assignPending(nack, id, consumer);
    claimed.push(justId ? idReply(id) : entryReply(entry));
    count--;
    propagateXclaim(c, to, group, formatId(id), nack);
    c.engine.dirty++;
  }
  // The cursor for the next call: the pending entry after the last one looked at, or 0-0.
  return array([idReply(next ?? MIN_ID), array(claimed), array(deleted)]);
}

// --- XINFO ---

/** XINFO STREAM key [FULL [COUNT count]] */
function xinfoStream(c: Client, argv: readonly string[]): Reply {
  const s = c.db.readAs(argv[2] as string, StreamValue);
  if (!s) throw new RedisError(NO_SUCH_KEY);
  const optc = argv.length - 3;
  let full = false;
  let count = 10;
  if (optc > 0) {
    if ((optc !== 1 && optc !== 3) || !is(argv[3], 'FULL')) subcommandSyntaxError(argv);
    full = true;
    if (optc === 3) {
      if (!is(argv[4], 'COUNT')) subcommandSyntaxError(argv);
      count = parseInteger(argv[5] as string);
      if (count < 0) count = 10;
    }
  }
  const fields: (readonly [Reply, Reply])[] = [
    [bulk('length'), integer(s.length)],
    [bulk('radix-tree-keys'), integer(s.radixTreeKeys())],
    [bulk('radix-tree-nodes'), integer(s.radixTreeNodes())],
    [bulk('last-generated-id'), idReply(s.lastId)],
    [bulk('max-deleted-entry-id'), idReply(s.maxDeletedId)],
    [bulk('entries-added'), integer(s.entriesAdded)],
    [bulk('recorded-first-entry-id'), idReply(s.firstId)],
  ];
  if (!full) {
    const first = s.range(MIN_ID, MAX_ID, 1)[0];
    const last = s.range(MIN_ID, MAX_ID, 1, true)[0];
    fields.push(
      [bulk('groups'), integer(s.groups.size)],
      [bulk('first-entry'), first ? entryReply(first) : NIL],
      [bulk('last-entry'), last ? entryReply(last) : NIL],
    );
    return map(fields);
  }
  fields.push([bulk('entries'), array(s.range(MIN_ID, MAX_ID, count).map(entryReply))]);
  const groups = sortedNames(s.groups).map(([name, g]) => map([
    [bulk('name'), bulk(name)],
    [bulk('last-delivered-id'), idReply(g.lastId)],
    [bulk('entries-read'), g.entriesRead === INVALID_ENTRIES_READ ? NIL : integer(g.entriesRead)],
    [bulk('lag'), s.lag(g)],
    [bulk('pel-count'), integer(g.pel.size)],
    [bulk('pending'), array(limited(g.pel.from(MIN_ID), count).map((id) => {
      const nack = g.pel.get(id) as PendingEntry;
      return array([idReply(id), bulk((nack.consumer as Consumer).name), integer(nack.deliveryTime), integer(nack.deliveryCount)]);
    }))],
    [bulk('consumers'), array(sortedNames(g.consumers).map(([cname, consumer]) => map([
      [bulk('name'), bulk(cname)],
      [bulk('seen-time'), integer(consumer.seenTime)],
      [bulk('pel-count'), integer(consumer.pel.size)],
      [bulk('pending'), array(limited(consumer.pel.from(MIN_ID), count).map((id) => {
        const nack = consumer.pel.get(id) as PendingEntry;
        return array([idReply(id), integer(nack.deliveryTime), integer(nack.deliveryCount)]);
      }))],
    ])))],
  ]));
  fields.push([bulk('groups'), array(groups)]);
  return map(fields);
}

/** The first `count` items (0: all). */
function limited<T>(items: T[], count: number): T[] {
  return count ? items.slice(0, count) : items;
}

/** XINFO GROUPS key */
function xinfoGroups(c: Client, argv: readonly string[]): Reply {
  const s = c.db.readAs(argv[2] as string, StreamValue);
  if (!s) throw new RedisError(NO_SUCH_KEY);
  return array(sortedNames(s.groups).map(([name, g]) => map([
    [bulk('name'), bulk(name)],
    [bulk('consumers'), integer(g.consumers.size)],
    [bulk('pending'), integer(g.pel.size)],
    [bulk('last-delivered-id'), idReply(g.lastId)],
    [bulk('entries-read'), g.entriesRead === INVALID_ENTRIES_READ ? NIL : integer(g.entriesRead)],
    [bulk('lag'), s.lag(g)],
  ])));
}

/** XINFO CONSUMERS key groupname */
function xinfoConsumers(c: Client, argv: readonly string[]): Reply {
  const key = argv[2] as string;
  const s = c.db.readAs(key, StreamValue);
  if (!s) throw new RedisError(NO_SUCH_KEY);
  const group = s.groups.get(argv[3] as string);
  if (!group) throw noGroup(`No such consumer group '${argv[3]}' for key name '${key}'`);
  const now = c.engine.time;
  return array(sortedNames(group.consumers).map(([name, consumer]) => map([
    [bulk('name'), bulk(name)],
    [bulk('pending'), integer(consumer.pel.size)],
    [bulk('idle'), integer(Math.max(0, now - consumer.seenTime))],
  ])));
}

/** XINFO HELP */
function xinfoHelp(): Reply {
  return helpReply('XINFO', [
    'CONSUMERS <key> <groupname>',
    '    Show consumers of <groupname>.',
    'GROUPS <key>',
    '    Show the stream consumer groups.',
    'STREAM <key> [FULL [COUNT <count>]',
    '    Show information about the stream.',
  ]);
}

export const commands: Handlers = {
  xadd, xtrim, xlen, xdel, xrange, xrevrange, xread, xreadgroup, xsetid, xack, xpending, xclaim, xautoclaim,
  'xgroup|create': xgroupCreate,
  'xgroup|setid': xgroupSetid,
  'xgroup|destroy': xgroupDestroy,
  'xgroup|createconsumer': xgroupCreateconsumer,
  'xgroup|delconsumer': xgroupDelconsumer,
  'xgroup|help': xgroupHelp,
  'xinfo|stream': xinfoStream,
  'xinfo|groups': xinfoGroups,
  'xinfo|consumers': xinfoConsumers,
  'xinfo|help': xinfoHelp,
};
