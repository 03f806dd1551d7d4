/**
 * A real Redis server as a Backend: a learner's own server (--url, REDIS_URL), or a private one
 * redislings started (--engine redis-server, managed.ts).
 *
 * Two kinds of connection, for two jobs:
 * - the admin connection is ioredis: it learns what the server is (server-facts.ts), checks and
 *   empties the lesson database, reads INFO keyspace for the FLUSHALL guard, and watches the
 *   server: when it goes away ioredis reconnects with a growing delay, and the backend reports
 *   lost / retrying / back (onConnectionState) for the app to show;
 * - lesson connections (learner, setups, probes, actors) are raw RESP (resp-connection.ts), for
 *   the exact reply types ioredis cannot give.
 *
 * Everything happens in one logical database (15 unless told). On a shared server — any server
 * redislings did not start — the rules of guard.ts apply to every command, the keys lessons write
 * are recorded (key-record.ts), and reset() deletes only recorded keys: a key redislings did not
 * create stops the lesson (ForeignKeysError) until the learner decides. A private server is the
 * lessons' alone: reset() empties it, files included, and it can crash and restart.
 */
import type { Redis } from 'ioredis';
import { type Backend, type BackendClient, type Capability, type ConnectionState, ForeignKeysError, type LessonDatabaseCheck, MissingCapability } from './backend.js';
import { ConnectError, describeEndpoint, type Endpoint, explainConnectError } from './endpoint.js';
import { loadIoredis } from './ioredis.js';
import { enforce, enforcePrivate, guardCommand, type GuardDecision, protocolRefusal, ScriptApprovals } from './guard.js';
import { KeyRecord, writtenKeys } from './key-record.js';
import { RespConnection } from './resp-connection.js';
import { keysPerDatabase, probeServer, type ServerFacts } from './server-facts.js';

/** Control of a server process this program started. */
export interface ServerProcess {
  /** Kill -9, then start again on the same port and directory. */
  crash(): Promise<void>;
  /** SHUTDOWN (saving if snapshots are configured), then start again. */
  restart(): Promise<void>;
  /** Removes the AOF and RDB files, for a lesson's fresh start (the server is running). */
  wipeFiles?(): Promise<void>;
  /** Stops the server for good (when the backend owns it). */
  stop?(): Promise<void>;
}

export interface RedisServerOptions {
  /** Where the server is; or `host` and `port` alone for a plain local server. */
  readonly endpoint?: Endpoint;
  readonly host?: string;
  readonly port?: number;
  /** The database lessons run in (default 15: never the default database of an application). */
  readonly db?: number;
  /**
   * A private server this program controls: grants `persistence`, and lifts the shared-server
   * rules (the whole server is the lessons').
   */
  readonly process?: ServerProcess;
  /** close() also stops `process`. */
  readonly ownsProcess?: boolean;
  /** Where the record of keys is kept (key-record.ts); by default in memory only. */
  readonly recordFile?: string;
  readonly connectTimeoutMs?: number;
}

/** Configuration lessons may change on a private server, put back by reset(). */
const RESET_CONFIG = ['appendonly', 'save', 'appendfsync', 'notify-keyspace-events', 'maxmemory', 'maxmemory-policy'];
const SAMPLE = 10;

export class RedisServerBackend implements Backend {
  readonly description: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** Why each capability the backend lacks is missing, for the menu. */
  readonly missing: ReadonlyMap<Capability, string>;
  /** Where the server is, for a header: "127.0.0.1:6379", "rediss://host:6380". */
  readonly address: string;
  readonly db: number;
  /** The server redislings shares with others (not one it started): the rules of guard.ts apply. */
  readonly shared: boolean;
  private readonly approvals = new ScriptApprovals();
  private readonly record: KeyRecord | undefined;
  private readonly clients = new Set<RespConnection>();
  /** COMMAND GETKEYS questions under way (noteWrite). */
  private readonly recording = new Set<Promise<void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private initialConfig: Map<string, string> | undefined;
  private attempts = 0;
  /** The server's run_id when last seen: a new one means it restarted. */
  private runId: string | undefined;
  /** A crash or restart of our own is under way: the admin connection's drop is expected. */
  private expectingDrop = false;
  private closing = false;

