/**
 * Stream IDs (t_stream.c): two unsigned 64-bit numbers, milliseconds and sequence. Here one
 * 128-bit bigint, `ms << 64 | seq`, so that comparing, incrementing (a full sequence carries into
 * the milliseconds, as streamIncrID does) and sorting are plain bigint arithmetic.
 */
import { toInt64 } from '../args.js';
import { RedisError } from '../errors.js';

export type StreamId = bigint;

export const U64_MAX = (1n << 64n) - 1n;
/** 0-0, the smallest ID (also "no ID" in several places, as in Redis). */
export const MIN_ID: StreamId = 0n;
/** 18446744073709551615-18446744073709551615 */
export const MAX_ID: StreamId = (1n << 128n) - 1n;

export const INVALID_STREAM_ID = 'ERR Invalid stream ID specified as stream command argument';

export function makeId(ms: bigint, seq: bigint): StreamId {
  return (ms << 64n) | seq;
}

export function idMs(id: StreamId): bigint {
  return id >> 64n;
}

export function idSeq(id: StreamId): bigint {
  return id & U64_MAX;
}

/** createStreamIDString: `<ms>-<seq>`. */
export function formatId(id: StreamId): string {
  // Both halves are nearly always below 2^53: as numbers they print faster than as bigints.
  const ms = Number(id >> 64n);
  const seq = Number(id & U64_MAX);
  if (ms <= Number.MAX_SAFE_INTEGER && seq <= Number.MAX_SAFE_INTEGER) return `${ms}-${seq}`;
  return `${id >> 64n}-${id & U64_MAX}`;
}

/** streamIncrID: the next ID; the last possible ID wraps around to 0-0 (undefined says so). */
export function incrId(id: StreamId): StreamId | undefined {
  return id === MAX_ID ? undefined : id + 1n;
}

/** streamDecrID: the previous ID; undefined for 0-0. */
export function decrId(id: StreamId): StreamId | undefined {
  return id === MIN_ID ? undefined : id - 1n;
}

const C_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * string2ull: string2ll when it succeeds (a negative number is invalid), otherwise C's strtoull
 * over the whole string, which also takes leading blanks, a sign (a minus negates modulo 2^64)
 * and leading zeros.
 */
export function string2ull(s: string): bigint | undefined {
  const ll = toInt64(s);
  if (ll !== undefined) return ll < 0 ? undefined : BigInt(ll);
  const m = /^([+-]?)([0-9]+)$/.exec(s.replace(C_SPACE, ''));
  if (!m) return undefined;
  const v = BigInt(m[2] as string);
  if (v > U64_MAX) return undefined;
  return m[1] === '-' ? (U64_MAX + 1n - v) & U64_MAX : v;
}

export interface ParsedId {
  readonly id: StreamId;
  /** False for XADD's `<ms>-*` (the sequence is to be generated). */
  readonly seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: `-` and `+` (unless strict), `<ms>` (the sequence is
 * `missingSeq`), `<ms>-<seq>`, and with `allowSeqStar` (XADD) `<ms>-*`.
 */
export function parseStreamId(arg: string, missingSeq: bigint, strict = false, allowSeqStar = false): ParsedId {
  return tryParseStreamId(arg, missingSeq, strict, allowSeqStar) ?? fail();
}

function fail(): never {
  throw new RedisError(INVALID_STREAM_ID);
}

/** parseStreamId, but undefined instead of an error (XCLAIM's IDs end at the first non-ID). */
export function tryParseStreamId(arg: string, missingSeq: bigint, strict = false, allowSeqStar = false): ParsedId | undefined {
  // Redis copies the argument into a 128-byte buffer first.
  if (arg.length > 127) return undefined;
  if (arg === '-' || arg === '+') {
    if (strict) return undefined;
    return { id: arg === '-' ? MIN_ID : MAX_ID, seqGiven: true };
  }
  // The C code stops at a NUL byte, as the argument is a C string there.
  const nul = arg.indexOf('\0');
  const text = nul >= 0 ? arg.slice(0, nul) : arg;
  const dash = text.indexOf('-');
  const ms = string2ull(dash >= 0 ? text.slice(0, dash) : text);
  if (ms === undefined) return undefined;
  if (dash < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  const seqText = text.slice(dash + 1);
  if (allowSeqStar && seqText === '*') return { id: makeId(ms, 0n), seqGiven: false };
  const seq = string2ull(seqText);
  if (seq === undefined) return undefined;
  return { id: makeId(ms, seq), seqGiven: true };
}

/** streamParseIntervalIDOrReply: an ID, or `(ID` for an exclusive bound (strict then). */
export function parseIntervalId(arg: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } {
  if (arg.length > 1 && arg[0] === '(') {
    return { id: parseStreamId(arg.slice(1), missingSeq, true).id, exclusive: true };
  }
  return { id: parseStreamId(arg, missingSeq).id, exclusive: false };
}
