/**
 * Exercise `stream-consumer`: a consumer in the consumer group `judges` of the stream `runs`.
 * It reads new entries with XREADGROUP, records each result and XACKs the entry; started again
 * after a crash, it first reads its own pending entries (ID 0: delivered, never acknowledged).
 *
 * The verifier adds entries with XADD, follows them in the group's pending entries list
 * (XPENDING) and XINFO CONSUMERS, kills the consumer with SIGKILL while an entry is pending to it,
 * and restarts it under the same consumer name.
 */
import type { VerifyContext } from './context.js';
import { type Exercise, job, type Job } from './exercise.js';
import type { LearnerProgram } from './program.js';
import type { Reply } from '../resp/reply.js';
import { ids, readResults } from './results.js';
import { replyText } from './redis-link.js';

const STREAM = 'runs';
const GROUP = 'judges';
/** The consumer name the program is given in CONSUMER: a stable name, as a host name would be. */
const CONSUMER = 'judge-1';
const JOB_TIMEOUT_MS = 5000;

export const streamConsumer: Exercise = {
  id: 'stream-consumer',
  title: 'A stream consumer in a consumer group',
  keys: [STREAM, 'results'],
  timeLimitMs: 60_000,
  async run(ctx) {
    const env = { CONSUMER };
    const program = await ctx.start(env);
    await ctx.connected(program);
    await createsGroup(ctx, program);
    await readsThroughGroup(ctx, program, [job(1), job(2), job(3)]);
    await acknowledges(ctx, program);
    const restarted = await recoversPending(ctx, program, env);
    await readsThroughGroup(ctx, restarted, [job(5)], 'continues', 'after the pending entries, goes on with new ones');
  },
};

async function createsGroup(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = `creates the consumer group \`${GROUP}\` on the stream \`${STREAM}\``;
  const polled = await ctx.poll(program, JOB_TIMEOUT_MS, async () => ((await groupNames(ctx)).includes(GROUP) ? true : undefined), 50);
  if (polled.kind === 'exited') ctx.exitedWhile('group', title, 'it should create the group and wait for entries', polled.exit, program);
  if (polled.kind === 'timeout') {
    const groups = await groupNames(ctx);
    ctx.fail({
      id: 'group', title,
      expected: `a group \`${GROUP}\` on \`${STREAM}\``,
      seen: groups.length > 0 ? `groups ${groups.map((g) => `\`${g}\``).join(', ')}` : `no group${await ctx.redis.integer('EXISTS', STREAM) ? '' : ` (and no stream \`${STREAM}\`)`}`,
      hint: `\`await client.xGroupCreate('${STREAM}', '${GROUP}', '0', { MKSTREAM: true })\`, catching the error `
        + 'BUSYGROUP, which only says the group exists already.',
    });
  }
  ctx.pass('group', title);
}

async function readsThroughGroup(ctx: VerifyContext, program: LearnerProgram, jobs: readonly Job[], id = 'reads',
  title = `reads new entries as the consumer named in CONSUMER (XREADGROUP) and records their results`): Promise<void> {
  for (const j of jobs) await ctx.redis.ok('XADD', STREAM, '*', ...fields(j));
  const timeout = JOB_TIMEOUT_MS + jobs.reduce((n, j) => n + j.durationMs, 0);
  const polled = await ctx.poll(program, timeout, async () => {
    const results = await readResults(ctx);
    return jobs.every((j) => results.some((r) => r.id === j.id)) ? true : undefined;
  });
  if (polled.kind === 'exited') ctx.exitedWhile(id, title, 'entries wait in the stream', polled.exit, program);
  const consumers = await consumerNames(ctx);
  if (polled.kind === 'timeout') {
    const results = await readResults(ctx);
    const pending = await pendingCount(ctx);
    ctx.fail({
      // No consumer in the group: whatever else happened, the entries were not read through it.
      id: consumers.length === 0 ? 'xreadgroup' : id, title,
      expected: `results for entries ${ids(jobs)} in \`results\` within ${timeout / 1000} s`,
      seen: `results for ${ids(results)}; ${pending} entr${pending === 1 ? 'y' : 'ies'} pending in the group`
        + `${consumers.length > 0 ? `, consumers ${consumers.join(', ')}` : ', no consumer ever read through the group'}`,
      hint: pending > 0
        ? 'Entries were delivered but not recorded: RPUSH `JSON.stringify({ id: Number(fields.id), verdict })` to `results`.'
        : `Read with \`await client.xReadGroup('${GROUP}', process.env.CONSUMER, { key: '${STREAM}', id: '>' }, { COUNT: 10, BLOCK: 1000 })\`.`,
    });
  }
  if (!consumers.includes(CONSUMER)) {
    ctx.fail({
      id: consumers.length > 0 ? 'consumer-name' : 'xreadgroup', title,
      expected: `the consumer \`${CONSUMER}\` (the name in CONSUMER) in the group`,
      seen: consumers.length > 0 ? `consumers ${consumers.map((c) => `\`${c}\``).join(', ')}` : 'no consumer: the entries were not read through the group',
      hint: consumers.length > 0
        ? 'Use the name in CONSUMER. A consumer finds its pending entries by its name: a name that changes '
          + 'with each start (a pid, a random id) never sees what it was reading when it crashed.'
        : `XREAD ignores the group. Read with XREADGROUP GROUP ${GROUP} <consumer>.`,
    });
  }
  ctx.pass(id, title);
}

async function acknowledges(ctx: VerifyContext, program: LearnerProgram): Promise<void> {
  const title = 'acknowledges each entry once its result is recorded (XACK)';
  const polled = await ctx.poll(program, 1000, async () => ((await pendingCount(ctx)) === 0 ? true : undefined));
  if (polled.kind === 'exited') ctx.exitedWhile('ack', title, 'it acknowledges entries', polled.exit, program);
  if (polled.kind === 'timeout') {
    const pending = await pendingCount(ctx);
    ctx.fail({
      id: 'ack', title,
      expected: 'no pending entry in the group once the results are recorded',
      seen: `${pending} entr${pending === 1 ? 'y' : 'ies'} still pending (XPENDING ${STREAM} ${GROUP})`,
      hint: `Without XACK the group keeps every entry as pending, and runs it again after each restart: `
        + `\`await client.xAck('${STREAM}', '${GROUP}', entry.id)\`.`,
    });
  }
  ctx.pass('ack', title);
}

