/**
 * Strings (t_string.c). A string value is bytes (one char per byte). OBJECT ENCODING reports what
 * Redis would: a value stored by SET and its kin goes through tryObjectEncoding (int when it is a
 * 64-bit integer of at most 20 chars, else embstr up to 44 bytes, else raw); INCRBYFLOAT's result
 * never becomes int; and a value changed in place (APPEND, SETRANGE, SETBIT, BITFIELD) or built
 * by BITOP is raw, as dbUnshareStringValue and createObject make it in Redis.
 */
import {
  bulk, bulkOrNil, integer, map, NIL, OK, ONE, ZERO, array, type Reply,
} from '../../resp/reply.js';
import { INT64_MAX, INT64_MIN, is, parseBigInt, parseInteger, toInt64 } from '../args.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import {
  DECREMENT_OVERFLOW, INCR_NAN_OR_INF, invalidExpire, LCS_BOTH_LEN_AND_IDX, LCS_NOT_STRINGS, LCS_TOO_MUCH_MEMORY,
  NOT_FLOAT, NOT_INTEGER, OFFSET_OUT_OF_RANGE, OVERFLOW, RedisError, STRING_TOO_LONG, SYNTAX, wrongArity,
} from '../errors.js';
import { type Database, RedisObject } from '../keyspace.js';
import { setExpireAt } from '../expire.js';
import { addLongDouble, formatLongDouble, isFiniteLongDouble, parseLongDouble } from '../long-double.js';
import { rewriteCommand } from '../propagate.js';

/** Longest string Redis stores as embstr (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_SIZE_LIMIT = 44;
/** tryObjectEncoding only tries strings this short as integers. */
const MAX_INT_ENCODED_LENGTH = 20;
/** proto-max-bulk-len (512mb): the largest string a client may build with APPEND, SETRANGE, SETBIT… */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;
/** sdsMakeRoomFor doubles a growing string up to 1MB, then adds 1MB at a time (SDS_MAX_PREALLOC). */
const SDS_MAX_PREALLOC = 1024 * 1024;

/**
 * The bytes of a raw string that is changed in place: a buffer with room to grow, of which the
 * first `length` bytes are the value. Bytes past `length` are always zero, so growing with zeros
 * (sdsgrowzero) only moves `length`.
 */
class ByteBuffer {
  constructor(
    public buf: Buffer,
    public length: number,
  ) {}

  static of(value: string | Uint8Array): ByteBuffer {
    const buf = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
    return new ByteBuffer(buf, buf.length);
  }

  /** Makes the string at least `length` bytes long, padding with zero bytes. */
  growZero(length: number): void {
    if (length <= this.length) return;
    if (length > this.buf.length) {
      const room = length < SDS_MAX_PREALLOC ? length * 2 : length + SDS_MAX_PREALLOC;
      const buf = Buffer.alloc(room);
      this.buf.copy(buf, 0, 0, this.length);
      this.buf = buf;
    }
    this.length = length;
  }

  write(offset: number, bytes: string): void {
    this.growZero(offset + bytes.length);
    this.buf.write(bytes, offset, 'latin1');
  }

  toString(): string {
    return this.buf.toString('latin1', 0, this.length);
  }
}