  private constructor(
    private readonly options: RedisServerOptions,
    readonly endpoint: Endpoint,
    private readonly admin: Redis,
    private readonly retry: RetryPolicy,
    readonly facts: ServerFacts,
  ) {
    this.db = options.db ?? 15;
    this.shared = options.process === undefined;
    this.address = describeEndpoint(endpoint);
    this.description = this.shared
      ? `redis ${facts.version} at ${this.address}, database ${this.db}`
      : `redis ${facts.version}, a private server on port ${endpoint.port}`;
    const missing = new Map<Capability, string>();
    if (!facts.json) {
      missing.set('json', `redis ${facts.version} at ${this.address} has no JSON commands (the RedisJSON module is not loaded); the bundled engine has them`);
    }
    if (this.shared) {
      missing.set('persistence', `redislings did not start ${this.address}, so it cannot crash and restart it (and does not change the configuration of a server it shares); ` +
        'run the lesson on a private server (--engine redis-server) or on the bundled engine');
    }
    this.missing = missing;
    this.capabilities = new Set<Capability>((['json', 'persistence', 'clients'] as const).filter((c) => !missing.has(c)));
    this.record = this.shared ? new KeyRecord(options.recordFile, `${this.address}/${this.db}`) : undefined;
    this.runId = facts.runId;
    this.watch();
  }

  /**
   * Connects (a ConnectError says clearly why not), learns what the server is, and refuses what
   * lessons cannot use: a cluster, a sentinel, a read-only replica, a database that does not exist.
   */
  static async open(options: RedisServerOptions): Promise<RedisServerBackend> {
    const endpoint: Endpoint = options.endpoint ?? { host: options.host ?? '127.0.0.1', port: options.port ?? 6379 };
    const db = options.db ?? 15;
    const where = describeEndpoint(endpoint);
    // First a lesson connection: it authenticates and selects the database as every lesson
    // connection will, so what would fail later fails now, with the reason.
    const first = await RespConnection.open(endpoint, db, { rules: { enforce: enforcePrivate }, timeoutMs: options.connectTimeoutMs });
    await first.close();
    const retry: RetryPolicy = { connected: false, fast: false };
    const admin = await openAdmin(endpoint, db, options.connectTimeoutMs ?? 5000, retry);
    try {
      const facts = await probeServer(admin);
      if (facts.mode === 'cluster') throw new ConnectError('cluster', `${where} is a Redis Cluster node: lessons need a standalone server (a cluster has only database 0, spread over nodes)`);
      if (facts.mode === 'sentinel') throw new ConnectError('protocol', `${where} is a Redis Sentinel, which watches servers but holds no data: connect to the server itself`);
      if (facts.role === 'replica') throw new ConnectError('replica', `${where} is a read-only replica: connect to its master`);
      if (facts.databases !== undefined && db >= facts.databases) {
        throw new ConnectError('db', `${where} has ${facts.databases} databases (0 to ${facts.databases - 1}): choose one of them with --db`);
      }
      const backend = new RedisServerBackend(options, endpoint, admin, retry, facts);
      // The configuration reset() puts back: the server's own, before any lesson changed it.
      if (options.process) backend.initialConfig = await readConfig(admin);
      return backend;
    } catch (e) {
      admin.disconnect();
      throw e;
    }
  }

