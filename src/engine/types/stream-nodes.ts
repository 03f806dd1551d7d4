/**
 * A stream's entries as Redis 7.0 lays them out: a sequence of nodes (the listpacks hanging off
 * the radix tree), each headed by a master ID and master fields, holding up to
 * stream-node-max-entries entries (live or deleted) and about stream-node-max-bytes bytes.
 * Deleting an entry only flags it, and a node goes away when its last live entry does. The layout
 * is visible to users: approximate trimming (`MAXLEN ~`) removes whole nodes only, and XINFO
 * STREAM reports the radix tree's keys and nodes; so the listpack sizes are counted byte for byte.
 */
import { toInt64 } from '../args.js';
import type { StreamId } from './stream-id.js';

/** An entry as readers get it: its ID and its field-value pairs. */
export interface StreamEntry {
  readonly id: StreamId;
  /** field, value, field, value… */
  readonly fields: readonly string[];
}

/** STREAM_ITEM_FLAG_DELETED and STREAM_ITEM_FLAG_SAMEFIELDS, an entry's flags in the listpack. */
export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

// --- listpack sizes (listpack.c) ---

/** Bytes of a listpack's header (total bytes, element count) and its end marker. */
const LP_HDR_AND_END = 6 + 1;

/** lpEncodeBacklen: bytes of an element's back-length for an encoding of `l` bytes. */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/**
 * Bytes of an integer element (lpEncodeIntegerGetType), back-length included. A 64-bit value
 * beyond 2^53 may come rounded: only its range matters here, and rounding never crosses 2^31.
 */
function intElementSize(v: number): number {
  let enc: number;
  if (v >= 0 && v <= 127) enc = 1;
  else if (v >= -4096 && v <= 4095) enc = 2;
  else if (v >= -32768 && v <= 32767) enc = 3;
  else if (v >= -8388608 && v <= 8388607) enc = 4;
  else if (v >= -2147483648 && v <= 2147483647) enc = 5;
  else enc = 9;
  return enc + backlenSize(enc);
}

/** Bytes of a string element: stored as an integer when it is one (lpStringToInt64), else as bytes. */
function stringElementSize(s: string): number {
  const n = s.length <= 20 ? toInt64(s) : undefined;
  if (n !== undefined) return intElementSize(Number(n));
  const enc = s.length < 64 ? 1 + s.length : s.length < 4096 ? 2 + s.length : 5 + s.length;
  return enc + backlenSize(enc);
}

/**
 * A difference of two IDs' halves as the int64 listpack stores (unsigned subtraction, then a
 * cast), as a number for intElementSize (comparing bigints with numbers is slow in V8).
 */
function delta(a: bigint, b: bigint): number {
  return Number(BigInt.asIntN(64, a - b));
}

const SEQ_MASK = (1n << 64n) - 1n;

export class StreamNode {
  /*
   * The entries, live and flagged deleted, in ID order, kept by column as the listpack keeps them
   * flat: the node holds no object per entry but its ID. A stream keeps millions of entries, and
   * each object kept is work for the garbage collector while it grows (the largest part of XADD's
   * cost when every entry was an object with its own array of fields).
   */
  private ids: StreamId[] = [];
  /** Each entry's FLAG_DELETED | FLAG_SAMEFIELDS. */
  private flags: number[] = [];
  /**
   * Each entry's fields. With FLAG_SAMEFIELDS (its fields are the master's, as for most entries)
   * only its values, a single one as itself; else field, value, field, value…
   */
  private data: (string | readonly string[])[] = [];
  /** Live entries, and entries flagged deleted (the master entry's count and deleted). */
  live = 0;
  deletedCount = 0;
  /** Bytes of the entries (everything after the master entry). */
  private entryBytes = 0;
  private readonly masterBytes: number;
  /** The master ID's halves, kept: every append measures its entry's ID against them. */
  private readonly masterMs: bigint;
  private readonly masterSeq: bigint;

  constructor(
    /** The radix tree key: the ID of the node's first entry. */
    readonly masterId: StreamId,
    readonly masterFields: readonly string[],
  ) {
    let bytes = intElementSize(masterFields.length) + intElementSize(0);
    for (const f of masterFields) bytes += stringElementSize(f);
    this.masterBytes = bytes;
    this.masterMs = masterId >> 64n;
    this.masterSeq = masterId & SEQ_MASK;
  }

  /** lpBytes: the listpack's size now. */
  bytes(): number {
    return LP_HDR_AND_END + intElementSize(this.live) + intElementSize(this.deletedCount) + this.masterBytes + this.entryBytes;
  }

  /** How many entries the node holds, deleted ones included. */
  get size(): number {
    return this.ids.length;
  }

  /** The ID of entry i (0 ≤ i < size). */
  idAt(i: number): StreamId {
    return this.ids[i] as StreamId;
  }

