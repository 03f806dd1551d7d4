/**
 * The engine: the shared keyspace, the clients, and the dispatcher that runs one command at a
 * time with Redis' semantics (processCommand + call in server.c). Everything is synchronous, so a
 * command is atomic; a blocked command answers later, through a promise.
 */
import path from 'node:path';
import { error, QUEUED, type Reply } from '../resp/reply.js';
import { BlockingKeys, BlockRequest, type BlockedState } from './blocking.js';
import { Client, type ClientOptions } from './client.js';
import { type Clock, systemClock } from './clock.js';
import { COMMANDS, type CommandSpec, isContainer, lookupCommand } from './commands.js';
import { Config } from './config.js';
import { authRequired, setDefaultAuth } from './connection.js';
import {
  NOAUTH, NOT_ALLOWED_IN_MULTI, RedisError, SERVER_DOWN, noNewlines, unknownCommand, unknownSubcommand, wrongArity,
} from './errors.js';
import { ActiveExpire, type ExpireCycleKind } from './expire.js';
import { Database } from './keyspace.js';
import { discardTransaction, touchAllWatchedKeysInDb, touchWatchedKey, unwatchAllKeys } from './multi.js';
import { aofDiskError } from './persistence/aof.js';
import { rdbDiskError, snapshotCron } from './persistence/snapshot.js';
import { crashPersistence, startPersistence } from './persistence/startup.js';
import { Propagation } from './propagate.js';
import { PubSub } from './pubsub.js';
import { ScanCursors } from './scan.js';
import { Stats } from './stats.js';

export interface EngineOptions {
  readonly clock?: Clock;
  readonly databases?: number;
  /** Run the active expiry cycle on a timer, and a fast one before each command (default true). Tests may call activeExpireCycle(). */
  readonly activeExpiry?: boolean;
  /**
   * The data directory: the AOF, dump.rdb and redislings.conf live there, and the data set is
   * loaded from it at start (see persistence/startup.ts). Without one the engine keeps nothing
   * on disk.
   */
  readonly dir?: string;
  /** Parameters as redis-server takes them on its command line (`['appendonly', 'yes']`), set at start. */
  readonly config?: readonly (readonly [string, string])[];
  /** Where the engine's log lines go, as redis-server's log: '*' a notice, '#' a warning. */
  readonly log?: (level: LogLevel, message: string) => void;
}

export type LogLevel = '*' | '#';

/** What crash() may also take away (see Engine.crash). */
export interface CrashOptions {
  /** The machine lost power, not just the process: what the OS had not written to disk (not fsynced) is lost too. */
  readonly powerFailure?: boolean;
}

/** Commands a RESP2 client may send while subscribed. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands that run at once inside MULTI instead of being queued. */
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** After a command's first calls, one call in this many is timed for INFO commandstats (a power of two). */
const TIMING_SAMPLE = 16;
/** Redis runs its cron 10 times a second (hz 10); the active expiry cycle runs in it. */
const CRON_MS = 100;
/** In a batch (beginBatch), the clock is read once per this many commands (a power of two). */
const BATCH_CLOCK_READS = 32;
/** The longest delay setTimeout honours; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A write command, or an EXEC with one queued (processCommand's is_write_command). */
function isWriteCommand(c: Client, spec: CommandSpec): boolean {
  if (spec.flags.includes('write')) return true;
  return spec.name === 'exec' && (c.multi?.some((queued) => queued.spec.flags.includes('write')) ?? false);
}

