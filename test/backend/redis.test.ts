/**
 * The real-server backend against a private redis-server, beside the bundled one: the same
 * commands give the same typed replies and pushes (subscription confirmations included), a
 * blocked command can be interrupted, and reset() empties the lesson database and puts back the
 * configuration a lesson changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { BundledBackend } from '../../src/backend/bundled.js';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { array, bulk, NIL_ARRAY, OK, type Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';

const available = realRedisAvailable('RedisServerBackend tests');

/** Runs a script of commands on a subscriber and a publisher; returns replies and pushes, in order. */
async function script(backend: Backend): Promise<(Reply | string)[]> {
  const out: (Reply | string)[] = [];
  const [a, b] = [await backend.connect(), await backend.connect()];
  a.onPush((r) => out.push('push', r));
  const run = async (c: typeof a, argv: string[]) => { out.push(await c.execute(argv)); };
  await run(a, ['SET', 'k', 'OK']);
  await run(a, ['GET', 'k']);
  await run(a, ['HSET', 'h', 'f', '1']);
  await run(a, ['GET', 'h']);
  await run(a, ['LPOP', 'nothing', '2']);
  await run(a, ['SUBSCRIBE', 'x', 'y']);
  await run(b, ['PUBLISH', 'y', 'hello']);
  await new Promise((r) => setTimeout(r, 50));
  await run(a, ['UNSUBSCRIBE', 'x', 'y']);
  await run(a, ['UNSUBSCRIBE']);
  await run(a, ['PING']);
  await a.close();
  await b.close();
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
    expect(backend.description).toMatch(/^redis 7\.\d+\.\d+ at 127\.0\.0\.1:\d+$/);
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

  it('works in database 15 and resets it, and the configuration', async () => {
    const c = await backend.connect();
    await c.execute(['SET', 'mine', '1']);
    expect(await c.execute(['CONFIG', 'SET', 'save', '900 1'])).toEqual(OK);
    await c.close();
    const other = await RedisServerBackend.open({ port: server.port, db: 0 });
    const d0 = await other.connect();
    expect(await d0.execute(['EXISTS', 'mine'])).toEqual({ kind: 'integer', value: 0 });
    await d0.close();
    await backend.reset();
    const d = await backend.connect();
    expect(await d.execute(['EXISTS', 'mine'])).toEqual({ kind: 'integer', value: 0 });
    expect(await d.execute(['CONFIG', 'GET', 'save'])).toEqual(array([bulk('save'), bulk('')]));
    await d.close();
  });
});
