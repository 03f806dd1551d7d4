/**
 * The quicklist behind lists, against a plain array model: thousands of seeded random operations
 * of every kind, over elements small and big, empty and binary, checking the structure's own
 * invariants (node limits, packed bounds, links) as it goes. Then what the model cannot show:
 * memory per element, elements far bigger than a node, and the cost of long lists.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ListEnd } from '../../src/engine/types/list.js';
import { NODE_BYTES, Quicklist } from '../../src/engine/types/quicklist.js';
import { prng } from '../helpers/prng.js';

function contents(list: Quicklist): string[] {
  return list.length === 0 ? [] : list.range(0, list.length - 1);
}

/** Every byte value, so that packing is shown not to care what the bytes are. */
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

/** The array model of LREM. */
function modelRemove(model: string[], element: string, limit: number, fromTail: boolean): number {
  let removed = 0;
  const keep = new Array<boolean>(model.length).fill(true);
  for (let j = 0; j < model.length && (limit === 0 || removed < limit); j++) {
    const i = fromTail ? model.length - 1 - j : j;
    if (model[i] === element) {
      keep[i] = false;
      removed++;
    }
  }
  const kept = model.filter((_, i) => keep[i]);
  model.length = 0;
  model.push(...kept);
  return removed;
}

/** The array model of LPOS-style search: matching indexes, until `stopAfter` of them. */
function modelSearch(model: string[], element: string, fromTail: boolean, maxlen: number, stopAfter: number): number[] {
  const found: number[] = [];
  const n = maxlen === 0 ? model.length : Math.min(maxlen, model.length);
  for (let k = 0; k < n && found.length < stopAfter; k++) {
    const i = fromTail ? model.length - 1 - k : k;
    if (model[i] === element) found.push(i);
  }
  return found;
}

/**
 * Runs `steps` random operations on a quicklist and on the model, comparing them, and checks that
 * the list grew past `minNodes` nodes at some point. Pushes come in runs of up to `pushRun`.
 */
function randomOps(seed: number, steps: number, pick: (random: () => number) => string, pushBias: number, pushRun: number, minNodes: number): void {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const list = new Quicklist();
  const model: string[] = [];
  let maxNodes = 0;
  for (let step = 0; step < steps; step++) {
    const where: ListEnd = random() < 0.5 ? 'head' : 'tail';
    const op = random();
    if (op < pushBias) {
      // Runs of pushes, as LPUSH/RPUSH with many elements make.
      for (let n = 1 + int(pushRun); n > 0; n--) {
        const e = pick(random);
        list.push(e, where);
        if (where === 'head') model.unshift(e);
        else model.push(e);
      }
    } else if (op < pushBias + 0.15) {
      expect(list.pop(where)).toBe(where === 'head' ? model.shift() : model.pop());
    } else if (op < pushBias + 0.22) {
      const n = int(40);
      const expected = where === 'head' ? model.splice(0, n) : model.splice(Math.max(0, model.length - n)).reverse();
      expect(list.popMany(n, where)).toEqual(expected);
    } else if (op < pushBias + 0.32) {
      const i = int(model.length + 1);
      const e = pick(random);
      list.insert(i, e);
      model.splice(i, 0, e);
    } else if (op < pushBias + 0.42) {
      if (model.length > 0) {
        const i = int(model.length);
        const e = pick(random);
        list.set(i, e);
        model[i] = e;
      }
    } else if (op < pushBias + 0.5) {
      // Remove something present (or, sometimes, absent), from either side, with or without a limit.
      const e = model.length > 0 && random() < 0.8 ? (model[int(model.length)] as string) : pick(random);
      const limit = random() < 0.3 ? 0 : 1 + int(5);
      const fromTail = random() < 0.5;
      expect(list.remove(e, limit, fromTail)).toBe(modelRemove(model, e, limit, fromTail));
    } else if (op < pushBias + 0.53) {
      const head = int(Math.min(model.length, 30) + 1);
      const tail = int(Math.min(model.length - head, 30) + 1);
      list.trim(head, tail);
      model.splice(0, head);
      model.splice(model.length - tail, tail);
    } else if (op < pushBias + 0.63) {
      if (model.length > 0) {
        const start = int(model.length);
        const end = start + int(Math.min(model.length - start, 500));
        const reverse = random() < 0.3;
        const expected = model.slice(start, end + 1);
        if (reverse) expected.reverse();
        expect(list.range(start, end, reverse)).toEqual(expected);
        const i = int(model.length);
        expect(list.get(i)).toBe(model[i]);
      }
    } else if (op < pushBias + 0.73) {
      const e = model.length > 0 && random() < 0.7 ? (model[int(model.length)] as string) : pick(random);
      const fromTail = random() < 0.5;
      const maxlen = random() < 0.5 ? 0 : int(model.length + 5);
      const stopAfter = 1 + int(4);
      const found: number[] = [];
      list.search(e, fromTail, maxlen, (index) => {
        found.push(index);
        return found.length < stopAfter;
      });
      expect(found).toEqual(modelSearch(model, e, fromTail, maxlen, stopAfter));
      expect(list.indexOf(e)).toBe(model.indexOf(e));
    } else if (op < pushBias + 0.75) {
      // A copy shares nothing: changing it leaves the original as it was.
      const copy = list.duplicate();
      copy.push('copy', 'head');
      if (copy.length > 1) copy.set(copy.length - 1, 'changed');
      copy.checkIntegrity();
    }
    expect(list.length).toBe(model.length);
    maxNodes = Math.max(maxNodes, list.nodes);
    if (step % 25 === 0) {
      list.checkIntegrity();
      expect(contents(list)).toEqual(model);
    }
  }
  list.checkIntegrity();
  expect(contents(list)).toEqual(model);
  // The list really grew past a few nodes, so that packing, splits and merges were exercised.
  expect(maxNodes).toBeGreaterThanOrEqual(minNodes);
}

