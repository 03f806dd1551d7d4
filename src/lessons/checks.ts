/**
 * Judging a step: each check looks at what the learner achieved (the data, through a probe on a
 * separate connection) or at what the learner saw (their replies and pushed messages), never at
 * how a command was spelled, except the `used` check where a lesson is about one command.
 * A result carries its evidence as data: what was looked at, what was expected, what was there.
 */
import type { Reply } from '../resp/reply.js';
import { describe, matches } from './matcher.js';
import type { Check } from './model.js';

/** One command the learner ran in this step; `reply` is undefined while it waits. */
export interface LearnerCommand {
  readonly argv: readonly string[];
  reply?: Reply;
}

/** What happened in the current step, as the checks see it. */
export interface StepRecord {
  readonly commands: LearnerCommand[];
  readonly pushes: Reply[];
  readonly restarts: ('crash' | 'restart')[];
}

export function emptyRecord(): StepRecord {
  return { commands: [], pushes: [], restarts: [] };
}

export interface CheckResult {
  readonly check: Check;
  readonly passed: boolean;
  /** What was looked at: "GET user", "your last reply", "your last TTL reply", "messages received". */
  readonly subject: string;
  /** The expectation in words. */
  readonly expected: string;
  /** The reply that was there, when there was one. */
  readonly actual?: Reply;
  /** When there is no reply to show: "you have not run TTL yet". */
  readonly note?: string;
}

export interface Verdict {
  readonly passed: boolean;
  readonly results: readonly CheckResult[];
}

/**
 * True when argv is the command a lesson names: `SETEX`, or a container with its subcommand,
 * `CONFIG SET` (case-insensitive, word by word).
 */
export function isCommand(name: string, argv: readonly string[]): boolean {
  const words = name.trim().toLowerCase().split(/\s+/);
  return words.every((w, i) => argv[i]?.toLowerCase() === w);
}

export async function runChecks(
  checks: readonly Check[],
  record: StepRecord,
  probe: (argv: readonly string[]) => Promise<Reply>,
): Promise<Verdict> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, record, probe));
  return { passed: results.every((r) => r.passed), results };
}

async function runCheck(check: Check, record: StepRecord, probe: (argv: readonly string[]) => Promise<Reply>): Promise<CheckResult> {
  switch (check.kind) {
    case 'probe': {
      const actual = await probe(check.command.argv);
      return { check, passed: matches(check.expect, actual), subject: check.command.text, expected: describe(check.expect), actual };
    }
    case 'reply': {
      const answered = record.commands.filter((c) => c.reply !== undefined && (check.of === 'last' || isCommand(check.of, c.argv)));
      const last = answered[answered.length - 1];
      const name = check.of.toUpperCase();
      const subject = check.of === 'last' ? 'your last reply' : `your last ${name} reply`;
      const expected = describe(check.expect);
      if (!last?.reply) {
        return { check, passed: false, subject, expected, note: check.of === 'last' ? 'you have not run a command yet' : `you have not run ${name} yet` };
      }
      return { check, passed: matches(check.expect, last.reply), subject, expected, actual: last.reply };
    }
    case 'used': {
      const name = check.command.toUpperCase();
      const runs = record.commands.filter((c) => isCommand(check.command, c.argv));
      const ok = runs.find((c) => c.reply !== undefined && c.reply.kind !== 'error');
      const failed = runs.filter((c) => c.reply?.kind === 'error').pop();
      return {
        check,
        passed: ok !== undefined,
        subject: `your use of ${name}`,
        expected: `${name}, run without an error`,
        actual: ok ? undefined : failed?.reply,
        note: ok ? undefined : runs.length === 0 ? `you have not run ${name} in this step` : `${name} answered an error`,
      };
    }
    case 'received': {
      const hit = record.pushes.find((r) => matches(check.expect, r));
      const last = record.pushes[record.pushes.length - 1];
      return {
        check,
        passed: hit !== undefined,
        subject: 'the messages your connection received',
        expected: describe(check.expect),
        actual: hit ?? last,
        note: last === undefined ? 'no message has arrived yet' : undefined,
      };
    }
    case 'restarted': {
      const ok = record.restarts.some((r) => check.how === 'any' || r === check.how);
      const what = check.how === 'any' ? 'a crash or a restart' : check.how === 'crash' ? 'a crash (:crash)' : 'a restart (:restart)';
      return {
        check,
        passed: ok,
        subject: 'the server',
        expected: what,
        note: ok ? undefined : record.restarts.length === 0 ? 'the server has not been stopped in this step' : `the server had a ${record.restarts.join(' and a ')}`,
      };
    }
  }
}

/** A one-line account of a failed result, for the selftest report and plain terminals. */
export function explainResult(r: CheckResult, render: (reply: Reply) => string): string {
  const said = r.check.says ? `${r.check.says} ` : '';
  const actual = r.actual ? render(r.actual).trimEnd().replace(/\n/g, ' ') : r.note ?? 'nothing';
  return `${said}(${r.subject}: expected ${r.expected}, got ${actual})`;
}
