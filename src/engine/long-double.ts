/**
 * Redis' `long double` arithmetic, emulated exactly. INCRBYFLOAT and HINCRBYFLOAT parse with
 * strtold, add in long double and print with "%.17Lf"; on x86-64 a long double is the x87 80-bit
 * extended format (a 64-bit significand, exponents down to 2^-16445 with subnormals, up to about
 * 1.19e4932), so a JS double would round differently. Here a finite value is an exact
 * significand × 2^exponent held in BigInts, and every operation rounds once, half to even, to 64
 * significant bits as the FPU does.
 *
 * The API (parseLongDouble, addLongDouble, isFiniteLongDouble, formatLongDouble) is shared with
 * other types (HINCRBYFLOAT); keep it stable.
 */

export type LongDouble =
  /** significand × 2^exponent; a zero has significand 0n and keeps its sign. */
  | { readonly kind: 'finite'; readonly negative: boolean; readonly significand: bigint; readonly exponent: number }
  | { readonly kind: 'infinite'; readonly negative: boolean }
  | { readonly kind: 'nan' };

/** Bits in the x87 extended significand (the integer bit is explicit). */
const SIGNIFICAND_BITS = 64;
/** The weight of the lowest significand bit of the smallest subnormal: 2^-16445. */
const MIN_LSB_EXPONENT = -16445;
/** The largest finite value is (2^64-1) × 2^(16383-63): its top bit weighs 2^16383. */
const MAX_MSB_EXPONENT = 16383;
/** string2ld copies the argument into a buffer of MAX_LONG_DOUBLE_CHARS (5*1024) bytes, NUL included. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** Digits after the point in ld2string's LD_STR_HUMAN mode ("%.17Lf"). */
const HUMAN_DIGITS = 17;

const NAN: LongDouble = { kind: 'nan' };

