/**
 * Listpacks (listpack.c): the packed lists RDB files store small hashes, sorted sets, list nodes
 * and stream nodes in. A 6-byte header (total bytes, element count; 65535 when unknown), the
 * elements, and an end byte 0xFF. Each element is an encoding byte (with its data) followed by
 * its own length written backwards (the "backlen"), so the list can be walked from both ends.
 * A string that is a canonical 64-bit integer is stored as an integer (lpEncodeGetType), in the
 * smallest of the 7, 13, 16, 24, 32 or 64-bit forms.
 */
import { toInt64 } from '../args.js';

const HDR_SIZE = 6;
const EOF_BYTE = 0xff;
const NUMELE_UNKNOWN = 65535;

/** An element as read: a string (one char per byte), or an integer. */
export type ListpackEntry = string | number | bigint;

export class ListpackError extends Error {}

/** The decimal string of an element, as lpGet gives it. */
export function entryString(e: ListpackEntry): string {
  return typeof e === 'string' ? e : String(e);
}

/** lpEncodeBacklen's size for an element of `l` bytes. */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Builds a listpack element by element (lpAppend). */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(256);
  private pos = HDR_SIZE;
  count = 0;

  get bytes(): number {
    return this.pos + 1;
  }

  private reserve(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n + 1) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends a string, as an integer when it is the canonical form of one. */
  appendString(s: string): void {
    if (s.length > 0 && s.length <= 20) {
      const c = s.charCodeAt(0);
      if ((c >= 48 && c <= 57) || c === 45) {
        const n = toInt64(s);
        if (n !== undefined) {
          this.appendInteger(n);
          return;
        }
      }
    }
    const len = s.length;
    const enclen = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
    this.reserve(enclen + 5);
    const buf = this.buf;
    let p = this.pos;
    if (len < 64) {
      buf[p++] = 0x80 | len;
    } else if (len < 4096) {
      buf[p++] = 0xe0 | (len >> 8);
      buf[p++] = len & 0xff;
    } else {
      buf[p++] = 0xf0;
      buf.writeUInt32LE(len, p);
      p += 4;
    }
    p += buf.write(s, p, 'latin1');
    this.pos = p;
    this.writeBacklen(enclen);
  }

  appendInteger(value: number | bigint): void {
    this.reserve(14);
    const buf = this.buf;
    let p = this.pos;
    let enclen: number;
    const v = typeof value === 'bigint' && value >= -2147483648n && value <= 2147483647n ? Number(value) : value;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= -2147483648 && v <= 2147483647) {
      if (v >= 0 && v <= 127) {
        buf[p++] = v;
        enclen = 1;
      } else if (v >= -4096 && v <= 4095) {
        const u = v < 0 ? (1 << 13) + v : v;
        buf[p++] = (u >> 8) | 0xc0;
        buf[p++] = u & 0xff;
        enclen = 2;
      } else if (v >= -32768 && v <= 32767) {
        buf[p++] = 0xf1;
        buf.writeInt16LE(v, p);
        p += 2;
        enclen = 3;
      } else if (v >= -8388608 && v <= 8388607) {
        buf[p++] = 0xf2;
        buf.writeIntLE(v, p, 3);
        p += 3;
        enclen = 4;
      } else {
        buf[p++] = 0xf3;
        buf.writeInt32LE(v, p);
        p += 4;
        enclen = 5;
      }
    } else {
      buf[p++] = 0xf4;
      buf.writeBigInt64LE(BigInt.asIntN(64, BigInt(v)), p);
      p += 8;
      enclen = 9;
    }
    this.pos = p;
    this.writeBacklen(enclen);
  }

  private writeBacklen(l: number): void {
    const buf = this.buf;
    let p = this.pos;
    const n = backlenSize(l);
    if (n === 1) {
      buf[p++] = l;
    } else {
      // Most significant group first; every byte but the first has the high bit set.
      for (let i = n - 1; i >= 0; i--) {
        const group = Math.floor(l / 2 ** (7 * i)) & 127;
        buf[p++] = i === n - 1 ? group : group | 128;
      }
    }
    this.pos = p;
    this.count++;
  }

  /** The finished listpack (the builder must not be used afterwards). */
  finish(): Buffer {
    const buf = this.buf;
    buf[this.pos] = EOF_BYTE;
    const total = this.pos + 1;
    buf.writeUInt32LE(total, 0);
    buf.writeUInt16LE(this.count < NUMELE_UNKNOWN ? this.count : NUMELE_UNKNOWN, 4);
    return buf.subarray(0, total);
  }
}

