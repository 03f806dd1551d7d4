/**
 * sin, cos and asin rounded correctly, for the haversine distances of the geo commands.
 *
 * Redis calls the C library's functions; glibc's are correctly rounded for all but a few inputs
 * in ten thousand, while V8's (fdlibm) are off by one ulp about ten times as often, which shows in
 * the 17 digits of a STOREDIST score. So we compute in double-double arithmetic (about 106 bits)
 * and round once.
 */

/** A double-double: the unevaluated sum hi + lo, |lo| ≤ half an ulp of hi. */
interface DD {
  readonly hi: number;
  readonly lo: number;
}

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a double into two 26-bit halves

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ahi = t - (t - a);
  const alo = a - ahi;
  t = SPLITTER * b;
  const bhi = t - (t - b);
  const blo = b - bhi;
  return { hi: p, lo: ahi * bhi - p + ahi * blo + alo * bhi + alo * blo };
}

function add(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

function mul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

function div(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = add(a, neg(mul(b, dd(q1))));
  const q2 = r.hi / b.hi;
  r = add(r, neg(mul(b, dd(q2))));
  const q3 = r.hi / b.hi;
  return add(quickTwoSum(q1, q2), dd(q3));
}

function neg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

function dd(x: number): DD {
  return { hi: x, lo: 0 };
}

/** π/2 to about 160 bits, in three parts. */
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;

/** 1/n! as double-doubles, for the Taylor series. */
const INVERSE_FACTORIALS: DD[] = (() => {
  const out: DD[] = [dd(1)];
  for (let n = 1; n <= 30; n++) out.push(div(out[n - 1] as DD, dd(n)));
  return out;
})();

/** sin (odd = true) or cos of r, |r| ≤ π/4, by its Taylor series. */
function taylor(r: DD, odd: boolean): DD {
  const r2 = mul(r, r);
  // Horner from the smallest term: Σ (-1)^k r^(2k) / (2k + odd)!
  let sum = dd(0);
  for (let k = 13; k >= 0; k--) {
    const c = INVERSE_FACTORIALS[2 * k + (odd ? 1 : 0)] as DD;
    sum = add(mul(sum, r2), k % 2 === 0 ? c : neg(c));
  }
  return odd ? mul(sum, r) : sum;
}

/** x - k·π/2 as a double-double, with k the nearest integer (|x| is at most a few π here). */
function reduce(x: number): { r: DD; k: number } {
  const k = Math.round(x / PIO2_1);
  if (k === 0) return { r: dd(x), k };
  // k·π/2 exactly enough: each product is split so that the subtraction cancels cleanly.
  let r = add(dd(x), neg(twoProd(k, PIO2_1)));
  r = add(r, neg(twoProd(k, PIO2_2)));
  r = add(r, dd(-k * PIO2_3));
  return { r, k };
}

function sinDD(x: number): DD {
  const { r, k } = reduce(x);
  switch (((k % 4) + 4) % 4) {
    case 0: return taylor(r, true);
    case 1: return taylor(r, false);
    case 2: return neg(taylor(r, true));
    default: return neg(taylor(r, false));
  }
}

function cosDD(x: number): DD {
  const { r, k } = reduce(x);
  switch (((k % 4) + 4) % 4) {
    case 0: return taylor(r, false);
    case 1: return neg(taylor(r, true));
    case 2: return neg(taylor(r, false));
    default: return taylor(r, true);
  }
}

/** The double nearest to a double-double. */
function round(a: DD): number {
  return a.hi + a.lo;
}

// Beyond a few turns the reduction above loses bits; the geo code never gets there.
const REDUCTION_LIMIT = 1e3;

export function sin(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > REDUCTION_LIMIT || x === 0) return Math.sin(x);
  return round(sinDD(x));
}

export function cos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > REDUCTION_LIMIT) return Math.cos(x);
  return round(cosDD(x));
}

/** asin by one Newton step on sin from V8's value, which is within an ulp: 106 bits. */
export function asin(y: number): number {
  if (!(y > -1 && y < 1) || y === 0) return Math.asin(y);
  const z0 = Math.asin(y);
  const step = div(add(dd(y), neg(sinDD(z0))), cosDD(z0));
  return round(add(dd(z0), step));
}
