/**
 * The configuration: typed getters for the engine, apply hooks and the all-or-nothing rule,
 * startup values, CONFIG GET's map in RESP3, and the whole table against a real redis-server.
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Config, ConfigError, memToULL } from '../../src/engine/config.js';
import { Engine } from '../../src/engine/engine.js';
import { parseReply } from '../../src/resp/decode.js';
import { encode } from '../../src/resp/encode.js';
import type { Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer } from '../helpers/redis-server.js';

const OK: Reply = { kind: 'simple', value: 'OK' };

describe('Config', () => {
  it('gives typed values to the parts of the engine that honour a parameter', () => {
    const config = new Config();
    expect(config.number('hash-max-listpack-entries')).toBe(512);
    expect(config.number('hash-max-ziplist-entries')).toBe(512);
    expect(config.number('hash-max-listpack-value')).toBe(64);
    expect(config.number('set-max-intset-entries')).toBe(512);
    expect(config.number('zset-max-listpack-entries')).toBe(128);
    expect(config.number('zset-max-listpack-value')).toBe(64);
    expect(config.number('list-max-listpack-size')).toBe(-2);
    expect(config.number('maxmemory')).toBe(0);
    expect(config.number('proto-max-bulk-len')).toBe(512 * 1024 * 1024);
    expect(config.number('hz')).toBe(10);
    expect(config.bool('appendonly')).toBe(false);
    expect(config.bool('aof-use-rdb-preamble')).toBe(true);
    expect(config.string('maxmemory-policy')).toBe('noeviction');
    expect(config.string('appendfsync')).toBe('everysec');
    expect(config.string('dbfilename')).toBe('dump.rdb');
    expect(config.saveParams()).toEqual([{ seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 }]);
    expect(config.bindAddresses()).toEqual(['*', '-::*']);
    expect(config.notifyKeyspaceEvents()).toBe(0);
    config.set([['maxmemory', '18446744073709551615'], ['notify-keyspace-events', 'Kx']]);
    expect(config.number('maxmemory')).toBe(2 ** 64);
    expect(config.notifyKeyspaceEvents()).toBe(1 | (1 << 8));
    expect(() => config.number('appendonly')).toThrow();
    expect(() => config.number('nosuch')).toThrow();
  });

  it('parses memory sizes as memtoull does', () => {
    expect(memToULL('1gb')).toBe(1073741824n);
    expect(memToULL('1G')).toBe(1000000000n);
    expect(memToULL('2Kb')).toBe(2048n);
    expect(memToULL('')).toBe(0n);
    expect(memToULL('mb')).toBe(0n);
    expect(memToULL('-1')).toBeUndefined();
    expect(memToULL('1 mb')).toBeUndefined();
    expect(memToULL('99999999999999999999')).toBe(2n ** 64n - 1n);
  });

  it('runs apply hooks after every value is set, and undoes everything if one fails', () => {
    const config = new Config();
    const seen: string[] = [];
    config.onApply('maxmemory', (c) => {
      seen.push(`maxmemory=${c.get('maxmemory')} policy=${c.get('maxmemory-policy')}`);
      return undefined;
    });
    config.onApply('appendonly', (c) => (c.bool('appendonly') ? 'Unable to turn on AOF. Check server logs.' : undefined));
    config.set([['maxmemory', '1mb'], ['maxmemory-policy', 'allkeys-lru']]);
    expect(seen).toEqual(['maxmemory=1048576 policy=allkeys-lru']);
    // Unchanged values run no hook.
    config.set([['maxmemory', '1048576']]);
    expect(seen.length).toBe(1);
    expect(() => config.set([['maxmemory', '2mb'], ['appendonly', 'yes']])).toThrow(
      new ConfigError("ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs."));
    expect(config.get('maxmemory')).toBe('1048576');
    expect(config.get('appendonly')).toBe('no');
    // The hooks of what was applied ran again for the restored values.
    expect(seen.at(-1)).toBe('maxmemory=1048576 policy=allkeys-lru');
  });

  it('takes startup values for parameters CONFIG SET may not change', () => {
    const config = new Config();
    config.setStartup('dir', '/tmp');
    config.setStartup('appendfilename', 'learner.aof');
    config.setStartup('port', '6380');
    config.setStartup('save', '');
    expect(config.get('dir')).toBe('/tmp');
    expect(config.get('appendfilename')).toBe('learner.aof');
    expect(config.number('port')).toBe(6380);
    expect(config.saveParams()).toEqual([]);
    expect(() => config.setStartup('appendfilename', 'a/b')).toThrow("appendfilename: appendfilename can't be a path, just a filename");
    expect(() => config.setStartup('nosuch', '1')).toThrow();
  });

  it('answers LOADING for appendonly while the data set loads', () => {
    const config = new Config();
    expect(() => config.set([['appendonly', 'yes']], { loading: true })).toThrow(new ConfigError('LOADING Redis is loading the dataset in memory'));
  });
});

describe('CONFIG on the engine', () => {
  let engine: Engine;
  beforeEach(() => {
    engine = new Engine({ activeExpiry: false, databases: 4 });
  });
  afterEach(() => engine.close());

  it('reports the databases the engine was made with', async () => {
    expect(await engine.connect().execute(['CONFIG', 'GET', 'databases'])).toEqual({
      kind: 'map', entries: [[{ kind: 'bulk', value: 'databases' }, { kind: 'bulk', value: '4' }]],
    });
  });

  it('answers CONFIG GET with a map (a RESP3 client sees %)', async () => {
    const c = engine.connect();
    await c.execute(['HELLO', '3']);
    const reply = await c.execute(['CONFIG', 'GET', 'maxmemory', 'hz']);
    expect(encode(reply, 3)).toBe('%2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n');
    expect(encode(reply, 2)).toBe('*4\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n');
  });

  it('makes a change visible to every client at once', async () => {
    const a = engine.connect();
    const b = engine.connect();
    expect(await a.execute(['CONFIG', 'SET', 'hash-max-listpack-entries', '4', 'zset-max-listpack-value', '1kb'])).toEqual(OK);
    expect(engine.config.number('hash-max-listpack-entries')).toBe(4);
    expect(engine.config.number('zset-max-listpack-value')).toBe(1024);
    expect(await b.execute(['CONFIG', 'GET', 'zset-max-ziplist-value'])).toEqual({
      kind: 'map', entries: [[{ kind: 'bulk', value: 'zset-max-ziplist-value' }, { kind: 'bulk', value: '1024' }]],
    });
  });
});

/** One command on a raw connection to a real server, decoded. */
function rawCommand(port: number, argv: readonly string[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      const parsed = parseReply(buf);
      if (parsed) {
        socket.destroy();
        resolve(parsed.reply);
      }
    });
    socket.on('error', reject);
    socket.write(Buffer.from(encode({ kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) }, 2), 'latin1'));
  });
}

