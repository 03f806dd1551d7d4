/**
 * BZPOPMIN, BZPOPMAX and BZMPOP between clients: who is served, from which key, in what shape,
 * and what does not wake a waiter.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { array, bulk, double, NIL_ARRAY, type Reply } from '../../src/resp/reply.js';

let engine: Engine;

beforeEach(() => {
  engine = new Engine({ activeExpiry: false });
});
afterEach(() => engine.close());

/** Whether a pending reply has settled, without waiting for it. */
async function settled(reply: Reply | Promise<Reply>): Promise<boolean> {
  const marker = Symbol('pending');
  const first = await Promise.race([reply, new Promise((r) => setTimeout(() => r(marker), 5))]);
  return first !== marker;
}

describe('blocking sorted set pops', () => {
  it('BZPOPMIN waits until another client adds, then pops from that key', async () => {
    const waiter = engine.connect();
    const writer = engine.connect();
    const pending = waiter.execute(['BZPOPMIN', 'a', 'b', '0']);
    expect(pending).toBeInstanceOf(Promise);
    expect(await settled(pending)).toBe(false);
    expect(await writer.execute(['ZADD', 'b', '2', 'y', '1', 'x'])).toEqual({ kind: 'integer', value: 2 });
    expect(await pending).toEqual(array([bulk('b'), bulk('x'), double(1)]));
    expect(await writer.execute(['ZRANGE', 'b', '0', '-1'])).toEqual(array([bulk('y')]));
  });

  it('serves the longest-waiting client first, one member each', async () => {
    const first = engine.connect();
    const second = engine.connect();
    const writer = engine.connect();
    const p1 = first.execute(['BZPOPMAX', 'z', '0']);
    const p2 = second.execute(['BZPOPMAX', 'z', '0']);
    await writer.execute(['ZADD', 'z', '1', 'low']);
    expect(await p1).toEqual(array([bulk('z'), bulk('low'), double(1)]));
    expect(await settled(p2)).toBe(false);
    await writer.execute(['ZADD', 'z', '5', 'a', '6', 'b']);
    expect(await p2).toEqual(array([bulk('z'), bulk('b'), double(6)]));
    expect(await writer.execute(['ZCARD', 'z'])).toEqual({ kind: 'integer', value: 1 });
  });

  it('BZMPOP answers a woken client with its COUNT, nested, and deletes the emptied key', async () => {
    const waiter = engine.connect();
    const writer = engine.connect();
    const pending = waiter.execute(['BZMPOP', '0', '2', 'k1', 'k2', 'MIN', 'COUNT', '5']);
    await writer.execute(['ZADD', 'k2', '3', 'c', '1', 'a']);
    expect(await pending).toEqual(array([bulk('k2'), array([array([bulk('a'), double(1)]), array([bulk('c'), double(3)])])]));
    expect(await writer.execute(['EXISTS', 'k2'])).toEqual({ kind: 'integer', value: 0 });
  });

  it('a woken RESP3 client gets RESP3 shapes', async () => {
    const waiter = engine.connect();
    waiter.resp = 3;
    const writer = engine.connect();
    const pending = waiter.execute(['BZPOPMIN', 'z', '0']);
    await writer.execute(['ZADD', 'z', '1.5', 'm']);
    expect(await pending).toEqual(array([bulk('z'), bulk('m'), double(1.5)]));
  });

  it('times out with a null array', async () => {
    const waiter = engine.connect();
    expect(await waiter.execute(['BZPOPMIN', 'nokey', '0.02'])).toEqual(NIL_ARRAY);
    expect(await waiter.execute(['BZMPOP', '0.02', '1', 'nokey', 'MAX'])).toEqual(NIL_ARRAY);
  });

  it('is not woken by a key of another type, but is by the sorted set that replaces it', async () => {
    const waiter = engine.connect();
    const writer = engine.connect();
    const pending = waiter.execute(['BZPOPMIN', 'k', '0']);
    await writer.execute(['SET', 'k', 'string']);
    expect(await settled(pending)).toBe(false);
    await writer.execute(['DEL', 'k']);
    await writer.execute(['ZADD', 'k', '1', 'm']);
    expect(await pending).toEqual(array([bulk('k'), bulk('m'), double(1)]));
  });

  it('is served after EXEC, with everything the transaction added', async () => {
    const waiter = engine.connect();
    const writer = engine.connect();
    const pending = waiter.execute(['BZPOPMAX', 'k', '0']);
    await writer.execute(['MULTI']);
    await writer.execute(['ZADD', 'k', '1', 'a']);
    await writer.execute(['ZADD', 'k', '2', 'b']);
    expect(await settled(pending)).toBe(false);
    await writer.execute(['EXEC']);
    expect(await pending).toEqual(array([bulk('k'), bulk('b'), double(2)]));
  });

  it('is woken by a store that creates the key (ZUNIONSTORE, ZRANGESTORE)', async () => {
    const waiter = engine.connect();
    const writer = engine.connect();
    await writer.execute(['ZADD', 'src', '4', 'd']);
    const p1 = waiter.execute(['BZPOPMIN', 'u', '0']);
    await writer.execute(['ZUNIONSTORE', 'u', '1', 'src']);
    expect(await p1).toEqual(array([bulk('u'), bulk('d'), double(4)]));
    const p2 = waiter.execute(['BZPOPMIN', 'r', '0']);
    await writer.execute(['ZRANGESTORE', 'r', 'src', '0', '-1']);
    expect(await p2).toEqual(array([bulk('r'), bulk('d'), double(4)]));
  });

  it('a pop that finds members at once touches WATCHed keys', async () => {
    const popper = engine.connect();
    const watcher = engine.connect();
    await watcher.execute(['ZADD', 'k', '1', 'a']);
    await watcher.execute(['WATCH', 'k']);
    expect(await popper.execute(['BZPOPMIN', 'k', '0'])).toEqual(array([bulk('k'), bulk('a'), double(1)]));
    await watcher.execute(['MULTI']);
    expect(await watcher.execute(['EXEC'])).toEqual(NIL_ARRAY);
  });

  it('forgets a client that disconnects while waiting', async () => {
    const waiter = engine.connect();
    const writer = engine.connect();
    void waiter.execute(['BZPOPMIN', 'k', '0']);
    waiter.close();
    await writer.execute(['ZADD', 'k', '1', 'a']);
    expect(await writer.execute(['ZCARD', 'k'])).toEqual({ kind: 'integer', value: 1 });
  });
});
