/**
 * Where a real Redis server is and how to reach it: host and port (or a unix socket), TLS, the
 * user and password. Read from a URL by ioredis' own parser (redis://, rediss://, user:password@,
 * /db, ?query), so the admin connection (ioredis) and the lesson connections (raw RESP, see
 * resp-connection.ts) reach the same server the same way.
 *
 * Also here: turning what goes wrong while connecting into a message a learner can act on
 * (ConnectError), in one place for both kinds of connection.
 */
import net from 'node:net';
import tls from 'node:tls';
import { loadIoredis } from './ioredis.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** A unix socket instead of host:port. */
  readonly path?: string;
  /** TLS options; undefined for plain TCP. */
  readonly tls?: tls.ConnectionOptions;
  readonly username?: string;
  readonly password?: string;
  /** The database the URL names (redis://host/3), if it names one. */
  readonly db?: number;
}

export type ConnectFailure =
  | 'url' | 'unreachable' | 'timeout' | 'auth' | 'tls' | 'protocol' | 'forbidden' | 'db'
  | 'cluster' | 'replica' | 'no-redis-server' | 'lost';

/** Connecting failed; `message` is written for the learner and says what to do. */
export class ConnectError extends Error {
  constructor(readonly kind: ConnectFailure, message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/** "127.0.0.1:6379", "rediss://cache.example.com:6380", "/tmp/redis.sock". */
export function describeEndpoint(e: Endpoint): string {
  if (e.path) return e.path;
  const address = `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
  return e.tls ? `rediss://${address}` : address;
}

/**
 * Reads a redis:// or rediss:// URL with ioredis' parser (the options an ioredis client built from
 * it would use). `extraTls` adds TLS options, such as a CA for a private certificate.
 */
export async function endpointFromUrl(url: string, extraTls?: tls.ConnectionOptions): Promise<Endpoint> {
  if (!/^rediss?:\/\//i.test(url) && !url.startsWith('/')) {
    throw new ConnectError('url', `not a Redis URL: ${url} (expected redis://[user:password@]host:port[/db], rediss://… for TLS, or a unix socket path)`);
  }
  const Redis = await loadIoredis();
  let options: InstanceType<typeof Redis>['options'];
  try {
    const parser = new Redis(url, { lazyConnect: true });
    options = parser.options;
    parser.disconnect();
  } catch (e) {
    throw new ConnectError('url', `not a Redis URL: ${url} (${e instanceof Error ? e.message : String(e)})`, e);
  }
  const dbText = options.db as unknown;
  const db = dbText === undefined ? undefined : Number(dbText);
  if (db !== undefined && (!Number.isInteger(db) || db < 0)) {
    throw new ConnectError('url', `the database in ${url} is not a number: ${String(dbText)}`);
  }
  const tlsOptions = options.tls || extraTls ? { ...(typeof options.tls === 'object' ? options.tls : {}), ...extraTls } : undefined;
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 6379,
    ...(options.path ? { path: options.path } : {}),
    ...(tlsOptions ? { tls: tlsOptions } : {}),
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
    // ioredis puts 0 when the URL names none; only a path (/3) names one.
    ...(/^rediss?:\/\/[^/]*\/\d/i.test(url) && db !== undefined ? { db } : {}),
  };
}

/**
 * A connected socket (the TLS handshake done, for TLS), or a ConnectError saying why not.
 */
export function openSocket(e: Endpoint, timeoutMs = 5000): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const target = e.path ? { path: e.path } : { host: e.host, port: e.port };
    const socket = e.tls
      ? tls.connect({ ...target, servername: e.path || net.isIP(e.host) ? undefined : e.host, ...e.tls })
      : net.connect(target);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError('timeout', `no answer from ${describeEndpoint(e)} within ${timeoutMs / 1000} s${e.tls ? ' (is it a TLS port? a plain one never finishes the TLS handshake)' : ''}`));
    }, timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(explainConnectError(err, e));
    };
    socket.once('error', fail);
    socket.once(e.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      resolve(socket);
    });
  });
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME|ALTNAME/;

/** A socket error or an error reply met while connecting, as a ConnectError for the learner. */
export function explainConnectError(err: unknown, e: Endpoint): ConnectError {
  if (err instanceof ConnectError) return err;
  const where = describeEndpoint(e);
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ENOENT') {
    return new ConnectError('unreachable', `nothing answers at ${where} (connection refused). Is redis-server running there? (for example: docker run -p 6379:6379 redis)`, err);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectError('unreachable', `no such host: ${e.host} (${code})`, err);
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ConnectError('unreachable', `${where} cannot be reached (${code})`, err);
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(message)) {
    return new ConnectError('tls', `TLS with ${where} failed: ${message}${code ? ` (${code})` : ''}. ` +
      'For a certificate of your own, point NODE_EXTRA_CA_CERTS at its CA file; for a server without TLS, use redis:// instead of rediss://.', err);
  }
  if (message.startsWith('NOAUTH')) {
    return new ConnectError('auth', `${where} asks for a password: put it in the URL, redis://:PASSWORD@host:port (or redis://USER:PASSWORD@host:port for an ACL user)`, err);
  }
  if (message.startsWith('WRONGPASS')) {
    return new ConnectError('auth', `${where} refused the user name or password (${message})`, err);
  }
  if (/AUTH.*without any password configured/i.test(message)) {
    return new ConnectError('auth', `the URL gives a password but ${where} has none configured: remove it from the URL (${message})`, err);
  }
  if (message.startsWith('NOPERM')) {
    return new ConnectError('forbidden', `the user may not run what redislings needs on ${where}: ${message}`, err);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /closed/i.test(message)) {
    return new ConnectError('lost', `${where} closed the connection${e.tls ? '' : ' (if it is a TLS port, use rediss://)'}: ${message}`, err);
  }
  return new ConnectError('unreachable', `cannot connect to ${where}: ${message}`, err);
}
