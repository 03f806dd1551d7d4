/**
 * Key and database commands where a script cannot show the answer: random choices, SCAN over
 * many keys and with expired ones, SWAPDB with blocked and watching clients, OBJECT IDLETIME on a
 * manual clock, and the keyspace statistics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BlockRequest } from '../../src/engine/blocking.js';
import type { Client } from '../../src/engine/client.js';
import { ManualClock } from '../../src/engine/clock.js';
import { Engine } from '../../src/engine/engine.js';
import { bulk, NIL_ARRAY, type Reply } from '../../src/resp/reply.js';

const engines: Engine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
});

function start(options: ConstructorParameters<typeof Engine>[0] = {}): { engine: Engine; c: Client } {
  const engine = new Engine({ activeExpiry: false, ...options });
  engines.push(engine);
  return { engine, c: engine.connect() };
}

async function run(c: Client, ...argv: string[]): Promise<Reply> {
  return c.execute(argv);
}

const int = (value: number): Reply => ({ kind: 'integer', value });
const PONG: Reply = { kind: 'simple', value: 'PONG' };

function text(reply: Reply): string | null {
  if (reply.kind === 'null') return null;
  if (reply.kind !== 'bulk') throw new Error(`not a bulk string: ${JSON.stringify(reply)}`);
  return reply.value;
}

/** One SCAN step: the next cursor and the names. */
function scanStep(reply: Reply): { cursor: string; names: string[] } {
  if (reply.kind !== 'array') throw new Error(`not a SCAN reply: ${JSON.stringify(reply)}`);
  const [cursor, names] = reply.items;
  if (cursor?.kind !== 'bulk' || names?.kind !== 'array') throw new Error('bad SCAN reply');
  return { cursor: cursor.value, names: names.items.map((r) => text(r) ?? '') };
}

async function scanAll(c: Client, ...options: string[]): Promise<{ names: string[]; steps: number }> {
  const names: string[] = [];
  let cursor = '0';
  let steps = 0;
  do {
    const step = scanStep(await run(c, 'SCAN', cursor, ...options));
    names.push(...step.names);
    cursor = step.cursor;
    steps++;
  } while (cursor !== '0' && steps < 10_000);
  return { names, steps };
}

async function execPing(c: Client): Promise<Reply> {
  await run(c, 'MULTI');
  await run(c, 'PING');
  return run(c, 'EXEC');
}

describe('RANDOMKEY', () => {
  it('answers each key of the database, and nil for an empty one', async () => {
    const { c } = start();
    expect(await run(c, 'RANDOMKEY')).toEqual({ kind: 'null' });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    for (const k of keys) await run(c, 'SET', k, '1');
    const seen = new Set<string | null>();
    for (let i = 0; i < 500; i++) seen.add(text(await run(c, 'RANDOMKEY')));
    expect([...seen].sort()).toEqual(keys);
  });

  it('deletes the expired keys it draws and answers a live one, or nil when none is left', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { engine, c } = start({ clock });
    for (let i = 0; i < 200; i++) {
      await run(c, 'SET', `old:${i}`, 'v');
      await run(c, 'PEXPIRE', `old:${i}`, '10');
    }
    await run(c, 'SET', 'live', 'v');
    clock.advance(11);
    expect(text(await run(c, 'RANDOMKEY'))).toBe('live');
    await run(c, 'DEL', 'live');
    expect(await run(c, 'RANDOMKEY')).toEqual({ kind: 'null' });
    expect(await run(c, 'DBSIZE')).toEqual(int(0));
    expect(engine.stats.expiredKeys).toBe(200);
  });
});

