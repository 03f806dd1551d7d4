/**
 * INFO (genRedisInfoString in server.c): the same sections, fields, order and CRLF line format as
 * Redis 7.0, filled with the engine's own figures. Where a figure has no meaning in-process (fork
 * times, replication buffers, network bytes) it is what an idle Redis reports, usually 0; the
 * parts of redislings that do have a figure (persistence, the TCP server) supply it through
 * `addInfoFields`, which replaces a field of the same name or appends a new one.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Engine } from './engine.js';
import { aofInfoFields, aofOf } from './persistence/aof.js';
import { rdbInfoFields } from './persistence/snapshot.js';
import { REDIS_VERSION } from './version.js';

export type InfoFields = Record<string, string | number>;
export type InfoProvider = (engine: Engine) => InfoFields;


const require = createRequire(import.meta.url);
const REDISLINGS_VERSION = (require('../../package.json') as { version: string }).version;

/** Heap in use when the engine was loaded: INFO's used_memory_startup. */
const STARTUP_MEMORY = process.memoryUsage().heapUsed;

/** What INFO keeps per engine: its identity and the memory peak. */
interface InfoState {
  readonly runId: string;
  readonly replId: string;
  peakMemory: number;
  readonly providers: Map<string, InfoProvider[]>;
}

const states = new WeakMap<Engine, InfoState>();

function stateOf(engine: Engine): InfoState {
  let s = states.get(engine);
  if (!s) {
    s = {
      runId: randomBytes(20).toString('hex'),
      replId: randomBytes(20).toString('hex'),
      peakMemory: 0,
      providers: new Map(),
    };
    states.set(engine, s);
  }
  return s;
}

/** Lets a part of redislings fill in fields of an INFO section for this engine. */
export function addInfoFields(engine: Engine, section: string, provider: InfoProvider): void {
  const providers = stateOf(engine).providers;
  const list = providers.get(section);
  if (list) list.push(provider);
  else providers.set(section, [provider]);
}

/** The run id INFO reports (random per engine, as Redis' per process). */
export function runId(engine: Engine): string {
  return stateOf(engine).runId;
}

/** The sections in the order Redis writes them; `default` marks those INFO without arguments shows. */
const SECTIONS: readonly { name: string; title: string; default: boolean; build: (e: Engine) => InfoFields }[] = [
  { name: 'server', title: 'Server', default: true, build: serverSection },
  { name: 'clients', title: 'Clients', default: true, build: clientsSection },
  { name: 'memory', title: 'Memory', default: true, build: memorySection },
  { name: 'persistence', title: 'Persistence', default: true, build: persistenceSection },
  { name: 'stats', title: 'Stats', default: true, build: statsSection },
  { name: 'replication', title: 'Replication', default: true, build: replicationSection },
  { name: 'cpu', title: 'CPU', default: true, build: cpuSection },
  { name: 'modules', title: 'Modules', default: true, build: () => ({}) },
  { name: 'commandstats', title: 'Commandstats', default: false, build: commandstatsSection },
  { name: 'errorstats', title: 'Errorstats', default: true, build: errorstatsSection },
  // Redis fills this from per-command latency histograms, which the engine does not keep.
  { name: 'latencystats', title: 'Latencystats', default: false, build: () => ({}) },
  { name: 'cluster', title: 'Cluster', default: true, build: () => ({ cluster_enabled: 0 }) },
  { name: 'keyspace', title: 'Keyspace', default: true, build: keyspaceSection },
];

/**
 * INFO [section [section ...]]: the text of the sections asked for (case-insensitive names;
 * `default`, `all`, `everything`; `module_list` is another name of `modules`). Sections are
 * separated by an empty line and every line ends in CRLF.
 */
export function infoText(engine: Engine, args: readonly string[]): string {
  const wanted = new Set<string>();
  let all = false;
  if (args.length === 0) {
    for (const s of SECTIONS) if (s.default) wanted.add(s.name);
  }
  for (const arg of args) {
    const a = arg.toLowerCase();
    if (a === 'default') {
      for (const s of SECTIONS) if (s.default) wanted.add(s.name);
    } else if (a === 'all' || a === 'everything') {
      all = true;
    } else {
      wanted.add(a === 'module_list' ? 'modules' : a);
    }
  }
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!all && !wanted.has(section.name)) continue;
    const fields = section.build(engine);
    for (const provider of stateOf(engine).providers.get(section.name) ?? []) Object.assign(fields, provider(engine));
    let text = `# ${section.title}\r\n`;
    for (const [k, v] of Object.entries(fields)) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}

