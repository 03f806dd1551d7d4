/**
 * Streams in an RDB file (rdbSaveObject / rdbLoadObject for OBJ_STREAM), in the real format: the
 * radix tree's nodes, each its master ID (16 bytes) and its listpack exactly as t_stream.c lays
 * it out; then the length, last ID, first ID, max deleted ID and entries-added counter; then the
 * consumer groups (in name order), each with its last ID, entries-read counter, pending entries
 * list (ID, delivery time, delivery count) and consumers (name, seen time, the IDs they own).
 *
 * A node's listpack: the master entry [count, deleted, #fields, field…, 0], then per entry
 * [flags, ms − master ms, seq − master seq, (#fields, field…, if the fields differ from the
 * master's), value…, lp-count], flags 1 = deleted, 2 = same fields as the master.
 */
import { ListpackBuilder, ListpackError, entryString, readListpack, type ListpackEntry } from './listpack.js';
import type { RdbReader } from './rdb-reader.js';
import { RDB_TYPE_STREAM_LISTPACKS_2 } from './rdb-types.js';
import type { RdbWriter } from './rdb-writer.js';
import { idMs, idSeq, makeId, MIN_ID, U64_MAX, type StreamId } from '../types/stream-id.js';
import { FLAG_DELETED, FLAG_SAMEFIELDS, StreamNode } from '../types/stream-nodes.js';
import { type Consumer, type ConsumerGroup, PendingList, type PendingEntry, StreamValue } from '../types/stream.js';

/** SCG_INVALID_ENTRIES_READ, stored as an unsigned 64-bit length. */
const INVALID_ENTRIES_READ = -1;

