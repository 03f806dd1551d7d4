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

/** C's `%.<precision>g`. */
export function formatG(d: number, precision: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // toExponential rounds the mantissa correctly and gives the exponent after any carry (9.99… → 10).
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

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