/** The encoding tryObjectEncoding gives a string of these bytes. */
function encodingOf(bytes: string): string {
  if (bytes.length <= MAX_INT_ENCODED_LENGTH && toInt64(bytes) !== undefined) return 'int';
  return bytes.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/**
 * A string value. Most hold a JS string and nothing else (a million of them must stay small);
 * one that a command changed in place holds a growable ByteBuffer instead and is raw.
 */
export class StringValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  private data: string | ByteBuffer;

  get type() {
    return 'string' as const;
  }

  /** A value as SET stores it (tryObjectEncoding decides int, embstr or raw). */
  constructor(value: string) {
    super();
    this.data = value;
  }

  /** A raw string (createObject(OBJ_STRING, …)), as SETRANGE, SETBIT and BITOP create them. */
  static raw(bytes: string | Uint8Array): StringValue {
    const value = new StringValue('');
    value.data = ByteBuffer.of(bytes);
    return value;
  }

  /** The bytes, one char per byte. */
  get value(): string {
    return typeof this.data === 'string' ? this.data : this.data.toString();
  }

  /** The length in bytes (STRLEN). */
  get length(): number {
    return this.data.length;
  }

  /** Bytes [start, end) without converting the whole value (GETRANGE on a big bitmap). */
  slice(start: number, end: number): string {
    return typeof this.data === 'string' ? this.data.slice(start, end) : this.data.buf.toString('latin1', start, Math.min(end, this.data.length));
  }

  /** The byte at `index` (which must be below length). */
  byteAt(index: number): number {
    return typeof this.data === 'string' ? this.data.charCodeAt(index) : (this.data.buf[index] as number);
  }

  /** The bytes as an array, for the bit commands; callers must not change it. */
  bytes(): Uint8Array {
    return typeof this.data === 'string' ? Buffer.from(this.data, 'latin1') : this.data.buf.subarray(0, this.data.length);
  }

  get isRaw(): boolean {
    return typeof this.data !== 'string';
  }

  /**
   * dbUnshareStringValue: from now on the value is a raw string changed in place. Its bytes, for
   * writing; they stay valid until the next call that grows the string.
   */
  private unshare(): ByteBuffer {
    if (typeof this.data === 'string') this.data = ByteBuffer.of(this.data);
    return this.data;
  }

  /** APPEND: adds bytes at the end; returns the new length. */
  append(bytes: string): number {
    const data = this.unshare();
    data.write(data.length, bytes);
    return data.length;
  }

  /** SETRANGE: writes bytes at `offset`, padding with zero bytes; returns the new length. */
  writeAt(offset: number, bytes: string): number {
    const data = this.unshare();
    data.write(offset, bytes);
    return data.length;
  }

  /** Makes the string at least `length` bytes long (zero padded); true if it grew. */
  growZero(length: number): boolean {
    const data = this.unshare();
    const before = data.length;
    data.growZero(length);
    return data.length !== before;
  }

  /** The bytes for writing in place (the value becomes raw); valid until the string grows again. */
  writableBytes(): Uint8Array {
    const data = this.unshare();
    return data.buf.subarray(0, data.length);
  }

  /**
   * INCR and DECR change an int-encoded value in place (incrDecrCommand): it takes `text`, the
   * new integer. False if this value is not int-encoded (raw, or INCRBYFLOAT's): the caller stores
   * a new value instead, as Redis does.
   */
  setIntegerInPlace(text: string): boolean {
    // A plain string that held an integer (the caller has parsed it) is int-encoded.
    if (typeof this.data !== 'string') return false;
    this.data = text;
    return true;
  }

  encoding(): string {
    return typeof this.data === 'string' ? encodingOf(this.data) : 'raw';
  }

  /** dupStringObject: the copy keeps the encoding. */
  duplicate(): StringValue {
    return typeof this.data === 'string' ? new StringValue(this.data) : StringValue.raw(this.bytes());
  }
}

/**
 * A string made by createStringObject without tryObjectEncoding, as INCRBYFLOAT's result is:
 * embstr or raw by its length, never int (`SET f 9.5`, `INCRBYFLOAT f 0.5`, `OBJECT ENCODING f`
 * answers "embstr" for "10").
 */
export class UnencodedStringValue extends StringValue {
  override encoding(): string {
    if (this.isRaw) return 'raw';
    return this.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }

  override duplicate(): StringValue {
    return this.isRaw ? super.duplicate() : new UnencodedStringValue(this.value);
  }

  override setIntegerInPlace(): boolean {
    return false;
  }
}

/** The string at `key` for a read, or undefined; WRONGTYPE if it holds another type. */
export function readString(db: Database, key: string): string | undefined {
  return db.readAs(key, StringValue)?.value;
}

/** checkStringLength: a string may not grow past proto-max-bulk-len. */
export function checkStringLength(size: number, append: number): void {
  if (size + append > PROTO_MAX_BULK_LEN) throw new RedisError(STRING_TOO_LONG);
}

// ---------------------------------------------------------------------------------------------
// SET and GETEX options
// ---------------------------------------------------------------------------------------------

const NX = 1 << 0;
const XX = 1 << 1;
const EX = 1 << 2;
const PX = 1 << 3;
const KEEPTTL = 1 << 4;
const GET = 1 << 5;
const EXAT = 1 << 6;
const PXAT = 1 << 7;
const PERSIST = 1 << 8;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface StringOptions {
  flags: number;
  /** The expire argument given with EX/PX/EXAT/PXAT. */
  expire?: string;
}

