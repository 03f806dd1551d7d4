/**
 * Bitmaps (bitops.c): bit operations on string values. Bit 0 is the most significant bit of the
 * first byte. A missing key is an empty string, that is, all zero bits; writing past the end pads
 * the string with zero bytes, and a string written by a bit command becomes raw, as in Redis.
 */
import { array, integer, NIL, ONE, ZERO, type Reply } from '../../resp/reply.js';
import { INT64_MAX, is, parseBigInt, parseInteger, toInt64 } from '../args.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import {
  BIT_ARGUMENT, BIT_NOT_INTEGER, BIT_OFFSET_NOT_INTEGER, BITFIELD_OVERFLOW_TYPE, BITFIELD_RO_ONLY_GET,
  BITFIELD_TYPE, BITOP_NOT_ONE_KEY, RedisError, SYNTAX,
} from '../errors.js';
import { checkType } from '../keyspace.js';
import { PROTO_MAX_BULK_LEN, StringValue } from './string.js';

/** Set bits in each byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let v = b; v; v >>= 1) n += v & 1;
  return n;
});

/**
 * getBitOffsetFromArgument: a bit offset, below 2^32 (proto-max-bulk-len bytes). With `bits`
 * (BITFIELD) an offset "#n" means n × bits; like C, the product wraps in 64 bits.
 */
function parseBitOffset(arg: string, bits = 0): number {
  const hash = bits > 0 && arg[0] === '#';
  const parsed = toInt64(hash ? arg.slice(1) : arg);
  if (parsed === undefined) throw new RedisError(BIT_OFFSET_NOT_INTEGER);
  let offset = BigInt(parsed);
  if (hash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || offset >> 3n >= BigInt(PROTO_MAX_BULK_LEN)) throw new RedisError(BIT_OFFSET_NOT_INTEGER);
  return Number(offset);
}

/** Counts the set bits of bytes[start..end]. */
function popcount(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let i = start; i <= end; i++) count += POPCOUNT[bytes[i] as number] as number;
  return count;
}

/**
 * redisBitpos: the position of the first `bit` in the `count` bytes from `start`, counting from
 * there. None found: -1 when looking for a 1, and count × 8 when looking for a 0 (the string is
 * taken as padded with zeros on the right).
 */
function findBit(bytes: Uint8Array, start: number, count: number, bit: number): number {
  const skip = bit ? 0 : 0xff;
  for (let i = 0; i < count; i++) {
    const byte = bytes[start + i] as number;
    if (byte === skip) continue;
    for (let b = 0; b < 8; b++) {
      if (((byte >> (7 - b)) & 1) === bit) return i * 8 + b;
    }
  }
  return bit ? -1 : count * 8;
}

/** Reads BIT or BYTE (the unit of a range); anything else is a syntax error. */
function isBitUnit(arg: string): boolean {
  if (is(arg, 'BIT')) return true;
  if (is(arg, 'BYTE')) return false;
  throw new RedisError(SYNTAX);
}

/** A range normalized as BITCOUNT and BITPOS do: byte indexes plus masks of the edge bits outside it. */
interface ByteRange {
  start: number;
  end: number;
  /** Bits of the first byte before the range (BIT unit). */
  firstMask: number;
  /** Bits of the last byte after the range (BIT unit). */
  lastMask: number;
}

/** Clamps start/end (negative counts from the end) to a string of `length` bytes, in bits or bytes. */
function normalizeRange(start: number, end: number, length: number, isBit: boolean): ByteRange {
  const total = isBit ? length * 8 : length;
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (isBit && start <= end) {
    // Offsets may reach 2^32, past what JS bit operators take, so divide rather than shift.
    const firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
    const lastMask = (1 << (7 - (end % 8))) - 1;
    return { start: Math.floor(start / 8), end: Math.floor(end / 8), firstMask, lastMask };
  }
  return { start, end, firstMask: 0, lastMask: 0 };
}