  /** Lost, retrying, back: what the app shows about the connection. Returns the unsubscriber. */
  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  async connect(): Promise<BackendClient> {
    const rules = this.shared
      ? { enforce: (argv: readonly string[]) => enforce(argv, this.db, this.approvals), ran: (argv: readonly string[]) => this.noteWrite(argv) }
      : { enforce: enforcePrivate };
    const c = await RespConnection.open(this.endpoint, this.db, { rules, side: () => this.connect(), timeoutMs: this.options.connectTimeoutMs });
    this.clients.add(c);
    c.onClosed = () => this.clients.delete(c);
    return c;
  }

  /**
   * What the app does with a command the learner typed: run it, or refuse it with an explanation
   * and maybe an offer (FLUSHALL on a server with data elsewhere → FLUSHDB). The lesson
   * connections enforce the same rules whatever the app does.
   */
  async guard(argv: readonly string[]): Promise<GuardDecision> {
    if (!this.shared) {
      const refused = protocolRefusal(argv);
      return refused ? { kind: 'refuse', explanation: refused } : { kind: 'run' };
    }
    const flushall = argv[0]?.toLowerCase() === 'flushall';
    const otherDatabases = flushall ? await this.adminDo((a) => keysPerDatabase(a)) : new Map<number, number>();
    otherDatabases.delete(this.db);
    return guardCommand(argv, { db: this.db, otherDatabases }, this.approvals);
  }

  /** What the lesson database holds, before a lesson (reset() refuses if it is not ours). */
  async checkLessonDatabase(): Promise<LessonDatabaseCheck> {
    const keys = await this.scanLessonDatabase();
    if (keys.length === 0) return { state: 'empty' };
    if (!this.record) return { state: 'ours', keys: keys.length };
    const foreign = keys.filter((k) => !this.record?.has(k));
    if (foreign.length === 0) return { state: 'ours', keys: keys.length };
    return { state: 'foreign', count: foreign.length, sample: foreign.slice(0, SAMPLE) };
  }

  /**
   * The learner agreed to empty the lesson database: every key in it now counts as redislings'
   * own, and the next reset() deletes them.
   */
  async adoptLessonDatabase(): Promise<void> {
    this.record?.adopt(await this.scanLessonDatabase());
  }

  programUrl(): string {
    const e = this.endpoint;
    if (e.path) throw new ConnectError('url', `${e.path} is a unix socket: a program of yours needs a redis:// URL (start redislings with --url redis://host:port)`);
    const user = e.username ? encodeURIComponent(e.username) : '';
    const password = e.password ? `:${encodeURIComponent(e.password)}` : '';
    const auth = user || password ? `${user}${password}@` : '';
    const host = e.host.includes(':') ? `[${e.host}]` : e.host;
    return `${e.tls ? 'rediss' : 'redis'}://${auth}${host}:${e.port}/${this.db}`;
  }

  async adoptKeysWrittenDuring<T>(work: () => Promise<T>): Promise<T> {
    if (!this.record) return work();
    const record = this.record;
    const before = new Set(await this.scanLessonDatabase());
    // Whatever appeared was written by the learner's program (the lesson database is the
    // lessons'): a key it left behind is then emptied with the lesson, not asked about.
    const adopt = async () => {
      record.note((await this.scanLessonDatabase()).filter((k) => !before.has(k)));
      record.save();
    };
    let result: T;
    try {
      result = await work();
    } catch (e) {
      // The work's own error is the one to report; if the server is gone too, the keys stay
      // unrecorded and the next lesson asks about them (nothing is deleted unasked).
      await adopt().catch((scanError: unknown) => { if (!(scanError instanceof Error)) throw scanError; });
      throw e;
    }
    await adopt();
    return result;
  }

