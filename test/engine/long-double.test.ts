/**
 * long-double.ts against Redis 7.0.15 on x86-64. Each row is `SET f <start>` then
 * `INCRBYFLOAT f <increment>` as redis-cli printed it (the 1e300 row shows the 80-bit rounding a
 * double would not give; the two "…2" rows show "%.17Lf" rounding half to even).
 */
import { describe, expect, it } from 'vitest';
import {
  addLongDouble, formatLongDouble, isFiniteLongDouble, parseLongDouble,
} from '../../src/engine/long-double.js';

const NOT_FLOAT = 'ERR value is not a valid float';
const NAN_OR_INF = 'ERR increment would produce NaN or Infinity';

const FROM_REDIS: readonly (readonly [string, string, string])[] = [
  ['10.1', '0.2', '10.3'],
  ['10.1', '5.0e3', '5010.10000000000000009'],
  ['0', '1e300', '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144'],
  ['-0.0', '-0.0', '0'],
  ['0', '-1e-20', '0'],
  ['0', '3.814697265625e-06', '0.00000381469726562'],
  ['0', '0x1.8p3', '12'],
  ['0', '1e4933', NOT_FLOAT],
  ['0', '1e-4950', '0'],
  ['0', '1e-4952', NOT_FLOAT],
  ['0', 'inf', NAN_OR_INF],
  ['inf', '-inf', NAN_OR_INF],
  ['0', 'nan', NOT_FLOAT],
  ['0', ' 1', NOT_FLOAT],
  ['0', '1 ', NOT_FLOAT],
  ['0', '1.5e-17', '0.00000000000000002'],
  ['0', '2.5e-17', '0.00000000000000002'],
  ['12345678901234567890', '1', '12345678901234567891'],
  ['0', '0x', NOT_FLOAT],
  ['0', '1e', NOT_FLOAT],
  ['0', '+.5', '0.5'],
  ['0', '1.', '1'],
  ['0', '.', NOT_FLOAT],
  ['0', '0x1p-16445', '0'],
  ['0', '0x1p-16446', NOT_FLOAT],
  ['1e4932', '1e4932', NAN_OR_INF],
  ['0', '0X.8P+1', '1'],
  ['0', 'INFINITY', NAN_OR_INF],
  ['0', 'infin', NOT_FLOAT],
  ['0', '1e99999999999999999999', NOT_FLOAT],
  ['0', '0e99999999999999', '0'],
  ['36893488147419103232', '3', '36893488147419103236'],
  ['36893488147419103232', '5', '36893488147419103236'],
  ['1.23456789012345678901234567890', '0', '1.23456789012345679'],
  ['0.1', '0.2', '0.3'],
  ['1', '1e-30', '1'],
  ['792e12', '-741.25397e-3', '791999999999999.25872802734375'],
  ['1e10', '-1e-10', '10000000000'],
];

/** What INCRBYFLOAT does with the two strings. */
function incrbyfloat(start: string, increment: string): string {
  const value = parseLongDouble(start);
  const incr = parseLongDouble(increment);
  if (value === undefined || incr === undefined) return NOT_FLOAT;
  const sum = addLongDouble(value, incr);
  return isFiniteLongDouble(sum) ? formatLongDouble(sum) : NAN_OR_INF;
}

describe('long double', () => {
  it.each(FROM_REDIS)('SET f %s, INCRBYFLOAT f %s → %s', (start, increment, expected) => {
    expect(incrbyfloat(start, increment)).toBe(expected);
  });

  it('rejects what string2ld rejects', () => {
    for (const s of ['', ' 1', '1\0', 'nan', '-nan', 'abc', '1e5x', '0x1p', '+', '-', 'x'.repeat(5120)]) {
      expect(parseLongDouble(s), JSON.stringify(s)).toBeUndefined();
    }
    expect(parseLongDouble('0.' + '1'.repeat(5117))).toBeDefined();
    expect(parseLongDouble('0.' + '1'.repeat(5118))).toBeUndefined();
  });

  it('formats infinities and keeps the sign of zero out of the text', () => {
    expect(formatLongDouble(parseLongDouble('-inf') as never)).toBe('-inf');
    expect(formatLongDouble(parseLongDouble('inf') as never)).toBe('inf');
    expect(formatLongDouble(parseLongDouble('-0') as never)).toBe('0');
    expect(formatLongDouble(parseLongDouble('-1e-18') as never)).toBe('0');
    expect(formatLongDouble(parseLongDouble('-1e-17') as never)).toBe('-0.00000000000000001');
  });
});