  isDeleted(i: number): boolean {
    return ((this.flags[i] as number) & FLAG_DELETED) !== 0;
  }

  /** Entry i has the master entry's fields (STREAM_ITEM_FLAG_SAMEFIELDS). */
  hasMasterFields(i: number): boolean {
    return ((this.flags[i] as number) & FLAG_SAMEFIELDS) !== 0;
  }

  /** The fields of entry i: field, value, field, value… */
  fieldsAt(i: number): readonly string[] {
    const data = this.data[i] as string | readonly string[];
    if (!this.hasMasterFields(i)) return data as readonly string[];
    const master = this.masterFields;
    if (typeof data === 'string') return [master[0] as string, data];
    const fields = new Array<string>(master.length * 2);
    for (let j = 0; j < master.length; j++) {
      fields[j * 2] = master[j] as string;
      fields[j * 2 + 1] = data[j] as string;
    }
    return fields;
  }

  entryAt(i: number): StreamEntry {
    return { id: this.idAt(i), fields: this.fieldsAt(i) };
  }

  /** Flags entry i deleted (it must be live). */
  markDeleted(i: number): void {
    this.flags[i] = (this.flags[i] as number) | FLAG_DELETED;
    this.live--;
    this.deletedCount++;
  }

  /**
   * Appends an entry with these fields (field, value…), live; returns its index. Its size is
   * counted as streamAppendItem encodes it (fields omitted when they match the master's).
   */
  append(id: StreamId, fields: readonly string[]): number {
    const master = this.masterFields;
    const numfields = fields.length / 2;
    let same = numfields === master.length;
    for (let i = 0; same && i < numfields; i++) same = fields[i * 2] === master[i];
    let bytes = intElementSize(same ? 2 : 0);
    const ms = id >> 64n;
    bytes += ms === this.masterMs ? intElementSize(0) : intElementSize(delta(ms, this.masterMs));
    bytes += intElementSize(delta(id & SEQ_MASK, this.masterSeq));
    if (!same) bytes += intElementSize(numfields);
    for (let i = 0; i < numfields; i++) {
      if (!same) bytes += stringElementSize(fields[i * 2] as string);
      bytes += stringElementSize(fields[i * 2 + 1] as string);
    }
    bytes += intElementSize(numfields + 3 + (same ? 0 : numfields + 1));
    this.entryBytes += bytes;
    this.ids.push(id);
    this.flags.push(same ? FLAG_SAMEFIELDS : 0);
    this.data.push(same ? valuesOf(fields) : fields);
    this.live++;
    return this.ids.length - 1;
  }

  /** The ID of the node's last entry, deleted or not (lpGetEdgeStreamID). */
  lastEntryId(): StreamId {
    return this.ids[this.ids.length - 1] as StreamId;
  }

  /** Index of the first entry with an ID ≥ id (size if none). */
  lowerBound(id: StreamId): number {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ids[mid] as StreamId) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clone(): StreamNode {
    const copy = new StreamNode(this.masterId, this.masterFields);
    // The fields are never changed in place, so the copy may share them.
    copy.ids = this.ids.slice();
    copy.flags = this.flags.slice();
    copy.data = this.data.slice();
    copy.live = this.live;
    copy.deletedCount = this.deletedCount;
    copy.entryBytes = this.entryBytes;
    return copy;
  }
}

/** The values of field, value, field, value… (a single value as itself). */
function valuesOf(fields: readonly string[]): string | readonly string[] {
  if (fields.length === 2) return fields[1] as string;
  const values = new Array<string>(fields.length / 2);
  for (let i = 0; i < values.length; i++) values[i] = fields[i * 2 + 1] as string;
  return values;
}

/**
 * How many nodes Redis' radix tree (rax.c) has for these keys (16-byte big-endian IDs, sorted):
 * the root, every branching point, every key, and the compressed chain that starts under each
 * branch. Inserting in order and removing keep the tree in this compressed form.
 */
export function raxNodeCount(keys: readonly StreamId[]): number {
  if (keys.length === 0) return 1;
  const byteAt = (k: StreamId, depth: number) => Number((k >> BigInt(8 * (15 - depth))) & 0xffn);
  const count = (lo: number, hi: number, depth: number, nodeHere: boolean): number => {
    if (depth === 16) return 1;
    const groups: [number, number][] = [];
    let start = lo;
    for (let i = lo + 1; i <= hi; i++) {
      if (i === hi || byteAt(keys[i] as StreamId, depth) !== byteAt(keys[start] as StreamId, depth)) {
        groups.push([start, i]);
        start = i;
      }
    }
    if (groups.length === 1) return (nodeHere ? 1 : 0) + count(lo, hi, depth + 1, false);
    let total = 1;
    for (const [a, b] of groups) total += count(a, b, depth + 1, true);
    return total;
  };
  return count(0, keys.length, 0, true);
}
