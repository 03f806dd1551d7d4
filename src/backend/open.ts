/**
 * Choosing and opening a backend, for the app and `redislings selftest`:
 *
 *   --url redis://[user:password@]host:port[/db]   a learner's own server (rediss:// for TLS)
 *   REDIS_URL=…                                     the same, when --url is not given
 *   --engine redis-server                           a private redis-server from PATH
 *   --engine bundled                                the bundled engine (the default)
 *   --db N                                          the lesson database on a real server (15)
 *
 * Each backend's code is imported only when chosen: the bundled engine does not load ioredis,
 * and the app's first frame loads neither.
 */
import net from 'node:net';
import type tls from 'node:tls';
import type { Backend } from './backend.js';
import { ConnectError, endpointFromUrl } from './endpoint.js';

export const ENGINES = ['bundled', 'redis-server'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Where lessons run, as the command line and the environment say. */
export type BackendChoice =
  | { readonly kind: 'bundled' }
  | { readonly kind: 'redis-server'; readonly db?: number }
  | {
    readonly kind: 'url';
    readonly url: string;
    /** Where the URL came from, so the app can say "REDIS_URL". */
    readonly from: 'flag' | 'REDIS_URL';
    readonly db?: number;
  };

/** The flags as commander hands them over (strings, unchecked). */
export interface BackendFlags {
  readonly url?: string;
  readonly engine?: string;
  readonly db?: string;
}

/** Reads --url, --engine, --db and REDIS_URL; a ConnectError (kind 'url') for a bad combination. */
export function resolveBackendChoice(flags: BackendFlags, env: NodeJS.ProcessEnv = process.env): BackendChoice {
  let db: number | undefined;
  if (flags.db !== undefined) {
    db = /^\d+$/.test(flags.db) ? Number(flags.db) : NaN;
    if (!Number.isSafeInteger(db)) throw new ConnectError('url', `--db wants a database number (0, 1, … 15), not "${flags.db}"`);
  }
  if (flags.engine !== undefined && !(ENGINES as readonly string[]).includes(flags.engine)) {
    throw new ConnectError('url', `--engine is bundled or redis-server, not "${flags.engine}"`);
  }
  if (flags.url !== undefined && flags.engine !== undefined) {
    throw new ConnectError('url', `--url and --engine ${flags.engine} both say where lessons run: give one of them`);
  }
  if (flags.engine === 'bundled') {
    if (db !== undefined) throw new ConnectError('url', '--db is for a real server (--url or --engine redis-server); the bundled engine is all the lessons\'');
    return { kind: 'bundled' };
  }
  if (flags.engine === 'redis-server') return { kind: 'redis-server', ...(db !== undefined ? { db } : {}) };
  const url = flags.url ?? (env.REDIS_URL || undefined);
  if (url !== undefined) return { kind: 'url', url, from: flags.url !== undefined ? 'flag' : 'REDIS_URL', ...(db !== undefined ? { db } : {}) };
  if (db !== undefined) throw new ConnectError('url', '--db is for a real server: add --url or --engine redis-server');
  return { kind: 'bundled' };
}

export interface OpenOptions {
  /** Extra TLS options for rediss:// (a private CA); NODE_EXTRA_CA_CERTS works too. */
  readonly tls?: tls.ConnectionOptions;
  /** Where the record of keys on shared servers is kept (default: the config directory). */
  readonly recordFile?: string;
  readonly connectTimeoutMs?: number;
}

/**
 * Opens the chosen backend. A real server that cannot be used fails with a ConnectError whose
 * message says why and what to do (unreachable, password, TLS, cluster, replica, no such
 * database, no redis-server on PATH). The caller closes the backend: that also stops a private
 * server.
 */
export async function openBackend(choice: BackendChoice, options: OpenOptions = {}): Promise<Backend> {
  if (choice.kind === 'bundled') {
    const { BundledBackend } = await import('./bundled.js');
    return new BundledBackend();
  }
  const { RedisServerBackend } = await import('./redis.js');
  if (choice.kind === 'redis-server') {
    const { ManagedServer } = await import('./managed.js');
    const server = await ManagedServer.start();
    try {
      return await RedisServerBackend.open({
        endpoint: { host: '127.0.0.1', port: server.port },
        db: choice.db,
        process: server,
        ownsProcess: true,
        connectTimeoutMs: options.connectTimeoutMs,
      });
    } catch (e) {
      await server.stop();
      throw e;
    }
  }
  const { defaultRecordFile } = await import('./key-record.js');
  const endpoint = await endpointFromUrl(choice.url, options.tls);
  return RedisServerBackend.open({
    endpoint,
    db: choice.db ?? endpoint.db ?? 15,
    recordFile: options.recordFile ?? defaultRecordFile(),
    connectTimeoutMs: options.connectTimeoutMs,
  });
}

export interface LocalRedis {
  readonly url: string;
  /** It answered NOAUTH: the learner must give a password (redis://:PASSWORD@127.0.0.1:6379). */
  readonly needsPassword: boolean;
}

/**
 * Whether a Redis server answers on localhost:6379, for the start screen's "connect to
 * localhost:6379". It only sends PING (nothing is read or written there) and gives up after
 * `timeoutMs`.
 */
export function probeLocalRedis(options: { host?: string; port?: number; timeoutMs?: number } = {}): Promise<LocalRedis | undefined> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 6379;
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, host);
    const done = (result: LocalRedis | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(undefined), options.timeoutMs ?? 300);
    // Nothing listening, or not reachable: no Redis there.
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      if (!answer.includes('\r\n')) return;
      const url = `redis://${host}:${port}`;
      if (answer.startsWith('+PONG')) done({ url, needsPassword: false });
      else if (answer.startsWith('-NOAUTH')) done({ url, needsPassword: true });
      else done(undefined);
    });
  });
}
