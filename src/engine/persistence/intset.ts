/**
 * Intsets (intset.c): a sorted array of distinct integers, all of one width (2, 4 or 8 bytes,
 * the smallest that holds every member), after a header of that width (u32) and the count (u32),
 * little-endian. How RDB files store sets of integers.
 */
import { ListpackError } from './listpack.js';

/** The intset of these canonical integer strings (distinct, any order). */
export function encodeIntset(members: Iterable<string>): Buffer {
  const values: bigint[] = [];
  let width = 2;
  for (const m of members) {
    const v = BigInt(m);
    values.push(v);
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if (width < 4 && (v < -32768n || v > 32767n)) width = 4;
  }
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const buf = Buffer.allocUnsafe(8 + width * values.length);
  buf.writeUInt32LE(width, 0);
  buf.writeUInt32LE(values.length, 4);
  let p = 8;
  for (const v of values) {
    if (width === 2) buf.writeInt16LE(Number(v), p);
    else if (width === 4) buf.writeInt32LE(Number(v), p);
    else buf.writeBigInt64LE(v, p);
    p += width;
  }
  return buf;
}

/** The members of an intset as decimal strings, checked as intsetValidateIntegrity does (deep). */
export function readIntset(is: Buffer): string[] {
  if (is.length < 8) throw new ListpackError('intset shorter than its header');
  const width = is.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) throw new ListpackError(`intset has an invalid encoding ${width}`);
  const count = is.readUInt32LE(4);
  if (8 + count * width !== is.length) throw new ListpackError('intset length does not match its count');
  if (count === 0) throw new ListpackError('intset is empty');
  const out: string[] = [];
  let prev: bigint | undefined;
  for (let p = 8; p < is.length; p += width) {
    const v = width === 2 ? BigInt(is.readInt16LE(p)) : width === 4 ? BigInt(is.readInt32LE(p)) : is.readBigInt64LE(p);
    if (prev !== undefined && v <= prev) throw new ListpackError('intset members are not in ascending order');
    prev = v;
    out.push(v.toString());
  }
  return out;
}