/** SETBIT key offset value */
function setbit(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const offset = parseBitOffset(argv[2] as string);
  const on = parseInteger(argv[3] as string, BIT_NOT_INTEGER);
  if (on !== 0 && on !== 1) throw new RedisError(BIT_NOT_INTEGER);
  const { value, dirty } = stringForBitCommand(c, key, offset);
  const bytes = value.writableBytes();
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  const old = (bytes[byte] as number) & mask ? 1 : 0;
  if (dirty || old !== on) {
    bytes[byte] = on ? (bytes[byte] as number) | mask : (bytes[byte] as number) & ~mask;
    c.db.signalModifiedKey(key);
    c.engine.dirty++;
  }
  return old ? ONE : ZERO;
}

/**
 * lookupStringForBitCommand: the string at `key`, created or zero padded so that bit `maxBit`
 * exists, and raw from now on. `dirty` when it was created or grew.
 */
function stringForBitCommand(c: Client, key: string, maxBit: number): { value: StringValue; dirty: boolean } {
  const length = Math.floor(maxBit / 8) + 1;
  let value = c.db.writeAs(key, StringValue);
  if (value === undefined) {
    value = StringValue.raw('');
    value.growZero(length);
    c.db.add(key, value);
    return { value, dirty: true };
  }
  return { value, dirty: value.growZero(length) };
}

/** GETBIT key offset */
function getbit(c: Client, argv: readonly string[]): Reply {
  const offset = parseBitOffset(argv[2] as string);
  const value = c.db.readAs(argv[1] as string, StringValue);
  if (value === undefined) return ZERO;
  const byte = Math.floor(offset / 8);
  if (byte >= value.length) return ZERO;
  return value.byteAt(byte) & (1 << (7 - (offset % 8))) ? ONE : ZERO;
}