describe('Quicklist against an array model', () => {
  it('small elements: numbers, words, empty strings, every byte value', () => {
    const pool = ['', '0', '-1', '007', 'a', 'item:12345', '\x00', '\xff', '\r\n', ALL_BYTES.slice(0, 40), ALL_BYTES.slice(200)];
    randomOps(1, 4000, (random) => (random() < 0.3 ? `e${Math.floor(random() * 50)}` : (pool[Math.floor(random() * pool.length)] as string)), 0.4, 60, 5);
  });

  it('mixed sizes: medium elements that fill nodes fast, and big ones that stay alone', () => {
    const pick = (random: () => number): string => {
      const r = random();
      if (r < 0.6) return `v${Math.floor(random() * 30)}`;
      if (r < 0.85) return ALL_BYTES.repeat(1 + Math.floor(random() * 12)).slice(Math.floor(random() * 256));
      if (r < 0.95) return 'm'.repeat(NODE_BYTES / 2 - 10 + Math.floor(random() * 20));
      return String.fromCharCode(Math.floor(random() * 256)).repeat(NODE_BYTES + Math.floor(random() * 30_000));
    };
    randomOps(2, 2500, pick, 0.3, 20, 20);
  });

  it('mostly empty strings (the most elements a node can hold)', () => {
    randomOps(3, 1500, (random) => (random() < 0.95 ? '' : 'x'), 0.45, 300, 4);
  });

  it('many seeds, short runs', () => {
    for (let seed = 10; seed < 40; seed++) {
      randomOps(seed, 400, (random) => (random() < 0.9 ? String(Math.floor(random() * 8)) : 'x'.repeat(Math.floor(random() * 3000))), 0.3, 20, 3);
    }
  });
});

describe('Quicklist', () => {
  it('packs a long list of small elements into nodes of about NODE_BYTES', () => {
    const list = new Quicklist();
    for (let i = 0; i < 100_000; i++) list.push(`item:${i}`, i % 2 ? 'head' : 'tail');
    list.checkIntegrity();
    // 100,000 elements of 6 to 10 bytes (plus 2 each) fill about 120 nodes of 8 KB.
    expect(list.nodes).toBeGreaterThan(100);
    expect(list.nodes).toBeLessThan(160);
    expect(list.get(50_000)).toBe('item:0');
    expect(list.get(0)).toBe('item:99999');
    expect(list.get(99_999)).toBe('item:99998');
  });

  it('keeps an element far bigger than a node whole, and uncopied, in a node of its own', () => {
    const big = 'x'.repeat(16 * 1024 * 1024) + ALL_BYTES;
    const list = new Quicklist();
    for (let i = 0; i < 1000; i++) list.push(`a${i}`, 'tail');
    list.push(big, 'tail');
    for (let i = 0; i < 1000; i++) list.push(`b${i}`, 'tail');
    list.insert(500, big);
    list.checkIntegrity();
    expect(list.get(1000 + 1)).toBe(big);
    expect(list.get(500)).toBe(big);
    expect(list.indexOf(big)).toBe(500);
    expect(list.remove(big, 0, true)).toBe(2);
    list.set(3, big);
    expect(list.range(2, 4)).toEqual(['a2', big, 'a4']);
    list.checkIntegrity();
    expect(list.length).toBe(2000);
  });

  it('costs far less memory than a string per element', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const measure = (build: () => unknown): number => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = build();
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      expect(kept).toBeDefined();
      return grown;
    };
    const n = 300_000;
    // Fresh strings each time, as a client's arguments are; 11-12 characters each.
    const packed = measure(() => {
      const list = new Quicklist();
      for (let i = 0; i < n; i++) list.push(`item:${1_000_000 + i}`, i % 3 ? 'tail' : 'head');
      return list;
    });
    const strings = measure(() => Array.from({ length: n }, (_, i) => `item:${1_000_000 + i}`));
    // A string per element costs 32 bytes plus an 8-byte slot; packed, 12 bytes plus 2 of bounds.
    expect(packed / n).toBeLessThan(18);
    expect(packed).toBeLessThan(strings / 2);
  });

  it('pushes, pops and reads by index in O(1) amortized per element, also over a million elements', () => {
    const list = new Quicklist();
    const n = 1_000_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) list.push(String(i), i % 2 ? 'head' : 'tail');
    expect(list.range(n / 2, n / 2 + 999)).toEqual(Array.from({ length: 1000 }, (_, i) => String(2 * i)));
    expect(list.range(0, 2, true)).toEqual([String(n - 5), String(n - 3), String(n - 1)]);
    list.trim(1000, 1000);
    expect(list.length).toBe(n - 2000);
    expect(list.popMany(n, 'tail')).toHaveLength(n - 2000);
    expect(list.length).toBe(0);
    expect(list.nodes).toBe(0);
    expect(list.pop('head')).toBeUndefined();
    // Generous: the point is that nothing here is quadratic.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