async function recoversPending(ctx: VerifyContext, program: LearnerProgram, env: Record<string, string>): Promise<LearnerProgram> {
  const title = 'started again after a crash, runs its pending entries first (XREADGROUP … 0)';
  const slow = job(4, 1500);
  await ctx.redis.ok('XADD', STREAM, '*', ...fields(slow));
  const delivered = await ctx.poll(program, JOB_TIMEOUT_MS, async () => ((await pendingCount(ctx)) === 1 ? true : undefined), 10);
  if (delivered.kind === 'exited') ctx.exitedWhile('recovers', title, 'entry 4 waits in the stream', delivered.exit, program);
  if (delivered.kind === 'timeout') {
    ctx.fail({ id: 'recovers', title, expected: 'entry 4 delivered to the consumer', seen: `not delivered within ${JOB_TIMEOUT_MS / 1000} s` });
  }
  // The crash: entry 4 stays pending to the consumer, unacknowledged.
  program.signal('SIGKILL');
  await program.waitForExit(JOB_TIMEOUT_MS);
  const restarted = await ctx.start(env);
  await ctx.connected(restarted);
  const timeout = 3000 + slow.durationMs;
  const polled = await ctx.poll(restarted, timeout, async () => {
    const results = await readResults(ctx);
    return results.some((r) => r.id === slow.id) && (await pendingCount(ctx)) === 0 ? true : undefined;
  });
  if (polled.kind === 'exited') ctx.exitedWhile('recovers', title, 'it starts again after a crash', polled.exit, restarted);
  if (polled.kind === 'timeout') {
    const results = await readResults(ctx);
    const pending = await pendingCount(ctx);
    ctx.fail({
      id: 'recovers', title,
      expected: `entry 4, delivered before the crash and never acknowledged, run and acknowledged after the restart`,
      seen: results.some((r) => r.id === slow.id)
        ? `its result is there, but ${pending} entr${pending === 1 ? 'y is' : 'ies are'} still pending`
        : `no result for it within ${timeout / 1000} s; ${pending} entr${pending === 1 ? 'y' : 'ies'} pending to \`${CONSUMER}\``,
      hint: 'Reading with `>` gives only entries never delivered. On start, read with ID 0 first: '
        + `\`xReadGroup('${GROUP}', consumer, { key: '${STREAM}', id: '0' })\` returns this consumer's pending entries; `
        + 'run and acknowledge them, then go on with `>`.',
    });
  }
  ctx.pass('recovers', title);
  return restarted;
}

function fields(j: Job): string[] {
  return ['id', String(j.id), 'problemId', j.problemId, 'userId', j.userId, 'code', j.code, 'language', j.language,
    'durationMs', String(j.durationMs)];
}

async function pendingCount(ctx: VerifyContext): Promise<number> {
  const reply = await ctx.redis.call('XPENDING', STREAM, GROUP);
  if (reply.kind !== 'array') return 0;
  const count = reply.items[0];
  return count?.kind === 'integer' ? Number(count.value) : 0;
}

async function groupNames(ctx: VerifyContext): Promise<string[]> {
  return namesIn(await ctx.redis.call('XINFO', 'GROUPS', STREAM));
}

async function consumerNames(ctx: VerifyContext): Promise<string[]> {
  return namesIn(await ctx.redis.call('XINFO', 'CONSUMERS', STREAM, GROUP));
}

/** The `name` field of each entry of an XINFO reply (an error, for a missing stream or group, is none). */
function namesIn(reply: Reply): string[] {
  if (reply.kind !== 'array') return [];
  return reply.items.flatMap((item) => {
    if (item.kind !== 'array') return [];
    const at = item.items.findIndex((f) => f.kind === 'bulk' && f.value === 'name');
    const value = item.items[at + 1];
    return at >= 0 && value ? [replyText(value) ?? ''] : [];
  });
}
