import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err: Error) => console.error('Redis:', err.message));
await client.connect();

/** The slow database: the row's JSON text, or null when there is no such product. */
async function dbGet(id: string): Promise<string | null> {
  const res = await fetch(`${process.env.DB_URL}/products/${encodeURIComponent(id)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`database: ${res.status}`);
  return res.text();
}

/** Writes a row (JSON text) to the slow database. */
async function dbPut(id: string, text: string): Promise<void> {
  const res = await fetch(`${process.env.DB_URL}/products/${encodeURIComponent(id)}`, { method: 'PUT', body: text });
  if (!res.ok) throw new Error(`database: ${res.status}`);
}

/** The product's JSON text, or null when there is none. */
async function getProduct(id: string): Promise<string | null> {
  // TODO: cache-aside: Redis first (product:<id>); on a miss, the database, then cache it with a TTL.
  return dbGet(id);
}

/** Saves a product (JSON text). */
async function saveProduct(id: string, text: string): Promise<void> {
  // TODO: write the database, then invalidate the cached copy.
  await dbPut(id, text);
}

const server = http.createServer((req, res) => {
  const match = /^\/products\/([^/]+)$/.exec(req.url ?? '');
  if (!match) return void res.writeHead(404).end();
  const id = decodeURIComponent(match[1] ?? '');
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => { body += chunk; });
  req.on('end', async () => {
    try {
      if (req.method === 'GET') {
        const text = await getProduct(id);
        if (text === null) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(text);
      }
      if (req.method === 'PUT') {
        await saveProduct(id, body);
        return void res.writeHead(204).end();
      }
      res.writeHead(405).end();
    } catch (err) {
      console.error(err);
      res.writeHead(500).end();
    }
  });
});
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on port ${(server.address() as AddressInfo).port}`);
});