describe('SCAN', () => {
  it('walks 1000 keys in steps of COUNT, each key once', async () => {
    const { c } = start();
    for (let i = 0; i < 1000; i++) await run(c, 'SET', `k:${i}`, 'v');
    const { names, steps } = await scanAll(c, 'COUNT', '7');
    expect(names.length).toBe(1000);
    expect(new Set(names).size).toBe(1000);
    expect(steps).toBeGreaterThanOrEqual(1000 / 7);
  });

  it('returns every key present for the whole walk, though others come and go', async () => {
    const { c } = start();
    for (let i = 0; i < 100; i++) await run(c, 'SET', `k:${i}`, 'v');
    const names: string[] = [];
    let cursor = '0';
    let n = 0;
    do {
      const step = scanStep(await run(c, 'SCAN', cursor, 'COUNT', '5'));
      names.push(...step.names);
      cursor = step.cursor;
      await run(c, 'SET', `new:${n++}`, 'v');
      await run(c, 'DEL', `k:${99 - n}`);
    } while (cursor !== '0');
    for (let i = 0; i < 99 - n; i++) expect(names).toContain(`k:${i}`);
  });

  it('filters expired keys and deletes them; TYPE none lists a key its own lookup expired', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock });
    await run(c, 'SET', 'x', 'v');
    await run(c, 'SET', 'y', 'v');
    await run(c, 'PEXPIRE', 'x', '1');
    clock.advance(2);
    // Checked with redis-server 7.0.15 (active expiry off): SCAN 0 TYPE none answers "x".
    expect(scanStep(await run(c, 'SCAN', '0', 'TYPE', 'none')).names).toEqual(['x']);
    expect(await run(c, 'DBSIZE')).toEqual(int(1));
    await run(c, 'SET', 'x', 'v');
    await run(c, 'PEXPIRE', 'x', '1');
    clock.advance(2);
    expect(scanStep(await run(c, 'SCAN', '0', 'TYPE', 'string')).names).toEqual(['y']);
    expect(await run(c, 'DBSIZE')).toEqual(int(1));
    await run(c, 'SET', 'x', 'v');
    await run(c, 'PEXPIRE', 'x', '1');
    clock.advance(2);
    expect((await scanAll(c)).names).toEqual(['y']);
    expect(await run(c, 'DBSIZE')).toEqual(int(1));
  });

  it('ends a walk begun before SWAPDB or FLUSHDB replaced the data', async () => {
    const { c } = start();
    for (let i = 0; i < 50; i++) await run(c, 'SET', `k:${i}`, 'v');
    const first = scanStep(await run(c, 'SCAN', '0', 'COUNT', '10'));
    expect(first.cursor).not.toBe('0');
    await run(c, 'SWAPDB', '0', '1');
    expect(scanStep(await run(c, 'SCAN', first.cursor))).toEqual({ cursor: '0', names: [] });
  });
});

describe('SWAPDB', () => {
  it('serves a client blocked on a key the swap brings into its database', async () => {
    const { engine, c } = start();
    const waiter = engine.connect();
    // No blocking command exists on this branch yet, so the wait is made as BLPOP would make it.
    const request = new BlockRequest(
      ['q'], 0,
      (client, key) => (client.db.lookupWrite(key) ? bulk(key) : undefined),
      NIL_ARRAY,
    );
    const blocking = engine as unknown as { block(c: Client, r: BlockRequest): Promise<Reply> };
    const answer = blocking.block(waiter, request);
    await run(c, 'SELECT', '1');
    await run(c, 'SET', 'q', 'v');
    expect(waiter.blocked).not.toBeNull();
    await run(c, 'SWAPDB', '0', '1');
    expect(await answer).toEqual(bulk('q'));
    // Clients stay with their index.
    expect(waiter.db).toBe(engine.databases[0]);
    expect(c.db).toBe(engine.databases[1]);
  });

  it('swaps keys and expiries, not the Database objects', async () => {
    const { engine, c } = start();
    const [db0, db1] = [engine.databases[0], engine.databases[1]];
    await run(c, 'SET', 'a', '1');
    await run(c, 'EXPIRE', 'a', '100');
    await run(c, 'SWAPDB', '0', '1');
    expect(engine.databases[0]).toBe(db0);
    expect(engine.databases[1]).toBe(db1);
    expect(db1?.dict.has('a')).toBe(true);
    expect(db1?.expires.has('a')).toBe(true);
    expect(db0?.size).toBe(0);
  });
});