/**
 * Reads every element of a listpack, checking it as lpValidateIntegrity does in deep mode: the
 * header's size, the end byte, each element inside the bounds with a matching backlen, and the
 * element count. Throws a ListpackError saying what is wrong.
 */
export function readListpack(lp: Buffer): ListpackEntry[] {
  // latin1Slice: toString('latin1', …) without its dispatch (see rdb-reader.ts).
  const text = lp as Buffer & { latin1Slice(start: number, end: number): string };
  const size = lp.length;
  if (size < HDR_SIZE + 1) throw new ListpackError('listpack shorter than its header');
  if (lp.readUInt32LE(0) !== size) throw new ListpackError('listpack size in header does not match its length');
  if (lp[size - 1] !== EOF_BYTE) throw new ListpackError('listpack does not end with its terminator');
  const numele = lp.readUInt16LE(4);
  const out: ListpackEntry[] = [];
  const end = size - 1;
  let p = HDR_SIZE;
  while (p < end) {
    const b = lp[p] as number;
    let enclen: number;
    let value: ListpackEntry;
    if (b < 0x80) {
      value = b;
      enclen = 1;
    } else if (b < 0xc0) {
      const len = b & 0x3f;
      enclen = 1 + len;
      if (p + enclen > end) break;
      value = text.latin1Slice(p + 1, p + enclen);
    } else if (b < 0xe0) {
      if (p + 2 > end) break;
      const u = ((b & 0x1f) << 8) | (lp[p + 1] as number);
      value = u >= 4096 ? u - 8192 : u;
      enclen = 2;
    } else if (b < 0xf0) {
      if (p + 2 > end) break;
      const len = ((b & 0x0f) << 8) | (lp[p + 1] as number);
      enclen = 2 + len;
      if (p + enclen > end) break;
      value = text.latin1Slice(p + 2, p + enclen);
    } else if (b === 0xf0) {
      if (p + 5 > end) break;
      const len = lp.readUInt32LE(p + 1);
      enclen = 5 + len;
      if (p + enclen > end) break;
      value = text.latin1Slice(p + 5, p + enclen);
    } else if (b === 0xf1) {
      if (p + 3 > end) break;
      value = lp.readInt16LE(p + 1);
      enclen = 3;
    } else if (b === 0xf2) {
      if (p + 4 > end) break;
      value = lp.readIntLE(p + 1, 3);
      enclen = 4;
    } else if (b === 0xf3) {
      if (p + 5 > end) break;
      value = lp.readInt32LE(p + 1);
      enclen = 5;
    } else if (b === 0xf4) {
      if (p + 9 > end) break;
      const v = lp.readBigInt64LE(p + 1);
      value = v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
      enclen = 9;
    } else {
      throw new ListpackError(`invalid listpack element encoding 0x${b.toString(16)}`);
    }
    const blen = backlenSize(enclen);
    if (p + enclen + blen > end) break;
    // The backlen, read as lpDecodeBacklen does: from its last byte backwards.
    let back = 0;
    let shift = 1;
    for (let q = p + enclen + blen - 1; q >= p + enclen; q--) {
      back += ((lp[q] as number) & 127) * shift;
      shift *= 128;
    }
    if (back !== enclen) throw new ListpackError('listpack element back-length does not match');
    out.push(value);
    p += enclen + blen;
  }
  if (p !== end) throw new ListpackError('listpack element runs past the end');
  if (numele !== NUMELE_UNKNOWN && numele !== out.length) throw new ListpackError('listpack element count does not match its header');
  return out;
}
