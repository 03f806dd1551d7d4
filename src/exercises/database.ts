/**
 * The system of record behind the cache-aside exercise: a slow database the verifier runs as a
 * small HTTP service, so it can count exactly what the learner's program asks it for.
 *
 *   GET /products/:id  → 200 and the row as JSON, or 404     (after `latencyMs`)
 *   PUT /products/:id  → 204, the body (JSON) becomes the row (after `latencyMs`)
 */
import http from 'node:http';
import type net from 'node:net';

/** The rows of the cache-aside exercise's database. */
export const DATABASE_ROWS: Readonly<Record<string, unknown>> = {
  '42': { id: 42, name: 'desk lamp', price: 30 },
  '7': { id: 7, name: 'office chair', price: 120 },
};
/** Slow enough that a cache hit is plainly faster. */
export const DATABASE_LATENCY_MS = 200;

export interface SlowDatabase {
  readonly url: string;
  /** Reads per row id. */
  readonly reads: Map<string, number>;
  readonly writes: Map<string, number>;
  readonly rows: Map<string, string>;
  close(): Promise<void>;
}

export async function startSlowDatabase(rows: Readonly<Record<string, unknown>>, latencyMs: number): Promise<SlowDatabase> {
  const table = new Map(Object.entries(rows).map(([id, row]) => [id, JSON.stringify(row)]));
  const reads = new Map<string, number>();
  const writes = new Map<string, number>();
  const count = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const m = /^\/products\/([^/?]+)$/.exec(req.url ?? '');
        if (!m) return answer(res, 404, { error: 'no such route' });
        const id = decodeURIComponent(m[1] as string);
        if (req.method === 'GET') {
          count(reads, id);
          const row = table.get(id);
          if (row === undefined) return answer(res, 404, { error: `no product ${id}` });
          res.writeHead(200, { 'content-type': 'application/json' }).end(row);
          return;
        }
        if (req.method === 'PUT') {
          const body = Buffer.concat(chunks).toString('utf8');
          try {
            JSON.parse(body);
          } catch {
            // The learner's program sent something that is not JSON: tell it, store nothing.
            return answer(res, 400, { error: 'the body must be JSON' });
          }
          count(writes, id);
          table.set(id, body);
          res.writeHead(204).end();
          return;
        }
        answer(res, 405, { error: 'GET or PUT' });
      }, latencyMs);
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reads,
    writes,
    rows: table,
    close: () => new Promise<void>((resolve) => {
      // fetch() keeps connections alive; close them so the server stops at once.
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
