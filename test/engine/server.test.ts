/**
 * Server commands where a script cannot show the answer: TIME from the engine clock, INFO's
 * figures and its exact layout (checked against a real INFO), and COMMAND's view of this engine
 * (COMMAND COUNT / LIST / COMMAND cannot equal Redis', which has more commands).
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/engine/commands.js';
import { Engine } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/engine/clock.js';
import { addInfoFields, bytesToHuman, fixed } from '../../src/engine/info.js';
import { parseReply } from '../../src/resp/decode.js';
import { encode } from '../../src/resp/encode.js';
import type { ArrayReply, BulkReply, Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer } from '../helpers/redis-server.js';

function text(reply: Reply): string {
  if (reply.kind !== 'verbatim' && reply.kind !== 'bulk') throw new Error(`not text: ${JSON.stringify(reply)}`);
  return reply.value;
}

/** INFO text → section title → field → value. */
function sections(info: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of info.split('\r\n')) {
    if (line.startsWith('# ')) out.set(line.slice(2), (current = new Map()));
    else if (line !== '') current?.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1));
  }
  return out;
}

/** Exactly Redis' layout: "# Title" lines, key:value lines, CRLF everywhere, one empty line between sections. */
const LAYOUT = /^# [A-Za-z]+\r\n([a-z0-9_|.-]+:[^\r\n]*\r\n)*(\r\n# [A-Za-z]+\r\n([a-z0-9_|.-]+:[^\r\n]*\r\n)*)*$/;

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

