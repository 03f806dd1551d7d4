/**
 * The bundled engine: an in-memory, Redis 7.0 compatible server core in TypeScript. It never sees
 * bytes on a socket or a terminal; it takes argument vectors and answers typed replies.
 *
 * Layout
 * - engine.ts        Engine: databases, clients, the dispatcher (lookup, arity, MULTI queueing,
 *                    pub/sub context), blocked clients, the active expiry cycle.
 * - client.ts        Client: one connection's state (db, protocol, transaction, subscriptions).
 * - commands.ts      the command table the dispatcher reads: Redis' metadata (command-table.ts,
 *                    generated from a real Redis) joined with each command's handler.
 * - errors.ts        every error text, word for word; commands throw RedisError.
 * - args.ts          reading integers and doubles out of arguments with Redis' strictness.
 * - keyspace.ts      Database (keys, expiries, lazy expiry) and RedisObject, the base of values.
 * - clock.ts         the engine's one clock (a manual one for tests).
 * - blocking.ts      one waiter for every blocking command.
 * - multi.ts         MULTI/EXEC/DISCARD/WATCH.      pubsub.ts   channels and patterns.
 * - glob.ts          Redis' glob matching (KEYS, SCAN MATCH, PSUBSCRIBE).
 * - propagate.ts     what each write is logged as (the AOF's input): Redis' call()/alsoPropagate.
 * - persistence/     the data directory: the AOF (aof.ts), RDB snapshots (rdb.ts, snapshot.ts),
 *                    loading at start and crash()/restart() (startup.ts), check-aof, check-rdb.
 * - connection.ts, server-commands.ts, keys.ts, expire.ts, object.ts, config.ts: commands that
 *                    are not about one data type (expire.ts also holds the active expiry cycle).
 * - types/           one file per data type, like Redis' t_*.c: the type's own operations first,
 *                    then its commands.
 */
export { Engine, type CrashOptions, type EngineOptions } from './engine.js';
export { PersistenceError } from './persistence/startup.js';
export { Client } from './client.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export { COMMANDS, lookupCommand, type CommandSpec } from './commands.js';