export class Engine {
  readonly clock: Clock;
  readonly databases: Database[];
  readonly clients = new Map<number, Client>();
  readonly stats = new Stats();
  readonly config = new Config();
  readonly blocking = new BlockingKeys();
  readonly pubsub = new PubSub();
  readonly scanCursors = new ScanCursors();
  /** When the engine (re)started, ms. */
  startedAt: number;
  /** The time of the command being run (ms); Redis reads the clock once per command. */
  time: number;
  /** `time` in whole seconds: Redis' LRU clock, stamped on values as they are accessed. */
  lruClock: number;
  /** True while loading data from disk: keys do not expire then, as in Redis. */
  loading = false;
  /**
   * server.dirty: how many changes writes have made since the engine started. A command that
   * raised it is propagated (to the AOF); the snapshot rules compare it with its value at the last
   * save. Handlers add what Redis adds (SADD of three new members: 3).
   */
  dirty = 0;
  /** What changes are propagated as (the AOF listens): see propagate.ts. */
  readonly propagation = new Propagation();
  /** The data directory (absolute), or undefined for an engine that keeps nothing on disk. */
  readonly dir: string | undefined;
  /** Set by crash() until restart(): the server is down, commands fail. */
  down = false;
  /**
   * A host that writes replies itself (the TCP server) calls beforeSleep() before it writes them,
   * once per batch, as Redis' event loop does; otherwise the engine calls it after each command.
   */
  deferBeforeSleep = false;
  private readonly beforeSleepHooks: (() => void)[] = [];
  private readonly cronHooks: (() => void)[] = [];
  private readonly closeHooks: (() => void)[] = [];
  private readonly crashHooks: (() => void)[] = [];
  private nextClientId = 1;
  /** Counts calls past their command's first TIMING_SAMPLE, to pick which are timed. */
  private untimedCalls = 0;
  /** Open batches (beginBatch): while any is open, execute() reads the clock less often. */
  private batches = 0;
  private batchCalls = 0;
  private cron: NodeJS.Timeout | undefined;
  private readonly activeExpire = new ActiveExpire(this, CRON_MS);
  private readonly logger: ((level: LogLevel, message: string) => void) | undefined;

  /**
   * The command table, for what describes or replays commands (COMMAND, INFO commandstats, AOF
   * loading): they reach it through the engine, so that no command module imports the table it is
   * itself part of. (Such an import cycle is ordered by the bundler in dist/redislings.js, which
   * once left the table built before server-commands.ts had run: no CONFIG, INFO or COMMAND.)
   */
  readonly commands: ReadonlyMap<string, CommandSpec> = COMMANDS;

  /** The command or subcommand argv names; undefined if unknown. */
  lookupCommand(argv: readonly string[]): CommandSpec | undefined {
    return lookupCommand(argv);
  }

  /** Throws a PersistenceError when the data directory holds files that cannot be loaded. */
  constructor(readonly options: EngineOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.time = this.clock.now();
    this.lruClock = Math.floor(this.time / 1000);
    this.startedAt = this.time;
    this.logger = options.log;
    this.dir = options.dir === undefined ? undefined : path.resolve(options.dir);
    this.databases = Array.from({ length: options.databases ?? 16 }, (_, i) => new Database(this, i));
    this.config.setStartup('databases', String(this.databases.length));
    // The configuration and the data set from the data directory (loadDataFromDisk).
    startPersistence(this);
    if (options.activeExpiry ?? true) {
      this.cron = setInterval(() => this.serverCron(), CRON_MS);
      this.cron.unref();
    }
  }

  /** serverLog */
  log(level: LogLevel, message: string): void {
    this.logger?.(level, message);
  }

  /** Runs `hook` before replies are written (Redis' beforeSleep: the AOF is written then). */
  onBeforeSleep(hook: () => void): void {
    this.beforeSleepHooks.push(hook);
  }

  /** Runs `hook` from the engine's cron, ten times a second (and after a crash, no more). */
  onCron(hook: () => void): void {
    this.cronHooks.push(hook);
  }

  /** Runs `hook` when the engine closes (a clean exit: the AOF is flushed and fsynced). */
  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  /** Runs `hook` after a crash (a process hosting the engine exits then, as redis-server would have). */
  onCrash(hook: () => void): void {
    this.crashHooks.push(hook);
  }

  /** beforeSleep: what must happen before replies go out (see deferBeforeSleep). */
  beforeSleep(): void {
    for (const hook of this.beforeSleepHooks) hook();
  }

