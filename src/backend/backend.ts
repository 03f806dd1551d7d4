/**
 * Where the learner's commands run. One interface, several implementations: the bundled engine
 * (bundled.ts) and a real Redis server (redis.ts: ioredis for administration, raw RESP for the
 * lesson connections). Lessons, the runner and
 * the app see only this, so a lesson behaves the same on both.
 *
 * Replies are the typed values of src/resp/reply.ts on every backend: a status `OK` stays a
 * `simple` reply, distinct from a bulk string "OK", whatever the client library does.
 */
import type { Reply } from '../resp/reply.js';
import type { GuardDecision } from './guard.js';

/**
 * What a lesson may need that not every backend offers.
 * - `json`: the JSON.* commands (RedisJSON on a real server, built in on the bundled engine).
 * - `persistence`: control of persistence and of the process: CONFIG SET appendonly/save, SAVE,
 *   BGREWRITEAOF, and crash() / restart() of the server with what is on disk.
 * - `clients`: several connections at once (background actors, a subscriber and a publisher).
 */
export const CAPABILITIES = ['json', 'persistence', 'clients'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface BackendClient {
  /**
   * Runs one command (argv[0] is its name; strings are one char per byte). A blocking command
   * (BRPOP, XREAD BLOCK, …) settles when it is served, times out or is interrupted. Errors
   * Redis answers are `error` replies, not rejections; a rejection means the connection failed.
   */
  execute(argv: readonly string[]): Promise<Reply>;
  /** Out-of-band replies: pub/sub messages and subscription confirmations after the first. */
  onPush(listener: (reply: Reply) => void): () => void;
  /**
   * Stops waiting: a blocked command answers now as if its timeout had passed (CLIENT UNBLOCK
   * TIMEOUT), and a subscribed connection leaves every channel and pattern. What Ctrl+C does in
   * the app; a no-op when the client waits for nothing.
   */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

export interface Backend {
  /** For a header: "bundled engine", "redis 7.0.15 at 127.0.0.1:6380". */
  readonly description: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** A new connection, in the backend's lesson database. */
  connect(): Promise<BackendClient>;
  /**
   * A fresh state for a lesson: no keys, the configuration a lesson starts from, nothing on
   * disk. Existing clients may be closed by it; connect again afterwards.
   */
  reset(): Promise<void>;
  /**
   * Moves the server's clock forward by `ms` when the backend can (the bundled engine), so that
   * replaying a solution that waits for a key to expire is instant. Returns false when it cannot;
   * the caller then really waits.
   */
  advanceTime(ms: number): Promise<boolean>;
  /**
   * Kills the server without warning (kill -9, a power cut) and starts it again from what it had
   * written to disk. Only with the `persistence` capability. Every client is disconnected.
   */
  crash(): Promise<void>;
  /**
   * Stops the server cleanly (SHUTDOWN: a final save when snapshots are configured) and starts
   * it again. Only with the `persistence` capability. Every client is disconnected.
   */
  restart(): Promise<void>;
  /** Ends everything this backend started (connections, a managed server, temporary files). */
  close(): Promise<void>;

  // What only some backends have (a real server): absent means "nothing to say".

  /** Why each capability the backend lacks is missing, in words for the menu. */
  readonly missing?: ReadonlyMap<Capability, string>;
  /**
   * What to do with a command the learner typed before running it: run it, or refuse it with an
   * explanation and maybe an offer (see guard.ts). Without it, every command runs.
   */
  guard?(argv: readonly string[]): Promise<GuardDecision>;
  /** The connection to the server: lost, retrying, back. Returns the unsubscriber. */
  onConnectionState?(listener: (state: ConnectionState) => void): () => void;
  /**
   * What the lesson database holds, to ask before a lesson: reset() refuses (ForeignKeysError)
   * when it holds keys redislings did not create.
   */
  checkLessonDatabase?(): Promise<LessonDatabaseCheck>;
  /** The learner agreed to empty the lesson database: the next reset() deletes every key in it. */
  adoptLessonDatabase?(): Promise<void>;
  /**
   * How a program of the learner's (a code exercise) reaches this server, in the lesson database:
   * redis[s]://[user:password@]host:port/db. Absent on the bundled engine, which lives inside
   * redislings: an exercise then runs on a bundled server of its own.
   */
  programUrl?(): string;
  /**
   * Runs `work` (a learner's program writing to the lesson database) and counts the keys that
   * appeared meanwhile as redislings' own, so that reset() deletes them rather than stopping at them.
   */
  adoptKeysWrittenDuring?<T>(work: () => Promise<T>): Promise<T>;
}

export type LessonDatabaseCheck =
  | { readonly state: 'empty' }
  /** Only keys redislings created: reset() deletes them. */
  | { readonly state: 'ours'; readonly keys: number }
  /** Keys redislings did not create: `count` of them, the first few in `sample`. */
  | { readonly state: 'foreign'; readonly count: number; readonly sample: readonly string[] };

/** What a backend reports about its connection to a server, for the app to show. */
export type ConnectionState =
  /** The server stopped answering (it restarted, the network went away); lessons wait. */
  | { readonly kind: 'lost'; readonly message: string }
  /** Trying again in `delayMs` (attempt 1, 2, …; the delay grows up to 10 s). */
  | { readonly kind: 'retrying'; readonly attempt: number; readonly delayMs: number }
  /** Connected again: the app reopens the lesson at the step the learner was at. */
  | { readonly kind: 'back' };

/** The reply that says a capability is missing, for a backend asked for what it cannot do. */
export class MissingCapability extends Error {
  constructor(readonly capability: Capability, backend: string) {
    super(`${backend} does not offer ${capability}`);
  }
}

/** The lesson database holds keys redislings did not create: the learner must decide. */
export class ForeignKeysError extends Error {
  constructor(readonly db: number, readonly count: number, readonly sample: readonly string[], where: string) {
    super(`database ${db} of ${where} holds ${count} key${count === 1 ? '' : 's'} redislings did not create ` +
      `(${sample.map((k) => JSON.stringify(k)).join(', ')}${count > sample.length ? ', …' : ''}); it deletes none of them. ` +
      `Choose another database with --db, or agree to empty database ${db}.`);
  }
}
