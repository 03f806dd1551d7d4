/**
 * Expiry that a script cannot show: the real clock and the active cycle, a manual clock counting
 * a TTL down, WATCH meeting expired keys, and the active cycle's cursor and time bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { Client } from '../../src/engine/client.js';
import { StringValue } from '../../src/engine/types/string.js';
import type { Reply } from '../../src/resp/reply.js';

const engines: Engine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
});

function start(options: ConstructorParameters<typeof Engine>[0] = {}): { engine: Engine; c: Client } {
  const engine = new Engine(options);
  engines.push(engine);
  return { engine, c: engine.connect() };
}

async function run(c: Client, ...argv: string[]): Promise<Reply> {
  return c.execute(argv);
}

const int = (value: number | bigint): Reply => ({ kind: 'integer', value });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PONG: Reply = { kind: 'simple', value: 'PONG' };
const NIL_ARRAY: Reply = { kind: 'null', array: true };

describe('a key with PX 50, on the real clock', () => {
  it('is gone from DBSIZE, KEYS, SCAN, EXISTS and GET 100 ms later', async () => {
    const { c } = start();
    await run(c, 'SET', 'k', 'v');
    expect(await run(c, 'PEXPIRE', 'k', '50')).toEqual(int(1));
    await run(c, 'SET', 'other', 'v');
    await sleep(100);
    // DBSIZE first: nothing has touched the key, so only active expiry can have removed it.
    expect(await run(c, 'DBSIZE')).toEqual(int(1));
    expect(await run(c, 'KEYS', '*')).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: 'other' }] });
    expect(await run(c, 'SCAN', '0')).toEqual({
      kind: 'array',
      items: [{ kind: 'bulk', value: '0' }, { kind: 'array', items: [{ kind: 'bulk', value: 'other' }] }],
    });
    expect(await run(c, 'EXISTS', 'k')).toEqual(int(0));
    expect(await run(c, 'GET', 'k')).toEqual({ kind: 'null' });
    expect(await run(c, 'TTL', 'k')).toEqual(int(-2));
  });

  it('is removed by the cron alone, with no command run', async () => {
    const { engine, c } = start();
    await run(c, 'SET', 'k', 'v');
    await run(c, 'PEXPIRE', 'k', '50');
    await sleep(250);
    expect(engine.databases[0]?.dict.has('k')).toBe(false);
    expect(engine.stats.expiredKeys).toBe(1);
  });

  it('without active expiry, KEYS hides it, DBSIZE still counts it, SCAN deletes it', async () => {
    const { engine, c } = start({ activeExpiry: false });
    await run(c, 'SET', 'k', 'v');
    await run(c, 'PEXPIRE', 'k', '20');
    await sleep(40);
    expect(await run(c, 'KEYS', '*')).toEqual({ kind: 'array', items: [] });
    expect(await run(c, 'DBSIZE')).toEqual(int(1));
    expect(await run(c, 'SCAN', '0')).toEqual({
      kind: 'array',
      items: [{ kind: 'bulk', value: '0' }, { kind: 'array', items: [] }],
    });
    expect(await run(c, 'DBSIZE')).toEqual(int(0));
    expect(engine.stats.expiredKeys).toBe(1);
  });
});

describe('TTL on a manual clock', () => {
  it('counts down, rounds to the nearest second, and is -2 once the time has passed', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock, activeExpiry: false });
    await run(c, 'SET', 'k', 'v');
    expect(await run(c, 'TTL', 'k')).toEqual(int(-1));
    await run(c, 'EXPIRE', 'k', '10');
    expect(await run(c, 'TTL', 'k')).toEqual(int(10));
    expect(await run(c, 'PTTL', 'k')).toEqual(int(10_000));
    expect(await run(c, 'EXPIRETIME', 'k')).toEqual(int(1_700_000_010));
    expect(await run(c, 'PEXPIRETIME', 'k')).toEqual(int(1_700_000_010_000));
    clock.advance(1000);
    expect(await run(c, 'TTL', 'k')).toEqual(int(9));
    clock.advance(400);
    expect(await run(c, 'PTTL', 'k')).toEqual(int(8600));
    expect(await run(c, 'TTL', 'k')).toEqual(int(9));
    clock.advance(200);
    expect(await run(c, 'TTL', 'k')).toEqual(int(8));
    // At the expiry time itself the key still lives (Redis expires when now > when).
    clock.advance(8400);
    expect(await run(c, 'PTTL', 'k')).toEqual(int(0));
    expect(await run(c, 'TTL', 'k')).toEqual(int(0));
    expect(await run(c, 'GET', 'k')).toEqual({ kind: 'bulk', value: 'v' });
    clock.advance(1);
    expect(await run(c, 'TTL', 'k')).toEqual(int(-2));
    expect(await run(c, 'PTTL', 'k')).toEqual(int(-2));
    expect(await run(c, 'EXISTS', 'k')).toEqual(int(0));
  });

  it('EXPIRE relative to the command time; EXPIREAT now deletes at once', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock, activeExpiry: false });
    await run(c, 'SET', 'k', 'v');
    expect(await run(c, 'PEXPIREAT', 'k', String(1_700_000_000_001))).toEqual(int(1));
    expect(await run(c, 'PTTL', 'k')).toEqual(int(1));
    expect(await run(c, 'PEXPIREAT', 'k', String(1_700_000_000_000))).toEqual(int(1));
    expect(await run(c, 'EXISTS', 'k')).toEqual(int(0));
  });

  it('keeps the TTL through RENAME, MOVE, COPY and SWAPDB', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock, activeExpiry: false });
    await run(c, 'SET', 'k', 'v');
    await run(c, 'PEXPIRE', 'k', '5000');
    await run(c, 'RENAME', 'k', 'r');
    await run(c, 'COPY', 'r', 'c', 'DB', '2');
    await run(c, 'MOVE', 'r', '1');
    await run(c, 'SWAPDB', '1', '3');
    await run(c, 'SELECT', '3');
    expect(await run(c, 'PTTL', 'r')).toEqual(int(5000));
    await run(c, 'SELECT', '2');
    expect(await run(c, 'PTTL', 'c')).toEqual(int(5000));
    clock.advance(5001);
    expect(await run(c, 'EXISTS', 'c')).toEqual(int(0));
  });
});

describe('WATCH and expiry', () => {
  async function execPing(c: Client): Promise<Reply> {
    await run(c, 'MULTI');
    await run(c, 'PING');
    return run(c, 'EXEC');
  }

  it('EXEC fails when a WATCHed key expires before it, even if nobody touched it', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock, activeExpiry: false });
    await run(c, 'SET', 'key', '1');
    await run(c, 'PEXPIRE', 'key', '100');
    await run(c, 'WATCH', 'key');
    clock.advance(101);
    await run(c, 'MULTI');
    await run(c, 'GET', 'key');
    expect(await run(c, 'EXEC')).toEqual(NIL_ARRAY);
  });

  it('EXEC fails when the active cycle deletes a WATCHed key', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { engine, c } = start({ clock, activeExpiry: false });
    await run(c, 'SET', 'x', 'foo');
    await run(c, 'EXPIRE', 'x', '1');
    await run(c, 'WATCH', 'x');
    clock.advance(1001);
    engine.updateTime();
    expect(engine.activeExpireCycle()).toBe(1);
    expect(await execPing(c)).toEqual(NIL_ARRAY);
  });

  it('a key already expired when WATCHed is no change: not when read, deleted or flushed', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { engine, c } = start({ clock, activeExpiry: false });
    for (const act of [undefined, ['EXISTS', 'x'], ['FLUSHDB'], ['active']]) {
      await run(c, 'SET', 'x', 'foo');
      await run(c, 'PEXPIRE', 'x', '1');
      clock.advance(2);
      await run(c, 'WATCH', 'x');
      if (act?.[0] === 'active') {
        engine.updateTime();
        engine.activeExpireCycle();
      } else if (act) {
        await run(c, ...act);
      }
      expect(await execPing(c), JSON.stringify(act)).toEqual({ kind: 'array', items: [PONG] });
    }
  });

  it('EXPIRE and PERSIST on a WATCHed key are changes; EXPIRE that sets nothing is not', async () => {
    const { c } = start({ activeExpiry: false });
    await run(c, 'SET', 'x', 'foo');
    await run(c, 'WATCH', 'x');
    await run(c, 'EXPIRE', 'x', '10');
    expect(await execPing(c)).toEqual(NIL_ARRAY);
    await run(c, 'WATCH', 'x');
    await run(c, 'PERSIST', 'x');
    expect(await execPing(c)).toEqual(NIL_ARRAY);
    await run(c, 'WATCH', 'x');
    await run(c, 'PERSIST', 'x');
    await run(c, 'EXPIRE', 'x', '10', 'XX');
    await run(c, 'EXPIRE', 'nokey', '10');
    expect(await execPing(c)).toEqual({ kind: 'array', items: [PONG] });
  });

  it('SWAPDB does not touch stale keys: expired replaced by none, none by expired, expired by expired', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { c } = start({ clock, activeExpiry: false });
    const setups: string[][][] = [
      [['SELECT', '1'], ['SET', 'x', 'foo'], ['PEXPIRE', 'x', '1']],
      [['SELECT', '0'], ['SET', 'x', 'foo'], ['PEXPIRE', 'x', '1'], ['SELECT', '1']],
      [['SELECT', '1'], ['SET', 'x', 'foo'], ['PEXPIRE', 'x', '1'], ['SELECT', '0'], ['SET', 'x', 'bar'], ['PEXPIRE', 'x', '1'], ['SELECT', '1']],
    ];
    for (const setup of setups) {
      await run(c, 'FLUSHALL');
      for (const argv of setup) await run(c, ...argv);
      clock.advance(2);
      await run(c, 'WATCH', 'x');
      await run(c, 'SWAPDB', '0', '1');
      expect(await execPing(c)).toEqual({ kind: 'array', items: [PONG] });
    }
  });

  it('SWAPDB touches a WATCHed key that exists, or that it brings in', async () => {
    const { c } = start({ activeExpiry: false });
    await run(c, 'SET', 'x', '30');
    await run(c, 'WATCH', 'x');
    await run(c, 'SWAPDB', '0', '1');
    expect(await execPing(c)).toEqual(NIL_ARRAY);
    await run(c, 'FLUSHALL');
    await run(c, 'SELECT', '1');
    await run(c, 'SET', 'x', '30');
    await run(c, 'SELECT', '0');
    await run(c, 'WATCH', 'x');
    await run(c, 'SWAPDB', '0', '1');
    expect(await execPing(c)).toEqual(NIL_ARRAY);
  });
});

describe('the active expiry cycle', () => {
  function fill(engine: Engine, live: number, expired: number, liveFirst = true): void {
    const db = engine.databases[0];
    if (!db) throw new Error('no db 0');
    const add = (key: string, when: number) => {
      db.add(key, new StringValue('v'));
      db.setExpire(key, when);
    };
    const addLive = () => {
      for (let i = 0; i < live; i++) add(`live:${i}`, engine.time + 3_600_000);
    };
    if (liveFirst) addLive();
    for (let i = 0; i < expired; i++) add(`old:${i}`, engine.time - 1);
    if (!liveFirst) addLive();
  }

  it('reaches every volatile key in turn, so expired keys behind many live ones go too', () => {
    const { engine } = start({ activeExpiry: false });
    fill(engine, 5000, 10);
    let runs = 0;
    while (engine.databases[0]?.size !== 5000 && runs < 1000) {
      engine.activeExpireCycle();
      runs++;
    }
    expect(engine.databases[0]?.size).toBe(5000);
    // Each run samples 20 keys of a database with few expired ones: about 5010 / 20 runs.
    expect(runs).toBeLessThanOrEqual(260);
    expect(engine.stats.expiredKeys).toBe(10);
  });

  it('keeps sampling while a sample was mostly expired', () => {
    const { engine } = start({ activeExpiry: false });
    fill(engine, 100, 1000, false);
    expect(engine.activeExpireCycle()).toBe(1000);
    expect(engine.databases[0]?.size).toBe(100);
  });

  it('stops a run when its time is spent, and later runs carry on', () => {
    const { engine } = start({ activeExpiry: false });
    fill(engine, 0, 300_000);
    const before = performance.now();
    const removed = engine.activeExpireCycle();
    const elapsed = performance.now() - before;
    expect(removed).toBeGreaterThan(0);
    expect(removed).toBeLessThan(300_000);
    expect(elapsed).toBeLessThan(250);
    let runs = 1;
    while ((engine.databases[0]?.size ?? 0) > 0 && runs < 1000) {
      engine.activeExpireCycle();
      runs++;
    }
    expect(engine.databases[0]?.size).toBe(0);
  });

  it('leaves keys alone while loading, when keys do not expire', () => {
    const { engine } = start({ activeExpiry: false });
    fill(engine, 0, 50);
    engine.loading = true;
    expect(engine.activeExpireCycle()).toBe(0);
    engine.loading = false;
    expect(engine.activeExpireCycle()).toBe(50);
  });
});
