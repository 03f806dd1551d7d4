/**
 * CRC-64/Jones (crc64.c): the checksum at the end of an RDB file (and of a DUMP payload). The
 * reflected polynomial 0x95ac9329ac4bc9b5, no initial or final xor; crc64("123456789") is
 * 0xe9c6d914c4b8d9ca.
 *
 * JS has no fast 64-bit integers, so the CRC is kept as two 32-bit halves, and eight bytes are
 * folded per step with eight tables (slicing-by-8, as Redis' crcspeed does).
 */

const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_HI[k * 256 + b], TABLE_LO[…]: the CRC of byte b followed by k zero bytes. */
const TABLE_HI = new Uint32Array(8 * 256);
const TABLE_LO = new Uint32Array(8 * 256);

for (let b = 0; b < 256; b++) {
  let hi = 0;
  let lo = b;
  for (let i = 0; i < 8; i++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[b] = hi;
  TABLE_LO[b] = lo;
}
for (let k = 1; k < 8; k++) {
  for (let b = 0; b < 256; b++) {
    const hi = TABLE_HI[(k - 1) * 256 + b] as number;
    const lo = TABLE_LO[(k - 1) * 256 + b] as number;
    const idx = lo & 0xff;
    TABLE_HI[k * 256 + b] = ((TABLE_HI[idx] as number) ^ (hi >>> 8)) >>> 0;
    TABLE_LO[k * 256 + b] = ((TABLE_LO[idx] as number) ^ ((lo >>> 8) | (hi << 24))) >>> 0;
  }
}

/** A running CRC-64 as two unsigned 32-bit halves. */
export interface Crc64 {
  hi: number;
  lo: number;
}

/** Folds data[start, end) into the CRC. */
export function crc64Update(crc: Crc64, data: Uint8Array, start = 0, end = data.length): void {
  let hi = crc.hi;
  let lo = crc.lo;
  let i = start;
  const T_HI = TABLE_HI;
  const T_LO = TABLE_LO;
  for (; i + 8 <= end; i += 8) {
    const l = lo ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24));
    const h = hi ^ ((data[i + 4] as number) | ((data[i + 5] as number) << 8) | ((data[i + 6] as number) << 16) | ((data[i + 7] as number) << 24));
    const a = 7 * 256 + (l & 0xff);
    const b = 6 * 256 + ((l >>> 8) & 0xff);
    const c = 5 * 256 + ((l >>> 16) & 0xff);
    const d = 4 * 256 + (l >>> 24);
    const e = 3 * 256 + (h & 0xff);
    const f = 2 * 256 + ((h >>> 8) & 0xff);
    const g = 256 + ((h >>> 16) & 0xff);
    const k = h >>> 24;
    hi = (T_HI[a] as number) ^ (T_HI[b] as number) ^ (T_HI[c] as number) ^ (T_HI[d] as number)
      ^ (T_HI[e] as number) ^ (T_HI[f] as number) ^ (T_HI[g] as number) ^ (T_HI[k] as number);
    lo = (T_LO[a] as number) ^ (T_LO[b] as number) ^ (T_LO[c] as number) ^ (T_LO[d] as number)
      ^ (T_LO[e] as number) ^ (T_LO[f] as number) ^ (T_LO[g] as number) ^ (T_LO[k] as number);
  }
  for (; i < end; i++) {
    const idx = (lo ^ (data[i] as number)) & 0xff;
    const nlo = (lo >>> 8) | (hi << 24);
    hi = (T_HI[idx] as number) ^ (hi >>> 8);
    lo = (T_LO[idx] as number) ^ nlo;
  }
  crc.hi = hi >>> 0;
  crc.lo = lo >>> 0;
}

/** The CRC-64 of data[start, end), as a bigint. */
export function crc64(data: Uint8Array, start = 0, end = data.length): bigint {
  const crc = { hi: 0, lo: 0 };
  crc64Update(crc, data, start, end);
  return (BigInt(crc.hi) << 32n) | BigInt(crc.lo);
}
