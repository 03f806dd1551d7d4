/** The bundled engine as a Backend: typed replies, blocking, pushes, interrupt, reset, the clock. */
import { afterEach, describe, expect, it } from 'vitest';
import { MissingCapability } from '../../src/backend/backend.js';
import { BundledBackend } from '../../src/backend/bundled.js';
import { array, bulk, integer, map, NIL, NIL_ARRAY, OK, push, type Reply } from '../../src/resp/reply.js';

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
    expect(await d.execute(['CONFIG', 'GET', 'hash-max-listpack-entries'])).toEqual(map([[bulk('hash-max-listpack-entries'), bulk('512')]]));
  });

  it('moves its clock forward, so keys expire at once', async () => {
    backend = new BundledBackend();
    const c = await backend.connect();
    await c.execute(['SET', 'k', 'v', 'EX', '100']);
    expect(await backend.advanceTime(99_500)).toBe(true);
    expect(await c.execute(['PTTL', 'k'])).toEqual(integer(500));
    await backend.advanceTime(501);
    expect(await c.execute(['TTL', 'k'])).toEqual(integer(-2));
  });

  it('declares what it offers', async () => {
    backend = new BundledBackend();
    expect([...backend.capabilities].sort()).toEqual(['clients', 'json']);
    await expect(backend.crash()).rejects.toBeInstanceOf(MissingCapability);
  });
});
