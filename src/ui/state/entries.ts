/**
 * Transcript entries made from what the runner reports: replies rendered by redis-cli's renderer
 * (src/resp/render.ts, the one used everywhere), commands written back as one would type them,
 * and failed checks as expected-versus-actual.
 */
import type { CheckResult } from '../../lessons/checks.js';
import { quote, renderReply } from '../../resp/render.js';
import { fromBytes, type Reply } from '../../resp/reply.js';
import type { Entry, Miss } from './types.js';

/** A reply keeps at most this many lines in the transcript; the screen shows fewer and counts the rest. */
export const MAX_REPLY_LINES = 400;
/** Entries kept in a step's transcript. */
export const MAX_ENTRIES = 200;

/** redis-cli's rendering as display lines (UTF-8 decoded), at most `max`, and how many there are. */
export function replyLines(reply: Reply, max = MAX_REPLY_LINES): { lines: string[]; total: number } {
  const text = fromBytes(renderReply(reply));
  const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return { lines: all.length > max ? all.slice(0, max) : all, total: all.length };
}

export function replyEntry(reply: Reply): Entry {
  return { kind: 'reply', ...replyLines(reply), error: reply.kind === 'error' };
}

/** A command as one would type it: words as they are, others quoted as redis-cli quotes them. */
export function commandText(argv: readonly string[]): string {
  return argv.map((a) => (/^[^\s"'\\\x00-\x1f\x7f-\xff]+$/.test(a) ? a : fromBytes(quote(a)))).join(' ');
}

/** A reply on one line (an actor's), cut to `max` characters. */
export function oneLine(reply: Reply, max = 60): string {
  const { lines, total } = replyLines(reply, 4);
  const text = lines.map((l) => l.trim()).join(' ');
  const cut = text.length > max ? text.slice(0, max - 1) + '…' : text;
  return total > lines.length && !cut.endsWith('…') ? cut + ' …' : cut;
}

/**
 * A failed check for the screen. A check on the learner's own reply does not repeat that reply
 * (it is right above); a probe's reply, which the learner has not seen, is shown.
 */
export function miss(r: CheckResult): Miss {
  if (r.check.kind === 'reply' && r.actual !== undefined) {
    return {
      ...(r.check.says === undefined ? {} : { says: r.check.says }),
      subject: r.subject,
      expected: r.expected,
      note: 'your reply, above',
    };
  }
  return {
    ...(r.check.says === undefined ? {} : { says: r.check.says }),
    // Both are display text already: command lines as written in the lesson, expectations
    // described with redis-cli's quoting (bytes beyond ASCII as \xhh).
    subject: r.subject,
    expected: r.expected,
    ...(r.actual === undefined ? {} : { actual: replyLines(r.actual, 8).lines.join('\n') }),
    ...(r.note === undefined ? {} : { note: r.note }),
  };
}

/**
 * Adds a reply's entries right after what its command already has: when several commands were
 * typed quickly, each reply still follows its own command, not the last echo.
 */
export function appendAfter(entries: readonly Entry[], seq: number, ...more: Entry[]): Entry[] {
  const at = entries.findIndex((e) => e.kind === 'command' && e.seq === seq);
  if (at < 0) return append(entries, ...more);
  let end = at + 1;
  while (end < entries.length && (entries[end] as Entry).kind !== 'command') end++;
  return append([...entries.slice(0, end), ...more, ...entries.slice(end)]);
}

export function append(entries: readonly Entry[], ...more: Entry[]): Entry[] {
  const all = [...entries, ...more];
  return all.length > MAX_ENTRIES ? all.slice(all.length - MAX_ENTRIES) : all;
}
