/**
 * The real-server backend against a private redis-server, beside the bundled one: the same
 * commands give the same typed replies and pushes (subscription confirmations included), a
 * blocked command can be interrupted, and on a private server reset() empties it and puts back
 * the configuration a lesson changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { BundledBackend } from '../../src/backend/bundled.js';
import { ManagedServer } from '../../src/backend/managed.js';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { array, bulk, integer, NIL_ARRAY, OK, push, type Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';

const available = realRedisAvailable('RedisServerBackend tests');

/**
 * Runs a script of commands on a subscriber and a publisher; returns the subscriber's replies and
 * pushes in order, then the publisher's replies. (The two connections are kept apart: which of
 * the publisher's reply and the subscriber's message arrives first is a race on a real server.)
 */
async function script(backend: Backend): Promise<(Reply | string)[]> {
  const out: (Reply | string)[] = [];
  const publisher: Reply[] = [];
  const [a, b] = [await backend.connect(), await backend.connect()];
  a.onPush((r) => out.push('push', r));
  const run = async (c: typeof a, argv: string[]) => {
    const reply = await c.execute(argv);
    (c === a ? out : publisher).push(reply);
  };
  await run(a, ['SET', 'k', 'OK']);
  await run(a, ['GET', 'k']);
  await run(a, ['HSET', 'h', 'f', '1']);
  await run(a, ['GET', 'h']);
  await run(a, ['LPOP', 'nothing', '2']);
  await run(a, ['ZADD', 'z', '2163557714838309.25', 'm']);
  await run(a, ['ZSCORE', 'z', 'm']);
  await run(a, ['CONFIG', 'GET', 'maxmemory']);
  await run(a, ['SUBSCRIBE', 'x', 'y']);
  await run(b, ['PUBLISH', 'y', 'hello']);
  await new Promise((r) => setTimeout(r, 50));
  await run(a, ['UNSUBSCRIBE', 'x', 'y']);
  await run(a, ['UNSUBSCRIBE']);
  await run(a, ['PING']);
  await a.close();
  await b.close();
  out.push('publisher', ...publisher);
  return out.map((r) => (typeof r === 'string' ? r : r.kind === 'push' ? { kind: 'array', items: r.items } : r));
}

describe.skipIf(!available)('RedisServerBackend', () => {
  let server: RedisServer;
  let backend: RedisServerBackend;
  beforeAll(async () => {
    server = await startRedisServer();
    backend = await RedisServerBackend.open({ port: server.port });
  });
  afterAll(async () => {
    await backend?.close();
    await server?.stop();
  });

  it('describes the server and what it offers', () => {
    expect(backend.description).toMatch(/^redis 7\.\d+\.\d+ at 127\.0\.0\.1:\d+, database 15$/);
    expect([...backend.capabilities]).toEqual(['clients']);
  });

  it('answers exactly as the bundled engine does, pushes included', async () => {
    await backend.reset();
    const bundled = new BundledBackend();
    try {
      const ours = await script(bundled);
      const theirs = await script(backend);
      expect(theirs).toEqual(ours);
      expect(theirs[0]).toEqual(OK);
      expect(theirs[1]).toEqual(bulk('OK'));
    } finally {
      await bundled.close();
    }
  });

  it('interrupts a blocked command as a timeout', async () => {
    const c = await backend.connect();
    const waiting = c.execute(['BRPOP', 'q', '0']);
    await new Promise((r) => setTimeout(r, 50));
    await c.interrupt();
    expect(await waiting).toEqual(NIL_ARRAY);
    await c.close();
  });

  it('an array that looks like a message is a reply, unless the connection is subscribed', async () => {
    const c = await backend.connect();
    const pushes: Reply[] = [];
    c.onPush((r) => pushes.push(r));
    await c.execute(['RPUSH', 'l', 'message', 'news', 'hello']);
    expect(await c.execute(['LRANGE', 'l', '0', '-1'])).toEqual(array([bulk('message'), bulk('news'), bulk('hello')]));
    expect(pushes).toEqual([]);
    await c.close();
  });

  it('speaks RESP3 after HELLO 3: messages are pushes, replies keep their RESP3 types', async () => {
    const [a, b] = [await backend.connect(), await backend.connect()];
    const pushes: Reply[] = [];
    a.onPush((r) => pushes.push(r));
    expect((await a.execute(['HELLO', '3'])).kind).toBe('map');
    expect(await a.execute(['SUBSCRIBE', 'ch'])).toEqual(push([bulk('subscribe'), bulk('ch'), integer(1)]));
    // In RESP3 a subscribed connection may run any command.
    await a.execute(['RPUSH', 'l3', 'message', 'x', 'y']);
    expect(await a.execute(['LRANGE', 'l3', '0', '-1'])).toEqual(array([bulk('message'), bulk('x'), bulk('y')]));
    await b.execute(['PUBLISH', 'ch', 'hi']);
    await new Promise((r) => setTimeout(r, 50));
    expect(pushes).toEqual([push([bulk('message'), bulk('ch'), bulk('hi')])]);
    expect((await a.execute(['HGETALL', 'nothing'])).kind).toBe('map');
    await a.interrupt();
    expect(await a.execute(['PING'])).toEqual({ kind: 'simple', value: 'PONG' });
    await a.close();
    await b.close();
  });

  it('refuses what would break the connection, with the reason', async () => {
    const c = await backend.connect();
    expect(await c.execute(['CLIENT', 'REPLY', 'OFF'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/^ERR CLIENT REPLY OFF or SKIP stops the server answering/) });
    expect(await c.execute(['MONITOR'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/^ERR MONITOR turns the connection/) });
    expect(await c.execute(['PING'])).toEqual({ kind: 'simple', value: 'PONG' });
    await c.close();
  });
});

