/**
 * Reading an RDB file's primitives (rdbLoadLen, rdbGenericLoadStringObject,
 * rdbLoadMillisecondTime…) from a buffer, with the position kept so that every error names the
 * file and the byte offset where reading failed.
 */
import { strtod } from '../args.js';
import { lzfDecompress } from './lzf.js';
import {
  RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_6BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF,
  RDB_ENCVAL,
} from './rdb-types.js';

/** A damaged or unreadable RDB file: which file, at which byte offset, and what was wrong. */
export class RdbError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
    /** The key being read when it failed, and its RDB type, if it was reading one. */
    readonly key?: { readonly name: string; readonly rdbType: number },
  ) {
    super(`Bad RDB file ${file} at offset ${offset}: ${reason}${key ? ` (reading key '${key.name}')` : ''}`);
    this.name = 'RdbError';
  }
}

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Buffer's latin1Slice: what buf.toString('latin1', start, end) ends up calling, without the
 * encoding dispatch in between, which costs as much as the copy for the short strings of an RDB
 * (most keys and values). Present on every Node Buffer, though not in Node's type definitions.
 */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

export class RdbReader {
  pos = 0;
  /** Where the item being read started, for errors found after reading it (a bad listpack). */
  itemStart = 0;

  private readonly latin1: Latin1Buffer;

  constructor(
    readonly data: Buffer,
    readonly file: string,
  ) {
    this.latin1 = data as Latin1Buffer;
  }

  /** Stops reading: an RdbError at the current offset (or `at`). */
  fail(reason: string, at = this.pos): never {
    throw new RdbError(this.file, at, reason);
  }

  get remaining(): number {
    return this.data.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.data.length) this.fail('Unexpected EOF reading RDB file');
  }

  byte(): number {
    if (this.pos >= this.data.length) this.fail('Unexpected EOF reading RDB file');
    return this.data[this.pos++] as number;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * rdbLoadLenByRef: a length, or (encoded true) a special string encoding number. A 64-bit
   * length beyond 2^53 comes back as a bigint.
   */
  private lenOrEncoding(): { value: number | bigint; encoded: boolean } {
    const first = this.byte();
    const type = first >> 6;
    if (type === RDB_ENCVAL) return { value: first & 0x3f, encoded: true };
    if (type === RDB_6BITLEN) return { value: first & 0x3f, encoded: false };
    if (type === RDB_14BITLEN) return { value: ((first & 0x3f) << 8) | this.byte(), encoded: false };
    if (first === RDB_32BITLEN) {
      this.need(4);
      const v = this.data.readUInt32BE(this.pos);
      this.pos += 4;
      return { value: v, encoded: false };
    }
    if (first === RDB_64BITLEN) {
      this.need(8);
      const v = this.data.readBigUInt64BE(this.pos);
      this.pos += 8;
      return { value: v <= SAFE_MAX ? Number(v) : v, encoded: false };
    }
    return this.fail(`Unknown length encoding ${type} in rdbLoadLen()`, this.pos - 1);
  }

  /** A length that must be a count of things: a number. */
  len(): number {
    const at = this.pos;
    const { value, encoded } = this.lenOrEncoding();
    if (encoded) this.fail('Unexpected string encoding where a length was expected', at);
    if (typeof value === 'bigint') this.fail(`Length ${value} is too large`, at);
    return value;
  }

  /** A length read as a full unsigned 64-bit value (stream IDs and counters). */
  len64(): bigint {
    const at = this.pos;
    const { value, encoded } = this.lenOrEncoding();
    if (encoded) this.fail('Unexpected string encoding where a length was expected', at);
    return BigInt(value);
  }

  /** rdbGenericLoadStringObject: a string (one char per byte) in any of its encodings. */
  string(): string {
    const data = this.data;
    const first = this.pos < data.length ? (data[this.pos] as number) : -1;
    // The common case first: a short plain string.
    if (first >= 0 && first < 64) {
      const start = this.pos + 1;
      const end = start + first;
      if (end > data.length) {
        this.pos = data.length;
        this.fail('Unexpected EOF reading RDB file');
      }
      this.pos = end;
      return first === 0 ? '' : this.latin1.latin1Slice(start, end);
    }
    const at = this.pos;
    const { value, encoded } = this.lenOrEncoding();
    if (!encoded) {
      if (typeof value === 'bigint') this.fail(`String length ${value} is too large`, at);
      this.need(value);
      const s = this.latin1.latin1Slice(this.pos, this.pos + value);
      this.pos += value;
      return s;
    }
    switch (value) {
      case RDB_ENC_INT8:
        this.need(1);
        return String(data.readInt8(this.pos++));
      case RDB_ENC_INT16: {
        this.need(2);
        const v = data.readInt16LE(this.pos);
        this.pos += 2;
        return String(v);
      }
      case RDB_ENC_INT32: {
        this.need(4);
        const v = data.readInt32LE(this.pos);
        this.pos += 4;
        return String(v);
      }
      case RDB_ENC_LZF:
        return this.lzf().toString('latin1');
      default:
        return this.fail(`Unknown RDB string encoding type ${String(value)}`, at);
    }
  }

  /** A string's bytes (listpacks, ziplists, intsets are stored as strings). */
  blob(): Buffer {
    const at = this.pos;
    const { value, encoded } = this.lenOrEncoding();
    if (!encoded) {
      if (typeof value === 'bigint') this.fail(`String length ${value} is too large`, at);
      return this.bytes(value);
    }
    if (value === RDB_ENC_LZF) return this.lzf();
    this.pos = at;
    return Buffer.from(this.string(), 'latin1');
  }

  private lzf(): Buffer {
    const clen = this.len();
    const len = this.len();
    const at = this.pos;
    const compressed = this.bytes(clen);
    const out = lzfDecompress(compressed, len);
    if (!out) this.fail('Invalid LZF compressed string', at);
    return out;
  }

  /** rdbLoadMillisecondTime: signed 64-bit little-endian. */
  millis(): number {
    return Number(this.millisExact());
  }

  millisExact(): bigint {
    this.need(8);
    const v = this.data.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadTime: the old 32-bit seconds. */
  seconds(): number {
    this.need(4);
    const v = this.data.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  binaryDouble(): number {
    this.need(8);
    const v = this.data.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  binaryFloat(): number {
    this.need(4);
    const v = this.data.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  /** rdbLoadDoubleValue: the old text form, with 253/254/255 for nan, +inf and -inf. */
  textDouble(): number {
    const at = this.pos;
    const len = this.byte();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    const text = this.bytes(len).toString('latin1');
    const v = strtod(text.trim());
    if (v === undefined) this.fail(`Invalid double value '${text}'`, at);
    return v.value;
  }

  /** A stream ID as 16 raw bytes (ms, seq; big-endian). */
  streamId(): bigint {
    this.need(16);
    const ms = this.data.readBigUInt64BE(this.pos);
    const seq = this.data.readBigUInt64BE(this.pos + 8);
    this.pos += 16;
    return (ms << 64n) | seq;
  }
}
