/**
 * Exercise `producer-endpoint`: the web side of the online judge. `POST /submit` with a JSON
 * submission queues it on `submissions` (LPUSH, so the workers' BRPOP takes the oldest first) and
 * answers 202 Accepted with the submission's id; a bad request is answered 400 and queues nothing.
 *
 * The verifier sends requests and looks at the queue: the right key, JSON with every field and
 * the id the answer gave, new submissions at the head, nothing queued for a bad request.
 */
import type { VerifyContext } from './context.js';
import type { Exercise } from './exercise.js';
import { type HttpResult, request, shown } from './http.js';
import type { LearnerProgram } from './program.js';

const QUEUE = 'submissions';
const FIELDS = ['problemId', 'userId', 'code', 'language'] as const;
type Submission = Record<(typeof FIELDS)[number], string>;

const FIRST: Submission = { problemId: 'two-sum', userId: 'ada', code: 'print(1 + 1)', language: 'python' };
const SECOND: Submission = { problemId: 'fizz-buzz', userId: 'grace', code: 'console.log("fizz")', language: 'javascript' };
/** A body cut short: not JSON. */
export const TRUNCATED_BODY = '{"problemId": "two-sum", "userId": "ada", "co';

export const producerEndpoint: Exercise = {
  id: 'producer-endpoint',
  title: 'A producer endpoint',
  keys: [QUEUE, 'submissions:next-id'],
  timeLimitMs: 60_000,
  needs: ['http'],
  async run(ctx) {
    const program = await ctx.start();
    await ctx.connected(program);
    await ctx.listening(program);
    const first = await queuesSubmission(ctx, program);
    await newestAtHead(ctx, program, first);
    await rejects(ctx, program, 'bad-json', 'answers 400 to a body that is not JSON, and queues nothing', TRUNCATED_BODY,
      'Parse the body inside try/catch; when JSON.parse throws, answer 400 and stop there.');
    const { code: _code, ...noCode } = FIRST;
    await rejects(ctx, program, 'missing-field', 'answers 400 to a submission without `code`, and queues nothing', JSON.stringify(noCode),
      'Check that each of problemId, userId, code and language is a string before queuing; otherwise answer 400.');
  },
};

/** POST /submit; a program that died on the way is a failure of `id`. */
async function submit(ctx: VerifyContext, program: LearnerProgram, id: string, title: string, body: string): Promise<HttpResult> {
  const port = ctx.port as number;
  const answer = await request({ port, method: 'POST', path: '/submit', body });
  // Give a crash after answering (or instead of answering) a moment to show.
  const exit = await program.waitForExit(100);
  if (exit) ctx.exitedWhile(id, title, 'it served POST /submit', exit, program);
  return answer;
}

function describe(answer: HttpResult): string {
  return answer.kind === 'error' ? `no answer (${answer.message})` : `${answer.status} ${shown(answer.body)}`;
}