const NO_OPTIONS: StringOptions = Object.freeze({ flags: 0 });

/**
 * parseExtendedStringArgumentsOrReply: SET takes NX XX GET KEEPTTL, GETEX takes PERSIST, both take
 * one of EX PX EXAT PXAT. An option that conflicts with one already seen is a syntax error, but
 * repeating the same one is not (the last expire given wins).
 */
function parseStringOptions(argv: readonly string[], forSet: boolean): StringOptions {
  // The common case, SET key value, allocates nothing.
  if (argv.length === (forSet ? 3 : 2)) return NO_OPTIONS;
  const options: StringOptions = { flags: 0 };
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j] as string;
    const next = argv[j + 1];
    const f = options.flags;
    let flag = 0;
    if (forSet && is(opt, 'NX') && !(f & XX)) flag = NX;
    else if (forSet && is(opt, 'XX') && !(f & NX)) flag = XX;
    else if (forSet && is(opt, 'GET')) flag = GET;
    else if (forSet && is(opt, 'KEEPTTL') && !(f & (PERSIST | ANY_EXPIRE))) flag = KEEPTTL;
    else if (!forSet && is(opt, 'PERSIST') && !(f & (ANY_EXPIRE | KEEPTTL))) flag = PERSIST;
    else if (next !== undefined && !(f & (KEEPTTL | PERSIST))) {
      if (is(opt, 'EX') && !(f & (ANY_EXPIRE & ~EX))) flag = EX;
      else if (is(opt, 'PX') && !(f & (ANY_EXPIRE & ~PX))) flag = PX;
      else if (is(opt, 'EXAT') && !(f & (ANY_EXPIRE & ~EXAT))) flag = EXAT;
      else if (is(opt, 'PXAT') && !(f & (ANY_EXPIRE & ~PXAT))) flag = PXAT;
      if (flag !== 0) {
        options.expire = next;
        j++;
      }
    }
    if (flag === 0) throw new RedisError(SYNTAX);
    options.flags |= flag;
  }
  return options;
}

/**
 * getExpireMillisecondsOrReply: the absolute expiry time in ms for an EX/PX/EXAT/PXAT argument.
 * Zero, negative, and anything that overflows 64 bits is an invalid expire time.
 */
