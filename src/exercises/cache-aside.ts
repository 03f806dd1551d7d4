/**
 * Exercise `cache-aside`: a read path with Redis in front of a slow database. `GET /products/:id`
 * looks in Redis first (`product:<id>`); on a miss it reads the database and stores the row with a
 * TTL. `PUT /products/:id` writes the database and invalidates the cached copy.
 *
 * The database is the verifier's (database.ts): it counts every read and write, so a hit is proved
 * by the database not being asked, not by what the program says.
 */
import type { VerifyContext } from './context.js';
import type { Exercise } from './exercise.js';
import { type HttpResult, request, shown } from './http.js';
import type { LearnerProgram } from './program.js';
import { DATABASE_LATENCY_MS, DATABASE_ROWS } from './database.js';

const ID = '42';
const KEY = `product:${ID}`;
const MAX_TTL_S = 3600;
const UPDATED = { id: 42, name: 'desk lamp', price: 25 };

export const cacheAside: Exercise = {
  id: 'cache-aside',
  title: 'A cache-aside read path',
  keys: [KEY, 'product:7', 'product:404'],
  timeLimitMs: 60_000,
  needs: ['http', 'database'],
  async run(ctx) {
    const program = await ctx.start();
    await ctx.connected(program);
    await ctx.listening(program);
    await missFillsCache(ctx, program);
    await hitSkipsDatabase(ctx, program);
    await writeInvalidates(ctx, program);
    await unknownIs404(ctx, program);
  },
};

async function get(ctx: VerifyContext, program: LearnerProgram, id: string, check: string, title: string): Promise<HttpResult> {
  const answer = await request({ port: ctx.port as number, method: 'GET', path: `/products/${id}` });
  const exit = await program.waitForExit(50);
  if (exit) ctx.exitedWhile(check, title, `it served GET /products/${id}`, exit, program);
  return answer;
}

function describe(answer: HttpResult): string {
  return answer.kind === 'error' ? `no answer (${answer.message})` : `${answer.status} ${shown(answer.body)}`;
}

/** The answer is 200 with this row as JSON; otherwise a failure of `check`. */
function expectRow(ctx: VerifyContext, answer: HttpResult, row: unknown, check: string, title: string, hint: string): void {
  if (answer.kind === 'response' && answer.status === 200 && sameJson(answer.body, row)) return;
  ctx.fail({ id: check, title, expected: `200 and the product, ${JSON.stringify(row)}`, seen: describe(answer), hint });
}

async function missFillsCache(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = `on a miss, reads the database and keeps the row in \`${KEY}\` with a TTL`;
  const db = ctx.database;
  if (!db) throw new Error('cache-aside needs its database');
  const row = DATABASE_ROWS[ID];
  const answer = await get(ctx, program, ID, 'miss', title);
  expectRow(ctx, answer, row, 'miss', title,
    'On a miss, read the row from the database (`await dbGet(id)`) and answer it as it is.');
  const cached = await ctx.redis.call('GET', KEY);
  if (cached.kind === 'error' || cached.kind === 'null') {
    const type = await ctx.redis.text('TYPE', KEY);
    ctx.fail({
      id: 'fills-cache', title,
      expected: `the row cached as JSON text in \`${KEY}\` after the first read`,
      seen: type === 'none' ? `no key \`${KEY}\`${await wrote(ctx)}` : `\`${KEY}\` is a ${type}`,
      hint: 'After reading the database, store the row under `product:<id>`: `await client.set(key, text, { EX: 3600 })`.',
    });
  }
  const cachedText = await ctx.redis.text('GET', KEY) ?? '';
  if (!sameJson(cachedText, row)) {
    ctx.fail({
      id: 'fills-cache', title,
      expected: `\`${KEY}\` to hold the row, ${JSON.stringify(row)}`,
      seen: shown(cachedText),
      hint: 'Cache the row as the database gave it (JSON text).',
    });
  }
  const ttl = await ctx.redis.integer('TTL', KEY);
  if (ttl < 0 || ttl > MAX_TTL_S) {
    ctx.fail({
      id: 'ttl', title,
      expected: `\`${KEY}\` to expire within an hour (TTL 1 to ${MAX_TTL_S} s)`,
      seen: ttl < 0 ? 'no TTL: it stays forever' : `a TTL of ${ttl} s`,
      hint: 'A TTL bounds how long a copy the invalidation missed can be wrong, and lets unused rows leave '
        + 'memory: `client.set(key, text, { EX: 3600 })`.',
    });
  }
  ctx.pass('miss', title);
}

