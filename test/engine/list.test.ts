/**
 * Lists: the ring buffer against a plain array model, big lists, encodings, and the reply shapes
 * a script cannot show (RESP3 nulls, COPY's independence).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { ListValue } from '../../src/engine/types/list.js';
import { encode } from '../../src/resp/encode.js';
import type { ArrayReply, Reply } from '../../src/resp/reply.js';

function contents(list: ListValue): string[] {
  return list.length === 0 ? [] : list.range(0, list.length - 1);
}

/** A small deterministic PRNG, so a failing sequence can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ListValue', () => {
  it('matches an array model under random pushes, pops, inserts, removals and trims', () => {
    const random = prng(42);
    const list = new ListValue();
    const model: string[] = [];
    // Elements that pack as small integers and ones that must stay strings.
    const pool = ['a', 'b', '0', '7', '007', '-0', '-12', '1073741823', '1073741824', '', ' 1', '1.0'];
    const pick = () => pool[Math.floor(random() * pool.length)] as string;
    for (let step = 0; step < 20_000; step++) {
      const op = random();
      if (op < 0.25) {
        const e = pick();
        list.push(e, 'head');
        model.unshift(e);
      } else if (op < 0.5) {
        const e = pick();
        list.push(e, 'tail');
        model.push(e);
      } else if (op < 0.62) {
        expect(list.pop('head')).toBe(model.shift());
      } else if (op < 0.74) {
        expect(list.pop('tail')).toBe(model.pop());
      } else if (op < 0.82) {
        const i = Math.floor(random() * (model.length + 1));
        const e = pick();
        list.insert(i, e);
        model.splice(i, 0, e);
      } else if (op < 0.87) {
        const e = pick();
        const limit = Math.floor(random() * 3);
        const fromTail = random() < 0.5;
        let removed = 0;
        const order = fromTail ? [...model.keys()].reverse() : [...model.keys()];
        const drop = new Set<number>();
        for (const i of order) {
          if (model[i] === e && (limit === 0 || removed < limit)) {
            drop.add(i);
            removed++;
          }
        }
        expect(list.remove(e, limit, fromTail)).toBe(removed);
        const kept = model.filter((_, i) => !drop.has(i));
        model.length = 0;
        model.push(...kept);
      } else if (op < 0.9) {
        const n = Math.floor(random() * 4);
        const where = random() < 0.5 ? 'head' : 'tail';
        const expected = where === 'head' ? model.splice(0, n) : model.splice(Math.max(0, model.length - n)).reverse();
        expect(list.popMany(n, where)).toEqual(expected);
      } else if (op < 0.92 && model.length > 0) {
        const i = Math.floor(random() * model.length);
        const e = pick();
        list.set(i, e);
        model[i] = e;
      } else if (op < 0.93) {
        const head = Math.floor(random() * 3);
        const tail = Math.floor(random() * 3);
        list.trim(Math.min(head, model.length), Math.min(tail, Math.max(0, model.length - head)));
        model.splice(0, Math.min(head, model.length));
        model.splice(model.length - Math.min(tail, model.length), Math.min(tail, model.length));
      }
      expect(list.length).toBe(model.length);
      if (step % 97 === 0) expect(contents(list)).toEqual(model);
    }
    expect(contents(list)).toEqual(model);
  });

  it('keeps number-like strings exactly as pushed', () => {
    const list = new ListValue();
    const elements = ['0', '-0', '00', '007', '+1', '1e3', '-', '', '2147483647', '-1073741824', '1073741823', '\x00'];
    for (const e of elements) list.push(e, 'tail');
    expect(contents(list)).toEqual(elements);
    expect(list.indexOf('007')).toBe(3);
    expect(list.indexOf('7')).toBe(-1);
    expect(list.indexOf('-0')).toBe(1);
  });

  it('encodes as quicklist, as every list in Redis 7.0', () => {
    const list = new ListValue();
    list.push('a', 'tail');
    expect(list.encoding()).toBe('quicklist');
    expect(list.type).toBe('list');
  });

  it('duplicates into an independent copy', () => {
    const list = new ListValue();
    for (const e of ['a', '1', 'b']) list.push(e, 'tail');
    const copy = list.duplicate();
    copy.push('c', 'head');
    list.set(0, 'z');
    expect(contents(copy)).toEqual(['c', 'a', '1', 'b']);
    expect(contents(list)).toEqual(['z', '1', 'b']);
  });

  it('handles a million elements with fast pushes, index access and pops at both ends', () => {
    const list = new ListValue();
    const n = 1_000_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) list.push(String(i), i % 2 ? 'head' : 'tail');
    expect(list.length).toBe(n);
    // Tail pushes were the even numbers in order; head pushes the odd ones, last first.
    expect(list.get(0)).toBe(String(n - 1));
    expect(list.get(n - 1)).toBe(String(n - 2));
    expect(list.get(n / 2)).toBe('0');
    for (let i = 0; i < 1000; i++) expect(list.get(n / 2 + i)).toBe(String(2 * i));
    expect(list.pop('head')).toBe(String(n - 1));
    expect(list.pop('tail')).toBe(String(n - 2));
    expect(list.popMany(n, 'head')).toHaveLength(n - 2);
    expect(list.length).toBe(0);
    // Generous: the point is O(1) per operation, not a benchmark.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('list commands', () => {
  let engine: Engine;
  afterEach(() => engine?.close());

  async function run(resp: 2 | 3, ...commands: string[][]): Promise<Reply[]> {
    engine = new Engine({ activeExpiry: false });
    const c = engine.connect();
    c.resp = resp;
    const replies: Reply[] = [];
    for (const argv of commands) replies.push(await c.execute(argv));
    return replies;
  }

  it('answers the nil shapes of Redis for missing keys, in RESP2 and RESP3', async () => {
    const commands = [
      ['LPOP', 'nokey'], ['LPOP', 'nokey', '2'], ['RPOP', 'nokey', '0'], ['LINDEX', 'nokey', '0'],
      ['LPOS', 'nokey', 'a'], ['LMPOP', '1', 'nokey', 'LEFT'], ['LMOVE', 'nokey', 'd', 'LEFT', 'LEFT'],
      ['BLPOP', 'nokey', '0.01'], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0.01'],
    ];
    const resp2 = (await run(2, ...commands)).map((r) => encode(r, 2));
    expect(resp2).toEqual(['$-1\r\n', '*-1\r\n', '*-1\r\n', '$-1\r\n', '$-1\r\n', '*-1\r\n', '$-1\r\n', '*-1\r\n', '*-1\r\n']);
    engine.close();
    const resp3 = (await run(3, ...commands)).map((r) => encode(r, 3));
    expect(resp3).toEqual(Array(commands.length).fill('_\r\n'));
  });

  it('answers BLMOVE inside MULTI with a plain nil, BLPOP with a null array', async () => {
    const replies = await run(2, ['MULTI'], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'nokey', 'd', '0'], ['BLPOP', 'nokey', '0'], ['EXEC']);
    expect(encode(replies[4] as Reply, 2)).toBe('*3\r\n$-1\r\n$-1\r\n*-1\r\n');
  });

  it('counts LPOP with a count as an array even for one element, and 0 as an empty array', async () => {
    const replies = await run(2, ['RPUSH', 'l', 'a', 'b'], ['LPOP', 'l', '1'], ['LPOP', 'l', '0'], ['RPOP', 'l']);
    expect(replies.map((r) => encode(r, 2))).toEqual([':2\r\n', '*1\r\n$1\r\na\r\n', '*0\r\n', '$1\r\nb\r\n']);
  });

  it('keeps a duplicated list (COPY) independent of its original, through the keyspace', async () => {
    await run(2, ['RPUSH', 'l', 'a', 'b']);
    const c = engine.connect();
    c.db.add('copy', (c.db.readAs('l', ListValue) as ListValue).duplicate());
    await c.execute(['LPUSH', 'copy', 'x']);
    await c.execute(['RPOP', 'l']);
    expect(encode(await c.execute(['LRANGE', 'l', '0', '-1']), 2)).toBe('*1\r\n$1\r\na\r\n');
    expect(encode(await c.execute(['LRANGE', 'copy', '0', '-1']), 2)).toBe('*3\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\nb\r\n');
  });

  it('runs LRANGE, LINDEX and LPOS over a million elements', async () => {
    engine = new Engine({ activeExpiry: false });
    const c = engine.connect();
    const batch = 10_000;
    for (let i = 0; i < 1_000_000; i += batch) {
      await c.execute(['RPUSH', 'big', ...Array.from({ length: batch }, (_, k) => `e${i + k}`)]);
    }
    expect(await c.execute(['LLEN', 'big'])).toEqual({ kind: 'integer', value: 1_000_000 });
    expect(await c.execute(['LINDEX', 'big', '-1'])).toEqual({ kind: 'bulk', value: 'e999999' });
    expect(await c.execute(['LINDEX', 'big', '500000'])).toEqual({ kind: 'bulk', value: 'e500000' });
    expect(await c.execute(['LPOS', 'big', 'e999998', 'RANK', '-1'])).toEqual({ kind: 'integer', value: 999_998 });
    const range = (await c.execute(['LRANGE', 'big', '0', '-1'])) as ArrayReply;
    expect(range.items).toHaveLength(1_000_000);
    expect(await c.execute(['LTRIM', 'big', '1000', '-1001'])).toEqual({ kind: 'simple', value: 'OK' });
    expect(await c.execute(['LINDEX', 'big', '0'])).toEqual({ kind: 'bulk', value: 'e1000' });
    expect(await c.execute(['LLEN', 'big'])).toEqual({ kind: 'integer', value: 998_000 });
  });
});
