/**
 * `redislings server`: the bundled engine over TCP, speaking RESP2 (RESP3 after HELLO 3), so
 * redis-cli, ioredis, node-redis or a teacher's script can use it as they would use Redis.
 * Defaults to 127.0.0.1:6380 so that it never collides with a real Redis on 6379.
 */
import net from 'node:net';
import { Engine } from '../engine/engine.js';
import { onShutdown } from '../engine/shutdown.js';
import { Connection, normalizeIp } from './connection.js';

export interface ServerOptions {
  /** 0 picks a free port (tests); the chosen one is in RunningServer.port. */
  readonly port?: number;
  readonly bind?: string;
  readonly engine?: Engine;
  /** Sets the engine's `requirepass`: clients must AUTH. */
  readonly requirepass?: string;
}

export interface RunningServer {
  readonly engine: Engine;
  readonly port: number;
  readonly host: string;
  readonly connections: ReadonlySet<Connection>;
  /** Resolves once the server has stopped, by close() or by a client's SHUTDOWN. */
  readonly stopped: Promise<void>;
  /** Closes every client, stops listening and closes the engine. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 6380;
export const DEFAULT_BIND = '127.0.0.1';

/** clientAcceptHandler's answer to a remote client while protected mode holds, word for word. */
export const PROTECTED_MODE_DENIED = '-DENIED Redis is running in protected mode because protected '
  + 'mode is enabled and no password is set for the default user. '
  + 'In this mode connections are only accepted from the loopback interface. '
  + 'If you want to connect from external computers to Redis you '
  + 'may adopt one of the following solutions: '
  + "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface "
  + 'by connecting to Redis from the same host the server is '
  + 'running, however MAKE SURE Redis is not publicly accessible '
  + 'from internet if you do so. Use CONFIG REWRITE to make this '
  + 'change permanent. '
  + '2) Alternatively you can just disable the protected mode by '
  + 'editing the Redis configuration file, and setting the protected '
  + "mode option to 'no', and then restarting the server. "
  + "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. "
  + '4) Setup a an authentication password for the default user. '
  + 'NOTE: You only need to do one of the above things in order for '
  + 'the server to start accepting connections from the outside.\r\n';

/** islocalClient: the loopback addresses. */
export function isLoopback(ip: string | undefined): boolean {
  const host = normalizeIp(ip ?? '');
  return host === '127.0.0.1' || host === '::1';
}

/**
 * Protected mode (Redis' default): with no password for the default user, only loopback clients
 * are served; others get the DENIED text and are closed.
 */
function denied(engine: Engine, socket: net.Socket): boolean {
  return engine.config.bool('protected-mode') && engine.config.get('requirepass') === '' && !isLoopback(socket.remoteAddress);
}

export function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const engine = options.engine ?? new Engine();
  // Replies are written per batch, after Connection.flush has called engine.beforeSleep() (the
  // AOF is written, and with appendfsync always fsynced, before any reply of the batch).
  engine.deferBeforeSleep = true;
  if (options.requirepass !== undefined) engine.config.setStartup('requirepass', options.requirepass);
  const connections = new Set<Connection>();
  const server = net.createServer((socket) => {
    if (denied(engine, socket)) {
      socket.on('error', () => socket.destroy());
      socket.end(PROTECTED_MODE_DENIED, 'latin1');
      return;
    }
    const connection = new Connection(engine, socket, (c) => connections.delete(c));
    connections.add(connection);
  });
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((done) => {
      server.close(() => done());
      for (const c of [...connections]) c.destroy();
      engine.close();
    }).then(stop);
    return closing;
  };
  // SHUTDOWN from a client: like Redis exiting, every connection drops, the caller's without a reply.
  onShutdown(engine, () => void close());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.bind ?? DEFAULT_BIND, () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      // CONFIG GET port / bind tell what this server listens on.
      engine.config.setStartup('port', String(address.port));
      engine.config.setStartup('bind', options.bind ?? DEFAULT_BIND);
      resolve({ engine, port: address.port, host: address.address, connections, stopped, close });
    });
  });
}
