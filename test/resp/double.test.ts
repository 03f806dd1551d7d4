/**
 * C's %g as Redis prints doubles (glibc: from the exact binary value, an exact half to even).
 * Expected texts are printf(1)'s: `printf '%.17g' 2163557714838309.25` prints 2163557714838309.2.
 */
import { describe, expect, it } from 'vitest';
import { formatDouble, formatG } from '../../src/resp/double.js';

describe('formatG', () => {
  it('rounds an exact half to even, as glibc does', () => {
    expect(formatDouble(2163557714838309.25)).toBe('2163557714838309.2');
    expect(formatDouble(2163557714838309.75)).toBe('2163557714838309.8');
    expect(formatDouble(-2163557714838309.25)).toBe('-2163557714838309.2');
    expect([formatG(0.125, 2), formatG(0.375, 2), formatG(2.5, 1), formatG(3.5, 1), formatG(9.5, 1), formatG(95, 1)])
      .toEqual(['0.12', '0.38', '2', '4', '1e+01', '1e+02']);
  });

  it('prints what is no tie as before', () => {
    expect([1.1, 0.1 + 0.2, 1e300, 5e-324, 1.5e-7, 123456789012345678, 0.5, -0, 1e21].map(formatDouble)).toEqual([
      '1.1000000000000001', '0.30000000000000004', '1.0000000000000001e+300', '4.9406564584124654e-324',
      '1.4999999999999999e-07', '1.2345678901234568e+17', '0.5', '-0', '1e+21',
    ]);
  });
});
