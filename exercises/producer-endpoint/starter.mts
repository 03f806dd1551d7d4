import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';

interface Submission {
  problemId: string;
  userId: string;
  code: string;
  language: string;
}

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err: Error) => console.error('Redis:', err.message));
await client.connect();

/** Answers with a status code and a JSON body. */
function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** POST /submit: `text` is the request's body. */
async function submit(text: string, res: http.ServerResponse): Promise<void> {
  // TODO: parse the body (it may not be JSON: answer 400), check the four fields (400 if one is
  // missing), give the submission an id, LPUSH it onto `submissions` as JSON, answer 202 { id }.
  reply(res, 501, { error: 'not implemented yet' });
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/submit') return reply(res, 404, { error: 'not found' });
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => { text += chunk; });
  req.on('end', () => {
    submit(text, res).catch((err: unknown) => {
      console.error(err);
      reply(res, 500, { error: 'internal error' });
    });
  });
});
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on port ${(server.address() as AddressInfo).port}`);
});
