/**
 * Blocking list commands with several in-process clients: timeouts, first-come first-served,
 * MULTI, BLMOVE chains, a waited key changing type, and clients that go away. Behaviour checked
 * against redis-server 7.0.15 with two redis-cli sessions where noted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTimeout } from '../../src/engine/blocking.js';
import { Engine } from '../../src/engine/index.js';
import type { Client } from '../../src/engine/index.js';
import { array, bulk, bulkArray, integer, NIL, NIL_ARRAY, OK, type Reply } from '../../src/resp/reply.js';

const WRONGTYPE = { kind: 'error', message: 'WRONGTYPE Operation against a key holding the wrong kind of value' };

/** A pending reply that can be checked without awaiting it. */
function track(reply: Reply | Promise<Reply>): { settled: () => boolean; value: () => Reply | undefined; promise: Promise<Reply> } {
  let result: Reply | undefined;
  const promise = Promise.resolve(reply).then((r) => (result = r));
  return { settled: () => result !== undefined, value: () => result, promise };
}

/** Lets promise callbacks run (a served client's reply resolves in a microtask). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('blocking list commands', () => {
  let engine: Engine;
  let clients: Client[];
  beforeEach(() => {
    engine = new Engine({ activeExpiry: false });
    clients = Array.from({ length: 4 }, () => engine.connect());
  });
  afterEach(() => engine.close());
  const client = (i: number) => clients[i] as Client;

  it('times out a BRPOP on an empty list with a null array after the timeout', async () => {
    const started = performance.now();
    const reply = await client(0).execute(['BRPOP', 'empty', '0.2']);
    const elapsed = performance.now() - started;
    expect(reply).toEqual(NIL_ARRAY);
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(2000);
    expect(engine.blocking.blockedCount).toBe(0);
  });

  it('serves a BRPOP blocked in one client with an LPUSH from another', async () => {
    const waiting = track(client(0).execute(['BRPOP', 'q', '0']));
    await flush();
    expect(waiting.settled()).toBe(false);
    expect(engine.blocking.blockedCount).toBe(1);
    expect(await client(1).execute(['LPUSH', 'q', 'a', 'b'])).toEqual(integer(2));
    expect(await waiting.promise).toEqual(bulkArray(['q', 'a']));
    expect(await client(1).execute(['LRANGE', 'q', '0', '-1'])).toEqual(bulkArray(['b']));
  });

  it('answers at once when a key has data, taking the first non-empty key in order', async () => {
    await client(1).execute(['RPUSH', 'k2', 'x']);
    await client(1).execute(['RPUSH', 'k3', 'y']);
    expect(await client(0).execute(['BLPOP', 'k1', 'k2', 'k3', '0'])).toEqual(bulkArray(['k2', 'x']));
    expect(await client(1).execute(['EXISTS', 'k2'])).toEqual(integer(0));
  });

  it('serves three waiters first come, first served', async () => {
    const waiters = [0, 1, 2].map((i) => track(client(i).execute(['BLPOP', 'q', '0'])));
    await client(3).execute(['RPUSH', 'q', 'one', 'two', 'three']);
    expect(await Promise.all(waiters.map((w) => w.promise))).toEqual([
      bulkArray(['q', 'one']), bulkArray(['q', 'two']), bulkArray(['q', 'three']),
    ]);
    expect(await client(3).execute(['EXISTS', 'q'])).toEqual(integer(0));
  });

  it('serves the first two of three waiters when two elements arrive', async () => {
    const waiters = [0, 1, 2].map((i) => track(client(i).execute(['BRPOP', 'q', '0'])));
    await client(3).execute(['LPUSH', 'q', 'a', 'b']);
    await flush();
    expect(waiters[0]?.value()).toEqual(bulkArray(['q', 'a']));
    expect(waiters[1]?.value()).toEqual(bulkArray(['q', 'b']));
    expect(waiters[2]?.settled()).toBe(false);
    expect(engine.blocking.blockedCount).toBe(1);
    await client(3).execute(['LPUSH', 'q', 'c']);
    expect(await waiters[2]?.promise).toEqual(bulkArray(['q', 'c']));
  });

  it('serves a waiter only at EXEC when the push is inside MULTI', async () => {
    const waiting = track(client(0).execute(['BLPOP', 'q', '0']));
    const pusher = client(1);
    expect(await pusher.execute(['MULTI'])).toEqual(OK);
    await pusher.execute(['RPUSH', 'q', 'a']);
    await pusher.execute(['RPUSH', 'q', 'b']);
    await flush();
    expect(waiting.settled()).toBe(false);
    expect(await pusher.execute(['EXEC'])).toEqual(array([integer(1), integer(2)]));
    expect(await waiting.promise).toEqual(bulkArray(['q', 'a']));
    expect(await pusher.execute(['LRANGE', 'q', '0', '-1'])).toEqual(bulkArray(['b']));
  });

  it('does not serve a waiter from a push and pop in the same transaction', async () => {
    const waiting = track(client(0).execute(['BLPOP', 'q', '0']));
    const pusher = client(1);
    await pusher.execute(['MULTI']);
    await pusher.execute(['RPUSH', 'q', 'a']);
    await pusher.execute(['RPOP', 'q']);
    expect(await pusher.execute(['EXEC'])).toEqual(array([integer(1), bulk('a')]));
    await flush();
    expect(waiting.settled()).toBe(false);
  });

  it('forgets a blocked client that disconnects', async () => {
    const waiting = track(client(0).execute(['BLPOP', 'q', '0']));
    expect(engine.blocking.blockedCount).toBe(1);
    client(0).close();
    expect(engine.blocking.blockedCount).toBe(0);
    expect(engine.blocking.hasWaiters(client(1).db, 'q')).toBe(false);
    await client(1).execute(['RPUSH', 'q', 'kept']);
    await flush();
    expect(waiting.settled()).toBe(false);
    expect(await client(1).execute(['LRANGE', 'q', '0', '-1'])).toEqual(bulkArray(['kept']));
  });

  it('serves from the key that became ready first when a client waits on several', async () => {
    const waiting = track(client(0).execute(['BLPOP', 'k1', 'k2', '0']));
    await client(1).execute(['MULTI']);
    await client(1).execute(['RPUSH', 'k2', 'from-k2']);
    await client(1).execute(['RPUSH', 'k1', 'from-k1']);
    await client(1).execute(['EXEC']);
    expect(await waiting.promise).toEqual(bulkArray(['k2', 'from-k2']));
    // Served once, the client no longer waits on k1.
    expect(engine.blocking.hasWaiters(client(1).db, 'k1')).toBe(false);
    expect(await client(1).execute(['LLEN', 'k1'])).toEqual(integer(1));
  });

  it('does not serve a waiter from a push to the same key in another database', async () => {
    const waiting = track(client(0).execute(['BLPOP', 'q', '0']));
    await client(1).execute(['SELECT', '1']);
    await client(1).execute(['RPUSH', 'q', 'a']);
    await flush();
    expect(waiting.settled()).toBe(false);
    await client(2).execute(['RPUSH', 'q', 'b']);
    expect(await waiting.promise).toEqual(bulkArray(['q', 'b']));
  });

  it('keeps waiting when the key becomes another type (redis-cli: SET on the key, BLPOP times out)', async () => {
    const waiting = track(client(0).execute(['BLPOP', 'k', '0']));
    expect(await client(1).execute(['SET', 'k', 'string'])).toEqual(OK);
    await flush();
    expect(waiting.settled()).toBe(false);
    await client(1).execute(['DEL', 'k']);
    await client(1).execute(['RPUSH', 'k', 'list-again']);
    expect(await waiting.promise).toEqual(bulkArray(['k', 'list-again']));
  });

  it('ends a BLMOVE wait with WRONGTYPE when the destination is not a list, moving nothing', async () => {
    await client(1).execute(['SET', 'dst', 'string']);
    const waiting = track(client(0).execute(['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0']));
    await flush();
    expect(waiting.settled()).toBe(false);
    await client(1).execute(['LPUSH', 'src', 'a']);
    expect(await waiting.promise).toEqual(WRONGTYPE);
    expect(await client(1).execute(['LRANGE', 'src', '0', '-1'])).toEqual(bulkArray(['a']));
  });

  it('chains BLMOVE: the push to its destination wakes the next waiter', async () => {
    const mover = track(client(0).execute(['BLMOVE', 'a', 'b', 'RIGHT', 'LEFT', '0']));
    const popper = track(client(1).execute(['BRPOP', 'b', '0']));
    const rpoplpush = track(client(2).execute(['BRPOPLPUSH', 'c', 'a', '0']));
    await client(3).execute(['RPUSH', 'c', 'x']);
    expect(await rpoplpush.promise).toEqual(bulk('x'));
    expect(await mover.promise).toEqual(bulk('x'));
    expect(await popper.promise).toEqual(bulkArray(['b', 'x']));
    expect(await client(3).execute(['EXISTS', 'a', 'b', 'c'])).toEqual(integer(0));
  });

  it('serves BLMPOP with up to COUNT elements', async () => {
    const waiting = track(client(0).execute(['BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '2']));
    await client(1).execute(['RPUSH', 'y', '1', '2', '3']);
    expect(await waiting.promise).toEqual(array([bulk('y'), bulkArray(['3', '2'])]));
    expect(await client(1).execute(['LRANGE', 'y', '0', '-1'])).toEqual(bulkArray(['1']));
  });

  it('answers nil at once for a blocking command inside MULTI', async () => {
    const c = client(0);
    await c.execute(['MULTI']);
    await c.execute(['BLPOP', 'q', '0']);
    await c.execute(['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0']);
    expect(await c.execute(['EXEC'])).toEqual(array([NIL_ARRAY, NIL]));
    expect(engine.blocking.blockedCount).toBe(0);
  });

  it('refuses commands from a client while it is blocked', async () => {
    track(client(0).execute(['BLPOP', 'q', '0']));
    expect(await client(0).execute(['PING'])).toEqual({ kind: 'error', message: 'ERR client is blocked' });
  });
});

describe('blocking timeouts', () => {
  afterEach(() => vi.useRealTimers());

  it('parses seconds as Redis 7.0 does, with its long double and long long arithmetic', () => {
    const now = 1_000_000;
    expect(parseTimeout('0', now, 'seconds')).toBe(0);
    expect(parseTimeout('0.1', now, 'seconds')).toBe(now + 100);
    expect(parseTimeout('1.0001', now, 'seconds')).toBe(now + 1001);
    expect(parseTimeout('0x1p-4', now, 'seconds')).toBe(now + 63);
    expect(parseTimeout('1e-400', now, 'seconds')).toBe(now + 1);
    // ceill(-0.001L * 1000) is -0 (redis-cli: BLPOP k -0.001 blocks forever), -0.002 is negative.
    expect(parseTimeout('-0.001', now, 'seconds')).toBe(0);
    expect(parseTimeout('-0.0001', now, 'seconds')).toBe(0);
    expect(() => parseTimeout('-0.002', now, 'seconds')).toThrow('ERR timeout is negative');
    // Beyond a long long of ms: LLONG_MIN, "negative". A deadline past 2^63 wraps: forever.
    expect(() => parseTimeout('1e16', now, 'seconds')).toThrow('ERR timeout is negative');
    expect(() => parseTimeout('inf', now, 'seconds')).toThrow('ERR timeout is negative');
    expect(parseTimeout('9223372036854775', now, 'seconds')).toBe(0);
    expect(() => parseTimeout('nan', now, 'seconds')).toThrow('ERR timeout is not a float or out of range');
    expect(() => parseTimeout('1e5000', now, 'seconds')).toThrow('ERR timeout is not a float or out of range');
    expect(() => parseTimeout(' 1', now, 'seconds')).toThrow('ERR timeout is not a float or out of range');
    expect(parseTimeout('100', now, 'milliseconds')).toBe(now + 100);
    expect(() => parseTimeout('1.5', now, 'milliseconds')).toThrow('ERR timeout is not an integer or out of range');
    expect(() => parseTimeout('-1', now, 'milliseconds')).toThrow('ERR timeout is negative');
  });

  it('waits longer than a Node timer can (2^31 ms) without timing out early', async () => {
    vi.useFakeTimers();
    const engine = new Engine({ activeExpiry: false });
    const c = engine.connect();
    const waiting = track(c.execute(['BLPOP', 'q', '3000000'])); // about 34.7 days
    await vi.advanceTimersByTimeAsync(2 ** 31 + 1000);
    expect(waiting.settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(3_000_000_000 - 2 ** 31);
    expect(waiting.value()).toEqual(NIL_ARRAY);
    engine.close();
  });
});