  /** A new client (a connection) on this engine. */
  connect(options: ClientOptions = {}): Client {
    const client = new Client(this, this.nextClientId++, options);
    setDefaultAuth(client);
    this.clients.set(client.id, client);
    this.stats.totalConnectionsReceived++;
    return client;
  }

  /** Stops the engine's timers and disconnects every client; what persistence holds is flushed to disk. */
  close(): void {
    if (this.cron) clearInterval(this.cron);
    this.cron = undefined;
    for (const client of [...this.clients.values()]) client.close();
    if (!this.down) for (const hook of this.closeHooks) hook();
  }

  /**
   * "The server just crashed", for lessons: like kill -9 of redis-server, everything in memory is
   * dropped and nothing is saved (AOF bytes still in the engine's buffer are lost; with
   * powerFailure, also what the OS had not fsynced). Every client is disconnected. Until
   * restart(), commands answer an error.
   */
  crash(options: CrashOptions = {}): void {
    if (this.down) return;
    crashPersistence(this, options);
    this.down = true;
    for (const client of [...this.clients.values()]) client.close();
    for (const db of this.databases) {
      db.dict = new Map();
      db.expires = new Map();
      db.watchedKeys.clear();
    }
    this.dirty = 0;
    this.stats.reset();
    for (const hook of this.crashHooks) hook();
  }

  /**
   * Starts again after crash() (or at any time, as a kill -9 and a start would), exactly as a
   * fresh start does: the configuration from the command line and redislings.conf, then the data
   * set from the AOF (appendonly yes) or dump.rdb. Throws a PersistenceError when the files
   * cannot be loaded; the engine then stays down.
   */
  restart(): void {
    if (!this.down) this.crash();
    this.updateTime();
    this.startedAt = this.time;
    startPersistence(this);
    this.down = false;
  }

  disconnect(client: Client): void {
    if (client.blocked) this.unblock(client, undefined);
    discardTransaction(client);
    unwatchAllKeys(client);
    this.pubsub.unsubscribeAll(client);
    this.clients.delete(client.id);
  }

  updateTime(): void {
    this.time = this.clock.now();
    this.lruClock = Math.floor(this.time / 1000);
  }

  /**
   * The server runs the commands of one read from a socket as a batch. They run microseconds
   * apart and the clock has millisecond resolution, so one reading serves several of them; it is
   * read again every BATCH_CLOCK_READS commands, so a long pipeline still sees time pass.
   */
  beginBatch(): void {
    if (this.batches++ === 0) this.batchCalls = 0;
    this.updateTime();
  }

  endBatch(): void {
    this.batches--;
  }

  /** processCommand: look up, check, queue or run one command, then serve clients blocked on keys it made ready. */
  execute(c: Client, argv: readonly string[]): Reply | Promise<Reply> {
    if (c.closed) return error('ERR connection closed');
    if (this.down) return error(SERVER_DOWN);
    if (c.blocked) return error('ERR client is blocked');
    if (this.batches === 0 || (++this.batchCalls & (BATCH_CLOCK_READS - 1)) === 0) this.updateTime();
    // Redis runs a fast expiry cycle before it sleeps between events; here, before each command.
    if (this.cron) this.activeExpireCycle('fast');
    c.lastInteraction = this.time;
    const result = this.process(c, argv);
    // Whatever a rejected command expired on its way (nothing ran to flush it).
    this.propagation.flush(false);
    this.handleClientsBlockedOnKeys();
    if (!this.deferBeforeSleep) this.beforeSleep();
    if (result instanceof BlockRequest) return this.block(c, result);
    return result;
  }

