import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { command, rawSocket, testServer } from './helpers.js';

const servers: RunningServer[] = [];
const clients: Redis[] = [];

async function server(options: { requirepass?: string } = {}): Promise<RunningServer> {
  const s = await testServer(options);
  servers.push(s);
  return s;
}

function ioredis(port: number, options: { password?: string } = {}): Redis {
  // No reconnection: a test that closes a connection wants it closed.
  const r = new Redis({ port, host: '127.0.0.1', retryStrategy: () => null, maxRetriesPerRequest: 0, ...options });
  clients.push(r);
  return r;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const s of servers.splice(0)) await s.close();
});

describe('redislings server with ioredis', () => {
  it('answers commands from several clients on one keyspace', async () => {
    const s = await server();
    const a = ioredis(s.port);
    const b = ioredis(s.port);
    expect(await a.set('k', 'v')).toBe('OK');
    expect(await b.get('k')).toBe('v');
    expect(await b.incr('n')).toBe(1);
    expect(await a.incr('n')).toBe(2);
    expect(await a.hset('h', 'f', '1', 'g', '2')).toBe(2);
    expect(await b.hgetall('h')).toEqual({ f: '1', g: '2' });
    expect(await a.zadd('z', 1.5, 'm')).toBe(1);
    expect(await b.zscore('z', 'm')).toBe('1.5');
  });

  it('keeps pipelined replies in order', async () => {
    const s = await server();
    const a = ioredis(s.port);
    const pipe = a.pipeline();
    for (let i = 0; i < 1000; i++) pipe.rpush('list', String(i));
    pipe.llen('list');
    pipe.lrange('list', 0, 2);
    const results = await pipe.exec();
    expect(results?.length).toBe(1002);
    expect(results?.[999]).toEqual([null, 1000]);
    expect(results?.[1000]).toEqual([null, 1000]);
    expect(results?.[1001]).toEqual([null, ['0', '1', '2']]);
  });

  it('hands a job LPUSHed by one client to a BRPOP worker on another', async () => {
    const s = await server();
    const worker = ioredis(s.port);
    const producer = ioredis(s.port);
    const job = worker.brpop('jobs', 5);
    // The worker's later command waits behind the blocked one, as in Redis.
    const after = worker.get('after');
    await new Promise((r) => setTimeout(r, 50));
    expect(await producer.lpush('jobs', 'job-1')).toBe(1);
    expect(await job).toEqual(['jobs', 'job-1']);
    expect(await after).toBe(null);
    expect(await producer.llen('jobs')).toBe(0);
  });

  it('times a blocked command out', async () => {
    const s = await server();
    const worker = ioredis(s.port);
    expect(await worker.blpop('nothing', 0.1)).toBe(null);
  });

  it('delivers pub/sub messages across clients (RESP2)', async () => {
    const s = await server();
    const sub = ioredis(s.port);
    const pub = ioredis(s.port);
    const got: string[] = [];
    const done = new Promise<void>((resolve) => {
      sub.on('message', (channel: string, message: string) => {
        got.push(`${channel}:${message}`);
        if (got.filter((g) => g.startsWith('news:')).length === 2) resolve();
      });
      sub.on('pmessage', (pattern: string, channel: string, message: string) => got.push(`${pattern}|${channel}:${message}`));
    });
    await sub.subscribe('news');
    await sub.psubscribe('n*');
    expect(await pub.publish('news', 'hello')).toBe(2);
    expect(await pub.publish('news', 'world')).toBe(2);
    await done;
    expect(got).toContain('news:hello');
    expect(got).toContain('n*|news:hello');
    expect(got.filter((g) => g.startsWith('news:'))).toEqual(['news:hello', 'news:world']);
    // A RESP2 subscriber may only use the pub/sub commands (ioredis would not even send GET).
    const raw = await rawSocket(s.port);
    raw.send(command('SUBSCRIBE', 'x') + command('GET', 'x') + command('PING'));
    await raw.waitFor("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    raw.socket.destroy();
  });

  it('delivers pub/sub messages as RESP3 pushes after HELLO 3', async () => {
    const s = await server();
    const sub = await rawSocket(s.port);
    const pub = ioredis(s.port);
    sub.send(command('HELLO', '3'));
    await sub.waitFor('modules');
    sub.send(command('SUBSCRIBE', 'ch'));
    await sub.waitFor('>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
    // In RESP3 a subscriber may run any command; its reply comes between pushes.
    sub.send(command('SET', 'k', 'v'));
    await sub.waitFor('+OK\r\n');
    expect(await pub.publish('ch', 'hi')).toBe(1);
    await sub.waitFor('>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
    sub.send(command('HGETALL', 'none'));
    await sub.waitFor('%0\r\n');
    sub.socket.destroy();
  });

  it('lets only one of two racing WATCH/MULTI clients commit', async () => {
    const s = await server();
    const a = ioredis(s.port);
    const b = ioredis(s.port);
    await a.set('balance', '10');
    await a.watch('balance');
    await b.watch('balance');
    const readA = Number(await a.get('balance'));
    const readB = Number(await b.get('balance'));
    const first = await a.multi().set('balance', String(readA - 3)).exec();
    const second = await b.multi().set('balance', String(readB - 5)).exec();
    expect(first).toEqual([[null, 'OK']]);
    expect(second).toBe(null);
    expect(await a.get('balance')).toBe('7');
    // Without a concurrent write, the retry commits.
    await b.watch('balance');
    const again = Number(await b.get('balance'));
    expect(await b.multi().set('balance', String(again - 5)).exec()).toEqual([[null, 'OK']]);
    expect(await a.get('balance')).toBe('2');
  });

  it('answers AUTH with --requirepass, and NOAUTH before it', async () => {
    const s = await server({ requirepass: 'secret' });
    const anon = await rawSocket(s.port);
    anon.send(command('GET', 'k'));
    await anon.waitFor('-NOAUTH Authentication required.\r\n');
    anon.send(command('AUTH', 'wrong'));
    await anon.waitFor('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    anon.send(command('AUTH', 'secret') + command('SET', 'k', 'v'));
    await anon.waitFor('+OK\r\n+OK\r\n');
    anon.socket.destroy();
    const good = ioredis(s.port, { password: 'secret' });
    expect(await good.get('k')).toBe('v');
  });

  it('holds an unauthenticated client to small requests, as Redis does', async () => {
    const s = await server({ requirepass: 'secret' });
    const many = await rawSocket(s.port);
    many.send(command(...Array.from({ length: 11 }, () => 'x')));
    await many.closed;
    expect(many.received()).toBe('-ERR Protocol error: unauthenticated multibulk length\r\n');
    const big = await rawSocket(s.port);
    big.send(`*2\r\n$3\r\nSET\r\n$16385\r\n`);
    await big.closed;
    expect(big.received()).toBe('-ERR Protocol error: unauthenticated bulk length\r\n');
    // Once authenticated, the same requests are fine.
    const ok = await rawSocket(s.port);
    ok.send(command('AUTH', 'secret') + command('SET', 'k', 'x'.repeat(16385)) + command('STRLEN', 'k'));
    await ok.waitFor('+OK\r\n+OK\r\n:16385\r\n');
    ok.socket.destroy();
  });

  it('answers QUIT with OK and closes', async () => {
    const s = await server();
    const c = await rawSocket(s.port);
    c.send(command('PING') + command('QUIT') + command('PING'));
    await c.closed;
    expect(c.received()).toBe('+PONG\r\n+OK\r\n');
  });

  it('answers a protocol error after the replies before it, then closes', async () => {
    const s = await server();
    const cases: [string, string][] = [
      ['*x\r\n', 'invalid multibulk length'],
      ['*1\r\n+PING\r\n', "expected '$', got '+'"],
      ['*1\r\n$-3\r\n', 'invalid bulk length'],
      ['SET "a\r\n', 'unbalanced quotes in request'],
    ];
    for (const [bytes, message] of cases) {
      const c = await rawSocket(s.port);
      c.send('PING\r\n' + bytes + 'PING\r\n');
      await c.closed;
      expect(c.received()).toBe(`+PONG\r\n-ERR Protocol error: ${message}\r\n`);
    }
    const other = ioredis(s.port);
    expect(await other.ping()).toBe('PONG');
  });

  it('reads inline commands, as typed over telnet', async () => {
    const s = await server();
    const c = await rawSocket(s.port);
    c.send('SET greeting "hello world"\r\nGET greeting\nEXISTS greeting nope\r\n');
    await c.waitFor('+OK\r\n$11\r\nhello world\r\n:1\r\n');
    c.socket.destroy();
  });

  it('closes a connection killed by CLIENT KILL, and forgets its blocked command', async () => {
    const s = await server();
    const admin = ioredis(s.port);
    const victim = await rawSocket(s.port);
    victim.send(command('CLIENT', 'ID') + command('BLPOP', 'q', '0'));
    await victim.waitFor(':');
    const id = /:(\d+)\r\n/.exec(victim.received())?.[1] as string;
    await waitUntil(async () => String(await admin.client('LIST')).includes('cmd=blpop'));
    expect(await admin.call('CLIENT', 'KILL', 'ID', id)).toBe(1);
    await victim.closed;
    // The killed client's BLPOP does not take what is pushed afterwards.
    expect(await admin.lpush('q', 'job')).toBe(1);
    expect(await admin.lrange('q', 0, -1)).toEqual(['job']);
    expect(String(await admin.client('LIST'))).not.toContain(`id=${id} `);
  });

  it('answers a client that kills itself before closing it', async () => {
    const s = await server();
    const c = await rawSocket(s.port);
    c.send(command('CLIENT', 'KILL', 'SKIPME', 'no') + command('PING'));
    await c.closed;
    expect(c.received()).toBe(':1\r\n');
  });

  it('forgets the blocked command of a client whose socket goes away', async () => {
    const s = await server();
    const admin = ioredis(s.port);
    const gone = await rawSocket(s.port);
    gone.send(command('BRPOP', 'q2', '0'));
    await waitUntil(async () => String(await admin.client('LIST')).includes('cmd=brpop'));
    gone.socket.destroy();
    await waitUntil(async () => !String(await admin.client('LIST')).includes('cmd=brpop'));
    expect(await admin.rpush('q2', 'job')).toBe(1);
    expect(await admin.llen('q2')).toBe(1);
  });

  it('stops on SHUTDOWN without a reply to the caller', async () => {
    const s = await server();
    const bystander = await rawSocket(s.port);
    const c = await rawSocket(s.port);
    c.send(command('SET', 'k', 'v') + command('SHUTDOWN', 'NOSAVE') + command('PING'));
    await c.closed;
    // Redis exits inside the command: even the SET's reply, not yet written, is lost (checked
    // against redis-server 7.0.15 with the same bytes).
    expect(c.received()).toBe('');
    await bystander.closed;
    await s.stopped;
    const refused = await rawSocket(s.port).then(() => false, () => true);
    expect(refused).toBe(true);
  });

  it("answers SHUTDOWN's option errors as Redis does", async () => {
    const s = await server();
    const c = ioredis(s.port);
    await expect(c.call('SHUTDOWN', 'SAVE', 'NOSAVE')).rejects.toThrow('ERR syntax error');
    await expect(c.call('SHUTDOWN', 'ABORT')).rejects.toThrow('ERR No shutdown in progress.');
    await expect(c.call('SHUTDOWN', 'NOW', 'ABORT')).rejects.toThrow('ERR syntax error');
    await expect(c.call('SHUTDOWN', 'LATER')).rejects.toThrow('ERR syntax error');
    await c.multi({ pipeline: false });
    await expect(c.call('SHUTDOWN')).rejects.toThrow('ERR Command not allowed inside a transaction');
    await c.discard();
    expect(await c.ping()).toBe('PONG');
  });

  it('serves many clients at once', async () => {
    const s = await server();
    const many = Array.from({ length: 50 }, () => ioredis(s.port));
    await Promise.all(many.map((c, i) => c.set(`key:${i}`, String(i))));
    const counts = await Promise.all(many.map((c) => c.incrby('total', 2)));
    expect(Math.max(...counts)).toBe(100);
    expect(await many[0]?.mget('key:0', 'key:49')).toEqual(['0', '49']);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
