/**
 * Pub/sub sessions replayed on a real redis-server (raw sockets, src/resp/decode.ts) and on the
 * engine (in-process clients); every connection must receive the same replies in the same order.
 * The engine's replies go through the RESP encoder in the client's protocol and back through the
 * decoder, so the comparison is of what a client would read off the wire.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import { parseReply } from '../../src/resp/decode.js';
import { encode } from '../../src/resp/encode.js';
import type { Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

/** One step: connection index and command. */
type Step = readonly [number, ...string[]];

/** A raw RESP connection that records every reply it reads. */
class RawConnection {
  readonly received: Reply[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffer += chunk.toString('latin1');
      for (let parsed = parseReply(this.buffer); parsed; parsed = parseReply(this.buffer)) {
        this.received.push(parsed.reply);
        this.buffer = this.buffer.slice(parsed.end);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(argv: readonly string[]): void {
    this.socket.write(Buffer.from(encode({ kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) }, 2), 'latin1'));
  }

  /** Waits until `count` replies have arrived in all. */
  async until(count: number): Promise<void> {
    const deadline = Date.now() + 5000;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} replies, have ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The reply to the marker PING sync: bulk "sync", or a pong message when subscribed in RESP2. */
function isMarker(r: Reply): boolean {
  if (r.kind === 'bulk') return r.value === 'sync';
  return (r.kind === 'array' || r.kind === 'push') && r.items.length === 2 &&
    r.items[0]?.kind === 'bulk' && r.items[0].value === 'pong' && r.items[1]?.kind === 'bulk' && r.items[1].value === 'sync';
}

/**
 * Runs the steps on real connections. After each step every connection is sent PING sync and
 * waited for: Redis writes a published message to a subscriber before it answers that
 * subscriber's next command, so all of a step's replies are in when the markers are. The
 * markers are then dropped.
 */
async function onRedis(port: number, connections: number, steps: readonly Step[]): Promise<Reply[][]> {
  const conns = await Promise.all(Array.from({ length: connections }, () => RawConnection.open(port)));
  const sync = async (c: RawConnection) => {
    c.send(['PING', 'sync']);
    while (!c.received.some(isMarker)) await c.until(c.received.length + 1);
    c.received.splice(c.received.findIndex(isMarker), 1);
  };
  for (const [index, ...argv] of steps) {
    const actor = conns[index] as RawConnection;
    actor.send(argv);
    // The actor's marker comes back once its command has run, and with it every message the
    // command published is written; only then are the others asked.
    await sync(actor);
    for (const c of conns) if (c !== actor) await sync(c);
  }
  for (const c of conns) c.close();
  return conns.map((c) => c.received);
}

/** The same steps on the engine: pushes and replies, each through encode and decode. */
async function onEngine(connections: number, steps: readonly Step[]): Promise<Reply[][]> {
  const engine = new Engine({ activeExpiry: false });
  const received: Reply[][] = Array.from({ length: connections }, () => []);
  const clients: Client[] = [];
  const wire = (c: Client, r: Reply) => (parseReply(encode(r, c.resp)) as { reply: Reply }).reply;
  for (let i = 0; i < connections; i++) {
    const index = i;
    const client: Client = engine.connect({ onPush: (r) => (received[index] as Reply[]).push(wire(client, r)) });
    clients.push(client);
  }
  for (const [index, ...argv] of steps) {
    const client = clients[index] as Client;
    const reply = await client.execute(argv);
    (received[index] as Reply[]).push(wire(client, reply));
  }
  engine.close();
  return received;
}

/** HELLO's reply holds the connection id, which differs: it is compared without it. */
function withoutIds(replies: Reply[][]): Reply[][] {
  return replies.map((list) => list.map((r) => (r.kind === 'map' ? { ...r, entries: r.entries.filter(([k]) => !(k.kind === 'bulk' && k.value === 'id')) } : r)));
}

const SESSION: readonly Step[] = [
  [0, 'SUBSCRIBE', 'news', 'sport', 'news'],
  [1, 'HELLO', '3'],
  [1, 'SUBSCRIBE', 'news'],
  [1, 'PSUBSCRIBE', 'n*'],
  [0, 'PSUBSCRIBE', 'spo?t'],
  [2, 'PUBLISH', 'news', 'first'],
  [2, 'PUBLISH', 'sport', 'second'],
  [2, 'PUBLISH', 'nothing', 'third'],
  [2, 'PUBLISH', 'nowhere', 'fourth'],
  [1, 'PUBLISH', 'news', 'to myself'],
  [0, 'GET', 'k'],
  [1, 'GET', 'k'],
  [0, 'PING'],
  [0, 'PING', 'hi'],
  [1, 'PING'],
  [2, 'PUBSUB', 'NUMSUB', 'news', 'sport', 'x'],
  [2, 'PUBSUB', 'NUMPAT'],
  [0, 'UNSUBSCRIBE', 'news', 'other'],
  [2, 'PUBLISH', 'news', 'fifth'],
  [0, 'UNSUBSCRIBE'],
  [0, 'PUNSUBSCRIBE'],
  [0, 'UNSUBSCRIBE'],
  [0, 'GET', 'k'],
  [1, 'RESET'],
  [2, 'PUBLISH', 'news', 'sixth'],
  [1, 'PUNSUBSCRIBE', 'n*'],
  [1, 'SUBSCRIBE'],
  [2, 'SUBSCRIBE', 'a'],
  [2, 'PSUBSCRIBE', 'a*'],
  [1, 'PUBLISH', 'a', 'both ways'],
  [2, 'QUIT'],
];

const available = realRedisAvailable('pub/sub against redis-server');

describe.runIf(available)('pub/sub sessions against redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('every connection receives the same replies in the same order', async () => {
    const redis = withoutIds(await onRedis(server.port, 3, SESSION.slice(0, -1)));
    const ours = withoutIds(await onEngine(3, SESSION.slice(0, -1)));
    // The session is not trivially empty: confirmations, messages, pmessages and errors came back.
    expect(redis.map((r) => r.length)).toEqual([17, 18, 12]);
    expect(ours).toEqual(redis);
  }, 30_000);
});