function serverSection(engine: Engine): InfoFields {
  const uptime = Math.floor(engine.time / 1000) - Math.floor(engine.startedAt / 1000);
  const config = engine.config;
  return {
    redis_version: REDIS_VERSION,
    redis_git_sha1: '00000000',
    redis_git_dirty: 0,
    redis_build_id: '0',
    redis_mode: 'standalone',
    os: `${os.type()} ${os.release()} ${os.machine()}`,
    arch_bits: process.arch.endsWith('64') ? 64 : 32,
    monotonic_clock: 'POSIX clock_gettime',
    multiplexing_api: process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'iocp' : 'kqueue',
    atomicvar_api: 'none',
    gcc_version: '0.0.0',
    process_id: process.pid,
    process_supervised: 'no',
    run_id: stateOf(engine).runId,
    tcp_port: config.number('port') || config.number('tls-port'),
    server_time_usec: engine.time * 1000,
    uptime_in_seconds: uptime,
    uptime_in_days: Math.floor(uptime / (3600 * 24)),
    hz: config.number('hz'),
    configured_hz: config.number('hz'),
    // Redis' LRU clock: seconds, in 24 bits.
    lru_clock: Math.floor(engine.time / 1000) & 0xffffff,
    executable: process.argv[1] ? path.resolve(process.argv[1]) : process.execPath,
    config_file: '',
    io_threads_active: 0,
    redislings_version: REDISLINGS_VERSION,
  };
}

function clientsSection(engine: Engine): InfoFields {
  let blocked = 0;
  let inTimeoutTable = 0;
  for (const c of engine.clients.values()) {
    if (!c.blocked) continue;
    blocked++;
    if (c.blocked.request.deadline > 0) inTimeoutTable++;
  }
  return {
    connected_clients: engine.clients.size,
    cluster_connections: 0,
    maxclients: engine.config.number('maxclients'),
    client_recent_max_input_buffer: 0,
    client_recent_max_output_buffer: 0,
    blocked_clients: blocked,
    tracking_clients: 0,
    clients_in_timeout_table: inTimeoutTable,
  };
}

function memorySection(engine: Engine): InfoFields {
  const mem = process.memoryUsage();
  const state = stateOf(engine);
  const used = mem.heapUsed;
  if (used > state.peakMemory) state.peakMemory = used;
  const peak = state.peakMemory;
  const overhead = Math.min(STARTUP_MEMORY, used);
  const dataset = used - overhead;
  const netUsed = used - STARTUP_MEMORY;
  const allocated = mem.heapUsed;
  const active = mem.heapTotal;
  const resident = mem.rss;
  const maxmemory = BigInt.asUintN(64, BigInt(engine.config.string('maxmemory')));
  return {
    used_memory: used,
    used_memory_human: bytesToHuman(used),
    used_memory_rss: mem.rss,
    used_memory_rss_human: bytesToHuman(mem.rss),
    used_memory_peak: peak,
    used_memory_peak_human: bytesToHuman(peak),
    used_memory_peak_perc: `${fixed((used * 100) / peak, 2)}%`,
    used_memory_overhead: overhead,
    used_memory_startup: STARTUP_MEMORY,
    used_memory_dataset: dataset,
    used_memory_dataset_perc: `${fixed(netUsed > 0 ? (dataset * 100) / netUsed : 0, 2)}%`,
    allocator_allocated: allocated,
    allocator_active: active,
    allocator_resident: resident,
    total_system_memory: os.totalmem(),
    total_system_memory_human: bytesToHuman(os.totalmem()),
    used_memory_lua: 0,
    used_memory_vm_eval: 0,
    used_memory_lua_human: '0B',
    used_memory_scripts_eval: 0,
    number_of_cached_scripts: 0,
    number_of_functions: 0,
    number_of_libraries: 0,
    used_memory_vm_functions: 0,
    used_memory_vm_total: 0,
    used_memory_vm_total_human: '0B',
    used_memory_functions: 0,
    used_memory_scripts: 0,
    used_memory_scripts_human: '0B',
    maxmemory: maxmemory.toString(),
    maxmemory_human: bytesToHuman(maxmemory),
    maxmemory_policy: engine.config.string('maxmemory-policy'),
    allocator_frag_ratio: fixed(active / allocated, 2),
    allocator_frag_bytes: active - allocated,
    allocator_rss_ratio: fixed(resident / active, 2),
    allocator_rss_bytes: resident - active,
    rss_overhead_ratio: fixed(mem.rss / resident, 2),
    rss_overhead_bytes: mem.rss - resident,
    mem_fragmentation_ratio: fixed(mem.rss / used, 2),
    mem_fragmentation_bytes: mem.rss - used,
    mem_not_counted_for_evict: 0,
    mem_replication_backlog: 0,
    mem_total_replication_buffers: 0,
    mem_clients_slaves: 0,
    mem_clients_normal: 0,
    mem_cluster_links: 0,
    mem_aof_buffer: aofOf(engine).bufferLength,
    mem_allocator: `v8-${process.versions.v8}`,
    active_defrag_running: 0,
    lazyfree_pending_objects: 0,
    lazyfreed_objects: 0,
  };
}

