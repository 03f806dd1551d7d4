/**
 * Where lessons run. The app imports from here; each backend's own code (the engine, ioredis, the
 * managed server) loads only when openBackend() picks it.
 *
 * Layout
 * - backend.ts          the Backend / BackendClient interface, capabilities, connection states,
 *                       the lesson-database check, MissingCapability, ForeignKeysError.
 * - bundled.ts          the bundled engine in this process (+ bundled-disk.ts: its data directory).
 * - redis.ts            a real server: ioredis for administration, raw RESP for lessons.
 * - resp-connection.ts  one raw lesson connection: exact reply types, the guard's last line.
 * - endpoint.ts         URL → host/port/TLS/user; connection errors explained (ConnectError).
 * - server-facts.ts     version, modules, cluster/replica, CONFIG/SAVE/DEBUG/SHUTDOWN allowed.
 * - guard.ts            the shared-server rules as data (FLUSHALL → FLUSHDB offer, SELECT …).
 * - key-record.ts       the record of keys redislings created on a shared server.
 * - managed.ts          --engine redis-server: a private redis-server and its watchdog.
 * - open.ts             --url / REDIS_URL / --engine / --db → a Backend; probeLocalRedis().
 */
export type { Backend, BackendClient, Capability, ConnectionState, LessonDatabaseCheck } from './backend.js';
export { CAPABILITIES, ForeignKeysError, MissingCapability } from './backend.js';
export { ConnectError, type ConnectFailure } from './endpoint.js';
export type { GuardDecision } from './guard.js';
export {
  type BackendChoice, type BackendFlags, ENGINES, type EngineName, type LocalRedis, openBackend, type OpenOptions,
  probeLocalRedis, resolveBackendChoice,
} from './open.js';
