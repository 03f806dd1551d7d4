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
  if (s.length === 0 || s.length > 20 || !LONG_RE.test(s)) return undefined;
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
/** string2ld reads at most this many bytes (MAX_LONG_DOUBLE_CHARS); longer arguments are invalid. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** x86 long double: the largest finite value is just under 2^16384, the smallest denormal 2^-16445. */
const LDBL_MAX_BINARY_EXP = 16384;
const LDBL_MIN_BINARY_EXP = -16445;
const LOG2_10 = Math.log2(10);

/**
 * strtold over the whole string, as Redis' string2ld (INCRBYFLOAT, HINCRBYFLOAT, blocking
 * timeouts): undefined when invalid, NaN, or out of a long double's range (ERANGE). The result is
 * a double, so a value beyond a double's range but inside a long double's comes back as ±Infinity,
 * and a non-zero value too small for a double as the smallest double of its sign: callers that only
 * compare or take the sign (timeouts) stay exact, and Redis accepts those arguments.
 */
export function toLongDouble(s: string): number | undefined {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return undefined;
  // A long double holds what overflows or underflows a double: read it unchecked, then decide.
  const v = strtodWhole(s);
  if (v === undefined) return undefined;
  if ((Number.isFinite(v) && v !== 0) || INF_RE.test(s)) return v;
  const exp = binaryExponent(s);
  if (exp === undefined) return v; // a true zero
  if (exp >= LDBL_MAX_BINARY_EXP || exp < LDBL_MIN_BINARY_EXP - 1) return undefined;
  if (Number.isFinite(v)) return s.trimStart().startsWith('-') ? -Number.MIN_VALUE : Number.MIN_VALUE;
  return v;
}

/** About log2(|x|) of a decimal or hex float literal, without overflowing; undefined for zero. */
function binaryExponent(s: string): number | undefined {
  const hex = HEX_RE.exec(s);
  if (hex) {
    const [, , whole = '', frac = '', exp = '0'] = hex;
    const digits = whole + frac;
    const first = digits.search(/[1-9a-fA-F]/);
    if (first < 0) return undefined;
    const lead = parseInt(digits[first] as string, 16);
    return Number(exp) + 4 * (whole.length - first - 1) + Math.floor(Math.log2(lead));
  }
  const m = /^[+-]?([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (!m) return undefined;
  const [, whole = '', frac = '', exp = '0'] = m;
  const digits = whole + frac;
  const first = digits.search(/[1-9]/);
  if (first < 0) return undefined;
  const mantissa = Number(`${digits[first]}.${digits.slice(first + 1, first + 18)}`);
  const decimalExp = Number(exp) + (whole.length - first - 1);
  return Math.floor(decimalExp * LOG2_10 + Math.log2(mantissa));
}

/** A long double exactly: (-1)^negative × mantissa × 2^exponent, with mantissa < 2^64 (x87's 64 bits). */
export interface LongDouble {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly infinite: boolean;
}

const LDBL_MANTISSA_BITS = 64;

/**
 * string2ld with a long double's own precision, for when rounding to 53 bits would change an
 * answer (the ceiling of `-0.001 × 1000` is -1 in double arithmetic but -0 in long double, which
 * turns "timeout is negative" into a wait forever). Denormals keep the full 64 bits (no x87 range
 * loss): only their sign and non-zeroness matter to callers.
 */
export function parseLongDouble(s: string): LongDouble | undefined {
  const approx = toLongDouble(s);
  if (approx === undefined) return undefined;
  const negative = s.startsWith('-');
  if (!Number.isFinite(approx) && INF_RE.test(s)) return { negative, mantissa: 0n, exponent: 0, infinite: true };
  const hex = HEX_RE.exec(s);
  if (hex) {
    const [, , whole = '', frac = '', exp = '0'] = hex;
    const digits = BigInt(`0x${whole + frac || '0'}`);
    return { negative, ...roundMantissa(digits, Number(exp) - 4 * frac.length, false), infinite: false };
  }
  const m = /^[+-]?([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/.exec(s) as RegExpExecArray;
  const [, whole = '', frac = '', exp = '0'] = m;
  const digits = BigInt(whole + frac || '0');
  const decimalExp = Number(exp) - frac.length;
  if (digits === 0n) return { negative, mantissa: 0n, exponent: 0, infinite: false };
  if (decimalExp >= 0) return { negative, ...roundMantissa(digits * 10n ** BigInt(decimalExp), 0, false), infinite: false };
  // digits / 10^-decimalExp: divide with enough extra bits that the quotient has more than 64.
  const divisor = 10n ** BigInt(-decimalExp);
  const shift = Math.max(0, LDBL_MANTISSA_BITS + 2 + bitLength(divisor) - bitLength(digits));
  const scaled = digits << BigInt(shift);
  const quotient = scaled / divisor;
  return { negative, ...roundMantissa(quotient, -shift, quotient * divisor !== scaled), infinite: false };
}

/** Multiplies a long double by an integer, rounding the product to 64 bits as the FPU does. */
export function longDoubleTimes(x: LongDouble, factor: bigint): LongDouble {
  if (x.infinite) return x;
  return { negative: x.negative, ...roundMantissa(x.mantissa * factor, x.exponent, false), infinite: false };
}

/** ceill, then C's conversion to long long: undefined when out of its range (x86 gives LLONG_MIN). */
export function longDoubleCeilToInt64(x: LongDouble): bigint | undefined {
  if (x.infinite) return undefined;
  let magnitude: bigint;
  let fraction = false;
  if (x.exponent >= 0) {
    if (x.exponent > LDBL_MANTISSA_BITS) return undefined;
    magnitude = x.mantissa << BigInt(x.exponent);
  } else {
    const shift = BigInt(-x.exponent);
    magnitude = x.mantissa >> shift;
    fraction = magnitude << shift !== x.mantissa;
  }
  // The ceiling rounds a positive number's magnitude up, a negative one's down (towards zero).
  const value = x.negative ? -magnitude : magnitude + (fraction ? 1n : 0n);
  return isInt64(value) ? value : undefined;
}

/** Rounds value × 2^exponent to 64 significant bits, to nearest, ties to even. */
function roundMantissa(value: bigint, exponent: number, sticky: boolean): { mantissa: bigint; exponent: number } {
  const excess = bitLength(value) - LDBL_MANTISSA_BITS;
  if (excess <= 0) return { mantissa: value, exponent };
  const shift = BigInt(excess);
  let mantissa = value >> shift;
  const rest = value - (mantissa << shift);
  const half = 1n << (shift - 1n);
  // To nearest; a tie (nothing below `half`, no sticky remainder) goes to the even mantissa.
  if (rest > half || (rest === half && (sticky || (mantissa & 1n) === 1n))) mantissa++;
  if (bitLength(mantissa) > LDBL_MANTISSA_BITS) return { mantissa: mantissa >> 1n, exponent: exponent + excess + 1 };
  return { mantissa, exponent: exponent + excess };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}