function pairs(reply: Reply): Map<string, string> {
  if (reply.kind !== 'array') throw new Error('not an array');
  const m = new Map<string, string>();
  for (let i = 0; i < reply.items.length; i += 2) {
    m.set((reply.items[i] as { value: string }).value, (reply.items[i + 1] as { value: string }).value);
  }
  return m;
}

describe.runIf(realRedisAvailable('CONFIG table against redis-server'))('the parameter table against redis-server', () => {
  it('has every parameter Redis has, with its default value', async () => {
    // Started the way the test helper starts it; these differ by design of the test server.
    const server = await startRedisServer();
    try {
      const real = pairs(await rawCommand(server.port, ['CONFIG', 'GET', '*']));
      const engine = new Engine({ activeExpiry: false });
      const ours = pairs(encodeToArray(await engine.connect().execute(['CONFIG', 'GET', '*'])));
      engine.close();
      expect([...ours.keys()].sort()).toEqual([...real.keys()].sort());
      const differs = [...real].filter(([k, v]) => ours.get(k) !== v).map(([k]) => k).sort();
      expect(differs).toEqual(['bind', 'dir', 'logfile', 'port', 'save']);
    } finally {
      await server.stop();
    }
  });
});

function encodeToArray(reply: Reply): Reply {
  return (parseReply(encode(reply, 2)) as { reply: Reply }).reply;
}
