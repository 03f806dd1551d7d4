/**
 * The skiplist under ZSetValue, checked against a plain sorted array through many random
 * operations: order, spans (rank and byRank), ranges and range deletions.
 */
import { describe, expect, it } from 'vitest';
import { LEX_MAX, LEX_MIN, ZSkipList, type ScoreRange } from '../../src/engine/types/skiplist.js';

interface Item { member: string; score: number }

const order = (a: Item, b: Item) => (a.score - b.score) || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0);

function contents(zsl: ZSkipList): Item[] {
  return [...zsl].map((n) => ({ member: n.member, score: n.score }));
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ZSkipList', () => {
  it('keeps order, ranks and backward links through random inserts, updates and deletes', () => {
    const rnd = random(42);
    const zsl = new ZSkipList();
    const model = new Map<string, number>();
    for (let step = 0; step < 4000; step++) {
      const member = `m${Math.floor(rnd() * 600)}`;
      const score = Math.floor(rnd() * 50) / 2;
      const current = model.get(member);
      const action = rnd();
      if (current === undefined) {
        zsl.insert(score, member);
        model.set(member, score);
      } else if (action < 0.5) {
        zsl.updateScore(current, member, score);
        model.set(member, score);
      } else {
        expect(zsl.delete(current, member)).toBe(true);
        model.delete(member);
      }
    }
    const expected = [...model].map(([member, score]) => ({ member, score })).sort(order);
    expect(contents(zsl)).toEqual(expected);
    expect(zsl.length).toBe(expected.length);
    expected.forEach((item, i) => {
      expect(zsl.rank(item.score, item.member)).toBe(i + 1);
      expect(zsl.byRank(i + 1)?.member).toBe(item.member);
    });
    expect(zsl.byRank(0)).toBeNull();
    expect(zsl.byRank(expected.length + 1)).toBeNull();
    expect(zsl.rank(1e9, 'nosuch')).toBe(0);
    const backwards: string[] = [];
    for (let n = zsl.last; n; n = n.backward) backwards.push(n.member);
    expect(backwards).toEqual(expected.map((i) => i.member).reverse());
  });

  it('finds the first and last element of score ranges, open or closed', () => {
    const zsl = new ZSkipList();
    [1, 2, 2, 3, 5, 8].forEach((score, i) => zsl.insert(score, `e${i}`));
    const range = (min: number, max: number, minex = false, maxex = false): ScoreRange => ({ min, max, minex, maxex });
    expect(zsl.firstInRange(range(2, 5))?.member).toBe('e1');
    expect(zsl.lastInRange(range(2, 5))?.member).toBe('e4');
    expect(zsl.firstInRange(range(2, 5, true))?.member).toBe('e3');
    expect(zsl.lastInRange(range(2, 5, false, true))?.member).toBe('e3');
    expect(zsl.firstInRange(range(6, 7))).toBeNull();
    expect(zsl.firstInRange(range(5, 2))).toBeNull();
    expect(zsl.firstInRange(range(3, 3, true))).toBeNull();
    expect(zsl.lastInRange(range(-Infinity, Infinity))?.member).toBe('e5');
  });

  it('deletes ranges by score, lex and rank, reporting each removed node', () => {
    const build = () => {
      const zsl = new ZSkipList();
      for (let i = 0; i < 300; i++) zsl.insert(i % 10, `k${String(i).padStart(3, '0')}`);
      return zsl;
    };
    let zsl = build();
    const removed: string[] = [];
    expect(zsl.deleteRangeByScore({ min: 3, max: 5, minex: false, maxex: true }, (n) => removed.push(n.member))).toBe(60);
    expect(removed.length).toBe(60);
    expect([...zsl].every((n) => n.score < 3 || n.score >= 5)).toBe(true);
    expect(zsl.length).toBe(240);

    zsl = build();
    expect(zsl.deleteRangeByRank(11, 20, () => undefined)).toBe(10);
    expect(zsl.length).toBe(290);
    expect([...zsl].map((n, i) => zsl.rank(n.score, n.member) === i + 1).every(Boolean)).toBe(true);

    const lex = new ZSkipList();
    for (const m of ['a', 'b', 'c', 'd', 'e']) lex.insert(0, m);
    expect(lex.deleteRangeByLex({ min: 'b', max: 'd', minex: false, maxex: true }, () => undefined)).toBe(2);
    expect([...lex].map((n) => n.member)).toEqual(['a', 'd', 'e']);
    expect(lex.firstInLexRange({ min: LEX_MIN, max: LEX_MAX, minex: true, maxex: true })?.member).toBe('a');
    expect(lex.lastInLexRange({ min: LEX_MIN, max: 'd', minex: true, maxex: true })?.member).toBe('a');
  });

  it('handles many elements with logarithmic work', () => {
    const zsl = new ZSkipList();
    const n = 200_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) zsl.insert((i * 7919) % n, `m${i}`);
    for (let i = 0; i < n; i += 97) expect(zsl.byRank(i + 1)?.score).toBe(i);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
