/**
 * Exercise `reliable-worker`: the reliable queue pattern. BLMOVE takes a job from `submissions`
 * and keeps it in `processing` in one atomic step; the worker removes it from there (its
 * acknowledgement) only once the result is recorded. A worker killed mid-job leaves the job in
 * `processing`, and the next worker to start runs it.
 *
 * The verifier watches the job's place while it runs, kills the worker with SIGKILL in the middle
 * of a slow job (a crash), starts it again and expects the interrupted job to be run.
 */
import type { VerifyContext } from './context.js';
import { type Exercise, job, type Job } from './exercise.js';
import type { LearnerProgram } from './program.js';
import { ids, listsHolding, readResults } from './results.js';

const QUEUE = 'submissions';
const PROCESSING = 'processing';
const JOB_TIMEOUT_MS = 5000;
/** The commands that move a job from one list to another. */
const MOVES = ['blmove', 'lmove', 'brpoplpush', 'rpoplpush'];

export const reliableWorker: Exercise = {
  id: 'reliable-worker',
  title: 'A reliable worker (LMOVE and acknowledgement)',
  keys: [QUEUE, PROCESSING, 'results'],
  timeLimitMs: 60_000,
  async run(ctx) {
    const program = await ctx.start();
    await ctx.connected(program);
    const first = await keepsJobWhileRunning(ctx, program);
    await acknowledges(ctx, program, first);
    await recoversAfterCrash(ctx, program);
  },
};

/** Pushes a job and waits until it has left `submissions`; then tells which lists hold it. */
async function take(ctx: VerifyContext, program: LearnerProgram, j: Job, check: string, title: string): Promise<string[]> {
  await ctx.redis.ok('LPUSH', QUEUE, payload(j));
  const taken = await ctx.poll(program, JOB_TIMEOUT_MS, async () => {
    const queued = await ctx.redis.texts('LRANGE', QUEUE, '0', '-1');
    return queued.includes(payload(j)) ? undefined : true;
  }, 10);
  if (taken.kind === 'exited') ctx.exitedWhile(check, title, `job ${j.id} waits in the queue`, taken.exit, program);
  if (taken.kind === 'timeout') {
    ctx.fail({
      id: check, title,
      expected: `job ${j.id} taken from \`${QUEUE}\``,
      seen: `still there after ${JOB_TIMEOUT_MS / 1000} s`,
      hint: `Take jobs with \`await client.blMove('${QUEUE}', '${PROCESSING}', 'RIGHT', 'LEFT', 1)\`.`,
    });
  }
  return listsHolding(ctx, payload(j));
}

async function keepsJobWhileRunning(ctx: VerifyContext, program: LearnerProgram): Promise<Job> {
  const title = 'moves each job from `submissions` to `processing` while it runs (BLMOVE)';
  const first = job(1, 600);
  const holding = await take(ctx, program, first, 'moves', title);
  const calls = await ctx.callsSinceStart(program);
  const moved = MOVES.some((name) => calls.has(name));
  if (holding.length === 0 && moved && calls.has('lrem')) {
    ctx.fail({
      id: 'ack-early', title,
      expected: `job 1 kept in \`${PROCESSING}\` while it runs (${first.durationMs / 1000} s)`,
      seen: `it was moved there, and removed (LREM) at once, before its result: a crash now would lose it`,
      hint: 'Acknowledge (LREM) after recording the result, not before running the job.',
    });
  }
  if (!holding.includes(PROCESSING)) {
    const results = await readResults(ctx);
    ctx.fail({
      id: holding.length > 0 ? 'wrong-list' : 'moves', title,
      expected: `job 1 in \`${PROCESSING}\` while it runs`,
      seen: holding.length > 0
        ? `it went to ${holding.map((k) => `\`${k}\``).join(', ')}`
        : `it is in no list${results.some((r) => r.id === 1) ? ' (already done)' : ''}: a crash now would lose it`,
      hint: holding.length > 0
        ? `The list is \`${PROCESSING}\`: a worker that starts after a crash looks there for interrupted jobs.`
        : `Take the job with BLMOVE from \`${QUEUE}\` to \`${PROCESSING}\`: popping it (BRPOP) leaves it only in `
          + 'the worker\'s memory, and a crash forgets it.',
    });
  }
  ctx.pass('moves', title);
  return first;
}