  async reset(): Promise<void> {
    await this.dropClients();
    if (!this.shared) {
      await this.adminDo(async (admin) => {
        const now = await readConfig(admin);
        for (const [name, value] of this.initialConfig ?? now) {
          if (now.get(name) !== value) await admin.call('CONFIG', 'SET', name, value);
        }
        // A private server: the whole of it is the lesson's, files included.
        await admin.call('FLUSHALL');
      });
      await this.options.process?.wipeFiles?.();
      return;
    }
    const keys = await this.scanLessonDatabase();
    const foreign = keys.filter((k) => !this.record?.has(k));
    if (foreign.length > 0) throw new ForeignKeysError(this.db, foreign.length, foreign.slice(0, SAMPLE), this.address);
    // Key by key: a FLUSHDB would also take a key someone wrote since the scan.
    await this.adminDo(async (admin) => {
      for (let i = 0; i < keys.length; i += 500) {
        await admin.unlink(...keys.slice(i, i + 500).map((k) => Buffer.from(k, 'latin1')));
      }
    });
    this.record?.forget(this.record.list());
    this.record?.save();
  }

  async advanceTime(): Promise<boolean> {
    return false;
  }

  async crash(): Promise<void> {
    await this.restartWith((p) => p.crash());
  }

  async restart(): Promise<void> {
    await this.restartWith((p) => p.restart());
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.dropClients();
    this.admin.disconnect();
    this.record?.save();
    if (this.options.ownsProcess) await this.options.process?.stop?.();
  }

  private async restartWith(how: (p: ServerProcess) => Promise<void>): Promise<void> {
    const process = this.options.process;
    if (!process) throw new MissingCapability('persistence', this.description);
    this.expectingDrop = true;
    // The server is back within moments: the admin connection tries again every 20 ms meanwhile.
    this.retry.fast = true;
    try {
      await this.dropClients();
      await how(process);
      await this.adminReady();
    } finally {
      this.expectingDrop = false;
      this.retry.fast = false;
    }
  }

  /** Records the keys a command that ran wrote; the server tells those the table cannot. */
  private noteWrite(argv: readonly string[]): void {
    const keys = writtenKeys(argv);
    if (keys !== undefined) {
      this.record?.note(keys);
      return;
    }
    const asked = this.admin.callBuffer('COMMAND', 'GETKEYS', ...argv.map((a) => Buffer.from(a, 'latin1'))).then(
      (reply) => this.record?.note(Array.isArray(reply) ? reply.map((k: Buffer) => k.toString('latin1')) : []),
      // An error reply: the command has no keys. A failed connection: the key goes unrecorded,
      // and the next check of the database asks the learner about it; nothing is deleted.
      (e: unknown) => { if (!(e instanceof Error)) throw e; },
    ).finally(() => this.recording.delete(asked));
    this.recording.add(asked);
  }

  /** Waits for the keys being learnt from the server, before the record is read. */
  private async recorded(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private async dropClients(): Promise<void> {
    await Promise.all([...this.clients].map((c) => c.close()));
  }

  /** Every key of the lesson database, one char per byte. */
  private async scanLessonDatabase(): Promise<string[]> {
    await this.recorded();
    return this.adminDo(async (admin) => {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await admin.scanBuffer(cursor, 'COUNT', 1000);
        cursor = next.toString();
        for (const k of batch) keys.push(k.toString('latin1'));
      } while (cursor !== '0');
      return keys;
    });
  }

  /** Runs admin work once the admin connection is up; a ConnectError if it does not come back. */
  private async adminDo<T>(work: (admin: Redis) => Promise<T>): Promise<T> {
    await this.adminReady();
    try {
      return await work(this.admin);
    } catch (e) {
      if (this.admin.status !== 'ready') throw explainConnectError(e, this.endpoint);
      throw e;
    }
  }

