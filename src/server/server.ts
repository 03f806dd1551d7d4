/**
 * `redislings server`: the bundled engine over TCP, speaking RESP2 (RESP3 after HELLO 3), so
 * redis-cli, ioredis, node-redis or a teacher's script can use it as they would use Redis.
 * Defaults to 127.0.0.1:6380 so that it never collides with a real Redis on 6379.
 */
import net from 'node:net';
import { Engine } from '../engine/engine.js';
import { Connection } from './connection.js';

export interface ServerOptions {
  readonly port?: number;
  readonly bind?: string;
  readonly engine?: Engine;
}

export interface RunningServer {
  readonly engine: Engine;
  readonly port: number;
  readonly host: string;
  readonly connections: ReadonlySet<Connection>;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 6380;

export function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const engine = options.engine ?? new Engine();
  const connections = new Set<Connection>();
  const server = net.createServer((socket) => {
    const connection = new Connection(engine, socket, (c) => connections.delete(c));
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.bind ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      resolve({
        engine,
        port: address.port,
        host: address.address,
        connections,
        close: () => new Promise<void>((done) => {
          for (const c of connections) c.close();
          server.close(() => done());
          engine.close();
        }),
      });
    });
  });
}