async function acknowledges(ctx: VerifyContext, program: LearnerProgram, first: Job): Promise<void> {
  const title = 'records the result, then acknowledges: the job leaves `processing` (LREM)';
  const polled = await ctx.poll(program, JOB_TIMEOUT_MS, async () => {
    const results = await readResults(ctx);
    return results.some((r) => r.id === first.id) ? true : undefined;
  });
  if (polled.kind === 'exited') ctx.exitedWhile('ack', title, 'job 1 runs', polled.exit, program);
  if (polled.kind === 'timeout') {
    ctx.fail({
      id: 'results', title,
      expected: 'the result of job 1 in `results`',
      seen: `none within ${JOB_TIMEOUT_MS / 1000} s`,
      hint: 'After runJob, RPUSH `JSON.stringify({ id: job.id, verdict })` to `results`.',
    });
  }
  const acked = await ctx.poll(program, 1000, async () => {
    const processing = await ctx.redis.texts('LRANGE', PROCESSING, '0', '-1');
    return processing.includes(payload(first)) ? undefined : true;
  });
  if (acked.kind !== 'ok') {
    ctx.fail({
      id: 'ack', title,
      expected: `job 1 gone from \`${PROCESSING}\` once its result is recorded`,
      seen: `it is still in \`${PROCESSING}\`: after a restart it would run again, and \`${PROCESSING}\` grows forever`,
      hint: `Acknowledge each finished job: \`await client.lRem('${PROCESSING}', 1, text)\`, with the exact text BLMOVE gave you.`,
    });
  }
  ctx.pass('ack', title);
}

async function recoversAfterCrash(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'after a crash, runs the job that was interrupted, when it starts again';
  const slow = job(2, 1500);
  const holding = await take(ctx, program, slow, 'crash', title);
  await ctx.sleep(150);
  const stillHeld = await ctx.redis.texts('LRANGE', PROCESSING, '0', '-1');
  if (!holding.includes(PROCESSING) || !stillHeld.includes(payload(slow))) {
    ctx.fail({
      id: 'ack-early', title,
      expected: `job 2 kept in \`${PROCESSING}\` until its result is recorded (it runs for ${slow.durationMs / 1000} s)`,
      seen: `it left \`${PROCESSING}\` at once, before its result: a crash now would lose it`,
      hint: 'Acknowledge (LREM) after recording the result, not before running the job.',
    });
  }
  // The crash: no SIGTERM, no chance to clean up.
  program.signal('SIGKILL');
  await program.waitForExit(JOB_TIMEOUT_MS);
  const restarted = await ctx.start();
  await ctx.connected(restarted);
  // Connected, it has the job in `processing` to find at once: a few seconds more than the job's run.
  const timeout = 3000 + slow.durationMs;
  const polled = await ctx.poll(restarted, timeout, async () => {
    const results = await readResults(ctx);
    return results.some((r) => r.id === slow.id) ? true : undefined;
  });
  if (polled.kind === 'exited') ctx.exitedWhile('recovers', title, 'it starts again after a crash', polled.exit, restarted);
  if (polled.kind === 'timeout') {
    const results = await readResults(ctx);
    const where = await listsHolding(ctx, payload(slow));
    ctx.fail({
      id: 'recovers', title,
      expected: `job 2, interrupted by the crash, run after the restart (its result within ${timeout / 1000} s)`,
      seen: `results for ${ids(results)}; job 2 is ${where.length > 0 ? `still in ${where.map((k) => `\`${k}\``).join(', ')}` : 'in no list'}`,
      hint: `When the worker starts, the jobs in \`${PROCESSING}\` are ones a crash interrupted: run them `
        + '(oldest first, at the tail) and acknowledge them before taking new jobs.',
    });
  }
  const acked = await ctx.poll(restarted, 1000, async () => ((await ctx.redis.integer('LLEN', PROCESSING)) === 0 ? true : undefined));
  if (acked.kind !== 'ok') {
    ctx.fail({
      id: 'recovers', title,
      expected: `\`${PROCESSING}\` empty once job 2 is done`,
      seen: `it holds ${await ctx.redis.integer('LLEN', PROCESSING)} job(s)`,
      hint: 'Acknowledge recovered jobs too (LREM), or move them back to the queue first.',
    });
  }
  ctx.pass('recovers', title);
}

function payload(j: Job): string {
  return JSON.stringify(j);
}