function expireTime(c: Client, command: string, arg: string, flags: number): bigint {
  const n = parseBigInt(arg);
  const seconds = (flags & (EX | EXAT)) !== 0;
  const invalid = invalidExpire(command.toLowerCase());
  if (n <= 0n || (seconds && n > INT64_MAX / 1000n)) throw new RedisError(invalid);
  let ms = seconds ? n * 1000n : n;
  // C adds in 64 bits; an overflow wraps to a negative number, which is then refused.
  if (flags & (EX | PX)) ms = BigInt.asIntN(64, ms + BigInt(c.engine.time));
  if (ms <= 0n) throw new RedisError(invalid);
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** getGenericCommand: GET's reply, or WRONGTYPE. */
function getReply(c: Client, key: string): Reply {
  return bulkOrNil(readString(c.db, key));
}

/**
 * setGenericCommand: SET, SETNX, SETEX and PSETEX. `ok` and `aborted` are the replies when the
 * value is set or when NX/XX stops it.
 */
function setGeneric(
  c: Client, argv: readonly string[], key: string, value: string, options: StringOptions, ok: Reply = OK, aborted: Reply = NIL,
): Reply {
  const { flags, expire } = options;
  const when = expire === undefined ? undefined : expireTime(c, argv[0] as string, expire, flags);
  // With GET the old value is the reply whatever happens next (even when NX/XX stop the SET).
  const old = flags & GET ? getReply(c, key) : undefined;
  const existing = c.db.lookupWrite(key);
  const found = existing !== undefined;
  if ((flags & NX && found) || (flags & XX && !found)) return old ?? aborted;
  c.db.setKey(key, new StringValue(value), (flags & KEEPTTL) !== 0, existing);
  c.engine.dirty++;
  if (when !== undefined) {
    setExpireAt(c.db, key, when);
    // Propagated with the absolute time, whatever form the expiry had.
    rewriteCommand(c, ['SET', key, value, 'PXAT', String(when)]);
  } else if (flags & GET) {
    // Propagated without GET (which may be repeated).
    rewriteCommand(c, argv.filter((arg, j) => j < 3 || !is(arg, 'GET')));
  }
  return old ?? ok;
}

/** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
function set(c: Client, argv: readonly string[]): Reply {
  const options = parseStringOptions(argv, true);
  return setGeneric(c, argv, argv[1] as string, argv[2] as string, options);
}

/** GETSET key value: SET key value GET, from before SET had GET (it drops any TTL). */
function getset(c: Client, argv: readonly string[]): Reply {
  const old = getReply(c, argv[1] as string);
  c.db.setKey(argv[1] as string, new StringValue(argv[2] as string));
  c.engine.dirty++;
  rewriteCommand(c, ['SET', argv[1] as string, argv[2] as string]);
  return old;
}

/** SETNX key value */
function setnx(c: Client, argv: readonly string[]): Reply {
  return setGeneric(c, argv, argv[1] as string, argv[2] as string, { flags: NX }, ONE, ZERO);
}

/** SETEX key seconds value */
function setex(c: Client, argv: readonly string[]): Reply {
  return setGeneric(c, argv, argv[1] as string, argv[3] as string, { flags: EX, expire: argv[2] as string });
}

/** PSETEX key milliseconds value */
function psetex(c: Client, argv: readonly string[]): Reply {
  return setGeneric(c, argv, argv[1] as string, argv[3] as string, { flags: PX, expire: argv[2] as string });
}

/** GET key */
function get(c: Client, argv: readonly string[]): Reply {
  return getReply(c, argv[1] as string);
}

/** GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
function getex(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const { flags, expire } = parseStringOptions(argv, false);
  const value = c.db.readAs(key, StringValue);
  if (value === undefined) return NIL;
  // The expire time is checked only once the key is known to be a string.
  const when = expire === undefined ? undefined : expireTime(c, argv[0] as string, expire, flags);
  const reply = bulk(value.value);
  if (when !== undefined && flags & (EXAT | PXAT) && when <= BigInt(c.engine.time) && !c.engine.loading) {
    // An absolute time already past: the key goes at once (checkAlreadyExpired).
    c.db.delete(key);
    c.db.signalModifiedKey(key);
    rewriteCommand(c, [c.engine.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    c.engine.dirty++;
  } else if (when !== undefined) {
    setExpireAt(c.db, key, when);
    c.db.signalModifiedKey(key);
    rewriteCommand(c, ['PEXPIREAT', key, String(when)]);
    c.engine.dirty++;
  } else if (flags & PERSIST && c.db.removeExpire(key)) {
    c.db.signalModifiedKey(key);
    rewriteCommand(c, ['PERSIST', key]);
    c.engine.dirty++;
  }
  return reply;
}

/** GETDEL key */
function getdel(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const reply = getReply(c, key);
  if (c.db.delete(key)) {
    c.db.signalModifiedKey(key);
    rewriteCommand(c, [c.engine.config.bool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key]);
    c.engine.dirty++;
  }
  return reply;
}

/** MGET key [key ...]: a key that is missing or not a string gives nil. */
function mget(c: Client, argv: readonly string[]): Reply {
  const items: Reply[] = [];
  for (let j = 1; j < argv.length; j++) {
    const value = c.db.lookupRead(argv[j] as string);
    items.push(value instanceof StringValue ? bulk(value.value) : NIL);
  }
  return array(items);
}

/** msetGenericCommand: MSET and MSETNX (which sets nothing if any key exists). */
function msetGeneric(c: Client, argv: readonly string[], nx: boolean): Reply {
  if (argv.length % 2 === 0) throw new RedisError(wrongArity((argv[0] as string).toLowerCase()));
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (c.db.lookupWrite(argv[j] as string) !== undefined) return ZERO;
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    c.db.setKey(argv[j] as string, new StringValue(argv[j + 1] as string));
  }
  c.engine.dirty += (argv.length - 1) / 2;
  return nx ? ONE : OK;
}

/** MSET key value [key value ...] */
function mset(c: Client, argv: readonly string[]): Reply {
  return msetGeneric(c, argv, false);
}

/** MSETNX key value [key value ...] */
function msetnx(c: Client, argv: readonly string[]): Reply {
  return msetGeneric(c, argv, true);
}

