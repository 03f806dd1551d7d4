/**
 * Pub/sub with several in-process clients: confirmations (all but the last as pushes), message
 * delivery and its order, patterns, counts, the RESP2 subscriber restrictions, RESET and
 * disconnection. test/engine/pubsub-redis.test.ts replays such sessions on a real redis-server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import type { ArrayReply, BulkReply, Reply } from '../../src/resp/reply.js';

const b = (value: string): Reply => ({ kind: 'bulk', value });
const n = (value: number): Reply => ({ kind: 'integer', value });
const NIL: Reply = { kind: 'null' };
const pushOf = (...items: Reply[]): Reply => ({ kind: 'push', items });

interface Session { client: Client; seen: Reply[] }

describe('pub/sub', () => {
  let engine: Engine;
  const sessions: Session[] = [];

  function open(): Session {
    const seen: Reply[] = [];
    const client = engine.connect({ onPush: (r) => seen.push(r) });
    const s = { client, seen };
    sessions.push(s);
    return s;
  }

  /** Runs a command and returns everything the client received for it, pushes first. */
  async function run(s: Session, ...argv: string[]): Promise<Reply[]> {
    const before = s.seen.length;
    const reply = await s.client.execute(argv);
    const pushed = s.seen.splice(before);
    return [...pushed, reply];
  }

  beforeEach(() => {
    engine = new Engine({ activeExpiry: false });
    sessions.length = 0;
  });
  afterEach(() => engine.close());

  it('confirms each channel in order, with the count after it', async () => {
    const a = open();
    expect(await run(a, 'SUBSCRIBE', 'news', 'sport', 'news')).toEqual([
      pushOf(b('subscribe'), b('news'), n(1)),
      pushOf(b('subscribe'), b('sport'), n(2)),
      pushOf(b('subscribe'), b('news'), n(2)),
    ]);
    expect(await run(a, 'PSUBSCRIBE', 'n*')).toEqual([pushOf(b('psubscribe'), b('n*'), n(3))]);
    expect(await run(a, 'UNSUBSCRIBE', 'news', 'nosuch')).toEqual([
      pushOf(b('unsubscribe'), b('news'), n(2)),
      pushOf(b('unsubscribe'), b('nosuch'), n(2)),
    ]);
    expect(await run(a, 'UNSUBSCRIBE')).toEqual([pushOf(b('unsubscribe'), b('sport'), n(1))]);
    expect(await run(a, 'PUNSUBSCRIBE')).toEqual([pushOf(b('punsubscribe'), b('n*'), n(0))]);
    // Subscribed to nothing: still one reply, with a nil name.
    expect(await run(a, 'UNSUBSCRIBE')).toEqual([pushOf(b('unsubscribe'), NIL, n(0))]);
    expect(await run(a, 'PUNSUBSCRIBE')).toEqual([pushOf(b('punsubscribe'), NIL, n(0))]);
  });

  it('delivers to channel subscribers first, then to pattern subscribers, counting each delivery', async () => {
    const a = open();
    const c = open();
    const pub = open();
    await run(a, 'PSUBSCRIBE', 'news.*');
    await run(c, 'SUBSCRIBE', 'news.tech');
    await run(a, 'SUBSCRIBE', 'news.tech');
    expect(await run(pub, 'PUBLISH', 'news.tech', 'hello')).toEqual([n(3)]);
    expect(a.seen).toEqual([
      pushOf(b('message'), b('news.tech'), b('hello')),
      pushOf(b('pmessage'), b('news.*'), b('news.tech'), b('hello')),
    ]);
    expect(c.seen).toEqual([pushOf(b('message'), b('news.tech'), b('hello'))]);
    expect(await run(pub, 'PUBLISH', 'news.sport', 'goal')).toEqual([n(1)]);
    expect(await run(pub, 'PUBLISH', 'weather', 'rain')).toEqual([n(0)]);
    expect(a.seen.at(-1)).toEqual(pushOf(b('pmessage'), b('news.*'), b('news.sport'), b('goal')));
  });

  it('sends channel subscribers their messages in the order they subscribed', async () => {
    const order: number[] = [];
    const clients = [0, 1, 2].map((i) => engine.connect({ onPush: (r) => {
      if (r.kind === 'push' && (r.items[0] as { value: string }).value === 'message') order.push(i);
    } }));
    for (const i of [2, 0, 1]) await clients[i]?.execute(['SUBSCRIBE', 'ch']);
    await open().client.execute(['PUBLISH', 'ch', 'x']);
    expect(order).toEqual([2, 0, 1]);
  });

  it('matches patterns as Redis globs, case-sensitively, binary-safe', async () => {
    const a = open();
    const pub = open();
    await run(a, 'PSUBSCRIBE', 'h?llo', 'b[ae]d', 'x\\*');
    expect(await run(pub, 'PUBLISH', 'hello', '1')).toEqual([n(1)]);
    expect(await run(pub, 'PUBLISH', 'HELLO', '1')).toEqual([n(0)]);
    expect(await run(pub, 'PUBLISH', 'bad', '1')).toEqual([n(1)]);
    expect(await run(pub, 'PUBLISH', 'bid', '1')).toEqual([n(0)]);
    expect(await run(pub, 'PUBLISH', 'x*', '\x00\xff')).toEqual([n(1)]);
    expect(a.seen.at(-1)).toEqual(pushOf(b('pmessage'), b('x\\*'), b('x*'), b('\x00\xff')));
  });

  it('lets a RESP2 subscriber run only the pub/sub commands, PING answering as a message', async () => {
    const a = open();
    await run(a, 'SUBSCRIBE', 'ch');
    expect(await run(a, 'GET', 'k')).toEqual([{
      kind: 'error',
      message: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    }]);
    expect(await run(a, 'PING')).toEqual([{ kind: 'array', items: [b('pong'), b('')] }]);
    expect(await run(a, 'PING', 'hi')).toEqual([{ kind: 'array', items: [b('pong'), b('hi')] }]);
    await run(a, 'UNSUBSCRIBE');
    expect(await run(a, 'PING')).toEqual([{ kind: 'simple', value: 'PONG' }]);
  });

  it('lets a RESP3 subscriber run any command, and sends its own message before PUBLISH answers', async () => {
    const a = open();
    await run(a, 'HELLO', '3');
    await run(a, 'SUBSCRIBE', 'ch');
    expect(await run(a, 'GET', 'k')).toEqual([NIL]);
    expect(await run(a, 'PING')).toEqual([{ kind: 'simple', value: 'PONG' }]);
    expect(await run(a, 'PUBLISH', 'ch', 'me')).toEqual([pushOf(b('message'), b('ch'), b('me')), n(1)]);
  });

  it('reports channels, subscriber counts and patterns (PUBSUB)', async () => {
    const a = open();
    const c = open();
    await run(a, 'SUBSCRIBE', 'news', 'sport');
    await run(c, 'SUBSCRIBE', 'news');
    await run(a, 'PSUBSCRIBE', 'n*', 's*');
    await run(c, 'PSUBSCRIBE', 'n*');
    const q = open();
    const channels = (await run(q, 'PUBSUB', 'CHANNELS'))[0] as ArrayReply;
    expect(channels.items.map((i) => (i as BulkReply).value).sort()).toEqual(['news', 'sport']);
    expect(await run(q, 'PUBSUB', 'CHANNELS', 's*')).toEqual([{ kind: 'array', items: [b('sport')] }]);
    expect(await run(q, 'PUBSUB', 'NUMSUB', 'news', 'sport', 'none')).toEqual([{
      kind: 'array', items: [b('news'), n(2), b('sport'), n(1), b('none'), n(0)],
    }]);
    // Distinct patterns, not subscriptions.
    expect(await run(q, 'PUBSUB', 'NUMPAT')).toEqual([n(2)]);
    expect(await run(q, 'CLIENT', 'LIST', 'TYPE', 'pubsub')).toSatisfy((r: Reply[]) => {
      const text = (r[0] as { value: string }).value;
      return text.split('\n').filter(Boolean).length === 2 && text.includes('flags=P') && text.includes('sub=2 psub=2');
    });
  });

  it('forgets a client that disconnects or resets, without telling it', async () => {
    const a = open();
    const c = open();
    await run(a, 'SUBSCRIBE', 'news');
    await run(c, 'SUBSCRIBE', 'news');
    await run(c, 'PSUBSCRIBE', 'n*');
    a.client.close();
    expect(await run(open(), 'PUBSUB', 'NUMSUB', 'news')).toEqual([{ kind: 'array', items: [b('news'), n(1)] }]);
    expect(await run(c, 'RESET')).toEqual([{ kind: 'simple', value: 'RESET' }]);
    expect(c.client.inPubSub).toBe(false);
    expect(await run(open(), 'PUBLISH', 'news', 'x')).toEqual([n(0)]);
    expect(engine.pubsub.channels.size).toBe(0);
    expect(engine.pubsub.patterns.size).toBe(0);
  });

  it('folds pushes into arrays for a RESP2 client on the wire', async () => {
    const { encode } = await import('../../src/resp/encode.js');
    const a = open();
    const [first] = await run(a, 'SUBSCRIBE', 'ch');
    expect(encode(first as Reply, 2)).toBe('*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
    expect(encode(first as Reply, 3)).toBe('>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
  });
});

describe('keyspace notifications', () => {
  it('publish on the keyspace and keyevent channels the configuration enables', async () => {
    const { notifyKeyspaceEvent } = await import('../../src/engine/pubsub.js');
    const { NOTIFY } = await import('../../src/engine/config.js');
    const engine = new Engine({ activeExpiry: false });
    const seen: Reply[] = [];
    const sub = engine.connect({ onPush: (r) => seen.push(r) });
    await sub.execute(['PSUBSCRIBE', '__key*__:*']);
    seen.length = 0;
    notifyKeyspaceEvent(engine, NOTIFY.STRING, 'set', 'k', 0);
    expect(seen).toEqual([]);
    await engine.connect().execute(['CONFIG', 'SET', 'notify-keyspace-events', 'KE$']);
    notifyKeyspaceEvent(engine, NOTIFY.STRING, 'set', 'k', 3);
    notifyKeyspaceEvent(engine, NOTIFY.LIST, 'lpush', 'l', 3);
    expect(seen).toEqual([
      pushOf(b('pmessage'), b('__key*__:*'), b('__keyspace@3__:k'), b('set')),
      pushOf(b('pmessage'), b('__key*__:*'), b('__keyevent@3__:set'), b('k')),
    ]);
    engine.close();
  });
});