function byName<V>(m: ReadonlyMap<string, V>): [string, V][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One node's listpack, as streamAppendItem builds it. */
function nodeListpack(node: StreamNode): Buffer {
  const lp = new ListpackBuilder();
  const master = node.masterFields;
  lp.appendInteger(node.live);
  lp.appendInteger(node.deletedCount);
  lp.appendInteger(master.length);
  for (const f of master) lp.appendString(f);
  lp.appendInteger(0);
  const masterMs = idMs(node.masterId);
  const masterSeq = idSeq(node.masterId);
  for (let e = 0; e < node.size; e++) {
    const fields = node.fieldsAt(e);
    const numfields = fields.length / 2;
    const same = node.hasMasterFields(e);
    const id = node.idAt(e);
    lp.appendInteger((node.isDeleted(e) ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0));
    lp.appendInteger(BigInt.asIntN(64, idMs(id) - masterMs));
    lp.appendInteger(BigInt.asIntN(64, idSeq(id) - masterSeq));
    if (!same) lp.appendInteger(numfields);
    for (let i = 0; i < numfields; i++) {
      if (!same) lp.appendString(fields[i * 2] as string);
      lp.appendString(fields[i * 2 + 1] as string);
    }
    lp.appendInteger(same ? numfields + 3 : numfields * 2 + 4);
  }
  return lp.finish();
}

function writeId(w: RdbWriter, id: StreamId): void {
  w.len(idMs(id));
  w.len(idSeq(id));
}

function writePel(w: RdbWriter, pel: PendingList, nacks: boolean): void {
  w.len(pel.size);
  for (const id of pel.from(MIN_ID)) {
    w.streamId(id);
    if (nacks) {
      const nack = pel.get(id) as PendingEntry;
      w.millis(nack.deliveryTime);
      w.len(nack.deliveryCount);
    }
  }
}

/** rdbSaveObject for a stream (written as RDB_TYPE_STREAM_LISTPACKS_2). */
export function saveStream(w: RdbWriter, s: StreamValue): void {
  w.len(s.nodes.length);
  for (const node of s.nodes) {
    w.len(16);
    w.streamId(node.masterId);
    w.blob(nodeListpack(node));
  }
  w.len(s.length);
  writeId(w, s.lastId);
  writeId(w, s.firstId);
  writeId(w, s.maxDeletedId);
  w.len(s.entriesAdded);
  w.len(s.groups.size);
  for (const [name, g] of byName(s.groups)) {
    w.string(name);
    writeId(w, g.lastId);
    w.len(g.entriesRead === INVALID_ENTRIES_READ ? U64_MAX : g.entriesRead);
    writePel(w, g.pel, true);
    w.len(g.consumers.size);
    for (const [cname, consumer] of byName(g.consumers)) {
      w.string(cname);
      w.millis(consumer.seenTime);
      writePel(w, consumer.pel, false);
    }
  }
}

function int(e: ListpackEntry | undefined): number | bigint {
  if (e === undefined || typeof e === 'string') throw new ListpackError('stream listpack holds a string where an integer belongs');
  return e;
}

function smallInt(e: ListpackEntry | undefined): number {
  const v = int(e);
  if (typeof v === 'bigint' || v < 0) throw new ListpackError('stream listpack holds an invalid count');
  return v;
}

/** Rebuilds one node from its listpack, checked as streamValidateListpackIntegrity (deep) does. */
function loadNode(masterId: StreamId, lp: Buffer): StreamNode {
  const items = readListpack(lp);
  if (items.length === 0) throw new ListpackError('Empty listpack inside stream');
  let i = 0;
  const next = (): ListpackEntry => {
    if (i >= items.length) throw new ListpackError('stream listpack ends inside an entry');
    return items[i++] as ListpackEntry;
  };
  const count = smallInt(next());
  const deleted = smallInt(next());
  const numMaster = smallInt(next());
  const masterFields: string[] = [];
  for (let j = 0; j < numMaster; j++) masterFields.push(entryString(next()));
  if (int(next()) !== 0) throw new ListpackError('stream listpack master entry is not terminated by 0');
  const node = new StreamNode(masterId, masterFields);
  const masterMs = idMs(masterId);
  const masterSeq = idSeq(masterId);
  let previous: StreamId | undefined;
  for (let n = count + deleted; n > 0; n--) {
    const flags = smallInt(next());
    const ms = BigInt.asUintN(64, masterMs + BigInt(int(next())));
    const seq = BigInt.asUintN(64, masterSeq + BigInt(int(next())));
    const same = (flags & FLAG_SAMEFIELDS) !== 0;
    const numfields = same ? numMaster : smallInt(next());
    // Field and value alternate; an entry with the master's fields has only the values.
    const fields: string[] = new Array<string>(numfields * 2);
    for (let j = 0; j < numfields; j++) {
      fields[j * 2] = same ? (masterFields[j] as string) : entryString(next());
      fields[j * 2 + 1] = entryString(next());
    }
    const lpCount = int(next());
    if (lpCount !== (same ? numfields + 3 : numfields * 2 + 4)) throw new ListpackError('stream listpack entry has a wrong lp-count');
    const id = makeId(ms, seq);
    if (previous !== undefined && id <= previous) throw new ListpackError('stream listpack entries are not in ID order');
    previous = id;
    const at = node.append(id, fields);
    if (flags & FLAG_DELETED) node.markDeleted(at);
  }
  if (i !== items.length) throw new ListpackError('stream listpack has elements after its last entry');
  return node;
}

function readId(r: RdbReader): StreamId {
  const ms = r.len64();
  const seq = r.len64();
  if (ms > U64_MAX || seq > U64_MAX) r.fail('Stream ID out of range');
  return makeId(ms, seq);
}

/** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS and RDB_TYPE_STREAM_LISTPACKS_2. */
export function loadStream(r: RdbReader, rdbType: number): StreamValue {
  const s = new StreamValue();
  const listpacks = r.len();
  for (let n = 0; n < listpacks; n++) {
    const keyAt = r.pos;
    const key = r.blob();
    if (key.length !== 16) r.fail('Stream node key entry is not the size of a stream ID', keyAt);
    const masterId = (key.readBigUInt64BE(0) << 64n) | key.readBigUInt64BE(8);
    const lpAt = r.pos;
    const lp = r.blob();
    let node: StreamNode;
    try {
      node = loadNode(masterId, lp);
    } catch (e) {
      if (e instanceof ListpackError) r.fail(`Stream listpack integrity check failed: ${e.message}`, lpAt);
      throw e;
    }
    const last = s.nodes[s.nodes.length - 1];
    if (last && masterId <= last.masterId) r.fail('Listpack re-added with existing key', keyAt);
    if (last && node.size > 0 && node.idAt(0) <= last.lastEntryId()) {
      r.fail('Stream nodes overlap', lpAt);
    }
    s.nodes.push(node);
  }
  s.length = r.len();
  s.lastId = readId(r);
  if (rdbType === RDB_TYPE_STREAM_LISTPACKS_2) {
    s.firstId = readId(r);
    s.maxDeletedId = readId(r);
    s.entriesAdded = r.len();
  } else {
    s.maxDeletedId = MIN_ID;
    s.entriesAdded = s.length;
    s.firstId = s.firstLiveId();
  }
  let live = 0;
  for (const node of s.nodes) live += node.live;
  if (live !== s.length) r.fail('Stream length inconsistent with rax entries');

  const groups = r.len();
  for (let g = 0; g < groups; g++) {
    const nameAt = r.pos;
    const name = r.string();
    const lastId = readId(r);
    let entriesRead: number;
    if (rdbType === RDB_TYPE_STREAM_LISTPACKS_2) {
      const v = r.len64();
      entriesRead = v === U64_MAX ? INVALID_ENTRIES_READ : Number(v);
    } else {
      entriesRead = s.estimateDistance(lastId);
    }
    if (s.groups.has(name)) r.fail(`Duplicated consumer group name ${name}`, nameAt);
    const group: ConsumerGroup = { lastId, entriesRead, pel: new PendingList(), consumers: new Map() };
    s.groups.set(name, group);
    const pelSize = r.len();
    for (let k = 0; k < pelSize; k++) {
      const at = r.pos;
      const id = r.streamId();
      const nack: PendingEntry = { deliveryTime: r.millis(), deliveryCount: r.len(), consumer: null };
      if (!group.pel.add(id, nack)) r.fail('Duplicated global PEL entry loading stream consumer group', at);
    }
    const consumers = r.len();
    for (let k = 0; k < consumers; k++) {
      const at = r.pos;
      const cname = r.string();
      if (group.consumers.has(cname)) r.fail('Duplicate stream consumer detected.', at);
      const consumer: Consumer = { name: cname, seenTime: r.millis(), pel: new PendingList() };
      group.consumers.set(cname, consumer);
      const owned = r.len();
      for (let m = 0; m < owned; m++) {
        const idAt = r.pos;
        const id = r.streamId();
        const nack = group.pel.get(id);
        if (!nack) r.fail('Consumer entry not found in group global PEL', idAt);
        if (nack.consumer) r.fail('Duplicated consumer PEL entry loading a stream consumer group', idAt);
        nack.consumer = consumer;
        consumer.pel.add(id, nack);
      }
    }
    for (const id of group.pel.from(MIN_ID)) {
      if (!(group.pel.get(id) as PendingEntry).consumer) r.fail('Stream CG PEL entry without consumer');
    }
  }
  return s;
}