/** APPEND key value */
function append(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const bytes = argv[2] as string;
  const value = c.db.writeAs(key, StringValue);
  let length: number;
  if (value === undefined) {
    // A new key takes the argument as SET would (so "APPEND n 123" is int encoded).
    c.db.add(key, new StringValue(bytes));
    length = bytes.length;
  } else {
    checkStringLength(value.length, bytes.length);
    length = value.append(bytes);
  }
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return integer(length);
}

/** STRLEN key */
function strlen(c: Client, argv: readonly string[]): Reply {
  return integer(c.db.readAs(argv[1] as string, StringValue)?.length ?? 0);
}

/** GETRANGE key start end (and SUBSTR, its old name) */
function getrange(c: Client, argv: readonly string[]): Reply {
  let start = parseInteger(argv[2] as string);
  let end = parseInteger(argv[3] as string);
  const value = c.db.readAs(argv[1] as string, StringValue);
  if (value === undefined) return bulk('');
  const length = value.length;
  if (start < 0 && end < 0 && start > end) return bulk('');
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return bulk('');
  return bulk(value.slice(start, end + 1));
}

/** SETRANGE key offset value */
function setrange(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const bytes = argv[3] as string;
  const offset = parseInteger(argv[2] as string);
  if (offset < 0) throw new RedisError(OFFSET_OUT_OF_RANGE);
  let value = c.db.writeAs(key, StringValue);
  if (value === undefined) {
    if (bytes.length === 0) return ZERO;
    checkStringLength(offset, bytes.length);
    value = StringValue.raw('');
    c.db.add(key, value);
  } else {
    if (bytes.length === 0) return integer(value.length);
    checkStringLength(offset, bytes.length);
  }
  const length = value.writeAt(offset, bytes);
  c.db.signalModifiedKey(key);
  c.engine.dirty++;
  return integer(length);
}

/** An integer argument (string2ll): a number when it is a safe integer, else a bigint. */
function parseInt64(arg: string): number | bigint {
  const n = toInt64(arg);
  if (n === undefined) throw new RedisError(NOT_INTEGER);
  return n;
}

/**
 * incrDecrCommand: adds `increment` to the integer at `key` (0 if missing), in 64 bits. Counters
 * mostly stay within 2^53, so plain numbers do the work and bigints only take over near the edges.
 */
function incrDecr(c: Client, key: string, increment: number | bigint): Reply {
  const value = c.db.writeAs(key, StringValue);
  const old = value === undefined ? 0 : parseInt64(value.value);
  let sum: number | bigint;
  if (typeof old === 'number' && typeof increment === 'number' && Number.isSafeInteger(old + increment)) {
    sum = old + increment;
  } else {
    const exact = BigInt(old) + BigInt(increment);
    if (exact > INT64_MAX || exact < INT64_MIN) throw new RedisError(OVERFLOW);
    sum = Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
  }
  const text = String(sum);
  if (value?.setIntegerInPlace(text)) c.db.signalModifiedKey(key);
  // dbAdd, or dbOverwrite, which keeps the TTL; setKey also signals the change.
  else c.db.setKey(key, new StringValue(text), true, value);
  c.engine.dirty++;
  return integer(sum);
}

/** INCR key */
function incr(c: Client, argv: readonly string[]): Reply {
  return incrDecr(c, argv[1] as string, 1);
}

/** DECR key */
function decr(c: Client, argv: readonly string[]): Reply {
  return incrDecr(c, argv[1] as string, -1);
}

/** INCRBY key increment */
function incrby(c: Client, argv: readonly string[]): Reply {
  return incrDecr(c, argv[1] as string, parseInt64(argv[2] as string));
}

/** DECRBY key decrement */
function decrby(c: Client, argv: readonly string[]): Reply {
  const decrement = parseInt64(argv[2] as string);
  // -(-2^63) does not fit in 64 bits.
  if (decrement === INT64_MIN) throw new RedisError(DECREMENT_OVERFLOW);
  return incrDecr(c, argv[1] as string, -decrement);
}

/**
 * INCRBYFLOAT key increment: in long double, as Redis does (see long-double.ts), so that
 * `SET f 10.1` then `INCRBYFLOAT f 0.2` answers "10.3" as redis-cli shows, not 10.299999….
 */
