/**
 * Coalesced saves: the first at once, a burst written once at the end of the interval (the latest
 * value), flush() writes what waits, and a failed write is told and tried again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescingSaver } from '../../src/progress/saver.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function saver(fail: () => boolean = () => false) {
  const written: number[] = [];
  const late: unknown[] = [];
  const s = new CoalescingSaver<number>((v) => {
    if (fail()) throw new Error('disk full');
    written.push(v);
  }, (e) => late.push(e), 250, () => Date.now());
  return { s, written, late };
}

describe('coalesced saves', () => {
  it('writes the first save at once and a burst once, at the end of the interval', () => {
    const { s, written } = saver();
    s.save(1);
    expect(written).toEqual([1]);
    for (let v = 2; v <= 40; v++) {
      vi.advanceTimersByTime(5);
      s.save(v);
    }
    expect(written).toEqual([1]);
    expect(s.pending).toBe(true);
    vi.advanceTimersByTime(250);
    expect(written).toEqual([1, 40]);
    expect(s.pending).toBe(false);
    // After a quiet interval the next save is written at once again.
    vi.advanceTimersByTime(300);
    s.save(41);
    expect(written).toEqual([1, 40, 41]);
  });

  it('never writes more often than once per interval', () => {
    const { s, written } = saver();
    const times: number[] = [];
    const start = Date.now();
    for (let t = 0; t < 2000; t += 10) {
      s.save(t);
      const before = written.length;
      vi.advanceTimersByTime(10);
      if (written.length > before) times.push(Date.now() - start);
    }
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(250);
    expect(written.length).toBeLessThanOrEqual(Math.ceil(2000 / 250) + 1);
  });

  it('flush() writes what waits now (quit, exit), and nothing when nothing waits', () => {
    const { s, written } = saver();
    s.save(1);
    s.save(2);
    s.flush();
    expect(written).toEqual([1, 2]);
    s.flush();
    vi.advanceTimersByTime(1000);
    expect(written).toEqual([1, 2]);
  });

  it('throws a failure to write at once, tells a late one, and keeps the value for the next try', () => {
    let failing = true;
    const { s, written, late } = saver(() => failing);
    expect(() => s.save(1)).toThrow('disk full');
    expect(s.pending).toBe(true);
    s.save(2);
    vi.advanceTimersByTime(250);
    expect(late).toHaveLength(1);
    expect(s.pending).toBe(true);
    failing = false;
    s.flush();
    expect(written).toEqual([2]);
  });
});
