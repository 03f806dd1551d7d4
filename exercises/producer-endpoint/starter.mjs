import http from 'node:http';
import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err) => console.error('Redis:', err.message));
await client.connect();

/** Answers with a status code and a JSON body. */
function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** POST /submit: `text` is the request's body. */
async function submit(text, res) {
  // TODO: parse the body (it may not be JSON: answer 400), check the four fields (400 if one is
  // missing), give the submission an id, LPUSH it onto `submissions` as JSON, answer 202 { id }.
  reply(res, 501, { error: 'not implemented yet' });
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/submit') return reply(res, 404, { error: 'not found' });
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { text += chunk; });
  req.on('end', () => {
    submit(text, res).catch((err) => {
      console.error(err);
      reply(res, 500, { error: 'internal error' });
    });
  });
});
server.listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on port ${server.address().port}`));