function persistenceSection(engine: Engine): InfoFields {
  const fields: InfoFields = {
    loading: engine.loading ? 1 : 0,
    async_loading: 0,
    current_cow_peak: 0,
    current_cow_size: 0,
    current_cow_size_age: 0,
    current_fork_perc: '0.00',
    current_save_keys_processed: 0,
    current_save_keys_total: 0,
    ...rdbInfoFields(engine),
    ...aofInfoFields(engine),
  };
  return fields;
}

function statsSection(engine: Engine): InfoFields {
  const s = engine.stats;
  return {
    total_connections_received: s.totalConnectionsReceived,
    total_commands_processed: s.totalCommandsProcessed,
    instantaneous_ops_per_sec: 0,
    total_net_input_bytes: 0,
    total_net_output_bytes: 0,
    total_net_repl_input_bytes: 0,
    total_net_repl_output_bytes: 0,
    instantaneous_input_kbps: '0.00',
    instantaneous_output_kbps: '0.00',
    instantaneous_input_repl_kbps: '0.00',
    instantaneous_output_repl_kbps: '0.00',
    rejected_connections: 0,
    sync_full: 0,
    sync_partial_ok: 0,
    sync_partial_err: 0,
    expired_keys: s.expiredKeys,
    expired_stale_perc: '0.00',
    expired_time_cap_reached_count: 0,
    expire_cycle_cpu_milliseconds: 0,
    evicted_keys: 0,
    evicted_clients: 0,
    total_eviction_exceeded_time: 0,
    current_eviction_exceeded_time: 0,
    keyspace_hits: s.keyspaceHits,
    keyspace_misses: s.keyspaceMisses,
    pubsub_channels: engine.pubsub.channels.size,
    pubsub_patterns: engine.pubsub.patterns.size,
    pubsubshard_channels: 0,
    latest_fork_usec: 0,
    total_forks: 0,
    migrate_cached_sockets: 0,
    slave_expires_tracked_keys: 0,
    active_defrag_hits: 0,
    active_defrag_misses: 0,
    active_defrag_key_hits: 0,
    active_defrag_key_misses: 0,
    total_active_defrag_time: 0,
    current_active_defrag_time: 0,
    tracking_total_keys: 0,
    tracking_total_items: 0,
    tracking_total_prefixes: 0,
    unexpected_error_replies: 0,
    total_error_replies: s.totalErrorReplies,
    dump_payload_sanitizations: 0,
    total_reads_processed: 0,
    total_writes_processed: 0,
    io_threaded_reads_processed: 0,
    io_threaded_writes_processed: 0,
    reply_buffer_shrinks: 0,
    reply_buffer_expands: 0,
  };
}

