/**
 * Exercise `queue-worker`: the worker of an online judge. Submissions arrive as JSON on the list
 * `submissions` (LPUSH at the head); the worker takes them from the tail with BRPOP, runs them and
 * appends each result to `results`.
 *
 * The checks, in order: it connects; with an empty queue it waits inside a blocking pop instead
 * of polling (INFO commandstats counts its calls, CLIENT LIST shows it blocked); three jobs pushed
 * at once come out first in, first out; a job that is not JSON goes to `failed` and the worker
 * carries on; SIGTERM during a job lets that job finish, takes no new one and exits with 0; and,
 * started again, SIGTERM while it waits idle stops it promptly too.
 */
import type { VerifyContext } from './context.js';
import { type Exercise, job, type Job } from './exercise.js';
import type { LearnerProgram } from './program.js';
import { ids, listsHolding, readResults } from './results.js';

const QUEUE = 'submissions';
const FAILED = 'failed';
/** How long the verifier watches an idle worker. */
const IDLE_MS = 1200;
/** More commands than this while idle is polling (a blocking pop with a 1 s timeout makes ~2). */
const IDLE_CALLS_LIMIT = 20;
const JOB_TIMEOUT_MS = 5000;
const EXIT_TIMEOUT_MS = 3000;
export const MALFORMED_JOB = 'this is {not JSON';

export const queueWorker: Exercise = {
  id: 'queue-worker',
  title: 'A queue worker',
  keys: [QUEUE, 'results', FAILED],
  timeLimitMs: 60_000,
  async run(ctx) {
    const program = await ctx.start();
    await ctx.connected(program);
    await waitsIdle(ctx, program);
    await firstInFirstOut(ctx, program);
    await survivesBadJson(ctx, program);
    await stopsAfterCurrentJob(ctx, program);
    await stopsWhenIdle(ctx);
  },
};

async function waitsIdle(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'waits for jobs inside a blocking pop (BRPOP) while the queue is empty';
  const before = await ctx.commandCalls();
  let blocked = false;
  const until = Date.now() + IDLE_MS;
  while (Date.now() < until) {
    if ((await ctx.blockedClients(program)).length > 0) blocked = true;
    await ctx.sleep(100);
  }
  const calls = ctx.callsBetween(before, await ctx.commandCalls());
  if (program.exit) ctx.exitedWhile('waits', title, 'the queue is empty', program.exit, program);
  const total = [...calls.values()].reduce((a, b) => a + b, 0);
  const seen = [...calls].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, n]) => `${name.toUpperCase()} ×${n}`).join(', ');
  if (total > IDLE_CALLS_LIMIT) {
    ctx.fail({
      id: 'busy-poll', title,
      expected: `an idle worker waiting in BRPOP (a command or two per second)`,
      seen: `${total} commands in ${IDLE_MS / 1000} s with an empty queue: ${seen}`,
      hint: 'That is busy polling: it keeps Redis and the CPU busy for nothing. BRPOP waits inside Redis '
        + 'until a job arrives or its timeout passes: `await client.brPop(\'submissions\', 1)`.',
    });
  }
  if (!blocked) {
    ctx.fail({
      id: 'blocks', title,
      expected: 'the worker blocked in BRPOP on `submissions` (CLIENT LIST shows it waiting)',
      seen: total === 0 ? 'no command at all while idle' : `never blocked; it sent ${seen}`,
      hint: 'Polling with a pause (RPOP, then sleep) delays every job by up to the pause. '
        + 'BRPOP returns the moment a job arrives: `await client.brPop(\'submissions\', 1)`.',
    });
  }
  ctx.pass('waits', title);
}

async function firstInFirstOut(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'processes jobs in the order they were submitted (first in, first out)';
  const jobs = [job(1), job(2), job(3)];
  // One LPUSH: the worker finds three jobs waiting, 1 at the tail and 3 at the head.
  await ctx.redis.ok('LPUSH', QUEUE, ...jobs.map(payload));
  const results = await resultsFor(ctx, program, jobs, 'three jobs wait in the queue');
  const order = results.map((r) => r.id).filter((id) => id <= 3);
  if (order.join() !== '1,2,3') {
    ctx.fail({
      id: 'fifo', title,
      expected: 'results for jobs 1, 2, 3 in this order (pushed with LPUSH in that order)',
      seen: `results for jobs ${ids(results)}`,
      hint: order.join() === '3,2,1'
        ? 'Last in, first out: LPUSH adds jobs at the head of the list, so the oldest is at the tail. '
          + 'Take jobs from the tail with BRPOP (and append results with RPUSH).'
        : 'Take one job at a time from the tail of `submissions` (BRPOP), and finish it before the next.',
    });
  }
  ctx.pass('fifo', title);
}