/** BITCOUNT key [start end [BYTE | BIT]] */
function bitcount(c: Client, argv: readonly string[]): Reply {
  // A missing key counts 0 before the arguments are even looked at.
  const value = c.db.readAs(argv[1] as string, StringValue);
  if (value === undefined) return ZERO;
  const bytes = value.bytes();
  let range: ByteRange;
  if (argv.length === 4 || argv.length === 5) {
    const start = parseInteger(argv[2] as string);
    const end = parseInteger(argv[3] as string);
    if (start < 0 && end < 0 && start > end) return ZERO;
    const isBit = argv.length === 5 && isBitUnit(argv[4] as string);
    range = normalizeRange(start, end, bytes.length, isBit);
  } else if (argv.length === 2) {
    range = { start: 0, end: bytes.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    throw new RedisError(SYNTAX);
  }
  const { start, end, firstMask, lastMask } = range;
  if (start > end) return ZERO;
  let count = popcount(bytes, start, end);
  // The edge bytes were counted whole: take back the bits outside the range.
  count -= POPCOUNT[(bytes[start] as number) & firstMask] as number;
  count -= POPCOUNT[(bytes[end] as number) & lastMask] as number;
  return integer(count);
}

/** BITPOS key bit [start [end [BYTE | BIT]]] */
function bitpos(c: Client, argv: readonly string[]): Reply {
  const bit = parseInteger(argv[2] as string);
  if (bit !== 0 && bit !== 1) throw new RedisError(BIT_ARGUMENT);
  // A missing key is an endless run of zeros.
  const found = c.db.lookupRead(argv[1] as string);
  if (found === undefined) return integer(bit ? -1 : 0);
  const bytes = (checkType(found, StringValue) as StringValue).bytes();
  let range: ByteRange;
  let endGiven = false;
  if (argv.length >= 4 && argv.length <= 6) {
    const start = parseInteger(argv[3] as string);
    const isBit = argv.length === 6 && isBitUnit(argv[5] as string);
    let end: number;
    if (argv.length >= 5) {
      end = parseInteger(argv[4] as string);
      endGiven = true;
    } else {
      end = bytes.length - 1;
    }
    range = normalizeRange(start, end, bytes.length, isBit);
  } else if (argv.length === 3) {
    range = { start: 0, end: bytes.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    throw new RedisError(SYNTAX);
  }
  if (range.start > range.end) return integer(-1);
  return integer(searchRange(bytes, range, bit, endGiven));
}

/**
 * The search of bitposCommand over a normalized range: the partial first byte, the whole bytes,
 * then the partial last byte, each masked so that bits outside the range never match.
 */
function searchRange(bytes: Uint8Array, range: ByteRange, bit: number, endGiven: boolean): number {
  const { end, firstMask, lastMask } = range;
  let start = range.start;
  let count = end - start + 1;
  const masked = (byte: number, mask: number) => (bit ? byte & ~mask : byte | mask) & 0xff;
  let pos: number;
  search: {
    if (firstMask) {
      let edge = masked(bytes[start] as number, firstMask);
      if (lastMask && count === 1) edge = masked(edge, lastMask);
      pos = findBit(Uint8Array.of(edge), 0, 1, bit);
      if (count === 1 || (pos !== -1 && pos !== 8)) break search;
      start++;
      count--;
    }
    const whole = count - (lastMask ? 1 : 0);
    if (whole > 0) {
      pos = findBit(bytes, start, whole, bit);
      if (count === whole || (pos !== -1 && pos !== whole * 8)) break search;
      start += whole;
      count -= whole;
    }
    pos = findBit(Uint8Array.of(masked(bytes[end] as number, lastMask)), 0, 1, bit);
  }
  // With an explicit end, the bits past the range are not zeros to be found.
  if (endGiven && bit === 0 && pos === count * 8) return -1;
  return pos === -1 ? -1 : pos + start * 8;
}

/** BITOP <AND | OR | XOR | NOT> destkey key [key ...] */
function bitop(c: Client, argv: readonly string[]): Reply {
  const op = (argv[1] as string).toUpperCase();
  if (op !== 'AND' && op !== 'OR' && op !== 'XOR' && op !== 'NOT') throw new RedisError(SYNTAX);
  if (op === 'NOT' && argv.length !== 4) throw new RedisError(BITOP_NOT_ONE_KEY);
  const dest = argv[2] as string;
  const sources: Uint8Array[] = [];
  for (let j = 3; j < argv.length; j++) {
    sources.push(c.db.readAs(argv[j] as string, StringValue)?.bytes() ?? new Uint8Array(0));
  }
  const maxLength = Math.max(...sources.map((s) => s.length));
  if (maxLength === 0) {
    if (c.db.delete(dest)) {
      c.db.signalModifiedKey(dest);
      c.engine.dirty++;
    }
    return ZERO;
  }
  const result = new Uint8Array(maxLength);
  for (let i = 0; i < maxLength; i++) {
    let out = (sources[0] as Uint8Array)[i] ?? 0;
    if (op === 'NOT') out = ~out & 0xff;
    for (let k = 1; k < sources.length; k++) {
      const byte = (sources[k] as Uint8Array)[i] ?? 0;
      if (op === 'AND') out &= byte;
      else if (op === 'OR') out |= byte;
      else out ^= byte;
    }
    result[i] = out;
  }
  // Whatever the destination held (any type, any TTL) is replaced.
  c.db.setKey(dest, StringValue.raw(result));
  c.engine.dirty++;
  return integer(maxLength);
}

// ---------------------------------------------------------------------------------------------
// BITFIELD
// ---------------------------------------------------------------------------------------------

type Overflow = 'WRAP' | 'SAT' | 'FAIL';

interface BitfieldOp {
  readonly opcode: 'GET' | 'SET' | 'INCRBY';
  readonly offset: number;
  readonly bits: number;
  readonly signed: boolean;
  /** SET's value or INCRBY's increment. */
  readonly operand: bigint;
  readonly overflow: Overflow;
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (a lower-case letter, then the width). */
function parseBitfieldType(arg: string): { signed: boolean; bits: number } {
  const signed = arg[0] === 'i';
  if (!signed && arg[0] !== 'u') throw new RedisError(BITFIELD_TYPE);
  const bits = toInt64(arg.slice(1));
  if (bits === undefined || bits < 1 || bits > (signed ? 64 : 63)) throw new RedisError(BITFIELD_TYPE);
  return { signed, bits: Number(bits) };
}

/** Parses the subcommands; all errors come before anything is run. */
function parseBitfield(argv: readonly string[]): { ops: BitfieldOp[]; highestWrite: number; readonly: boolean } {
  const ops: BitfieldOp[] = [];
  let overflow: Overflow = 'WRAP';
  let readonly = true;
  let highestWrite = 0;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = argv[j] as string;
    let opcode: BitfieldOp['opcode'];
    if (is(sub, 'GET') && remaining >= 2) opcode = 'GET';
    else if (is(sub, 'SET') && remaining >= 3) opcode = 'SET';
    else if (is(sub, 'INCRBY') && remaining >= 3) opcode = 'INCRBY';
    else if (is(sub, 'OVERFLOW') && remaining >= 1) {
      const type = (argv[++j] as string).toUpperCase();
      if (type !== 'WRAP' && type !== 'SAT' && type !== 'FAIL') throw new RedisError(BITFIELD_OVERFLOW_TYPE);
      overflow = type;
      continue;
    } else {
      throw new RedisError(SYNTAX);
    }
    const { signed, bits } = parseBitfieldType(argv[j + 1] as string);
    const offset = parseBitOffset(argv[j + 2] as string, bits);
    let operand = 0n;
    if (opcode !== 'GET') {
      readonly = false;
      highestWrite = Math.max(highestWrite, offset + bits - 1);
      operand = parseBigInt(argv[j + 3] as string);
    }
    ops.push({ opcode, offset, bits, signed, operand, overflow });
    j += opcode === 'GET' ? 2 : 3;
  }
  return { ops, highestWrite, readonly };
}

/** The bytes [first, last] that hold bits [offset, offset + bits), as one big-endian number. */
function readSpan(bytes: Uint8Array, first: number, last: number): bigint {
  let acc = 0n;
  for (let i = first; i <= last; i++) acc = (acc << 8n) | BigInt(bytes[i] ?? 0);
  return acc;
}

/** getUnsignedBitfield; bytes past the end read as zeros. */
function getUnsigned(bytes: Uint8Array, offset: number, bits: number): bigint {
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  const after = BigInt((last + 1) * 8 - (offset + bits));
  return (readSpan(bytes, first, last) >> after) & ((1n << BigInt(bits)) - 1n);
}

/** setUnsignedBitfield: writes the low `bits` bits of value (the bytes exist). */
function setUnsigned(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  const after = BigInt((last + 1) * 8 - (offset + bits));
  const field = ((1n << BigInt(bits)) - 1n) << after;
  let acc = readSpan(bytes, first, last);
  acc = (acc & ~field) | ((BigInt.asUintN(64, value) << after) & field);
  for (let i = last; i >= first; i--) {
    bytes[i] = Number(acc & 0xffn);
    acc >>= 8n;
  }
}

function getSigned(bytes: Uint8Array, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsigned(bytes, offset, bits));
}

/**
 * checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow: 0 when value + incr fits, 1 on
 * overflow, -1 on underflow, with the value to store instead for WRAP and SAT. The C code
 * computes its limits in 64-bit arithmetic that may wrap; asIntN/asUintN reproduce that, so even
 * odd cases (a SET of -2^63 into i8 under SAT gives 127) come out as in Redis.
 */
function checkOverflow(
  value: bigint, incr: bigint, bits: number, signed: boolean, overflow: Overflow,
): { result: number; limit: bigint } {
  const b = BigInt(bits);
  const max = signed ? (bits === 64 ? INT64_MAX : (1n << (b - 1n)) - 1n) : (1n << b) - 1n;
  const min = signed ? -max - 1n : 0n;
  const maxIncr = BigInt.asIntN(64, max - value);
  const minIncr = BigInt.asIntN(64, min - value);
  let result = 0;
  if (signed) {
    if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) result = 1;
    else if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) result = -1;
  } else {
    if (value > max || (incr > 0n && incr > maxIncr)) result = 1;
    else if (incr < 0n && incr < minIncr) result = -1;
  }
  if (result === 0) return { result, limit: 0n };
  if (overflow === 'SAT') return { result, limit: result > 0 ? max : min };
  // WRAP (FAIL ignores the limit): the sum in 64 bits, cut to the field's width.
  const sum = BigInt.asUintN(64, value + incr);
  return { result, limit: signed ? BigInt.asIntN(bits, sum) : BigInt.asUintN(bits, sum) };
}

