/**
 * `redislings selftest --url URL` and `--engine redis-server`, as a user runs them (the built
 * CLI): lessons on a learner's server in database 15 (what the server lacks skipped with the
 * reason, the database emptied afterwards, the others untouched), on a private server, and the
 * messages when it cannot start.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { array, bulk, integer } from '../../src/resp/reply.js';
import { CLI } from '../differential/harness.js';
import { freePort, realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { type RespClient, respClient } from '../helpers/resp-client.js';

const available = realRedisAvailable('redislings selftest on a real server');

describe.skipIf(!available)('redislings selftest on a real server', () => {
  let server: RedisServer;
  let direct: RespClient;
  let config: string;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'selftest', ...args], { encoding: 'utf8', env: { ...process.env, REDISLINGS_CONFIG_DIR: config } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    server = await startRedisServer();
    direct = await respClient(server.port);
    await direct.call('RPUSH', 'app:queue', 'job1', 'job2');
    config = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-config-'));
  });
  afterAll(async () => {
    direct?.close();
    await server?.stop();
    fs.rmSync(config, { recursive: true, force: true });
  });

  it('--url: the lessons pass in database 15, which is empty afterwards; database 0 is untouched', async () => {
    const r = run('--url', `redis://127.0.0.1:${server.port}`, '--lesson', 'hashes');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^✓ hashes: \d+ steps, \d+ answers tried\n1 passed, 0 failed, 0 skipped \(redis 7\.0\.\d+ at 127\.0\.0\.1:\d+, database 15\)\n$/);
    expect(r.status).toBe(0);
    expect(await direct.call('LRANGE', 'app:queue', '0', '-1')).toEqual(array([bulk('job1'), bulk('job2')]));
    await direct.call('SELECT', '15');
    expect(await direct.call('DBSIZE')).toEqual(integer(0));
    await direct.call('SELECT', '0');
  }, 60_000);

  it('--url with --db, and a lesson the server cannot run: skipped with the reason', () => {
    const r = run('--url', `redis://127.0.0.1:${server.port}`, '--db', '7', '--lesson', 'json');
    expect(r.stdout).toMatch(/^- json: skipped: redis 7\.0\.\d+ at 127\.0\.0\.1:\d+ has no JSON commands \(the RedisJSON module is not loaded\); the bundled engine has them\n/);
    expect(r.stdout).toMatch(/0 passed, 0 failed, 1 skipped \(redis 7\.0\.\d+ at 127\.0\.0\.1:\d+, database 7\)\n$/);
    expect(r.status).toBe(0);
  });

  it('a key redislings did not create in the lesson database stops it, and stays', async () => {
    await direct.call('SELECT', '15');
    await direct.call('SET', 'someone-elses', 'x');
    const r = run('--url', `redis://127.0.0.1:${server.port}`, '--lesson', 'hashes');
    expect(r.stderr).toMatch(/^redislings: hashes: database 15 of 127\.0\.0\.1:\d+ holds 1 key redislings did not create \("someone-elses"\); it deletes none of them\. Choose another database with --db, or agree to empty database 15\.\n$/);
    expect(r.status).toBe(1);
    expect(await direct.call('GET', 'someone-elses')).toEqual(bulk('x'));
    await direct.call('DEL', 'someone-elses');
    await direct.call('SELECT', '0');
  });

  it('--engine redis-server: a private server, gone afterwards', async () => {
    const r = run('--engine', 'redis-server', '--lesson', 'sets');
    expect(r.stdout).toMatch(/^✓ sets: \d+ steps, \d+ answers tried\n1 passed, 0 failed, 0 skipped \(redis 7\.0\.\d+, a private server on port (\d+)\)\n$/);
    expect(r.status).toBe(0);
    const port = Number(/on port (\d+)/.exec(r.stdout)?.[1]);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  }, 60_000);

  it('says why it cannot start', async () => {
    const port = await freePort();
    const unreachable = run('--url', `redis://127.0.0.1:${port}`);
    expect(unreachable.stderr).toBe(`redislings: nothing answers at 127.0.0.1:${port} (connection refused). Is redis-server running there? (for example: docker run -p 6379:6379 redis)\n`);
    expect(unreachable.status).toBe(1);
    const both = run('--url', `redis://127.0.0.1:${port}`, '--engine', 'redis-server');
    expect(both.stderr).toBe('redislings: --url and --engine redis-server both say where lessons run: give one of them\n');
    expect(both.status).toBe(1);
  });
});