describe('writes across databases and WATCH', () => {
  it('MOVE touches the key in both databases', async () => {
    const { engine, c } = start();
    const other = engine.connect();
    await run(other, 'SELECT', '1');
    await run(other, 'WATCH', 'k');
    await run(c, 'SET', 'k', 'v');
    await run(c, 'WATCH', 'k');
    await run(c, 'MOVE', 'k', '1');
    expect(await execPing(other)).toEqual(NIL_ARRAY);
    expect(await execPing(c)).toEqual(NIL_ARRAY);
  });

  it('COPY touches the destination only; RENAME both names', async () => {
    const { engine, c } = start();
    const other = engine.connect();
    await run(c, 'SET', 'src', 'v');
    await run(other, 'WATCH', 'src');
    await run(c, 'COPY', 'src', 'dst');
    expect(await execPing(other)).toEqual({ kind: 'array', items: [PONG] });
    await run(other, 'WATCH', 'dst');
    await run(c, 'COPY', 'src', 'dst', 'REPLACE');
    expect(await execPing(other)).toEqual(NIL_ARRAY);
    await run(other, 'WATCH', 'src');
    await run(c, 'RENAME', 'src', 'renamed');
    expect(await execPing(other)).toEqual(NIL_ARRAY);
    await run(other, 'WATCH', 'renamed2');
    await run(c, 'RENAME', 'renamed', 'renamed2');
    expect(await execPing(other)).toEqual(NIL_ARRAY);
  });

  it('FLUSHALL touches watched keys in every database; a failed RENAMENX touches nothing', async () => {
    const { engine, c } = start();
    const other = engine.connect();
    await run(other, 'SELECT', '5');
    await run(other, 'SET', 'x', '1');
    await run(other, 'SET', 'y', '1');
    await run(other, 'WATCH', 'x', 'y');
    await run(other, 'RENAMENX', 'x', 'y');
    expect(await execPing(other)).toEqual({ kind: 'array', items: [PONG] });
    await run(other, 'WATCH', 'x');
    await run(c, 'FLUSHALL');
    expect(await execPing(other)).toEqual(NIL_ARRAY);
  });

  it('COPY makes a value of its own', async () => {
    const { engine, c } = start();
    await run(c, 'SET', 'a', 'hello');
    await run(c, 'COPY', 'a', 'b', 'DB', '3');
    const original = engine.databases[0]?.dict.get('a');
    const copy = engine.databases[3]?.dict.get('b');
    expect(copy).toBeDefined();
    expect(copy).not.toBe(original);
    expect(copy?.type).toBe('string');
  });
});

describe('OBJECT IDLETIME on a manual clock', () => {
  it('counts whole seconds of the LRU clock since the last access', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock });
    await run(c, 'SET', 'k', 'v');
    expect(await run(c, 'OBJECT', 'IDLETIME', 'k')).toEqual(int(0));
    clock.advance(5000);
    expect(await run(c, 'OBJECT', 'IDLETIME', 'k')).toEqual(int(5));
    // Lookups that do not touch: TYPE, EXISTS, TTL, OBJECT.
    await run(c, 'TYPE', 'k');
    await run(c, 'EXISTS', 'k');
    await run(c, 'TTL', 'k');
    await run(c, 'OBJECT', 'ENCODING', 'k');
    expect(await run(c, 'OBJECT', 'IDLETIME', 'k')).toEqual(int(5));
    await run(c, 'GET', 'k');
    expect(await run(c, 'OBJECT', 'IDLETIME', 'k')).toEqual(int(0));
    clock.advance(3000);
    await run(c, 'TOUCH', 'k');
    expect(await run(c, 'OBJECT', 'IDLETIME', 'k')).toEqual(int(0));
    // The LRU clock ticks in seconds: 0.9 s after an access at x.5 s reads as 1.
    clock.set(1_700_000_010_500);
    await run(c, 'GET', 'k');
    clock.advance(900);
    expect(await run(c, 'OBJECT', 'IDLETIME', 'k')).toEqual(int(1));
  });
});

describe('keyspace statistics', () => {
  it('EXISTS, TYPE, TTL and TOUCH count hits and misses; KEYS, DEL and RENAME do not', async () => {
    const { engine, c } = start();
    await run(c, 'SET', 'a', '1');
    const { stats } = engine;
    const before = { hits: stats.keyspaceHits, misses: stats.keyspaceMisses };
    await run(c, 'EXISTS', 'a', 'nokey');
    await run(c, 'TYPE', 'a');
    await run(c, 'TTL', 'nokey');
    await run(c, 'TOUCH', 'a');
    expect(stats.keyspaceHits - before.hits).toBe(3);
    expect(stats.keyspaceMisses - before.misses).toBe(2);
    await run(c, 'KEYS', '*');
    await run(c, 'RENAME', 'a', 'b');
    await run(c, 'DEL', 'b', 'nokey');
    expect(stats.keyspaceHits - before.hits).toBe(3);
    expect(stats.keyspaceMisses - before.misses).toBe(2);
  });
});
