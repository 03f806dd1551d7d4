/** The bundled engine as a Backend: typed replies, blocking, pushes, interrupt, reset, the clock. */
import { afterEach, describe, expect, it } from 'vitest';
import { BundledBackend } from '../../src/backend/bundled.js';
import { ManualClock } from '../../src/engine/clock.js';
import { array, bulk, error, integer, map, NIL, NIL_ARRAY, OK, push, type Reply } from '../../src/resp/reply.js';

let backend: BundledBackend;
afterEach(() => backend.close());

describe('BundledBackend', () => {
  it('answers typed replies: a status OK is not a bulk "OK"', async () => {
    backend = new BundledBackend();
    const c = await backend.connect();
    expect(await c.execute(['SET', 'k', 'OK'])).toEqual(OK);
    expect(await c.execute(['GET', 'k'])).toEqual(bulk('OK'));
    expect((await c.execute(['NOSUCH'])).kind).toBe('error');
  });

  it('serves a blocked command from another client', async () => {
    backend = new BundledBackend();
    const [a, b] = [await backend.connect(), await backend.connect()];
    const waiting = a.execute(['BRPOP', 'q', '0']);
    expect(await b.execute(['LPUSH', 'q', 'job'])).toEqual(integer(1));
    expect(await waiting).toEqual(array([bulk('q'), bulk('job')]));
  });

  it('interrupts a wait as a timeout, and a subscription', async () => {
    backend = new BundledBackend();
    const [a, b] = [await backend.connect(), await backend.connect()];
    const waiting = a.execute(['BLPOP', 'q', '0']);
    await a.interrupt();
    expect(await waiting).toEqual(NIL_ARRAY);
    const pushes: Reply[] = [];
    a.onPush((r) => pushes.push(r));
    await a.execute(['SUBSCRIBE', 'c']);
    expect(await b.execute(['PUBLISH', 'c', 'hi'])).toEqual(integer(1));
    expect(pushes).toEqual([push([bulk('message'), bulk('c'), bulk('hi')])]);
    await a.interrupt();
    expect(await b.execute(['PUBLISH', 'c', 'hi'])).toEqual(integer(0));
    expect(await a.execute(['PING'])).toEqual({ kind: 'simple', value: 'PONG' });
  });

  it('resets to an empty engine and default configuration', async () => {
    backend = new BundledBackend();
    const c = await backend.connect();
    await c.execute(['SET', 'k', 'v']);
    await c.execute(['CONFIG', 'SET', 'hash-max-listpack-entries', '1']);
    await backend.reset();
    const d = await backend.connect();
    expect(await d.execute(['GET', 'k'])).toEqual(NIL);
    expect(await d.execute(['CONFIG', 'GET', 'hash-max-listpack-entries'])).toEqual(array([bulk('hash-max-listpack-entries'), bulk('512')]));
  });

  it('moves its clock forward, so keys expire at once', async () => {
    backend = new BundledBackend({ clock: new ManualClock() });
    const c = await backend.connect();
    await c.execute(['SET', 'k', 'v', 'EX', '100']);
    expect(await backend.advanceTime(99_500)).toBe(true);
    expect(await c.execute(['PTTL', 'k'])).toEqual(integer(500));
    await backend.advanceTime(501);
    expect(await c.execute(['TTL', 'k'])).toEqual(integer(-2));
  });

  it('declares what it offers', () => {
    backend = new BundledBackend();
    expect([...backend.capabilities].sort()).toEqual(['clients', 'json', 'persistence']);
  });

  it('keeps what was saved across a crash, and nothing else', async () => {
    backend = new BundledBackend();
    let c = await backend.connect();
    await c.execute(['SET', 'saved', '1']);
    expect(await c.execute(['SAVE'])).toEqual(OK);
    await c.execute(['SET', 'unsaved', '1']);
    await backend.crash();
    expect(await c.execute(['GET', 'saved'])).toEqual(error('ERR connection closed'));
    c = await backend.connect();
    expect(await c.execute(['GET', 'saved'])).toEqual(bulk('1'));
    expect(await c.execute(['GET', 'unsaved'])).toEqual(NIL);
  });

  it('saves on a clean restart when save rules exist, and keeps the rules', async () => {
    backend = new BundledBackend();
    let c = await backend.connect();
    expect(await c.execute(['CONFIG', 'GET', 'save'])).toEqual(array([bulk('save'), bulk('')]));
    await c.execute(['SET', 'k', 'v']);
    await backend.restart();
    c = await backend.connect();
    expect(await c.execute(['GET', 'k'])).toEqual(NIL);
    await c.execute(['CONFIG', 'SET', 'save', '900 1']);
    await c.execute(['SET', 'k', 'v']);
    await backend.restart();
    c = await backend.connect();
    expect(await c.execute(['GET', 'k'])).toEqual(bulk('v'));
    expect(await c.execute(['CONFIG', 'GET', 'save'])).toEqual(array([bulk('save'), bulk('900 1')]));
    await c.execute(['INCR', 'n']);
    await backend.crash();
    c = await backend.connect();
    expect(await c.execute(['EXISTS', 'n'])).toEqual(integer(0));
  });

  it('answers as a RESP2 client receives it, as a real server does: a score is a bulk string, a hash a flat array', async () => {
    backend = new BundledBackend();
    const c = await backend.connect();
    await c.execute(['ZADD', 'z', '2.5', 'a']);
    await c.execute(['HSET', 'h', 'f', 'v']);
    expect(await c.execute(['ZSCORE', 'z', 'a'])).toEqual(bulk('2.5'));
    expect(await c.execute(['ZINCRBY', 'z', '1', 'a'])).toEqual(bulk('3.5'));
    // After HELLO 3 the connection speaks RESP3, and the same replies keep their RESP3 types.
    await c.execute(['HELLO', '3']);
    expect(await c.execute(['ZSCORE', 'z', 'a'])).toMatchObject({ kind: 'double', value: 3.5 });
    expect(await c.execute(['HGETALL', 'h'])).toEqual(map([[bulk('f'), bulk('v')]]));
  });

  it('writes only in its own directory, and a reset forgets the files', async () => {
    backend = new BundledBackend();
    const c = await backend.connect();
    const dir = await c.execute(['CONFIG', 'GET', 'dir']);
    expect(dir.kind === 'array' && dir.items[1]?.kind === 'bulk' && dir.items[1].value).toContain('redislings-bundled-');
    await c.execute(['SET', 'k', 'v']);
    await c.execute(['SAVE']);
    await backend.reset();
    await backend.crash();
    const d = await backend.connect();
    expect(await d.execute(['DBSIZE'])).toEqual(integer(0));
  });
});
