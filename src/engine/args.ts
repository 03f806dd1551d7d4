/**
 * Reading numbers out of arguments with Redis' own strictness: string2ll (no sign but '-', no
 * leading zeros, no spaces, 64-bit range) and strtod (inf, hex floats, but no trailing junk and
 * never NaN). Each parser throws the error text Redis answers with unless the caller gives another.
 */
import { NOT_FLOAT, NOT_INTEGER, RedisError } from './errors.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const LONG_RE = /^(0|-?[1-9][0-9]*)$/;

/** string2ll: the integer as a number when it fits 53 bits, a bigint otherwise; undefined if invalid. */
export function toInt64(s: string): number | bigint | undefined {
  const len = s.length;
  if (len === 0 || len > 20) return undefined;
  if (len <= 15) {
    // Fifteen characters or fewer are always a safe integer: read them here, without a regexp
    // (INCR and every numeric argument come this way).
    let i = 0;
    const negative = s.charCodeAt(0) === 45; /* - */
    if (negative) i = 1;
    const first = s.charCodeAt(i) - 48;
    if (first === 0) return len === 1 ? 0 : undefined; // "0" only: no leading zeros, no "-0"
    if (!(first >= 1 && first <= 9)) return undefined;
    let n = first;
    for (i++; i < len; i++) {
      const d = s.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) return undefined;
      n = n * 10 + d;
    }
    return negative ? -n : n;
  }
  if (!LONG_RE.test(s)) return undefined;
  const n = Number(s);
  if (Number.isSafeInteger(n)) return n;
  const b = BigInt(s);
  return b < INT64_MIN || b > INT64_MAX ? undefined : b;
}

/**
 * An integer argument that must fit in a JS number without loss. Values beyond 2^53 but inside
 * 64 bits are clamped to ±2^63 (as a double), which keeps range checks (`> LONG_MAX`…) honest.
 */
export function parseInteger(s: string, error = NOT_INTEGER): number {
  const v = toInt64(s);
  if (v === undefined) throw new RedisError(error);
  return typeof v === 'bigint' ? Number(v) : v;
}

/** An integer argument as a bigint, for 64-bit arithmetic (INCRBY and friends). */
export function parseBigInt(s: string, error = NOT_INTEGER): bigint {
  const v = toInt64(s);
  if (v === undefined) throw new RedisError(error);
  return BigInt(v);
}

export function isInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX;
}

export { INT64_MAX, INT64_MIN };

const DEC_RE = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const INF_RE = /^[+-]?(inf|infinity)$/i;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;

/**
 * strtod over the whole string: the value strtod gives, without its range checks (an overflow
 * is ±Infinity, an underflow 0); undefined if the text is not all a number.
 */
function strtodWhole(s: string): number | undefined {
  if (DEC_RE.test(s)) return Number(s);
  if (INF_RE.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  const hex = HEX_RE.exec(s);
  if (hex && (hex[2] || hex[3])) {
    const [, sign, whole = '', frac = '', exp = '0'] = hex;
    let v = whole ? parseInt(whole, 16) : 0;
    for (let i = 0; i < frac.length; i++) v += parseInt(frac[i] as string, 16) / 16 ** (i + 1);
    v *= 2 ** Number(exp);
    return sign === '-' ? -v : v;
  }
  return undefined;
}

/**
 * A double as Redis' string2d / getDoubleFromObject read it: the whole string, never NaN, and
 * not a value strtod flags with ERANGE (an overflow to ±HUGE_VAL, an underflow to zero); the
 * words inf/infinity are fine.
 */
export function toDouble(s: string): number | undefined {
  // Most scores and increments are small integers ("0", "100"): strtod reads them exactly, with
  // no ERANGE, so the regular expressions below are not needed for them.
  if (s.length <= 15) {
    const n = toInt64(s);
    if (typeof n === 'number') return n;
  }
  const r = strtod(s);
  return r === undefined || r.erange ? undefined : r.value;
}

/**
 * C's strtod over the whole string: the value, and whether strtod flagged it with ERANGE (an
 * overflow to ±inf, an underflow to zero). undefined if the string is not all number.
 */
export function strtod(s: string): { value: number; erange: boolean } | undefined {
  const value = strtodWhole(s);
  if (value === undefined) return undefined;
  const erange = (!Number.isFinite(value) && !INF_RE.test(s)) || (value === 0 && /[1-9a-fA-F]/.test(mantissaDigits(s)));
  return { value, erange };
}

/** The digits of a number's mantissa (before any exponent, without a hex prefix). */
function mantissaDigits(s: string): string {
  const hex = HEX_RE.exec(s);
  if (hex) return (hex[2] ?? '') + (hex[3] ?? '');
  return s.split(/[eE]/)[0] as string;
}

export function parseDouble(s: string, error = NOT_FLOAT): number {
  const v = toDouble(s);
  if (v === undefined) throw new RedisError(error);
  return v;
}

/** Case-insensitive comparison of an argument with an option name given in upper case. */
export function is(arg: string | undefined, option: string): boolean {
  return arg !== undefined && arg.length === option.length && arg.toUpperCase() === option;
}

/** getRangeLongFromObjectOrReply: an integer within [min, max], with Redis' messages. */
export function parseRangeLong(s: string, min: number, max: number, message?: string): number {
  const v = parseInteger(s, message ?? NOT_INTEGER);
  if (v < min || v > max) {
    throw new RedisError(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
  }
  return v;
}

/** getPositiveLongFromObjectOrReply */
export function parsePositiveLong(s: string, message = 'ERR value is out of range, must be positive'): number {
  const v = parseInteger(s, message);
  if (v < 0) throw new RedisError(message);
  return v;
}

/** getIntFromObjectOrReply: a C int. */
export function parseInt32(s: string, message?: string): number {
  return parseRangeLong(s, -2147483648, 2147483647, message);
}

/**
 * getRangeLongFromObjectOrReply for bounds near the ends of 64 bits (such as ±LONG_MAX), where a
 * JS number would round the bound in the message; the value comes back as a bigint.
 */
export function parseRangeBigInt(s: string, min: bigint, max: bigint, message?: string): bigint {
  const v = parseBigInt(s, message ?? NOT_INTEGER);
  if (v < min || v > max) {
    throw new RedisError(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
  }
  return v;
}