  private process(c: Client, argv: readonly string[]): Reply | BlockRequest {
    if (argv.length === 0) return error('ERR empty command');
    const spec = lookupCommand(argv);
    if (!spec) {
      const name = argv[0] as string;
      return this.reject(c, undefined, isContainer(name) ? unknownSubcommand(name, argv[1] as string) : unknownCommand(argv));
    }
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      return this.reject(c, spec, wrongArity(spec.name));
    }
    if (!spec.noAuth && authRequired(c)) {
      return this.reject(c, spec, NOAUTH);
    }
    if (c.multi && spec.noMulti) {
      return this.reject(c, spec, NOT_ALLOWED_IN_MULTI);
    }
    const diskError = rdbDiskError(this) ?? aofDiskError(this);
    if (diskError !== undefined && (isWriteCommand(c, spec) || spec.name === 'ping')) {
      return this.reject(c, spec, diskError);
    }
    if (c.resp === 2 && c.inPubSub && !PUBSUB_ALLOWED.has(spec.container ?? spec.name)) {
      return this.reject(c, spec, `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
    }
    if (c.multi && !NOT_QUEUED.has(spec.name)) {
      c.multi.push({ spec, argv });
      return QUEUED;
    }
    return this.call(c, spec, argv);
  }

  /** rejectCommand: the error reply, and a transaction being queued is spoiled. */
  private reject(c: Client, spec: CommandSpec | undefined, message: string): Reply {
    if (c.multi) c.multiDirty = true;
    if (spec) this.stats.of(spec).rejectedCalls++;
    this.stats.rejectedCalls++;
    if (spec?.name === 'exec') {
      discardTransaction(c);
      message = `EXECABORT Transaction discarded because of: ${message}`;
    }
    this.stats.error(message);
    return error(message);
  }

  /** call(): runs a command whose checks have passed (also each command inside EXEC). */
  call(c: Client, spec: CommandSpec, argv: readonly string[]): Reply | BlockRequest {
    const calls = this.stats.of(spec).calls;
    // INFO commandstats' usec: reading a high-resolution clock twice costs as much as a GET, so
    // each command's first calls are all timed and after that one in TIMING_SAMPLE, weighted so
    // that the total stays an unbiased estimate.
    const weight = calls < TIMING_SAMPLE ? 1 : (++this.untimedCalls & (TIMING_SAMPLE - 1)) === 0 ? TIMING_SAMPLE : 0;
    const started = weight > 0 ? performance.now() : 0;
    const dirtyBefore = this.dirty;
    const outerPropagation = this.propagation.beginCall();
    let reply: Reply | BlockRequest;
    try {
      reply = spec.handler(c, argv);
    } catch (e) {
      if (!(e instanceof RedisError)) {
        // An engine bug must not take the learner's session down; it shows as an error reply.
        const why = e instanceof Error ? e.message : String(e);
        reply = error(noNewlines(`ERR redislings internal error in '${spec.name}': ${why}`));
      } else {
        reply = error(e.reply);
      }
    }
    this.propagation.endCall(c.db.id, argv, this.dirty > dirtyBefore, spec.name === 'exec', outerPropagation, !spec.touchesArbitraryKeys);
    // Looked up again: CONFIG RESETSTAT may have just cleared the statistics (its own call counts).
    const s = this.stats.of(spec);
    s.calls++;
    if (weight > 0) s.usec += Math.round((performance.now() - started) * 1000 * weight);
    this.stats.totalCommandsProcessed++;
    c.lastCommand = spec.name;
    if (reply instanceof BlockRequest) {
      // Inside EXEC (and MULTI) a blocking command does not block: it answers as if timed out.
      return c.inExec ? reply.timeoutReply : reply;
    }
    if (reply.kind === 'error') {
      s.failedCalls++;
      this.stats.error(reply.message);
    }
    return reply;
  }

  /** blockForKeys: the client waits until a key is ready or the deadline passes. */
  private block(c: Client, request: BlockRequest): Promise<Reply> {
    return new Promise((resolve) => {
      const state = { request, db: c.db, resolve, timer: undefined as NodeJS.Timeout | undefined };
      c.blocked = state;
      this.blocking.add(c, c.db, request.keys);
      if (request.deadline > 0) this.armTimeout(c, state, Math.max(0, request.deadline - this.time));
    });
  }

  /** Node's timers wait at most 2^31-1 ms (about 24.8 days): a longer wait is re-armed in steps. */
  private armTimeout(c: Client, state: BlockedState, remaining: number): void {
    const step = Math.min(remaining, MAX_TIMER_MS);
    state.timer = setTimeout(() => {
      if (remaining > step) return this.armTimeout(c, state, remaining - step);
      this.updateTime();
      this.unblock(c, state.request.timeoutReply);
    }, step);
  }

  /** Ends a client's wait with a reply (undefined: the client went away, nobody to answer). */
  unblock(c: Client, reply: Reply | undefined): void {
    const state = c.blocked;
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    this.blocking.remove(c, state.db, state.request.keys);
    c.blocked = null;
    if (reply) state.resolve(reply);
  }

  /** handleClientsBlockedOnKeys: serves waiters of keys made ready, oldest waiter first. */
  handleClientsBlockedOnKeys(): void {
    for (let ready = this.blocking.takeReady(); ready.length > 0; ready = this.blocking.takeReady()) {
      for (const { db, key } of ready) {
        for (const c of this.blocking.waitersOf(db, key)) {
          const state = c.blocked;
          if (!state) continue;
          let reply: Reply | undefined;
          try {
            reply = state.request.serve(c, key);
          } catch (e) {
            if (!(e instanceof RedisError)) throw e;
            reply = error(e.reply);
          }
          // What serving this client did (LPOP for a BLPOP…), as one execution unit (afterCommand).
          this.propagation.flush();
          if (reply !== undefined) this.unblock(c, reply);
        }
      }
    }
  }

  /**
   * scanDatabaseForDeletedStreams: before FLUSHDB/FLUSHALL empties `emptied` (or SWAPDB replaces
   * its data with `replacedWith`'s), each waited key that held a stream and will not hold one is
   * signalled, so that a blocked XREADGROUP is answered (UNBLOCKED) instead of waiting forever.
   */
  scanDatabaseForDeletedStreams(emptied: Database, replacedWith?: Database): void {
    for (const client of this.clients.values()) {
      const blocked = client.blocked;
      if (blocked?.db !== emptied) continue;
      for (const key of blocked.request.keys) {
        const wasStream = emptied.dict.get(key)?.type === 'stream';
        const isStream = replacedWith?.dict.get(key)?.type === 'stream';
        if (wasStream && !isStream) this.signalKeyAsReady(emptied, key);
      }
    }
  }

  /** A key was added or written in a way blocked clients may care about. */
  signalKeyAsReady(db: Database, key: string): void {
    this.blocking.signal(db, key);
  }

  touchWatchedKey(db: Database, key: string): void {
    if (db.watchedKeys.size > 0) touchWatchedKey(db, key);
  }

  touchAllWatchedKeys(emptied: Database, replacedWith?: Database): void {
    if (emptied.watchedKeys.size > 0) touchAllWatchedKeysInDb(emptied, replacedWith);
  }

  /** A key was deleted by expiry (lazily or by the active cycle): propagated as its deletion (propagateDeletion). */
  keyExpired(db: Database, key: string): void {
    db.signalModifiedKey(key);
    if (this.propagation.active) this.propagation.add(db.id, [this.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
  }

  private serverCron(): void {
    if (this.down) return;
    this.updateTime();
    this.activeExpireCycle();
    snapshotCron(this);
    for (const hook of this.cronHooks) hook();
  }

  /**
   * The active expiry cycle (expire.ts): removes keys whose time has passed without anyone
   * touching them, walking each database's volatile keys with a cursor, bounded in time per run.
   * The cron runs the slow cycle; tests may call it directly. Returns how many keys it removed.
   */
  activeExpireCycle(kind: ExpireCycleKind = 'slow'): number {
    const removed = this.activeExpire.run(kind);
    // Each key's DEL on its own, not wrapped in a transaction (propagate_no_multi).
    this.propagation.flush(false);
    return removed;
  }
}