async function hitSkipsDatabase(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'on a hit, answers from Redis without asking the database';
  const db = ctx.database;
  if (!db) throw new Error('cache-aside needs its database');
  const before = db.reads.get(ID) ?? 0;
  const answer = await get(ctx, program, ID, 'hit', title);
  expectRow(ctx, answer, DATABASE_ROWS[ID], 'hit', title, 'A hit answers what Redis holds, as it is.');
  const reads = (db.reads.get(ID) ?? 0) - before;
  if (reads > 0) {
    ctx.fail({
      id: 'hit', title,
      expected: `no database read for product ${ID}: it is in \`${KEY}\``,
      seen: `${reads} database read${reads > 1 ? 's' : ''} (the answer took ${answer.kind === 'response' ? answer.ms : '?'} ms; the database alone takes ${DATABASE_LATENCY_MS})`,
      hint: 'Look in Redis first (`await client.get(key)`, key `product:<id>`) and answer what it has; read the database only when it answers null.',
    });
  }
  ctx.pass('hit', title);
}

async function writeInvalidates(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = `on a write, updates the database and invalidates \`${KEY}\`; the next read sees the new row`;
  const db = ctx.database;
  if (!db) throw new Error('cache-aside needs its database');
  const answer = await request({ port: ctx.port as number, method: 'PUT', path: `/products/${ID}`, body: JSON.stringify(UPDATED) });
  const exit = await program.waitForExit(50);
  if (exit) ctx.exitedWhile('invalidate', title, `it served PUT /products/${ID}`, exit, program);
  if (answer.kind === 'error' || answer.status < 200 || answer.status > 299) {
    ctx.fail({ id: 'write', title, expected: 'a 2xx answer to PUT', seen: describe(answer) });
  }
  if (!sameJson(db.rows.get(ID) ?? '', UPDATED)) {
    ctx.fail({
      id: 'write', title,
      expected: `the database row ${ID} updated to ${JSON.stringify(UPDATED)}`,
      seen: `it holds ${shown(db.rows.get(ID) ?? '')}`,
      hint: 'The database is the truth: write it first (`await dbPut(id, text)`), then invalidate the cache.',
    });
  }
  const cached = await ctx.redis.text('GET', KEY);
  if (cached !== undefined && !sameJson(cached, UPDATED)) {
    ctx.fail({
      id: 'invalidate', title,
      expected: `\`${KEY}\` deleted (or replaced by the new row) once the database is written`,
      seen: `it still holds the old row, ${shown(cached)}: readers get the old price for up to ${await ctx.redis.integer('TTL', KEY)} s more`,
      hint: 'After writing the database, delete the cached copy: `await client.del(key)`, key `product:<id>`.',
    });
  }
  const next = await get(ctx, program, ID, 'invalidate', title);
  expectRow(ctx, next, UPDATED, 'invalidate', title, 'A read after a write must give the new row.');
  ctx.pass('invalidate', title);
}

async function unknownIs404(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'answers 404 for a product the database does not have';
  const answer = await get(ctx, program, '404', 'not-found', title);
  if (answer.kind === 'error' || answer.status !== 404) {
    ctx.fail({
      id: 'not-found', title,
      expected: '404',
      seen: describe(answer),
      hint: 'dbGet answers null for a row that does not exist: answer 404 then (and cache nothing, or the text "null").',
    });
  }
  ctx.pass('not-found', title);
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return canonical(JSON.parse(text)) === canonical(value);
  } catch {
    // Not JSON: not the same.
    return false;
  }
}

/** JSON with sorted keys: key order and spacing do not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** "; the program wrote `products:42` (hash)" when it used other keys. */
async function wrote(ctx: VerifyContext): Promise<string> {
  const others = await ctx.otherKeys(cacheAside.keys);
  return others.length > 0 ? `; the program wrote ${others.join(', ')}` : '';
}