  private adminReady(timeoutMs = 10_000): Promise<void> {
    if (this.admin.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.admin.off('ready', ready);
        reject(new ConnectError('lost', `${this.address} is not answering (still trying to reconnect)`));
      }, timeoutMs);
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      this.admin.once('ready', ready);
    });
  }

  /**
   * Turns the admin connection's events into the states the app shows. The first reconnection
   * after a close is no news (a server closes idle connections after its `timeout`; networks
   * blip): lost is reported when that first try fails, then each retry, then back. A server
   * that restarted between two tries is found by its run_id, and reported as lost and back too,
   * since the lesson's connections and data went with it.
   */
  private watch(): void {
    let lastError: Error | undefined;
    let dropped = false;
    let reported = false;
    this.admin.on('error', (e: Error) => { lastError = e; });
    this.admin.on('close', () => {
      if (this.closing || this.expectingDrop || dropped) return;
      dropped = true;
      this.attempts = 0;
    });
    this.admin.on('reconnecting', (delayMs: number) => {
      if (this.closing || this.expectingDrop || !dropped) return;
      this.attempts++;
      if (this.attempts === 1) return;
      if (!reported) {
        reported = true;
        const why = lastError ? explainConnectError(lastError, this.endpoint).message : `${this.address} closed the connection`;
        this.emit({ kind: 'lost', message: `lost the connection to ${this.address}: ${why}` });
      }
      this.emit({ kind: 'retrying', attempt: this.attempts, delayMs });
    });
    this.admin.on('ready', () => {
      const wasDropped = dropped;
      const ours = this.expectingDrop;
      dropped = false;
      lastError = undefined;
      void this.refreshRunId().then((restarted) => {
        if (reported) {
          reported = false;
          this.emit({ kind: 'back' });
        } else if (wasDropped && restarted && !ours && !this.closing) {
          this.emit({ kind: 'lost', message: `${this.address} restarted` });
          this.emit({ kind: 'back' });
        }
      });
    });
  }

  /** Reads the server's run_id again; true when it changed (the server restarted). */
  private async refreshRunId(): Promise<boolean> {
    let info: string;
    try {
      info = await this.admin.info('server');
    } catch (e) {
      // Gone again already: the next 'ready' asks again.
      if (e instanceof Error) return false;
      throw e;
    }
    const runId = /^run_id:(\w+)/m.exec(info)?.[1];
    const changed = runId !== undefined && this.runId !== undefined && runId !== this.runId;
    if (runId !== undefined) this.runId = runId;
    return changed;
  }

  private emit(state: ConnectionState): void {
    for (const l of this.stateListeners) l(state);
  }
}

/** How the admin connection tries again, changed by the backend as it goes. */
interface RetryPolicy {
  /** It has connected once: from now on it tries again for ever. */
  connected: boolean;
  /** A restart of our own is under way: try every 20 ms. */
  fast: boolean;
}

/**
 * The ioredis admin connection. At first it fails at once with the reason (a ConnectError);
 * once connected, it reconnects for ever with a growing delay (0.25 s, 0.5 s, … up to 10 s).
 */
async function openAdmin(endpoint: Endpoint, db: number, connectTimeout: number, retry: RetryPolicy): Promise<Redis> {
  const Redis = await loadIoredis();
  let lastError: Error | undefined;
  const admin = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.path ? { path: endpoint.path } : {}),
    ...(endpoint.tls ? { tls: endpoint.tls } : {}),
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(endpoint.password ? { password: endpoint.password } : {}),
    db,
    lazyConnect: true,
    connectTimeout,
    // Admin work fails fast while the server is away instead of queueing; adminReady() waits.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    disableClientInfo: true,
    connectionName: 'redislings-admin',
    retryStrategy: (times: number) => (!retry.connected ? null : retry.fast ? 20 : Math.min(250 * 2 ** (times - 1), 10_000)),
  });
  const onError = (e: Error) => { lastError = e; };
  admin.on('error', onError);
  try {
    await admin.connect();
  } catch (e) {
    admin.disconnect();
    throw explainConnectError(lastError ?? e, endpoint);
  }
  admin.off('error', onError);
  retry.connected = true;
  return admin;
}

async function readConfig(admin: Redis): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of RESET_CONFIG) {
    const r = await admin.call('CONFIG', 'GET', name);
    if (Array.isArray(r) && typeof r[1] === 'string') out.set(name, r[1]);
  }
  return out;
}