function replicationSection(engine: Engine): InfoFields {
  const config = engine.config;
  const fields: InfoFields = { role: 'master', connected_slaves: 0 };
  if (config.number('min-replicas-to-write') && config.number('min-replicas-max-lag')) {
    fields.min_slaves_good_slaves = 0;
  }
  return Object.assign(fields, {
    master_failover_state: 'no-failover',
    master_replid: stateOf(engine).replId,
    master_replid2: '0'.repeat(40),
    master_repl_offset: 0,
    second_repl_offset: -1,
    repl_backlog_active: 0,
    repl_backlog_size: config.number('repl-backlog-size'),
    repl_backlog_first_byte_offset: 0,
    repl_backlog_histlen: 0,
  });
}

/** "%ld.%06ld" of a duration in microseconds. */
function seconds(usec: number): string {
  return `${Math.floor(usec / 1e6)}.${String(usec % 1e6).padStart(6, '0')}`;
}

function cpuSection(): InfoFields {
  const cpu = process.cpuUsage();
  return {
    used_cpu_sys: seconds(cpu.system),
    used_cpu_user: seconds(cpu.user),
    used_cpu_sys_children: seconds(0),
    used_cpu_user_children: seconds(0),
    // Commands run on Node's main thread, which does nearly all of the process' work.
    used_cpu_sys_main_thread: seconds(cpu.system),
    used_cpu_user_main_thread: seconds(cpu.user),
  };
}

/** INFO's unsafe characters in a name (`#`, `:`, CR, LF) become `_`. */
function safeInfoName(name: string): string {
  return name.replace(/[#:\r\n]/g, '_');
}

function commandstatsSection(engine: Engine): InfoFields {
  const fields: InfoFields = {};
  const add = (name: string) => {
    const s = engine.stats.commands.get(name);
    if (!s || (!s.calls && !s.failedCalls && !s.rejectedCalls)) return;
    // Redis divides as a float (single precision), then prints with two decimals.
    const perCall = s.calls === 0 ? 0 : Math.fround(Math.fround(s.usec) / s.calls);
    fields[`cmdstat_${safeInfoName(name)}`] =
      `calls=${s.calls},usec=${s.usec},usec_per_call=${fixed(perCall, 2)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`;
  };
  for (const [name, spec] of engine.commands) {
    add(name);
    for (const sub of spec.subcommands?.values() ?? []) add(sub.name);
  }
  return fields;
}

function errorstatsSection(engine: Engine): InfoFields {
  const fields: InfoFields = {};
  // Redis keeps them in a radix tree: sorted by their bytes.
  const codes = [...engine.stats.errors.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const code of codes) fields[`errorstat_${safeInfoName(code)}`] = `count=${engine.stats.errors.get(code)}`;
  return fields;
}

function keyspaceSection(engine: Engine): InfoFields {
  const fields: InfoFields = {};
  for (const db of engine.databases) {
    if (db.dict.size === 0 && db.expires.size === 0) continue;
    fields[`db${db.id}`] = `keys=${db.dict.size},expires=${db.expires.size},avg_ttl=${averageTtl(engine, db.expires)}`;
  }
  return fields;
}

/**
 * The mean time to live (ms) of the keys that have one. Redis estimates it from the keys its
 * expiry cycle samples; here every key counts, so the figure is exact.
 */
function averageTtl(engine: Engine, expires: ReadonlyMap<string, number>): number {
  let sum = 0;
  let n = 0;
  for (const when of expires.values()) {
    if (when <= engine.time) continue;
    sum += when - engine.time;
    n++;
  }
  return n === 0 ? 0 : Math.floor(sum / n);
}

/** bytesToHuman: 100B, 1.50K, 2.00M … */
export function bytesToHuman(n: number | bigint): string {
  const v = Number(n);
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (v < 1024) return `${n}B`;
  for (let i = 0; i < units.length; i++) {
    if (v < 1024 ** (i + 2)) return `${fixed(v / 1024 ** (i + 1), 2)}${units[i]}`;
  }
  return `${n}B`;
}

/**
 * printf's %.Nf: like toFixed, except that a value exactly half-way rounds to even as glibc does
 * (toFixed rounds it up).
 */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const scaled = x * 10 ** digits;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled) && Math.abs(scaled) < 2 ** 52) {
    const down = Math.floor(scaled);
    const even = down % 2 === 0 ? down : down + 1;
    return (even / 10 ** digits).toFixed(digits);
  }
  return x.toFixed(digits);
}