async function survivesBadJson(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'survives a job that is not JSON: keeps it in `failed` and goes on';
  const next = job(4);
  // The malformed job at the tail: it is taken first, job 4 right after.
  await ctx.redis.ok('LPUSH', QUEUE, MALFORMED_JOB, payload(next));
  const polled = await ctx.poll(program, JOB_TIMEOUT_MS, async () => {
    const results = await readResults(ctx);
    return results.some((r) => r.id === 4) ? results : undefined;
  });
  if (polled.kind === 'exited') {
    ctx.fail({
      id: 'bad-json', title,
      expected: `the worker to skip the job ${JSON.stringify(MALFORMED_JOB)} and go on with job 4`,
      seen: `it died on it: it ${polled.exit.signal ? `was ended by ${polled.exit.signal}` : `exited with code ${polled.exit.code}`}`,
      hint: 'JSON.parse throws on text that is not JSON. Catch that error for this one job '
        + '(try { job = JSON.parse(text) } catch { … }) so one bad submission cannot stop the judge.',
    });
  }
  if (polled.kind === 'timeout') {
    const waiting = await ctx.redis.integer('LLEN', QUEUE);
    ctx.fail({
      id: 'bad-json', title,
      expected: `job 4 processed after the malformed job ${JSON.stringify(MALFORMED_JOB)}`,
      seen: `no result for job 4 within ${JOB_TIMEOUT_MS / 1000} s (${waiting} job(s) still in \`${QUEUE}\`)`,
      hint: 'After a job that cannot be parsed, the loop must go on to the next job.',
    });
  }
  const failed = await ctx.redis.texts('LRANGE', FAILED, '0', '-1');
  if (!failed.includes(MALFORMED_JOB)) {
    const where = await listsHolding(ctx, MALFORMED_JOB);
    ctx.fail({
      id: 'dead-letter', title,
      expected: `the malformed job kept as it was, in the list \`${FAILED}\``,
      seen: where.length > 0 ? `it is in ${where.map((k) => `\`${k}\``).join(', ')}` : 'it was dropped',
      hint: `A job you cannot run must not vanish: RPUSH the text to \`${FAILED}\` so someone can look at it.`,
    });
  }
  ctx.pass('bad-json', title);
}

