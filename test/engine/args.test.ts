/**
 * toInt64 is string2ll: an optional '-', no leading zeros (so no "-0"), digits only, 64-bit
 * range. Short strings take a hand-written path; both paths must agree with the rule.
 */
import { describe, expect, it } from 'vitest';
import { strtod, toDouble, toInt64 } from '../../src/engine/args.js';
import { prng } from '../helpers/prng.js';

/** The rule written plainly, for comparison. */
function reference(s: string): number | bigint | undefined {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const b = BigInt(s);
  if (b < -(2n ** 63n) || b > 2n ** 63n - 1n) return undefined;
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

describe('toInt64 (string2ll)', () => {
  it('takes and refuses what string2ll does', () => {
    const cases: [string, number | bigint | undefined][] = [
      ['', undefined], ['-', undefined], ['0', 0], ['-0', undefined], ['00', undefined], ['01', undefined],
      ['-01', undefined], ['1', 1], ['-1', -1], ['+1', undefined], [' 1', undefined], ['1 ', undefined],
      ['1.0', undefined], ['1e3', undefined], ['0x10', undefined], ['\u0663', undefined],
      ['123456789012345', 123456789012345], ['-12345678901234', -12345678901234],
      ['9007199254740991', 9007199254740991], ['9007199254740993', 9007199254740993n],
      ['9223372036854775807', 9223372036854775807n], ['-9223372036854775808', -9223372036854775808n],
      ['9223372036854775808', undefined], ['-9223372036854775809', undefined], ['123456789012345678901', undefined],
    ];
    for (const [input, expected] of cases) expect([input, toInt64(input)]).toEqual([input, expected]);
  });

  it('agrees with the plain rule on random strings of digits, signs and junk', () => {
    const random = prng(7);
    const int = (n: number) => Math.floor(random() * n);
    const alphabet = '0123456789-+ .a';
    for (let n = 0; n < 20000; n++) {
      const len = int(22);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[int(i === 0 ? alphabet.length : 11)];
      expect([s, toInt64(s)]).toEqual([s, reference(s)]);
    }
  });
});

describe('toDouble (string2d)', () => {
  it('reads short integers (its fast path) exactly as strtod does, -0 and leading zeros included', () => {
    const cases = ['0', '-0', '00', '007', '-007', '+5', '1', '-1', '42', '123456789012345', '-12345678901234', '1234567890123456'];
    for (const s of cases) expect([s, Object.is(toDouble(s), strtod(s)?.value)]).toEqual([s, true]);
    expect(Object.is(toDouble('-0'), -0)).toBe(true);
    expect(toDouble('1x')).toBeUndefined();
  });
});