describe('server commands', () => {
  let engine: Engine;
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock(1_700_000_123_456);
    engine = new Engine({ activeExpiry: false, clock });
  });
  afterEach(() => engine.close());

  it('TIME reads the engine clock: seconds and microseconds as bulk strings', async () => {
    const c = engine.connect();
    expect(await c.execute(['TIME'])).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: '1700000123' }, { kind: 'bulk', value: '456000' }] });
    clock.advance(1544);
    expect(await c.execute(['TIME'])).toEqual({ kind: 'array', items: [{ kind: 'bulk', value: '1700000125' }, { kind: 'bulk', value: '0' }] });
  });

  it('INFO without arguments has the default sections, in order, in the CRLF layout', async () => {
    const info = text(await engine.connect().execute(['INFO']));
    expect(info).toMatch(LAYOUT);
    expect([...sections(info).keys()]).toEqual(['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
    expect(text(await engine.connect().execute(['INFO', 'default']))).toMatch(LAYOUT);
    const all = text(await engine.connect().execute(['INFO', 'all']));
    expect([...sections(all).keys()]).toEqual(['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace']);
    expect([...sections(text(await engine.connect().execute(['INFO', 'everything']))).keys()]).toEqual([...sections(all).keys()]);
  });

  it('INFO picks sections by name, in any case, in its own order, once each', async () => {
    const c = engine.connect();
    const info = text(await c.execute(['INFO', 'KEYSPACE', 'server', 'Server', 'module_list']));
    expect([...sections(info).keys()]).toEqual(['Server', 'Modules', 'Keyspace']);
    expect(text(await c.execute(['INFO', 'cluster']))).toBe('# Cluster\r\ncluster_enabled:0\r\n');
    expect(text(await c.execute(['INFO', 'nosuch']))).toBe('');
    expect(text(await c.execute(['INFO', 'modules']))).toBe('# Modules\r\n');
  });

  it('INFO reports the engine: version, uptime, clients, keyspace with real TTLs, stats', async () => {
    const c = engine.connect();
    const other = engine.connect();
    await c.execute(['SET', 'a', '1']);
    await c.execute(['SET', 'b', '2']);
    engine.databases[0]?.setExpire('a', clock.now() + 10_000);
    engine.databases[0]?.setExpire('b', clock.now() + 20_000);
    await c.execute(['SELECT', '3']);
    await c.execute(['SET', 'x', 'y']);
    await c.execute(['GET', 'x']);
    await c.execute(['GET', 'nosuch']);
    await c.execute(['nosuch']);
    await c.execute(['GET']);
    await other.execute(['SUBSCRIBE', 'ch']);
    await other.execute(['PSUBSCRIBE', 'p*']);
    clock.advance(90_061_000);
    const s = sections(text(await c.execute(['INFO', 'server', 'clients', 'stats', 'keyspace', 'memory', 'cpu'])));
    const server = s.get('Server') as Map<string, string>;
    expect(server.get('redis_version')).toBe('7.0.15');
    expect(server.get('redis_mode')).toBe('standalone');
    expect(server.get('tcp_port')).toBe('6379');
    expect(server.get('uptime_in_seconds')).toBe('90061');
    expect(server.get('uptime_in_days')).toBe('1');
    expect(server.get('server_time_usec')).toBe(String(clock.now() * 1000));
    expect(server.get('process_id')).toBe(String(process.pid));
    expect(server.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(server.get('redislings_version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(s.get('Clients')?.get('connected_clients')).toBe('2');
    const stats = s.get('Stats') as Map<string, string>;
    expect(stats.get('keyspace_hits')).toBe('1');
    expect(stats.get('keyspace_misses')).toBe('1');
    expect(stats.get('total_error_replies')).toBe('2');
    expect(stats.get('pubsub_channels')).toBe('1');
    expect(stats.get('pubsub_patterns')).toBe('1');
    expect(stats.get('total_connections_received')).toBe('2');
    // Keys past their time are still counted until removed, as in Redis.
    expect(s.get('Keyspace')).toEqual(new Map([['db0', 'keys=2,expires=2,avg_ttl=0'], ['db3', 'keys=1,expires=0,avg_ttl=0']]));
    clock.set(1_700_000_123_456 + 5000);
    const ks = sections(text(await c.execute(['INFO', 'keyspace']))).get('Keyspace');
    expect(ks?.get('db0')).toBe('keys=2,expires=2,avg_ttl=10000');
    expect(Number(s.get('Memory')?.get('used_memory'))).toBeGreaterThan(0);
    expect(s.get('Memory')?.get('maxmemory_policy')).toBe('noeviction');
    expect(s.get('CPU')?.get('used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
  });

  it('INFO commandstats and errorstats count calls, failures and rejections; CONFIG RESETSTAT clears them', async () => {
    const c = engine.connect();
    await c.execute(['SET', 'k', 'v']);
    await c.execute(['GET', 'k']);
    await c.execute(['GET', 'k']);
    await c.execute(['GET']);
    await c.execute(['CONFIG', 'GET', 'hz']);
    await c.execute(['SELECT', 'x']);
    await c.execute(['CONFIG', 'SET', 'nosuch', '1']);
    const stats = sections(text(await c.execute(['INFO', 'commandstats', 'errorstats'])));
    const cmd = stats.get('Commandstats') as Map<string, string>;
    expect(cmd.get('cmdstat_get')).toMatch(/^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    expect(cmd.get('cmdstat_config|get')).toMatch(/^calls=1,/);
    expect(cmd.get('cmdstat_select')).toMatch(/,rejected_calls=0,failed_calls=1$/);
    expect(stats.get('Errorstats')).toEqual(new Map([['errorstat_ERR', 'count=3']]));
    await c.execute(['CONFIG', 'RESETSTAT']);
    const after = sections(text(await c.execute(['INFO', 'commandstats', 'errorstats', 'stats'])));
    expect([...(after.get('Commandstats') as Map<string, string>).keys()]).toEqual(['cmdstat_config|resetstat']);
    expect(after.get('Errorstats')?.size).toBe(0);
    expect(after.get('Stats')?.get('total_commands_processed')).toBe('1');
  });

  it('INFO takes fields from other parts of redislings', async () => {
    addInfoFields(engine, 'persistence', () => ({ rdb_changes_since_last_save: 7, rdb_saves: 2 }));
    addInfoFields(engine, 'stats', () => ({ total_net_input_bytes: 1234, redislings_extra: 'x' }));
    const s = sections(text(await engine.connect().execute(['INFO', 'persistence', 'stats'])));
    expect(s.get('Persistence')?.get('rdb_changes_since_last_save')).toBe('7');
    expect(s.get('Persistence')?.get('rdb_saves')).toBe('2');
    const stats = [...(s.get('Stats') as Map<string, string>)];
    expect(stats.find(([k]) => k === 'total_net_input_bytes')?.[1]).toBe('1234');
    // A replaced field keeps its place; a new one comes last.
    expect(stats.findIndex(([k]) => k === 'total_net_input_bytes')).toBe(3);
    expect(stats.at(-1)).toEqual(['redislings_extra', 'x']);
  });

  it('formats numbers as printf does', () => {
    expect(fixed(0.125, 2)).toBe('0.12');
    expect(fixed(0.375, 2)).toBe('0.38');
    expect(fixed(2.5, 0)).toBe('2');
    expect(fixed(1.005, 2)).toBe('1.00');
    expect(fixed(99.999, 2)).toBe('100.00');
    expect(bytesToHuman(1023)).toBe('1023B');
    expect(bytesToHuman(1536)).toBe('1.50K');
    expect(bytesToHuman(1073741824)).toBe('1.00G');
  });

  it("has Redis' sections and field names, in Redis' order", async () => {
    if (!realRedisAvailable('INFO layout against redis-server')) return;
    const server = await startRedisServer();
    try {
      const real = text(await rawCommand(server.port, ['INFO', 'everything']));
      const ours = text(await engine.connect().execute(['INFO', 'everything']));
      expect(real).toMatch(LAYOUT);
      expect(ours).toMatch(LAYOUT);
      const r = sections(real);
      const o = sections(ours);
      expect([...o.keys()]).toEqual([...r.keys()]);
      for (const name of ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Cluster']) {
        const ourFields = [...(o.get(name) as Map<string, string>).keys()].filter((k) => k !== 'redislings_version');
        expect(ourFields, name).toEqual([...(r.get(name) as Map<string, string>).keys()]);
      }
      // Same value formats where the figure has a fixed shape.
      for (const [section, field] of [['Memory', 'maxmemory_human'], ['Memory', 'used_memory_peak_perc'], ['CPU', 'used_cpu_sys'],
        ['Stats', 'instantaneous_input_kbps'], ['Replication', 'master_replid'], ['Server', 'run_id']] as const) {
        const shape = (v: string) => v.replace(/[0-9a-f]{40}/, 'ID').replace(/\d+/g, '9');
        expect(shape(o.get(section)?.get(field) as string), field).toBe(shape(r.get(section)?.get(field) as string));
      }
    } finally {
      await server.stop();
    }
  });

  it('COMMAND COUNT, COMMAND and COMMAND LIST describe the commands this engine has', async () => {
    const c = engine.connect();
    expect(await c.execute(['COMMAND', 'COUNT'])).toEqual({ kind: 'integer', value: COMMANDS.size });
    const all = await c.execute(['COMMAND']);
    expect(all.kind === 'array' && all.items.length).toBe(COMMANDS.size);
    const info = await c.execute(['COMMAND', 'INFO']);
    expect(info).toEqual(all);
    const list = await c.execute(['COMMAND', 'LIST']);
    const names = list.kind === 'array' ? list.items.map((r) => (r as { value: string }).value) : [];
    const expected = [...COMMANDS.values()].flatMap((s) => [s.name, ...[...(s.subcommands?.values() ?? [])].map((x) => x.name)]);
    expect(names).toEqual(expected);
    expect(names).toContain('config|get');
    expect(names).not.toContain('client|pause');
    const docs = await c.execute(['COMMAND', 'DOCS']);
    expect(docs.kind === 'map' && docs.entries.length).toBe(COMMANDS.size);
  });

  it('COMMAND INFO and DOCS of a container list only the subcommands the engine has', async () => {
    const c = engine.connect();
    const info = await c.execute(['COMMAND', 'INFO', 'config']);
    const subs = info.kind === 'array' && info.items[0]?.kind === 'array' ? info.items[0].items[9] : undefined;
    const subNames = subs?.kind === 'array' ? subs.items.map((s) => ((s as ArrayReply).items[0] as BulkReply).value).sort() : [];
    expect(subNames).toEqual(['config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set']);
    const docs = await c.execute(['COMMAND', 'DOCS', 'config']);
    const entry = docs.kind === 'map' ? docs.entries[0]?.[1] : undefined;
    const docSubs = entry?.kind === 'map' ? entry.entries.find(([k]) => (k as { value: string }).value === 'subcommands')?.[1] : undefined;
    expect(docSubs?.kind === 'map' && docSubs.entries.map(([k]) => (k as { value: string }).value).sort()).toEqual(['config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set']);
  });

  it('COMMAND INFO uses RESP3 types, folded for RESP2 exactly as Redis sends them', async () => {
    const c = engine.connect();
    const info = await c.execute(['COMMAND', 'INFO', 'get']);
    const entry = info.kind === 'array' ? info.items[0] : undefined;
    expect(entry?.kind === 'array' && entry.items.map((i) => i.kind)).toEqual(['bulk', 'integer', 'set', 'integer', 'integer', 'integer', 'set', 'set', 'set', 'set']);
    const keySpec = entry?.kind === 'array' && entry.items[8]?.kind === 'set' ? entry.items[8].items[0] : undefined;
    expect(keySpec?.kind).toBe('map');
    expect(encode(info, 3)).toContain('%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n');
    expect(encode(info, 2)).toContain('*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n');
  });

  it('COMMAND LIST FILTERBY ACLCAT uses the categories Redis gives each command', async () => {
    const c = engine.connect();
    const list = async (...args: string[]) => {
      const r = await c.execute(['COMMAND', 'LIST', 'FILTERBY', ...args]);
      return r.kind === 'array' ? r.items.map((i) => (i as { value: string }).value) : [];
    };
    const connection = await list('ACLCAT', 'connection');
    expect(connection).toEqual(expect.arrayContaining(['ping', 'echo', 'hello', 'client|setname']));
    expect(connection).not.toContain('get');
    expect(await list('aclcat', 'PUBSUB')).toEqual(expect.arrayContaining(['publish', 'subscribe', 'pubsub|channels']));
    expect(await list('ACLCAT', 'nosuch')).toEqual([]);
    expect(await list('MODULE', 'json')).toEqual([]);
    expect(await list('PATTERN', 'CONFIG|*')).toEqual(['config|get', 'config|set', 'config|resetstat', 'config|rewrite', 'config|help']);
  });
});