function finite(negative: boolean, significand: bigint, exponent: number): LongDouble {
  return { kind: 'finite', negative, significand, exponent };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the positive value num / den × 2^e2 to the nearest long double, ties to even: infinite
 * when it overflows, a (signed) zero when it underflows.
 */
function round(negative: boolean, num: bigint, den: bigint, e2: number): LongDouble {
  // Scale so that the integer quotient q has at least 66 bits: 64 kept, a rounding bit, and one
  // more so that the shift below is never less than 2; the remainder becomes the sticky bit.
  const s = SIGNIFICAND_BITS + 3 - bitLength(num) + bitLength(den);
  const n = s >= 0 ? num << BigInt(s) : num;
  const d = s >= 0 ? den : den << BigInt(-s);
  const q = n / d;
  const sticky = q * d !== n;
  const base = e2 - s; // the weight of q's lowest bit
  const msb = bitLength(q) - 1 + base;
  let lsb = Math.max(msb - (SIGNIFICAND_BITS - 1), MIN_LSB_EXPONENT);
  const shift = BigInt(lsb - base);
  let significand = q >> shift;
  const dropped = q - (significand << shift);
  const half = 1n << (shift - 1n);
  if (dropped > half || (dropped === half && (sticky || (significand & 1n) === 1n))) significand++;
  if (significand === 1n << BigInt(SIGNIFICAND_BITS)) {
    significand >>= 1n;
    lsb++;
  }
  if (significand !== 0n && bitLength(significand) - 1 + lsb > MAX_MSB_EXPONENT) {
    return { kind: 'infinite', negative };
  }
  return finite(negative, significand, significand === 0n ? 0 : lsb);
}

const DECIMAL_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * string2ld: strtold over the whole string. Leading spaces, trailing junk, NaN, an overflow to
 * infinity and an underflow to zero are all invalid (undefined), while "inf" and hex floats
 * ("0x1.8p3") are accepted, as glibc's strtold does.
 */
export function parseLongDouble(s: string): LongDouble | undefined {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return undefined;
  const inf = INF_RE.exec(s);
  if (inf) return { kind: 'infinite', negative: inf[1] === '-' };
  const hex = HEX_RE.exec(s);
  if (hex) {
    const [, sign, whole = '', fraction = '', exp = '0'] = hex;
    if (whole === '' && fraction === '') return undefined;
    return fromParts(sign === '-', BigInt('0x' + whole + fraction), 2, Number(exp) - 4 * fraction.length);
  }
  const dec = DECIMAL_RE.exec(s);
  if (dec) {
    const [, sign, whole = '', fraction = '', exp = '0'] = dec;
    if (whole === '' && fraction === '') return undefined;
    return fromParts(sign === '-', BigInt(whole + fraction || '0'), 10, Number(exp) - fraction.length);
  }
  return undefined;
}

/** digits × radix^exp, as strtold rounds it; undefined when strtold reports ERANGE for inf or 0. */
function fromParts(negative: boolean, digits: bigint, radix: 2 | 10, exp: number): LongDouble | undefined {
  if (digits === 0n) return finite(negative, 0n, 0);
  // Outside these bounds the value is certainly beyond the range (or below half the smallest
  // subnormal); checking first keeps the BigInts small for inputs like "1e999999999".
  const magnitude = radix === 10 ? digits.toString().length + exp : bitLength(digits) + exp;
  const [low, high] = radix === 10 ? [-4960, 4940] : [-16500, 16400];
  if (!(magnitude >= low && magnitude <= high)) return undefined;
  const value =
    radix === 2
      ? round(negative, digits, 1n, exp)
      : exp >= 0
        ? round(negative, digits * 10n ** BigInt(exp), 1n, 0)
        : round(negative, digits, 10n ** BigInt(-exp), 0);
  if (value.kind === 'infinite') return undefined;
  if (value.kind === 'finite' && value.significand === 0n) return undefined;
  return value;
}

/** a + b in long double: exact, then rounded once. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'infinite') return b.kind === 'infinite' && b.negative !== a.negative ? NAN : a;
  if (b.kind === 'infinite') return b;
  const e = Math.min(a.exponent, b.exponent);
  const sa = (a.negative ? -a.significand : a.significand) << BigInt(a.exponent - e);
  const sb = (b.negative ? -b.significand : b.significand) << BigInt(b.exponent - e);
  const sum = sa + sb;
  // In round-to-nearest an exact zero sum is +0, except -0 + -0.
  if (sum === 0n) return finite(a.negative && b.negative, 0n, 0);
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

/** x × an integer factor in long double: exact, then rounded once (as `seconds * 1000.0`). */
export function multiplyLongDouble(x: LongDouble, factor: bigint): LongDouble {
  if (x.kind !== 'finite') return x;
  return round(x.negative, x.significand * factor, 1n, x.exponent);
}

/**
 * (long long) ceill(x): undefined when the result does not fit a long long (x86 then gives
 * LLONG_MIN, which callers such as timeouts treat as negative).
 */
export function ceilToInt64(x: LongDouble): bigint | undefined {
  if (x.kind !== 'finite') return undefined;
  let magnitude: bigint;
  let fraction = false;
  if (x.exponent >= 0) {
    if (x.exponent > SIGNIFICAND_BITS) return undefined;
    magnitude = x.significand << BigInt(x.exponent);
  } else {
    const shift = BigInt(-x.exponent);
    magnitude = x.significand >> shift;
    fraction = magnitude << shift !== x.significand;
  }
  // The ceiling rounds a positive number's magnitude up, a negative one's down (towards zero).
  const value = x.negative ? -magnitude : magnitude + (fraction ? 1n : 0n);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
}

export function isFiniteLongDouble(x: LongDouble): boolean {
  return x.kind === 'finite';
}

/**
 * ld2string in LD_STR_HUMAN mode: "%.17Lf" (the exact value rounded half to even at 17
 * decimals, as glibc prints), then trailing zeros and a trailing '.' removed, "-0" shown as "0".
 */
export function formatLongDouble(x: LongDouble): string {
  if (x.kind === 'nan') return 'nan';
  if (x.kind === 'infinite') return x.negative ? '-inf' : 'inf';
  const scaled = x.significand * 10n ** BigInt(HUMAN_DIGITS);
  let units: bigint;
  if (x.exponent >= 0) {
    units = scaled << BigInt(x.exponent);
  } else {
    const shift = BigInt(-x.exponent);
    units = scaled >> shift;
    const dropped = scaled - (units << shift);
    const half = 1n << (shift - 1n);
    if (dropped > half || (dropped === half && (units & 1n) === 1n)) units++;
  }
  const digits = units.toString().padStart(HUMAN_DIGITS + 1, '0');
  const whole = digits.slice(0, -HUMAN_DIGITS);
  const fraction = digits.slice(-HUMAN_DIGITS).replace(/0+$/, '');
  const text = (x.negative ? '-' : '') + whole + (fraction ? '.' + fraction : '');
  return text === '-0' ? '0' : text;
}
