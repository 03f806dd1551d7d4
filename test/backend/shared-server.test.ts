/**
 * A shared server (one redislings did not start), against a private redis-server that holds other
 * applications' data in databases 0 and 3: lesson connections stay in database 15 whatever is
 * typed, FLUSHALL never empties the other databases, the guard explains and offers FLUSHDB, and
 * the lesson database is emptied of the keys redislings recorded only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForeignKeysError } from '../../src/backend/backend.js';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { loadLessons, SHIPPED_LESSONS_DIR } from '../../src/lessons/loader.js';
import { LessonRun } from '../../src/lessons/runner.js';
import { array, bulk, error, integer, OK, simple, type Reply } from '../../src/resp/reply.js';
import { type RespClient, respClient } from '../helpers/resp-client.js';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';

const available = realRedisAvailable('shared-server safety');

describe.skipIf(!available)('a shared server', () => {
  let server: RedisServer;
  let direct: RespClient;
  let backend: RedisServerBackend;
  let recordDir: string;

  /** What another application keeps in databases 0 and 3. */
  const othersData = async () => {
    await direct.call('SELECT', '0');
    await direct.call('SET', 'app:config', 'precious');
    await direct.call('HSET', 'app:user:1', 'name', 'Ada');
    await direct.call('SELECT', '3');
    await direct.call('RPUSH', 'jobs', 'a', 'b');
  };
  const othersIntact = async () => {
    await direct.call('SELECT', '0');
    expect(await direct.call('GET', 'app:config')).toEqual(bulk('precious'));
    expect(await direct.call('HGET', 'app:user:1', 'name')).toEqual(bulk('Ada'));
    await direct.call('SELECT', '3');
    expect(await direct.call('LRANGE', 'jobs', '0', '-1')).toEqual(array([bulk('a'), bulk('b')]));
  };
  const inDb = async (db: number, ...argv: string[]): Promise<Reply> => {
    await direct.call('SELECT', String(db));
    return direct.call(...argv);
  };

  beforeAll(async () => {
    server = await startRedisServer();
    direct = await respClient(server.port);
    recordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-record-'));
  });
  afterAll(async () => {
    direct?.close();
    await server?.stop();
    fs.rmSync(recordDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await direct.call('FLUSHALL');
    await othersData();
    fs.rmSync(path.join(recordDir, 'keys.json'), { force: true });
    backend = await RedisServerBackend.open({ port: server.port, recordFile: path.join(recordDir, 'keys.json') });
  });
  afterEach(async () => {
    await backend.close();
  });

  it('is shared: no persistence, with the reason', () => {
    expect(backend.shared).toBe(true);
    expect(backend.description).toMatch(/^redis 7\.0\.\d+ at 127\.0\.0\.1:\d+, database 15$/);
    expect([...backend.capabilities]).toEqual(['clients']);
    expect(backend.missing.get('persistence')).toMatch(/did not start 127\.0\.0\.1:\d+, so it cannot crash and restart it/);
    expect(backend.missing.get('json')).toMatch(/RedisJSON module is not loaded/);
  });

  it('keeps a lesson connection in its database: SELECT, MOVE, SWAPDB, COPY … DB are refused', async () => {
    const c = await backend.connect();
    expect(await c.execute(['SET', 'k', 'v'])).toEqual(OK);
    for (const argv of [['SELECT', '0'], ['MOVE', 'k', '0'], ['SWAPDB', '15', '0'], ['COPY', 'k', 'k2', 'DB', '3'], ['SELECT', '15 ']]) {
      const r = await c.execute(argv);
      expect(r.kind, argv.join(' ')).toBe('error');
      expect((r as { message: string }).message).toMatch(/^ERR .*stay in database 15|^ERR COPY … DB writes into another database/);
    }
    expect(await c.execute(['SELECT', '15'])).toEqual(OK);
    expect(await c.execute(['COPY', 'k', 'k2', 'DB', '15'])).toEqual(integer(1));
    expect(await c.execute(['COPY', 'k', 'k3'])).toEqual(integer(1));
    // RESET goes back to database 0 on Redis; here the connection selects 15 again after it.
    expect(await c.execute(['RESET'])).toEqual(simple('RESET'));
    expect(await c.execute(['DBSIZE'])).toEqual(integer(3));
    await c.close();
    expect(await inDb(0, 'DBSIZE')).toEqual(integer(2));
    await othersIntact();
  });

  it('a refused command inside MULTI fails the transaction, as a command Redis refuses would', async () => {
    const c = await backend.connect();
    expect(await c.execute(['MULTI'])).toEqual(OK);
    expect(await c.execute(['SET', 'a', '1'])).toEqual(simple('QUEUED'));
    const refused = await c.execute(['SELECT', '0']);
    expect(refused.kind).toBe('error');
    expect((refused as { message: string }).message).toMatch(/^ERR SELECT would leave database 15/);
    expect(await c.execute(['EXEC'])).toEqual(error('EXECABORT Transaction discarded because of previous errors.'));
    expect(await c.execute(['EXISTS', 'a'])).toEqual(integer(0));
    await c.close();
  });

  it('FLUSHALL sent by a lesson connection never empties another database', async () => {
    const c = await backend.connect();
    await c.execute(['SET', 'mine', '1']);
    const r = await c.execute(['FLUSHALL']);
    expect(r).toEqual(error("ERR redislings did not run FLUSHALL: database 0 of this shared server holds keys that are not the lesson's (FLUSHDB empties the lesson's database)"));
    expect(await c.execute(['EXISTS', 'mine'])).toEqual(integer(1));
    await othersIntact();
    // In a transaction too: the check runs when EXEC does.
    await c.execute(['MULTI']);
    expect(await c.execute(['FLUSHALL', 'ASYNC'])).toEqual(simple('QUEUED'));
    const exec = await c.execute(['EXEC']);
    expect(exec.kind === 'array' && exec.items[0]?.kind).toBe('error');
    await othersIntact();
    // With nothing anywhere else, FLUSHALL is FLUSHALL; its syntax errors are Redis' own.
    await direct.call('FLUSHALL');
    await c.execute(['SET', 'mine', '1']);
    expect(await c.execute(['FLUSHALL', 'NOW'])).toEqual(error('ERR syntax error'));
    expect(await c.execute(['FLUSHALL', 'SYNC'])).toEqual(OK);
    expect(await c.execute(['DBSIZE'])).toEqual(integer(0));
    await c.close();
  });

  it('the guard explains FLUSHALL and offers FLUSHDB; runs it as is when no other database holds a key', async () => {
    const decision = await backend.guard(['FLUSHALL', 'ASYNC']);
    expect(decision).toEqual({
      kind: 'refuse',
      explanation: 'FLUSHALL empties every database of the server, and this one also holds database 0 (2 keys) and database 3 (1 key), ' +
        "which redislings did not create: it does not run FLUSHALL here. FLUSHDB empties only database 15, the lesson's, " +
        'which is all FLUSHALL would have emptied on a server of your own.',
      offer: ['FLUSHDB', 'ASYNC'],
    });
    expect(await backend.guard(['GET', 'x'])).toEqual({ kind: 'run' });
    expect((await backend.guard(['CONFIG', 'SET', 'maxmemory', '1'])).kind).toBe('refuse');
    await direct.call('FLUSHALL');
    expect(await backend.guard(['FLUSHALL'])).toEqual({ kind: 'run' });
  });

  it('a FLUSHALL typed in the first lesson: refused with the offer, FLUSHDB accepted, the step passes, dbs 0 and 3 intact', async () => {
    const { lessons } = loadLessons(SHIPPED_LESSONS_DIR);
    const lesson = lessons.find((l) => l.id === 'first-steps')!;
    const at = lesson.steps.findIndex((s) => s.id === 'flushall');
    const run = await LessonRun.open(lesson, backend, { atStep: at });
    try {
      expect(await inDb(15, 'DBSIZE')).not.toEqual(integer(0));
      const first = await run.submit(['FLUSHALL']);
      expect(first.refused?.offer).toEqual(['FLUSHDB']);
      expect(first.refused?.explanation).toMatch(/^FLUSHALL empties every database of the server/);
      expect(run.history.commands).toEqual([]);
      const accepted = await run.submit(['FLUSHALL'], { runAs: first.refused!.offer! });
      expect(accepted.reply).toEqual(OK);
      expect((await run.submit(['DBSIZE'])).verdict.passed).toBe(true);
      await othersIntact();
    } finally {
      await run.close();
    }
  });

  it('scripts: EVAL that could leave the database is refused; a plain one runs, and EVALSHA of it', async () => {
    const c = await backend.connect();
    const refused = await c.execute(['EVAL', "redis.call('select', 0) return redis.call('del', 'app:config')", '0']);
    expect((refused as { message: string }).message).toMatch(/^ERR EVAL: the script mentions SELECT/);
    await othersIntact();
    const script = "return redis.call('set', KEYS[1], ARGV[1])";
    expect(await c.execute(['EVAL', script, '1', 'k', 'v'])).toEqual(OK);
    const sha = await direct.call('SCRIPT', 'LOAD', script);
    expect(await c.execute(['EVALSHA', (sha as { value: string }).value, '1', 'k2', 'v'])).toEqual(OK);
    const other = await direct.call('SCRIPT', 'LOAD', "return redis.call('flushall')");
    expect((await c.execute(['EVALSHA', (other as { value: string }).value, '0'])).kind).toBe('error');
    await othersIntact();
    await c.close();
  });

  it('records the keys lessons write; reset() deletes those and nothing else', async () => {
    const c = await backend.connect();
    await c.execute(['SET', 'a', '1']);
    await c.execute(['HSET', 'h', 'f', 'v']);
    await c.execute(['RPUSH', 'l', 'x']);
    await c.execute(['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT']);
    await c.execute(['MULTI']);
    await c.execute(['SADD', 's', 'm']);
    await c.execute(['EXEC']);
    await c.execute(['MULTI']);
    await c.execute(['SADD', 'discarded', 'm']);
    await c.execute(['DISCARD']);
    await c.execute(['EVAL', "return redis.call('set', KEYS[1], 'x')", '1', 'by-script']);
    await c.execute(['SET', 'bin\xff\x00', 'x']);
    await c.close();
    expect(await backend.checkLessonDatabase()).toEqual({ state: 'ours', keys: 6 });
    await backend.reset();
    expect(await inDb(15, 'DBSIZE')).toEqual(integer(0));
    expect(await backend.checkLessonDatabase()).toEqual({ state: 'empty' });
    await othersIntact();
  });

  it('a key redislings did not create stops reset() until the learner agrees; the record survives the process', async () => {
    const c = await backend.connect();
    await c.execute(['SET', 'mine', '1']);
    await c.close();
    await inDb(15, 'SET', 'theirs', '1');
    expect(await backend.checkLessonDatabase()).toEqual({ state: 'foreign', count: 1, sample: ['theirs'] });
    await expect(backend.reset()).rejects.toThrow(ForeignKeysError);
    await expect(backend.reset()).rejects.toThrow(/database 15 of 127\.0\.0\.1:\d+ holds 1 key redislings did not create \("theirs"\); it deletes none of them/);
    expect(await inDb(15, 'DBSIZE')).toEqual(integer(2));
    // Another run of redislings reads the same record: "mine" is known, "theirs" is not.
    await backend.close();
    backend = await RedisServerBackend.open({ port: server.port, recordFile: path.join(recordDir, 'keys.json') });
    expect(await backend.checkLessonDatabase()).toEqual({ state: 'foreign', count: 1, sample: ['theirs'] });
    await backend.adoptLessonDatabase();
    await backend.reset();
    expect(await inDb(15, 'DBSIZE')).toEqual(integer(0));
    await othersIntact();
  });
});
