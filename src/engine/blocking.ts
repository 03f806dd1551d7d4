/**
 * One mechanism for every blocking command (BLPOP, BRPOP, BLMOVE, BLMPOP, BZPOPMIN/MAX, BZMPOP,
 * XREAD/XREADGROUP BLOCK). A command that cannot be served now returns a BlockRequest; the client
 * then waits on its keys. When a write makes a key ready, the clients waiting on it are tried in
 * the order they started waiting (Redis serves the longest-waiting client first). A timeout
 * answers with the request's timeout reply.
 */
import type { Reply } from '../resp/reply.js';
import { toInt64 } from './args.js';
import { ceilToInt64, multiplyLongDouble, parseLongDouble } from './long-double.js';
import type { Client } from './client.js';
import { RedisError, TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT, TIMEOUT_NOT_INTEGER } from './errors.js';
import type { Database } from './keyspace.js';

export class BlockRequest {
  constructor(
    /** The keys to wait on, in the client's current database. */
    readonly keys: readonly string[],
    /** Absolute deadline in ms of engine time; 0 waits forever. */
    readonly deadline: number,
    /**
     * Tries to serve the command now that a key is ready: a reply ends the wait, undefined keeps
     * waiting (another client took the data first, or the key is still not what is needed).
     */
    readonly serve: (client: Client, readyKey: string) => Reply | undefined,
    /** What a timed-out wait answers (a null array for the list pops). */
    readonly timeoutReply: Reply,
  ) {}
}

export interface BlockedState {
  readonly request: BlockRequest;
  readonly db: Database;
  readonly resolve: (reply: Reply) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Per database: key → clients waiting on it, oldest first. */
export class BlockingKeys {
  private readonly waiting = new Map<Database, Map<string, Client[]>>();
  /** Keys that a write made ready since the last serving pass, in the order they became ready. */
  private ready: { db: Database; key: string }[] = [];
  private readySet = new Set<string>();

  get blockedCount(): number {
    const clients = new Set<Client>();
    for (const keys of this.waiting.values()) for (const list of keys.values()) for (const c of list) clients.add(c);
    return clients.size;
  }

  add(client: Client, db: Database, keys: readonly string[]): void {
    let perDb = this.waiting.get(db);
    if (!perDb) this.waiting.set(db, (perDb = new Map()));
    for (const key of new Set(keys)) {
      const list = perDb.get(key);
      if (list) list.push(client);
      else perDb.set(key, [client]);
    }
  }

  remove(client: Client, db: Database, keys: readonly string[]): void {
    const perDb = this.waiting.get(db);
    if (!perDb) return;
    for (const key of keys) {
      const list = perDb.get(key);
      if (!list) continue;
      const i = list.indexOf(client);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) perDb.delete(key);
    }
    if (perDb.size === 0) this.waiting.delete(db);
  }

  hasWaiters(db: Database, key: string): boolean {
    return this.waiting.get(db)?.has(key) ?? false;
  }

  /** signalKeyAsReady: remembered until the current command (or EXEC) has finished. */
  signal(db: Database, key: string): void {
    if (this.waiting.size === 0 || !this.hasWaiters(db, key)) return;
    const id = `${db.id}\u0000${key}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push({ db, key });
  }

  /** Takes the keys made ready so far (serving may make more ready; the caller loops). */
  takeReady(): { db: Database; key: string }[] {
    if (this.ready.length === 0) return this.ready;
    const ready = this.ready;
    this.ready = [];
    this.readySet = new Set();
    return ready;
  }

  /** The clients waiting on a key, oldest first (a copy: serving changes the list). */
  waitersOf(db: Database, key: string): Client[] {
    return [...(this.waiting.get(db)?.get(key) ?? [])];
  }
}

const LLONG_LIMIT = 2n ** 63n;

/**
 * getTimeoutFromObjectOrReply: a blocking command's timeout argument as an absolute deadline in ms
 * of engine time, 0 for "wait forever". Seconds (BLPOP, BZPOPMIN…) are a long double, rounded up
 * to whole ms; milliseconds (XREAD BLOCK) an integer. Redis 7.0 does the arithmetic in C's long
 * long, and its overflows are visible: a number of ms beyond 64 bits becomes LLONG_MIN ("timeout
 * is negative"), and a deadline past 2^63 wraps and never comes (a wait forever).
 */
export function parseTimeout(arg: string, now: number, unit: 'seconds' | 'milliseconds'): number {
  let ms: bigint;
  if (unit === 'seconds') {
    const seconds = parseLongDouble(arg);
    if (seconds === undefined) throw new RedisError(TIMEOUT_NOT_FLOAT);
    // (long long) ceill(seconds * 1000.0) in long double precision: "-0.001" is -0 ms, not -1.
    ms = ceilToInt64(multiplyLongDouble(seconds, 1000n)) ?? -LLONG_LIMIT;
  } else {
    const v = toInt64(arg);
    if (v === undefined) throw new RedisError(TIMEOUT_NOT_INTEGER);
    ms = BigInt(v);
  }
  if (ms < 0n) throw new RedisError(TIMEOUT_NEGATIVE);
  if (ms === 0n) return 0;
  const deadline = ms + BigInt(now);
  return deadline >= LLONG_LIMIT ? 0 : Number(deadline);
}