async function queuesSubmission(ctx: VerifyContext, program: LearnerProgram): Promise<unknown> {
  const title = 'queues a submission on `submissions` as JSON and answers 202 with its id';
  const answer = await submit(ctx, program, 'submit', title, JSON.stringify(FIRST));
  const queued = await ctx.redis.texts('LRANGE', QUEUE, '0', '-1');
  if (queued.length !== 1) {
    const elsewhere = (await ctx.otherKeys(producerEndpoint.keys)).join(', ');
    ctx.fail({
      id: queued.length === 0 ? 'key' : 'submit', title,
      expected: `one submission in the list \`${QUEUE}\``,
      seen: `${queued.length === 0 ? 'nothing' : `${queued.length} elements`} in \`${QUEUE}\`${elsewhere ? `; the program wrote ${elsewhere}` : ''} (the answer: ${describe(answer)})`,
      hint: `The workers read \`${QUEUE}\`: \`await client.lPush('${QUEUE}', JSON.stringify(job))\`.`,
    });
  }
  const job = parseQueued(ctx, title, queued[0] as string);
  const changed = FIELDS.filter((f) => job[f] !== FIRST[f]);
  if (changed.length > 0 || !('id' in job)) {
    ctx.fail({
      id: 'fields', title,
      expected: `the queued JSON to hold the submission's ${FIELDS.join(', ')} as sent, and its id`,
      seen: shown(queued[0] as string, 200),
      hint: changed.length > 0 ? `Missing or changed: ${changed.join(', ')}.` : 'Add the id you give the submission to the queued JSON.',
    });
  }
  if (answer.kind === 'error' || answer.status !== 202) {
    ctx.fail({
      id: 'status', title,
      expected: 'the answer 202 Accepted',
      seen: describe(answer),
      hint: 'The submission is queued, not judged yet: 202 Accepted says exactly that. `res.writeHead(202, …)`, '
        + 'or `res.status(202)` with express.',
    });
  }
  const answered = parseAnswer(answer.body);
  if (answered === undefined || !('id' in answered) || JSON.stringify(answered.id) !== JSON.stringify(job.id)) {
    ctx.fail({
      id: 'answer', title,
      expected: `a JSON answer with the submission's id, ${JSON.stringify({ id: job.id })}`,
      seen: shown(answer.body),
      hint: 'The client uses the id to ask for its result later: answer `JSON.stringify({ id })`.',
    });
  }
  ctx.pass('submit', title);
  return job.id;
}

async function newestAtHead(ctx: VerifyContext, program: LearnerProgram, firstId: unknown): Promise<void> {
  const title = 'queues the newest submission at the head (LPUSH), each with its own id';
  const answer = await submit(ctx, program, 'lpush', title, JSON.stringify(SECOND));
  const queued = await ctx.redis.texts('LRANGE', QUEUE, '0', '-1');
  if (queued.length !== 2) {
    ctx.fail({ id: 'lpush', title, expected: `two submissions in \`${QUEUE}\``, seen: `${queued.length} (the answer: ${describe(answer)})` });
  }
  const head = parseQueued(ctx, title, queued[0] as string);
  if (head.problemId !== SECOND.problemId) {
    ctx.fail({
      id: 'lpush', title,
      expected: `the second submission (${SECOND.problemId}) at the head of \`${QUEUE}\``,
      seen: `it is at the tail, where the workers' BRPOP would take it before the first`,
      hint: 'The workers take from the tail (BRPOP); new submissions go in at the head: LPUSH, not RPUSH.',
    });
  }
  if (JSON.stringify(head.id) === JSON.stringify(firstId)) {
    ctx.fail({
      id: 'unique-id', title,
      expected: 'a new id for each submission',
      seen: `both have the id ${JSON.stringify(firstId)}`,
      hint: 'INCR is atomic: `await client.incr(\'submissions:next-id\')` never gives the same number twice, '
        + 'whichever server process asks.',
    });
  }
  ctx.pass('lpush', title);
}

async function rejects(ctx: VerifyContext, program: LearnerProgram, id: string, title: string, body: string, hint: string): Promise<void> {
  const before = await ctx.redis.integer('LLEN', QUEUE);
  const answer = await submit(ctx, program, id, title, body);
  const after = await ctx.redis.integer('LLEN', QUEUE);
  if (answer.kind === 'error' || answer.status !== 400 || after !== before) {
    ctx.fail({
      id, title,
      expected: `the answer 400 and nothing queued, for the body ${shown(body)}`,
      seen: `${describe(answer)}${after !== before ? `, and ${after - before} element(s) queued` : ''}`,
      hint,
    });
  }
  ctx.pass(id, title);
}

function parseQueued(ctx: VerifyContext, title: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the failure says what the element holds.
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.fail({
      id: 'json', title,
      expected: 'the queued element to be the submission as a JSON object',
      seen: shown(text, 200),
      hint: text === '[object Object]'
        ? 'An object passed as a string becomes "[object Object]": queue `JSON.stringify(job)`.'
        : 'Queue `JSON.stringify(job)`: the workers JSON.parse what they pop.',
    });
  }
  return value as Record<string, unknown>;
}

function parseAnswer(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    // Not JSON: the caller reports the body as it is.
    return undefined;
  }
}
