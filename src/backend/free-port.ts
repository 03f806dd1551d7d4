/**
 * A TCP port free on 127.0.0.1 now: the OS picks one for a listener that is closed at once. For a
 * private redis-server, a bundled server for a verification, a learner program's HTTP port.
 */
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
