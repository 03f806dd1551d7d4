/**
 * Streams where a script cannot show the answer: `*` IDs from the engine clock, idle and delivery
 * times, XAUTOCLAIM by idle time, RESP3 shapes, copies, and blocking XREAD/XREADGROUP with several
 * clients. Blocking behaviour checked against redis-server 7.0.15 with two redis-cli sessions:
 * a DEL of the key answers a blocked XREADGROUP "UNBLOCKED the stream key no longer exists", an
 * XGROUP DESTROY "NOGROUP the consumer group this client was blocked on no longer exists".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine, ManualClock } from '../../src/engine/index.js';
import type { Client } from '../../src/engine/index.js';
import { StreamValue } from '../../src/engine/types/stream.js';
import { formatId, makeId, parseStreamId, string2ull } from '../../src/engine/types/stream-id.js';
import { raxNodeCount, StreamNode } from '../../src/engine/types/stream-nodes.js';
import {
  array, bulk, bulkArray, error, integer, map, NIL, NIL_ARRAY, OK, type Reply,
} from '../../src/resp/reply.js';

function track(reply: Reply | Promise<Reply>): { settled: () => boolean; promise: Promise<Reply> } {
  let done = false;
  const promise = Promise.resolve(reply).then((r) => {
    done = true;
    return r;
  });
  return { settled: () => done, promise };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

const entry = (id: string, ...fields: string[]) => array([bulk(id), bulkArray(fields)]);
const streamReply = (key: string, ...entries: Reply[]) => array([array([bulk(key), array(entries)])]);

describe('streams', () => {
  const T0 = 1_700_000_000_000;
  let clock: ManualClock;
  let engine: Engine;
  let c: Client;
  let d: Client;
  let e: Client;
  beforeEach(() => {
    clock = new ManualClock(T0);
    engine = new Engine({ activeExpiry: false, clock });
    c = engine.connect();
    d = engine.connect();
    e = engine.connect();
  });
  afterEach(() => engine.close());

  describe('IDs', () => {
    it('generates * IDs from the engine clock, monotonic when the clock stalls or steps back', async () => {
      expect(await c.execute(['XADD', 's', '*', 'f', 'v'])).toEqual(bulk(`${T0}-0`));
      expect(await c.execute(['XADD', 's', '*', 'f', 'v'])).toEqual(bulk(`${T0}-1`));
      clock.advance(-5000);
      expect(await c.execute(['XADD', 's', '*', 'f', 'v'])).toEqual(bulk(`${T0}-2`));
      clock.set(T0 + 7);
      expect(await c.execute(['XADD', 's', '*', 'f', 'v'])).toEqual(bulk(`${T0 + 7}-0`));
      expect(await c.execute(['XADD', 's', `${T0 + 7}-*`, 'f', 'v'])).toEqual(bulk(`${T0 + 7}-1`));
      expect(await c.execute(['XADD', 's', `${T0 + 9}-*`, 'f', 'v'])).toEqual(bulk(`${T0 + 9}-0`));
      expect(await c.execute(['XADD', 's', '*', 'f', 'v'])).toEqual(bulk(`${T0 + 9}-1`));
      expect(await c.execute(['XLEN', 's'])).toEqual(integer(7));
    });

    it('carries a full sequence into the next millisecond for * IDs', async () => {
      await c.execute(['XADD', 's', `${T0}-18446744073709551615`, 'f', 'v']);
      expect(await c.execute(['XADD', 's', '*', 'f', 'v'])).toEqual(bulk(`${T0 + 1}-0`));
    });

    it('reads IDs as string2ull does', () => {
      expect(string2ull('007')).toBe(7n);
      expect(string2ull(' +5')).toBe(5n);
      expect(string2ull('-01')).toBe(2n ** 64n - 1n);
      expect(string2ull('-1')).toBeUndefined();
      expect(string2ull('18446744073709551616')).toBeUndefined();
      expect(formatId(parseStreamId('5', 9n).id)).toBe('5-9');
      expect(formatId(parseStreamId('+', 0n).id)).toBe('18446744073709551615-18446744073709551615');
      // Halves up to 2^53 - 1 print as numbers, larger ones as bigints: both exact.
      for (const text of ['9007199254740991-9007199254740991', '9007199254740992-0', '9007199254740993-1', '0-9007199254740993']) {
        expect(formatId(parseStreamId(text, 0n).id)).toBe(text);
      }
      expect(() => parseStreamId('-', 0n, true)).toThrow('Invalid stream ID');
    });

    it('counts radix tree nodes as rax does', () => {
      expect(raxNodeCount([])).toBe(1);
      expect(raxNodeCount([makeId(1n, 0n)])).toBe(2);
      expect(raxNodeCount([makeId(1n, 0n), makeId(2n, 0n)])).toBe(6);
      expect(raxNodeCount([makeId(1n, 0n), makeId(2n, 0n), makeId(1000000000n, 0n)])).toBe(10);
      // Keys that differ in their first byte: a branching root, two chains, two leaves.
      expect(raxNodeCount([makeId(1n, 0n), makeId(1n << 63n, 0n)])).toBe(5);
    });

    it("keeps an entry with its node's master fields as values only, and gives its fields back", () => {
      const node = new StreamNode(makeId(1n, 0n), ['a', 'b']);
      const cases: [string[], boolean][] = [
        [['a', '1', 'b', '2'], true], [['a', '1'], false], [['b', '1', 'a', '2'], false], [['a', '1', 'b', '2', 'c', '3'], false],
      ];
      cases.forEach(([fields, same], i) => {
        const at = node.append(makeId(1n, BigInt(i)), fields);
        expect([node.entryAt(at), node.hasMasterFields(at)]).toEqual([{ id: makeId(1n, BigInt(i)), fields }, same]);
      });
      node.markDeleted(1);
      const copy = node.clone();
      cases.forEach(([fields], i) => expect([copy.fieldsAt(i), copy.isDeleted(i)]).toEqual([fields, i === 1]));
      expect([copy.live, copy.deletedCount, copy.bytes()]).toEqual([3, 1, node.bytes()]);
      // Many entries, long and binary values, and IDs past 2^64 milliseconds' half.
      const big = new StreamNode(makeId(3n, 0n), ['f']);
      const binary = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b)).join('');
      const many = Array.from({ length: 300 }, (_, k): [bigint, string[]] => [
        makeId(k < 299 ? 3n : 2n ** 64n - 1n, BigInt(k)),
        k % 3 === 0 ? ['f', binary.slice(k % 256)] : k % 3 === 1 ? ['f', 'x'.repeat(k)] : ['g', String(k), 'f', ''],
      ]);
      for (const [id, fields] of many) big.append(id, fields);
      const bigCopy = big.clone();
      many.forEach(([id, fields], k) => {
        expect(big.entryAt(k)).toEqual({ id, fields });
        expect(bigCopy.entryAt(k)).toEqual({ id, fields });
      });
      expect(big.lowerBound(makeId(3n, 150n))).toBe(150);
      expect(big.lastEntryId()).toBe(makeId(2n ** 64n - 1n, 299n));
      const single = new StreamNode(makeId(2n, 0n), ['f']);
      expect(single.fieldsAt(single.append(makeId(2n, 0n), ['f', 'v']))).toEqual(['f', 'v']);
      expect(single.fieldsAt(single.append(makeId(2n, 1n), ['g', 'v']))).toEqual(['g', 'v']);
    });
  });

  describe('consumer groups and time', () => {
    beforeEach(async () => {
      for (let i = 1; i <= 4; i++) await c.execute(['XADD', 's', `${i}-0`, 'f', String(i)]);
      await c.execute(['XGROUP', 'CREATE', 's', 'g', '0']);
    });

    it('reports idle times and delivery counts from the engine clock', async () => {
      await c.execute(['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>']);
      clock.advance(1500);
      expect(await c.execute(['XPENDING', 's', 'g', '-', '+', '10'])).toEqual(array([
        array([bulk('1-0'), bulk('alice'), integer(1500), integer(1)]),
        array([bulk('2-0'), bulk('alice'), integer(1500), integer(1)]),
      ]));
      expect(await c.execute(['XPENDING', 's', 'g', 'IDLE', '2000', '-', '+', '10'])).toEqual(array([]));
      expect(await c.execute(['XINFO', 'CONSUMERS', 's', 'g'])).toEqual(array([
        map([[bulk('name'), bulk('alice')], [bulk('pending'), integer(2)], [bulk('idle'), integer(1500)]]),
      ]));
      // Reading the history again counts a delivery and restarts the idle time.
      await c.execute(['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0']);
      clock.advance(10);
      expect(await c.execute(['XPENDING', 's', 'g', '-', '+', '1', 'alice'])).toEqual(array([
        array([bulk('1-0'), bulk('alice'), integer(10), integer(2)]),
      ]));
      // A clock that steps back shows idle 0, never negative.
      clock.advance(-100_000);
      expect(await c.execute(['XPENDING', 's', 'g', '-', '+', '1'])).toEqual(array([
        array([bulk('1-0'), bulk('alice'), integer(0), integer(2)]),
      ]));
    });

    it('claims by idle time with XCLAIM (IDLE, TIME, RETRYCOUNT) and XAUTOCLAIM', async () => {
      await c.execute(['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>']);
      clock.advance(1000);
      await c.execute(['XCLAIM', 's', 'g', 'bob', '0', '4-0', 'JUSTID']);
      clock.advance(1000);
      expect(await c.execute(['XCLAIM', 's', 'g', 'bob', '1500', '3-0', '4-0', 'JUSTID'])).toEqual(bulkArray(['3-0']));
      expect(await c.execute(['XCLAIM', 's', 'g', 'carol', '0', '2-0', 'IDLE', '300', 'RETRYCOUNT', '7'])).toEqual(array([entry('2-0', 'f', '2')]));
      expect(await c.execute(['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'TIME', String(T0), 'JUSTID'])).toEqual(bulkArray(['1-0']));
      expect(await c.execute(['XPENDING', 's', 'g', '-', '+', '10'])).toEqual(array([
        array([bulk('1-0'), bulk('carol'), integer(2000), integer(1)]),
        array([bulk('2-0'), bulk('carol'), integer(300), integer(7)]),
        array([bulk('3-0'), bulk('bob'), integer(0), integer(1)]),
        array([bulk('4-0'), bulk('bob'), integer(1000), integer(1)]),
      ]));
      // XAUTOCLAIM takes entries idle at least 500ms, from the start ID, COUNT at a time.
      expect(await c.execute(['XAUTOCLAIM', 's', 'g', 'dave', '500', '0', 'COUNT', '1'])).toEqual(array([
        bulk('2-0'), array([entry('1-0', 'f', '1')]), array([]),
      ]));
      await c.execute(['XDEL', 's', '2-0']);
      expect(await c.execute(['XAUTOCLAIM', 's', 'g', 'dave', '500', '2-0', 'JUSTID'])).toEqual(array([
        bulk('0-0'), bulkArray(['4-0']), bulkArray(['2-0']),
      ]));
      expect(await c.execute(['XPENDING', 's', 'g'])).toEqual(array([
        integer(3), bulk('1-0'), bulk('4-0'), array([bulkArray(['bob', '1']), bulkArray(['dave', '2'])]),
      ]));
      expect(await c.execute(['XPENDING', 's', 'g', '-', '+', '10', 'dave'])).toEqual(array([
        array([bulk('1-0'), bulk('dave'), integer(0), integer(2)]),
        array([bulk('4-0'), bulk('dave'), integer(0), integer(1)]),
      ]));
    });

    it('shows absolute times in XINFO STREAM FULL', async () => {
      await c.execute(['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>']);
      const reply = await c.execute(['XINFO', 'STREAM', 's', 'FULL']);
      expect(reply.kind).toBe('map');
      const groups = (reply as { entries: readonly (readonly [Reply, Reply])[] }).entries.find(([k]) => k.kind === 'bulk' && k.value === 'groups');
      expect(groups?.[1]).toEqual(array([map([
        [bulk('name'), bulk('g')],
        [bulk('last-delivered-id'), bulk('1-0')],
        [bulk('entries-read'), integer(1)],
        [bulk('lag'), integer(3)],
        [bulk('pel-count'), integer(1)],
        [bulk('pending'), array([array([bulk('1-0'), bulk('alice'), integer(T0), integer(1)])])],
        [bulk('consumers'), array([map([
          [bulk('name'), bulk('alice')],
          [bulk('seen-time'), integer(T0)],
          [bulk('pel-count'), integer(1)],
          [bulk('pending'), array([array([bulk('1-0'), integer(T0), integer(1)])])],
        ])])],
      ])]));
    });

    it('copies groups, consumers and pending entries with COPY, sharing nothing', async () => {
      await c.execute(['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>']);
      expect(await c.execute(['COPY', 's', 't'])).toEqual(integer(1));
      await c.execute(['XACK', 's', 'g', '1-0']);
      await c.execute(['XDEL', 's', '2-0']);
      expect(await c.execute(['XPENDING', 't', 'g'])).toEqual(array([
        integer(2), bulk('1-0'), bulk('2-0'), array([bulkArray(['alice', '2'])]),
      ]));
      expect(await c.execute(['XLEN', 't'])).toEqual(integer(4));
      const t = c.db.dict.get('t');
      expect(t).toBeInstanceOf(StreamValue);
      expect(await c.execute(['OBJECT', 'ENCODING', 't'])).toEqual(bulk('stream'));
    });

    it('answers RESP3 maps for XREAD and XINFO', async () => {
      await c.execute(['HELLO', '3']);
      expect(await c.execute(['XREAD', 'COUNT', '1', 'STREAMS', 's', '0'])).toEqual(map([[bulk('s'), array([entry('1-0', 'f', '1')])]]));
      expect(await c.execute(['XINFO', 'GROUPS', 's'])).toEqual(array([map([
        [bulk('name'), bulk('g')],
        [bulk('consumers'), integer(0)],
        [bulk('pending'), integer(0)],
        [bulk('last-delivered-id'), bulk('0-0')],
        [bulk('entries-read'), NIL],
        [bulk('lag'), integer(4)],
      ])]));
    });
  });

  describe('blocking reads', () => {
    it('serves XREAD BLOCK waiters in order with an XADD from another client', async () => {
      await c.execute(['XADD', 's', '1-0', 'f', 'old']);
      const first = track(d.execute(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']));
      const second = track(e.execute(['XREAD', 'BLOCK', '0', 'COUNT', '1', 'STREAMS', 'other', 's', '0', '$']));
      await flush();
      expect(first.settled()).toBe(false);
      expect(engine.blocking.blockedCount).toBe(2);
      expect(await c.execute(['XADD', 's', '2-0', 'f', 'new'])).toEqual(bulk('2-0'));
      expect(await first.promise).toEqual(streamReply('s', entry('2-0', 'f', 'new')));
      expect(await second.promise).toEqual(streamReply('s', entry('2-0', 'f', 'new')));
      expect(engine.blocking.blockedCount).toBe(0);
    });

    it('times out with a null array, in milliseconds', async () => {
      const started = performance.now();
      expect(await d.execute(['XREAD', 'BLOCK', '100', 'STREAMS', 's', '$'])).toEqual(NIL_ARRAY);
      expect(performance.now() - started).toBeGreaterThanOrEqual(80);
      expect(await d.execute(['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '$'])).toEqual(error('ERR timeout is negative'));
    });

    it('hands new entries to blocked XREADGROUP consumers one batch each, oldest waiter first', async () => {
      await c.execute(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
      const alice = track(d.execute(['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>']));
      const bob = track(e.execute(['XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>']));
      await flush();
      await c.execute(['XADD', 's', '1-0', 'f', 'a']);
      expect(await alice.promise).toEqual(streamReply('s', entry('1-0', 'f', 'a')));
      await flush();
      // Alice took 1-0, so the group's last ID moved and Bob keeps waiting.
      expect(bob.settled()).toBe(false);
      await c.execute(['XADD', 's', '2-0', 'f', 'b']);
      expect(await bob.promise).toEqual(streamReply('s', entry('2-0', 'f', 'b')));
      expect(await c.execute(['XPENDING', 's', 'g'])).toEqual(array([
        integer(2), bulk('1-0'), bulk('2-0'), array([bulkArray(['alice', '1']), bulkArray(['bob', '1'])]),
      ]));
    });

    it('ends blocked XREADGROUPs with an error when the group or the stream goes', async () => {
      await c.execute(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
      await c.execute(['XGROUP', 'CREATE', 's', 'h', '$']);
      const onG = track(d.execute(['XREADGROUP', 'GROUP', 'g', 'x', 'BLOCK', '0', 'STREAMS', 's', '>']));
      const onH = track(e.execute(['XREADGROUP', 'GROUP', 'h', 'x', 'BLOCK', '0', 'STREAMS', 's', '>']));
      const plain = track(engine.connect().execute(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']));
      await flush();
      expect(await c.execute(['XGROUP', 'DESTROY', 's', 'g'])).toEqual(integer(1));
      expect(await onG.promise).toEqual(error('NOGROUP the consumer group this client was blocked on no longer exists'));
      await flush();
      expect(onH.settled()).toBe(false);
      expect(await c.execute(['DEL', 's'])).toEqual(integer(1));
      expect(await onH.promise).toEqual(error('UNBLOCKED the stream key no longer exists'));
      await flush();
      // A plain XREAD keeps waiting for the key to come back.
      expect(plain.settled()).toBe(false);
      await c.execute(['XADD', 's', '5-0', 'f', 'v']);
      expect(await plain.promise).toEqual(streamReply('s', entry('5-0', 'f', 'v')));
    });

    it('ends a blocked XREADGROUP when its stream is overwritten by another type', async () => {
      await c.execute(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
      const waiting = track(d.execute(['XREADGROUP', 'GROUP', 'g', 'x', 'BLOCK', '0', 'STREAMS', 's', '>']));
      await flush();
      expect(await c.execute(['SET', 's', 'v'])).toEqual(OK);
      expect(await waiting.promise).toEqual(error('UNBLOCKED the stream key no longer exists'));
    });

    it('does not block inside MULTI', async () => {
      await c.execute(['MULTI']);
      await c.execute(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']);
      expect(await c.execute(['EXEC'])).toEqual(array([NIL_ARRAY]));
    });

    it('answers nil for XADD NOMKSTREAM on a missing key', async () => {
      expect(await c.execute(['XADD', 's', 'NOMKSTREAM', '*', 'f', 'v'])).toEqual(NIL);
    });
  });
});