/** Runs a SET or INCRBY; null when OVERFLOW FAIL stops it. `changed` when the bits differ. */
function bitfieldWrite(bytes: Uint8Array, op: BitfieldOp): { reply: bigint | null; changed: boolean } {
  const old = op.signed ? getSigned(bytes, op.offset, op.bits) : getUnsigned(bytes, op.offset, op.bits);
  let value: bigint;
  let check: { result: number; limit: bigint };
  if (op.opcode === 'INCRBY') {
    check = checkOverflow(old, op.operand, op.bits, op.signed, op.overflow);
    value = check.result ? check.limit : old + op.operand;
  } else {
    // SET takes the value as the field's C type: unsigned fields see a negative one as huge.
    value = op.signed ? op.operand : BigInt.asUintN(64, op.operand);
    check = checkOverflow(value, 0n, op.bits, op.signed, op.overflow);
    if (check.result) value = check.limit;
  }
  if (check.result && op.overflow === 'FAIL') return { reply: null, changed: false };
  setUnsigned(bytes, op.offset, op.bits, value);
  return { reply: op.opcode === 'INCRBY' ? value : old, changed: old !== value };
}

function bigIntegerReply(v: bigint): Reply {
  const n = Number(v);
  return integer(Number.isSafeInteger(n) ? n : v);
}

