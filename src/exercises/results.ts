/**
 * The list `results`, where the worker exercises record each job they ran:
 * RPUSH results '{"id":<job id>,"verdict":"<what runJob returned>"}'. The verifier reads the
 * program's effects from it: which jobs ran, in which order.
 */
import type { VerifyContext } from './context.js';

export const RESULTS_KEY = 'results';

export interface JobResult {
  readonly id: number;
  readonly verdict: string;
}

/** The results so far; a malformed one fails the `results` check, naming what was found. */
export async function readResults(ctx: VerifyContext): Promise<JobResult[]> {
  const type = await ctx.redis.text('TYPE', RESULTS_KEY);
  if (type !== 'none' && type !== 'list') {
    ctx.fail({
      id: 'results', title: 'records each result in the list `results`',
      expected: '`results` to be a list (RPUSH)', seen: `a ${type}`,
    });
  }
  const raw = await ctx.redis.texts('LRANGE', RESULTS_KEY, '0', '-1');
  return raw.map((text) => parseResult(ctx, text));
}

function parseResult(ctx: VerifyContext, text: string): JobResult {
  const fail = (why: string): never => ctx.fail({
    id: 'results', title: 'records each result in the list `results`',
    expected: 'each element of `results` to be JSON such as {"id":1,"verdict":"accepted"}',
    seen: `${JSON.stringify(text)} (${why})`,
    hint: 'Store `JSON.stringify({ id: job.id, verdict })`, where verdict is what runJob returned.',
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the failure below says so.
    return fail('not JSON');
  }
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const { id, verdict } = value as { id?: unknown; verdict?: unknown };
  if (typeof id !== 'number') return fail('no numeric "id"');
  if (typeof verdict !== 'string' || verdict === '') return fail('no "verdict" text');
  return { id, verdict };
}

/** Lists jobs by id for a verdict: "1, 2, 3", or "none". */
export function ids(results: readonly { id: number }[]): string {
  return results.length === 0 ? 'none' : results.map((r) => r.id).join(', ');
}

/** Where a payload ended up, to explain a job that vanished: lists holding it, by name. */
export async function listsHolding(ctx: VerifyContext, payload: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const reply = await ctx.redis.must('SCAN', cursor, 'TYPE', 'list', 'COUNT', '100');
    if (reply.kind !== 'array') break;
    const [next, keys] = reply.items;
    cursor = next?.kind === 'bulk' ? next.value : '0';
    const names = keys?.kind === 'array' ? keys.items.flatMap((k) => (k.kind === 'bulk' ? [k.value] : [])) : [];
    for (const key of names) {
      const items = await ctx.redis.texts('LRANGE', key, '0', '-1');
      if (items.includes(payload)) found.push(key);
    }
  } while (cursor !== '0');
  return found;
}
