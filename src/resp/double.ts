/**
 * Doubles as Redis 7.0 prints them: `%.17g` (so 1.1 is "1.1000000000000001"), and inf/-inf spelled
 * out explicitly, as addReplyDouble does.
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return formatG(d, 17);
}

/**
 * C's `%.<precision>g`, as glibc prints it: from the double's exact value, an exact half rounded
 * to even. (JavaScript's toExponential and toFixed round an exact half up: 2163557714838309.25
 * would print as …309.3, where Redis prints …309.2.)
 */
export function formatG(d: number, precision: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // toExponential rounds the mantissa correctly and gives the exponent after any carry (9.99… → 10).
  // One digit more shows whether the cut may fall on an exact half: that digit is then a 5.
  if (d.toExponential(precision).split('e')[0]?.endsWith('5')) {
    const tie = halfEvenDigits(d, precision);
    if (tie) return layoutG(d < 0, tie.digits, tie.exponent, precision);
  }
  const [mant, e] = d.toExponential(precision - 1).split('e') as [string, string];
  const x = Number(e);
  if (x < -4 || x >= precision) {
    const m = stripZeros(mant);
    const sign = x < 0 ? '-' : '+';
    const ax = Math.abs(x);
    return `${m}e${sign}${ax < 10 ? '0' : ''}${ax}`;
  }
  return stripZeros(d.toFixed(Math.max(0, precision - 1 - x)));
}

/**
 * When |d|, written out exactly, has one significant digit more than `precision` and that digit is
 * a 5 (an exact half), its first `precision` digits rounded half to even, and the decimal exponent
 * of the first; undefined when it is no such tie.
 */
function halfEvenDigits(d: number, precision: number): { digits: string; exponent: number } | undefined {
  const { digits, exp10 } = exactDecimal(Math.abs(d));
  if (digits.length !== precision + 1 || !digits.endsWith('5')) return undefined;
  let kept = digits.slice(0, precision);
  let exponent = exp10 + digits.length - 1;
  if (Number(kept.at(-1)) % 2 === 1) {
    const up = (BigInt(kept) + 1n).toString();
    // 99…9 + 1 carries into one more digit: the value is 10^(exponent + 1).
    if (up.length > kept.length) exponent++;
    kept = up.slice(0, precision);
  }
  return { digits: kept, exponent };
}

/** A finite positive double exactly, as digits × 10^exp10 (the digits without trailing zeros). */
function exactDecimal(d: number): { digits: string; exp10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // d = mantissa × 2^e2; with e2 < 0 that is mantissa × 5^-e2 × 10^e2.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const e2 = biased === 0 ? -1074 : biased - 1075;
  let value = e2 >= 0 ? mantissa << BigInt(e2) : mantissa * 5n ** BigInt(-e2);
  let exp10 = e2 >= 0 ? 0 : e2;
  while (value % 10n === 0n) {
    value /= 10n;
    exp10++;
  }
  return { digits: value.toString(), exp10 };
}

/** %g's layout of significant digits whose first has the decimal exponent `x`. */
function layoutG(negative: boolean, digits: string, x: number, precision: number): string {
  const sign = negative ? '-' : '';
  if (x < -4 || x >= precision) {
    const m = stripZeros(`${digits[0]}.${digits.slice(1)}`);
    return `${sign}${m}e${x < 0 ? '-' : '+'}${Math.abs(x) < 10 ? '0' : ''}${Math.abs(x)}`;
  }
  if (x < 0) return `${sign}${stripZeros(`0.${'0'.repeat(-x - 1)}${digits}`)}`;
  const whole = digits.slice(0, x + 1).padEnd(x + 1, '0');
  return `${sign}${stripZeros(`${whole}.${digits.slice(x + 1)}`)}`;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