function incrbyfloat(c: Client, argv: readonly string[]): Reply {
  const key = argv[1] as string;
  const value = c.db.writeAs(key, StringValue);
  const old = value === undefined ? parseLongDouble('0') : parseLongDouble(value.value);
  const increment = parseLongDouble(argv[2] as string);
  if (old === undefined || increment === undefined) throw new RedisError(NOT_FLOAT);
  const sum = addLongDouble(old, increment);
  if (!isFiniteLongDouble(sum)) throw new RedisError(INCR_NAN_OR_INF);
  const text = formatLongDouble(sum);
  c.db.setKey(key, new UnencodedStringValue(text), true);
  c.engine.dirty++;
  // Propagated as the value it produced: replaying float arithmetic could round differently.
  rewriteCommand(c, ['SET', key, text, 'KEEPTTL']);
  return bulk(text);
}

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

function parseLcsOptions(argv: readonly string[]): LcsOptions {
  const options: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j] as string;
    if (is(opt, 'IDX')) options.idx = true;
    else if (is(opt, 'LEN')) options.len = true;
    else if (is(opt, 'WITHMATCHLEN')) options.withMatchLen = true;
    else if (is(opt, 'MINMATCHLEN') && j + 1 < argv.length) {
      options.minMatchLen = Math.max(0, parseInteger(argv[++j] as string));
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  if (options.len && options.idx) throw new RedisError(LCS_BOTH_LEN_AND_IDX);
  return options;
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
function lcs(c: Client, argv: readonly string[]): Reply {
  const objA = c.db.lookupRead(argv[1] as string);
  const objB = c.db.lookupRead(argv[2] as string);
  if ((objA && !(objA instanceof StringValue)) || (objB && !(objB instanceof StringValue))) {
    throw new RedisError(LCS_NOT_STRINGS);
  }
  const a = objA instanceof StringValue ? objA.value : '';
  const b = objB instanceof StringValue ? objB.value : '';
  const options = parseLcsOptions(argv);
  if ((a.length + 1) * (b.length + 1) * 4 > PROTO_MAX_BULK_LEN) throw new RedisError(LCS_TOO_MUCH_MEMORY);
  const table = lcsTable(a, b);
  const width = b.length + 1;
  const total = table[a.length * width + b.length] as number;
  if (options.len) return integer(total);
  const { text, matches } = lcsWalk(a, b, table, total, options);
  if (!options.idx) return bulk(text);
  return map([
    [bulk('matches'), array(matches)],
    [bulk('len'), integer(total)],
  ]);
}

/** The dynamic programming table: at [i * (blen + 1) + j], the LCS length of a[0..i) and b[0..j). */
function lcsTable(a: string, b: string): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const at = i * width + j;
      if (ca === b.charCodeAt(j - 1)) {
        table[at] = (table[at - width - 1] as number) + 1;
      } else {
        const up = table[at - width] as number;
        const left = table[at - 1] as number;
        table[at] = up > left ? up : left;
      }
    }
  }
  return table;
}

/**
 * Walks the table back from the end, as Redis does, collecting the LCS and the matching ranges
 * (last match first). The walk order decides which of several LCS strings is reported.
 */
function lcsWalk(
  a: string, b: string, table: Uint32Array, total: number, options: LcsOptions,
): { text: string; matches: Reply[] } {
  const width = b.length + 1;
  const result: string[] = new Array<string>(total);
  const matches: Reply[] = [];
  let idx = total;
  let i = a.length;
  let j = b.length;
  // aStart === a.length means no range is being tracked.
  let aStart = a.length;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a[i - 1] as string;
      if (aStart === a.length) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const up = table[(i - 1) * width + j] as number;
      const left = table[i * width + j - 1] as number;
      if (up > left) i--;
      else j--;
      if (aStart !== a.length) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (options.idx && (options.minMatchLen === 0 || matchLen >= options.minMatchLen)) {
        const entry: Reply[] = [array([integer(aStart), integer(aEnd)]), array([integer(bStart), integer(bEnd)])];
        if (options.withMatchLen) entry.push(integer(matchLen));
        matches.push(array(entry));
      }
      aStart = a.length;
    }
  }
  return { text: result.join(''), matches };
}

export const commands: Handlers = {
  set, setnx, setex, psetex, get, getset, getex, getdel, mget, mset, msetnx, append, strlen,
  getrange, substr: getrange, setrange, incr, decr, incrby, decrby, incrbyfloat, lcs,
};