describe.skipIf(!available)('RedisServerBackend on a private server', () => {
  let server: ManagedServer;
  let backend: RedisServerBackend;
  beforeAll(async () => {
    server = await ManagedServer.start();
    backend = await RedisServerBackend.open({ port: server.port, process: server });
  });
  afterAll(async () => {
    await backend?.close();
    await server?.stop();
  });

  it('offers persistence and runs what a shared server refuses', async () => {
    expect(backend.shared).toBe(false);
    expect([...backend.capabilities]).toEqual(['persistence', 'clients']);
    expect(backend.description).toBe(`redis ${server.version}, a private server on port ${server.port}`);
    const c = await backend.connect();
    expect(await c.execute(['SELECT', '0'])).toEqual(OK);
    expect(await c.execute(['SET', 'in0', '1'])).toEqual(OK);
    expect(await c.execute(['FLUSHALL'])).toEqual(OK);
    expect(await backend.guard(['FLUSHALL'])).toEqual({ kind: 'run' });
    await c.close();
  });

  it('reset() empties every database and puts back the configuration', async () => {
    const c = await backend.connect();
    await c.execute(['SET', 'mine', '1']);
    expect(await c.execute(['CONFIG', 'SET', 'save', '900 1'])).toEqual(OK);
    await c.execute(['SELECT', '0']);
    await c.execute(['SET', 'in0', '1']);
    await c.close();
    await backend.reset();
    const d = await backend.connect();
    expect(await d.execute(['EXISTS', 'mine'])).toEqual(integer(0));
    expect(await d.execute(['CONFIG', 'GET', 'save'])).toEqual(array([bulk('save'), bulk('')]));
    expect(await d.execute(['SELECT', '0'])).toEqual(OK);
    expect(await d.execute(['DBSIZE'])).toEqual(integer(0));
    await d.close();
  });

  it('crashes and restarts the server, keeping what was saved', async () => {
    const c = await backend.connect();
    await c.execute(['SET', 'saved', '1']);
    await c.execute(['SAVE']);
    await c.execute(['SET', 'unsaved', '1']);
    const before = server.pid;
    await backend.crash();
    expect(server.pid).not.toBe(before);
    const d = await backend.connect();
    expect(await d.execute(['MGET', 'saved', 'unsaved'])).toEqual(array([bulk('1'), { kind: 'null' }]));
    await d.close();
  });
});