/** bitfieldGeneric: BITFIELD and (read-only) BITFIELD_RO. */
function bitfieldGeneric(c: Client, argv: readonly string[], readonlyCommand: boolean): Reply {
  const key = argv[1] as string;
  const { ops, highestWrite, readonly } = parseBitfield(argv);
  let value: StringValue | undefined;
  let dirty = false;
  if (readonly) {
    value = c.db.readAs(key, StringValue);
  } else {
    if (readonlyCommand) throw new RedisError(BITFIELD_RO_ONLY_GET);
    ({ value, dirty } = stringForBitCommand(c, key, highestWrite));
  }
  const bytes = value === undefined ? new Uint8Array(0) : readonly ? value.bytes() : value.writableBytes();
  const replies: Reply[] = [];
  let changes = 0;
  for (const op of ops) {
    if (op.opcode === 'GET') {
      const v = op.signed ? getSigned(bytes, op.offset, op.bits) : getUnsigned(bytes, op.offset, op.bits);
      replies.push(bigIntegerReply(v));
      continue;
    }
    const { reply, changed } = bitfieldWrite(bytes, op);
    replies.push(reply === null ? NIL : bigIntegerReply(reply));
    if (reply !== null && (dirty || changed)) changes++;
  }
  if (changes > 0) c.db.signalModifiedKey(key);
  c.engine.dirty += changes;
  return array(replies);
}

/** BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]] */
function bitfield(c: Client, argv: readonly string[]): Reply {
  return bitfieldGeneric(c, argv, false);
}

/** BITFIELD_RO key [GET encoding offset [GET encoding offset ...]] */
function bitfieldRo(c: Client, argv: readonly string[]): Reply {
  return bitfieldGeneric(c, argv, true);
}

export const commands: Handlers = { setbit, getbit, bitcount, bitpos, bitop, bitfield, bitfield_ro: bitfieldRo };
