/**
 * The bytes of an RDB file as they are written (rdbSaveLen, rdbSaveRawString,
 * rdbSaveMillisecondTime…): a growable buffer with one method per primitive of the format.
 */
import { crc64Update } from './crc64.js';
import { lzfCompress } from './lzf.js';
import { RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RDB_ENCVAL, RDB_OPCODE_EOF } from './rdb-types.js';

const U32_MAX = 0xffffffff;

/** A string2ll-canonical integer of at most 11 chars that fits 32 bits, or undefined. */
function smallInteger(s: string): number | undefined {
  const len = s.length;
  if (len === 0 || len > 11) return undefined;
  let i = 0;
  let negative = false;
  if (s.charCodeAt(0) === 45) {
    if (len === 1) return undefined;
    negative = true;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return len === 1 ? 0 : undefined; // "0" only: no leading zeros, no "-0"
  if (first < 49 || first > 57) return undefined;
  let v = 0;
  for (; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  v = negative ? -v : v;
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

export class RdbWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(
    /** rdbcompression: LZF for strings longer than 20 bytes. */
    private readonly compression = true,
    initialSize = 1 << 16,
  ) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit length (big-endian after the first byte). */
  len(n: number | bigint): void {
    this.ensure(9);
    const buf = this.buf;
    if (typeof n === 'number' && n < 64) {
      buf[this.pos++] = n;
    } else if (typeof n === 'number' && n < 16384) {
      buf[this.pos++] = (RDB_14BITLEN << 6) | (n >> 8);
      buf[this.pos++] = n & 0xff;
    } else if (typeof n === 'number' && n <= U32_MAX) {
      buf[this.pos++] = RDB_32BITLEN;
      buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      const v = BigInt(n);
      if (v <= BigInt(U32_MAX)) {
        this.len(Number(v));
        return;
      }
      buf[this.pos++] = RDB_64BITLEN;
      buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.pos);
      this.pos += 8;
    }
  }

  /** rdbSaveMillisecondTime: a signed 64-bit little-endian count of milliseconds. */
  millis(ms: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, BigInt(ms)), this.pos);
    this.pos += 8;
  }

  /** rdbSaveBinaryDoubleValue: IEEE 754 binary64, little-endian. */
  binaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** 16 bytes: a stream ID as the radix tree keys it (ms then seq, big-endian). */
  streamId(id: bigint): void {
    this.ensure(16);
    this.buf.writeBigUInt64BE(id >> 64n, this.pos);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, id), this.pos + 8);
    this.pos += 16;
  }

  /**
   * rdbSaveRawString for a string of the engine (one char per byte): a small integer as an
   * integer encoding, a long string LZF-compressed when that saves at least 4 bytes, else the
   * length and the bytes.
   */
  string(s: string): void {
    const len = s.length;
    if (len <= 11) {
      const v = smallInteger(s);
      if (v !== undefined) {
        this.integer(v);
        return;
      }
    }
    if (this.compression && len > 20) {
      const bytes = Buffer.from(s, 'latin1');
      if (this.lzf(bytes)) return;
      this.len(len);
      this.raw(bytes);
      return;
    }
    this.len(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** rdbSaveRawString for bytes (a listpack, an intset): LZF when worth it, else plain. */
  blob(bytes: Uint8Array): void {
    if (this.compression && bytes.length > 20 && this.lzf(bytes)) return;
    this.len(bytes.length);
    this.raw(bytes);
  }

  /** rdbEncodeInteger: an 8, 16 or 32-bit integer encoding (v fits 32 bits). */
  private integer(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    if (v >= -128 && v <= 127) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      buf.writeInt8(v, this.pos);
      this.pos += 1;
    } else if (v >= -32768 && v <= 32767) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      buf.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      buf.writeInt32LE(v, this.pos);
      this.pos += 4;
    }
  }

  /** rdbSaveLzfStringObject: false when compressing does not save at least 4 bytes. */
  private lzf(bytes: Uint8Array): boolean {
    const compressed = lzfCompress(bytes, bytes.length - 4);
    if (!compressed) return false;
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.len(compressed.length);
    this.len(bytes.length);
    this.raw(compressed);
    return true;
  }

  /** What has been written so far (a view, valid until the next write). */
  contents(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The EOF opcode and the CRC-64 of everything before the checksum (0 when `checksum` is off). */
  finish(checksum: boolean): Buffer {
    this.byte(RDB_OPCODE_EOF);
    this.ensure(8);
    const crc = { hi: 0, lo: 0 };
    if (checksum) crc64Update(crc, this.buf, 0, this.pos);
    this.buf.writeUInt32LE(crc.lo, this.pos);
    this.buf.writeUInt32LE(crc.hi, this.pos + 4);
    this.pos += 8;
    return this.buf.subarray(0, this.pos);
  }
}
