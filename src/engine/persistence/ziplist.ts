/**
 * Ziplists (ziplist.c) and zipmaps (zipmap.c): the packed encodings of RDB files written before
 * Redis 7.0 (lists as quicklists of ziplists, small hashes and sorted sets as ziplists) and before
 * 2.6 (small hashes as zipmaps). Redis 7.0 still loads them, converting to listpacks; we only read
 * them.
 *
 * A ziplist: total bytes (u32), offset of the last entry (u32), count (u16, 65535 when unknown),
 * entries, 0xFF. Each entry: the previous entry's length (1 byte, or 0xFE and a u32), an encoding
 * (strings of 6, 14 or 32-bit length, integers of 8, 16, 24, 32, 64 bits or 0..12 immediate),
 * then the data.
 */
import { ListpackError, type ListpackEntry } from './listpack.js';

const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 0xfe;

/** Reads every entry of a ziplist, checking bounds, prevlens, the tail offset and the count. */
export function readZiplist(zl: Buffer): ListpackEntry[] {
  const size = zl.length;
  if (size < 11) throw new ListpackError('ziplist shorter than its header');
  if (zl.readUInt32LE(0) !== size) throw new ListpackError('ziplist size in header does not match its length');
  if (zl[size - 1] !== ZIP_END) throw new ListpackError('ziplist does not end with its terminator');
  const tail = zl.readUInt32LE(4);
  const count = zl.readUInt16LE(8);
  const out: ListpackEntry[] = [];
  const end = size - 1;
  let p = 10;
  let prevLength = 0;
  let last = 10;
  while (p < end) {
    let prevlen: number;
    let q = p;
    if ((zl[q] as number) < ZIP_BIG_PREVLEN) {
      prevlen = zl[q] as number;
      q += 1;
    } else {
      if (q + 5 > end) throw new ListpackError('ziplist entry runs past the end');
      prevlen = zl.readUInt32LE(q + 1);
      q += 5;
    }
    if (prevlen !== prevLength) throw new ListpackError('ziplist entry prevlen does not match');
    if (q >= end) throw new ListpackError('ziplist entry runs past the end');
    const enc = zl[q] as number;
    let value: ListpackEntry;
    let next: number;
    const kind = enc >> 6;
    if (kind < 3) {
      let len: number;
      let data: number;
      if (kind === 0) {
        len = enc & 0x3f;
        data = q + 1;
      } else if (kind === 1) {
        if (q + 2 > end) throw new ListpackError('ziplist entry runs past the end');
        len = ((enc & 0x3f) << 8) | (zl[q + 1] as number);
        data = q + 2;
      } else {
        if (q + 5 > end) throw new ListpackError('ziplist entry runs past the end');
        len = zl.readUInt32BE(q + 1);
        data = q + 5;
      }
      next = data + len;
      if (next > end) throw new ListpackError('ziplist entry runs past the end');
      value = zl.toString('latin1', data, next);
    } else {
      const widths: Record<number, number> = { 0xc0: 2, 0xd0: 4, 0xe0: 8, 0xf0: 3, 0xfe: 1 };
      const width = widths[enc];
      if (width !== undefined) {
        next = q + 1 + width;
        if (next > end) throw new ListpackError('ziplist entry runs past the end');
        if (width === 8) {
          const v = zl.readBigInt64LE(q + 1);
          value = v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
        } else {
          value = zl.readIntLE(q + 1, width);
        }
      } else if (enc >= 0xf1 && enc <= 0xfd) {
        value = (enc & 0x0f) - 1;
        next = q + 1;
      } else {
        throw new ListpackError(`invalid ziplist entry encoding 0x${enc.toString(16)}`);
      }
    }
    out.push(value);
    last = p;
    prevLength = next - p;
    p = next;
  }
  if (p !== end) throw new ListpackError('ziplist entry runs past the end');
  if (out.length > 0 && tail !== last) throw new ListpackError('ziplist tail offset does not match');
  if (count !== 0xffff && count !== out.length) throw new ListpackError('ziplist entry count does not match its header');
  return out;
}

/**
 * Reads a zipmap (zipmap.c, Redis before 2.6): a count byte, then field/value pairs, each length
 * one byte (or 254 and a u32), a value followed by a "free" byte count of padding, and 0xFF.
 */
export function readZipmap(zm: Buffer): string[] {
  const out: string[] = [];
  const end = zm.length;
  let p = 1;
  const readLen = (): number => {
    if (p >= end) throw new ListpackError('zipmap entry runs past the end');
    const b = zm[p] as number;
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b === 254) {
      if (p + 5 > end) throw new ListpackError('zipmap entry runs past the end');
      const len = zm.readUInt32LE(p + 1);
      p += 5;
      return len;
    }
    throw new ListpackError('zipmap has an invalid length');
  };
  for (;;) {
    if (p >= end) throw new ListpackError('zipmap does not end with its terminator');
    if (zm[p] === 0xff) break;
    const flen = readLen();
    if (p + flen > end) throw new ListpackError('zipmap entry runs past the end');
    out.push(zm.toString('latin1', p, p + flen));
    p += flen;
    const vlen = readLen();
    if (p >= end) throw new ListpackError('zipmap entry runs past the end');
    const free = zm[p] as number;
    p += 1;
    if (p + vlen + free > end) throw new ListpackError('zipmap entry runs past the end');
    out.push(zm.toString('latin1', p, p + vlen));
    p += vlen + free;
  }
  if (p !== end - 1) throw new ListpackError('zipmap has bytes after its terminator');
  return out;
}
