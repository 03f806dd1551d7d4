/**
 * `redislings server` as a process (dist/cli.js: build first), driven by the real redis-cli and
 * node-redis: start-up line, signals, SHUTDOWN, --requirepass, protected mode.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { realRedisAvailable } from '../helpers/redis-server.js';
import { PROTECTED_MODE_DENIED } from '../../src/server/server.js';
import { command, rawSocket, spawnServer, type ServerProcess } from './helpers.js';

const running: ServerProcess[] = [];

async function server(args: string[] = []): Promise<ServerProcess> {
  const s = await spawnServer(args);
  running.push(s);
  return s;
}

afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

function redisCli(port: number, args: string[], input?: string): { stdout: string; status: number | null } {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { input, encoding: 'latin1', timeout: 10000 });
  return { stdout: r.stdout, status: r.status };
}

const withCli = realRedisAvailable('server process tests with redis-cli');

describe('redislings server (process)', () => {
  it('prints a Redis-style ready line and stops with exit code 0 on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const s = await server();
      expect(s.output()).toMatch(/^\d+:M \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} \* Ready to accept connections tcp$/m);
      const client = await rawSocket(s.port);
      client.send(command('BLPOP', 'q', '0'));
      s.child.kill(signal);
      expect(await s.exited).toBe(0);
      await client.closed;
      expect(s.output()).toContain(`Received ${signal} scheduling shutdown...`);
    }
  });

  it.skipIf(!withCli)('answers redis-cli, one-shot and piped, and stops on its SHUTDOWN', async () => {
    const s = await server();
    expect(redisCli(s.port, ['SET', 'greeting', 'hello world']).stdout).toBe('OK\n');
    expect(redisCli(s.port, ['GET', 'greeting']).stdout).toBe('hello world\n');
    expect(redisCli(s.port, ['-3', 'HGETALL', 'none']).stdout).toBe('\n');
    // Piped, redis-cli prints an error followed by an empty line (as it does with redis-server).
    const piped = redisCli(s.port, [], 'RPUSH l a b c\nLRANGE l 0 -1\nINCR greeting\n');
    expect(piped.stdout).toBe('3\na\nb\nc\nERR value is not an integer or out of range\n\n');
    const big = redisCli(s.port, ['--pipe'], Array.from({ length: 2000 }, (_, i) => command('SET', `k${i}`, String(i))).join(''));
    expect(big.stdout).toContain('errors: 0, replies: 2000');
    expect(redisCli(s.port, ['DBSIZE']).stdout).toBe('2002\n');
    const down = redisCli(s.port, ['SHUTDOWN', 'NOSAVE']);
    expect(down.stdout).toBe('');
    expect(await s.exited).toBe(0);
  });

  it.skipIf(!withCli)('requires AUTH with --requirepass', async () => {
    const s = await server(['--requirepass', 'pw']);
    expect(redisCli(s.port, ['GET', 'k']).stdout).toBe('NOAUTH Authentication required.\n\n');
    expect(redisCli(s.port, ['-a', 'pw', '--no-auth-warning', 'SET', 'k', 'v']).stdout).toBe('OK\n');
    expect(redisCli(s.port, ['-a', 'pw', '--no-auth-warning', 'CONFIG', 'GET', 'requirepass']).stdout).toBe('requirepass\npw\n');
  });

  // Protected mode needs a client that is not on the loopback interface: this host's own
  // non-loopback address, with the server bound to every interface.
  const external = Object.values(os.networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
  if (!external) console.warn('\n*** SKIPPED protected mode test: no non-loopback IPv4 address on this host ***\n');

  it.skipIf(!external)('denies non-loopback clients in protected mode, unless a password is set', async () => {
    const open = await server(['--bind', '0.0.0.0']);
    const remote = await rawSocket(open.port, external);
    await remote.closed;
    expect(remote.received()).toBe(PROTECTED_MODE_DENIED);
    const local = await rawSocket(open.port);
    local.send(command('PING'));
    await local.waitFor('+PONG\r\n');
    local.socket.destroy();
    const guarded = await server(['--bind', '0.0.0.0', '--requirepass', 'pw']);
    const remote2 = await rawSocket(guarded.port, external);
    remote2.send(command('AUTH', 'pw') + command('PING'));
    await remote2.waitFor('+OK\r\n+PONG\r\n');
    remote2.socket.destroy();
  });
});

describe('redislings server with node-redis', () => {
  it('runs a BRPOP worker fed by another client, and pub/sub in RESP2', async (ctx) => {
    let redis: typeof import('redis');
    try {
      redis = await import('redis');
    } catch (e) {
      // `redis` is a dev dependency; only a partial install lacks it, and CI must not.
      if (process.env.CI === 'true') throw e;
      console.warn('\n*** SKIPPED node-redis test: the `redis` package is not installed (npm install) ***\n');
      ctx.skip();
      return;
    }
    const s = await server();
    const url = `redis://127.0.0.1:${s.port}`;
    const worker = await redis.createClient({ url }).connect();
    const producer = await redis.createClient({ url }).connect();
    const subscriber = await redis.createClient({ url }).connect();
    try {
      const job = worker.brPop('jobs', 5);
      await new Promise((r) => setTimeout(r, 50));
      await producer.lPush('jobs', 'job-1');
      expect(await job).toEqual({ key: 'jobs', element: 'job-1' });
      const message = new Promise<string>((resolve) => void subscriber.subscribe('news', (m) => resolve(m)));
      await new Promise((r) => setTimeout(r, 50));
      expect(await producer.publish('news', 'hello')).toBe(1);
      expect(await message).toBe('hello');
    } finally {
      for (const c of [worker, producer, subscriber]) c.destroy();
    }
  });
});