async function stopsAfterCurrentJob(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'on SIGTERM, finishes the job in hand, takes no new one, and exits with code 0';
  const current = job(5, 700);
  const next = job(6);
  // Job 5 at the tail (taken first and slow), job 6 waiting behind it.
  await ctx.redis.ok('LPUSH', QUEUE, payload(current), payload(next));
  const taken = await ctx.poll(program, JOB_TIMEOUT_MS, async () => {
    const queued = await ctx.redis.texts('LRANGE', QUEUE, '0', '-1');
    return queued.includes(payload(current)) ? undefined : true;
  }, 10);
  if (taken.kind === 'exited') ctx.exitedWhile('sigterm', title, 'jobs wait in the queue', taken.exit, program);
  if (taken.kind === 'timeout') {
    ctx.fail({ id: 'sigterm', title, expected: 'job 5 taken from the queue', seen: `still there after ${JOB_TIMEOUT_MS / 1000} s` });
  }
  program.signal('SIGTERM');
  const exit = await program.waitForExit(EXIT_TIMEOUT_MS + current.durationMs);
  const results = await readResults(ctx);
  if (!exit) {
    ctx.fail({
      id: 'sigterm', title,
      expected: `the worker to exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM, after finishing job 5`,
      seen: `still running ${(EXIT_TIMEOUT_MS + current.durationMs) / 1000} s later (results: ${ids(results)})`,
      hint: 'Handle SIGTERM (process.on(\'SIGTERM\', …)): set a flag that the loop checks before taking '
        + 'the next job, then close the client so the program can end.',
    });
  }
  if (!results.some((r) => r.id === 5)) {
    ctx.fail({
      id: 'finish-job', title,
      expected: 'job 5, in progress when SIGTERM came, finished (its result in `results`) before the worker exits',
      seen: `the worker ${exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`} in the middle of job 5, which is lost`,
      hint: 'Without a handler, SIGTERM ends Node at once. Handle it: note that a stop was asked for, '
        + 'let the current job finish, and leave the loop before the next BRPOP.',
    });
  }
  const queued = await ctx.redis.texts('LRANGE', QUEUE, '0', '-1');
  if (!queued.includes(payload(next))) {
    const ran = results.some((r) => r.id === 6);
    ctx.fail({
      id: 'no-new-job', title,
      expected: 'job 6 left in `submissions` for the next worker',
      seen: ran ? 'the worker took job 6 after SIGTERM' : 'job 6 was taken after SIGTERM and lost',
      hint: 'Check the stop flag before each BRPOP, not only after it.',
    });
  }
  if (exit.code !== 0) {
    ctx.fail({
      id: 'exit-code', title,
      expected: 'exit code 0 (a clean stop)',
      seen: exit.signal ? `ended by ${exit.signal}` : `exit code ${exit.code}`,
      hint: 'Leave the loop, close the client (`await client.close()`), and let the program end; '
        + 'or call process.exit(0) once the job is recorded.',
    });
  }
  ctx.pass('sigterm', title);
}

async function stopsWhenIdle(ctx: VerifyContext): Promise<void> {
  const title = 'on SIGTERM while waiting for jobs, exits promptly with code 0';
  await ctx.redis.ok('DEL', QUEUE);
  const program = await ctx.start();
  await ctx.connected(program);
  const blocked = await ctx.poll(program, JOB_TIMEOUT_MS, async () => ((await ctx.blockedClients(program)).length > 0 ? true : undefined));
  if (blocked.kind === 'exited') ctx.exitedWhile('sigterm-idle', title, 'the queue is empty', blocked.exit, program);
  if (blocked.kind === 'timeout') {
    ctx.fail({ id: 'sigterm-idle', title, expected: 'the restarted worker waiting in BRPOP', seen: 'it never blocked' });
  }
  program.signal('SIGTERM');
  const exit = await program.waitForExit(EXIT_TIMEOUT_MS);
  if (!exit) {
    ctx.fail({
      id: 'sigterm-idle', title,
      expected: `the idle worker to exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM`,
      seen: 'still running: it waits for a job that may never come',
      hint: 'A BRPOP with timeout 0 waits forever. Give it a timeout of a second, so the loop looks at '
        + 'the stop flag at least once a second.',
    });
  }
  if (exit.code !== 0) {
    ctx.fail({
      id: 'sigterm-idle', title,
      expected: 'exit code 0',
      seen: exit.signal ? `ended by ${exit.signal}` : `exit code ${exit.code}`,
      hint: 'Leave the loop, close the client, and let the program end.',
    });
  }
  ctx.pass('sigterm-idle', title);
}

/** Waits until every one of `jobs` has a result; fails when that does not happen. */
async function resultsFor(ctx: VerifyContext, program: LearnerProgram, jobs: readonly Job[], doing: string) {
  const title = 'records each result in the list `results`';
  const timeout = JOB_TIMEOUT_MS + jobs.reduce((n, j) => n + j.durationMs, 0);
  const polled = await ctx.poll(program, timeout, async () => {
    const results = await readResults(ctx);
    return jobs.every((j) => results.some((r) => r.id === j.id)) ? results : undefined;
  });
  if (polled.kind === 'exited') ctx.exitedWhile('results', title, doing, polled.exit, program);
  if (polled.kind === 'timeout') {
    const results = await readResults(ctx);
    const left = await ctx.redis.integer('LLEN', QUEUE);
    ctx.fail({
      id: 'results', title,
      expected: `results for jobs ${ids(jobs)} within ${timeout / 1000} s`,
      seen: `results for ${ids(results)}; ${left} job(s) still in \`${QUEUE}\``,
      hint: left === jobs.length
        ? 'No job was taken: pop them from `submissions` with BRPOP.'
        : 'Jobs were taken but their results are missing: RPUSH each to `results` as '
          + '`JSON.stringify({ id: job.id, verdict })`.',
    });
  }
  return polled.value;
}

function payload(j: Job): string {
  return JSON.stringify(j);
}
