/**
 * The transcript: commands, replies (as redis-cli prints them), what actors do, pushed messages,
 * ✓ with the why, expected-versus-actual on a miss, hints and notes. A long reply shows what
 * fits and how many lines are left ("… 9,980 more"), so a 10,000-element reply costs one screen.
 */
import type { CheckResult as ProgramCheck } from '../../exercises/exercise.js';
import type { Entry, Miss } from '../state/types.js';
import { blank, type Color, type Line, span, truncate, wrapChars, wrapWords } from '../text/line.js';
import { inlineMarkdown, markdownLines } from '../text/markdown.js';

const count = (n: number) => n.toLocaleString('en-US');

/** Reply-like lines cut to `budget` rows, with the rest counted. */
function cutLines(lines: readonly string[], total: number, width: number, budget: number, color?: Color): Line[] {
  const out: Line[] = [];
  let shown = 0;
  for (const text of lines) {
    const rows = wrapChars([span(text, color ? { color } : {})], width);
    // Keep a row for the "… more" line unless this is the last line.
    const reserve = shown + 1 < total ? 1 : 0;
    if (shown > 0 && out.length + rows.length + reserve > budget) break;
    out.push(...rows);
    shown++;
  }
  if (shown < total) out.push([span(`… ${count(total - shown)} more`, { dim: true })]);
  return out;
}

/**
 * A failed check in two or three rows: what was looked at and what was expected, then what was
 * there (a multi-line reply in up to four rows). Long expectations are cut after two rows.
 */
function missLines(m: Miss, width: number): Line[] {
  const out: Line[] = [];
  const hang = [span('    ')];
  const expected = wrapWords([span(`${m.subject}: `, { dim: true }), span('expected ', { dim: true }), span(m.expected, { color: 'green' })], width, [span('  ')], hang);
  out.push(...(expected.length > 2 ? [expected[0] as Line, truncate([...(expected[1] as Line), span(' …')], width)] : expected));
  if (m.actual !== undefined) {
    const rows = m.actual.split('\n');
    const shown = rows.length > 4 ? [...rows.slice(0, 3), `… ${count(rows.length - 3)} more lines`] : rows;
    shown.forEach((r, i) => out.push(...wrapChars([span(i === 0 ? '  got ' : '      ', { dim: true }), span(r, { color: 'red' })], width)));
  } else if (m.note) {
    out.push(...wrapWords([span('got ', { dim: true }), span(m.note, { italic: true })], width, [span('  ')], hang));
  }
  return out;
}

/** A check of the learner's program: ✓ and what it tests; or ✗, then expected, seen and the hint. */
function checkLines(c: ProgramCheck, width: number): Line[] {
  const hang = [span('    ')];
  if (c.passed) return wrapWords([span('✓ ', { color: 'green', bold: true }), ...inlineMarkdown(c.title)], width, [], [span('  ')]);
  const out = wrapWords([span('✗ ', { color: 'red', bold: true }), ...inlineMarkdown(c.title, { bold: true })], width, [], [span('  ')]);
  if (c.expected) out.push(...wrapWords([span('expected ', { dim: true }), ...inlineMarkdown(c.expected, { color: 'green' })], width, [span('  ')], hang));
  if (c.seen) out.push(...wrapWords([span('seen     ', { dim: true }), ...inlineMarkdown(c.seen, { color: 'red' })], width, [span('  ')], hang));
  if (c.hint) out.push(...wrapWords(inlineMarkdown(c.hint, { color: 'cyan' }), width, [span('  ')], [span('  ')]));
  return out;
}

/** Entries are immutable: each is laid out once per width and budget. */
const laidOut = new WeakMap<Entry, Map<string, Line[]>>();

/** One entry as lines; `budget` caps a long reply. */
export function entryLines(e: Entry, width: number, budget: number): Line[] {
  // Only replies depend on the budget.
  const key = e.kind === 'reply' || e.kind === 'push' ? `${width}:${budget}` : `${width}`;
  let byKey = laidOut.get(e);
  if (!byKey) laidOut.set(e, (byKey = new Map()));
  let lines = byKey.get(key);
  if (!lines) byKey.set(key, (lines = layEntry(e, width, budget)));
  return lines;
}

function layEntry(e: Entry, width: number, budget: number): Line[] {
  switch (e.kind) {
    case 'command': {
      // A very long line (a pasted list of values) shows its start and how much more there was.
      const rows = wrapChars([span(e.prompt, { dim: true }), span(e.text.length > width * 4 ? e.text.slice(0, width * 4) : e.text)], width);
      if (rows.length <= 3) return rows;
      return [...rows.slice(0, 3), [span(`… ${count(e.text.length - rows.slice(0, 3).reduce((n, r) => n + r.reduce((m, s) => m + s.text.length, 0), 0) + e.prompt.length)} more characters`, { dim: true })]];
    }
    case 'reply':
      return cutLines(e.lines, e.total, width, budget, e.error ? 'red' : undefined);
    case 'push':
      return cutLines(e.lines, e.total, width, budget, 'cyan');
    case 'actor':
      return wrapWords([span('↳ ', { color: 'magenta' }), span(`${e.actor}: `, { color: 'magenta', bold: true }), span(e.command, { color: 'magenta' }), span(`  → ${e.reply}`, { dim: true })], width, [], [span('    ')]);
    case 'pass': {
      const head: Line = [span('✓ Well done! ', { color: 'green', bold: true })];
      const next: Line = e.next ? [span('Enter', { bold: true }), span(` → next: ${e.next}`, { dim: true })] : [];
      const out: Line[] = wrapWords([...head, ...next], width, [], [span('  ')]);
      if (e.why) out.push(...markdownLines(e.why, width - 2).map((l) => [span('  '), ...l]));
      return out;
    }
    case 'miss': {
      // The first check that failed; the others are counted, not spelled out (one thing at a time).
      const first = e.misses[0];
      if (!first) return [];
      const head: Line = [span('✗ Not yet. ', { color: 'yellow', bold: true }), ...(first.says ? inlineMarkdown(first.says) : [])];
      const more = e.misses.length - 1;
      return [
        ...wrapWords(head, width, [], [span('  ')]),
        ...missLines(first, width),
        ...(more > 0 ? [[span(`  (and ${more} more check${more === 1 ? '' : 's'} after this one)`, { dim: true })]] : []),
      ];
    }
    case 'hint':
      return wrapWords([span(`Hint ${e.n}/${e.of}: `, { color: 'cyan', bold: true }), ...inlineMarkdown(e.text)], width, [], [span('  ')]);
    case 'solution':
      return [[span('Solution', { color: 'cyan', bold: true }), span(' (type it, or :skip to let me run it):', { dim: true })], ...e.lines.flatMap((l) => wrapChars([span('  '), span(l, { color: 'yellow' })], width))];
    case 'complete':
      return [
        blank,
        [span('★ ', { color: 'yellow', bold: true }), span(`Lesson complete: ${e.title}`, { bold: true })],
        e.next
          ? [span('  Enter', { bold: true }), span(` → next lesson: ${e.next}`, { dim: true }), span('   :menu → all lessons', { dim: true })]
          : [span('  That was the last lesson. ', { dim: true }), span(':menu', { bold: true }), span(' → all lessons', { dim: true })],
      ];
    case 'note': {
      const color: Color | undefined = e.tone === 'error' ? 'red' : e.tone === 'warn' ? 'yellow' : undefined;
      return wrapWords(inlineMarkdown(e.text, color ? { color } : { dim: true }), width);
    }
    case 'block':
      return e.lines.flatMap((l) => wrapChars([span(l)], width));
    case 'check':
      return checkLines(e.check, width);
    case 'output':
      return [
        [span('Your program\'s last output:', { dim: true })],
        ...e.lines.flatMap((l) => wrapChars([span('  │ ', { dim: true }), span(l, { dim: true })], width)),
      ];
  }
}

/** The transcript's last `height` rows (a command's echo starts with a blank row to set it apart). */
export function transcriptLines(entries: readonly Entry[], width: number, height: number): Line[] {
  const out: Line[] = [];
  // Newest last: lay out from the end until the room is full.
  for (let i = entries.length - 1; i >= 0 && out.length < height; i--) {
    const e = entries[i] as Entry;
    // A long reply gets the rows that later entries leave, less its command's echo and the blank
    // before it: its first lines stay in view, and the count says what is left.
    const rows = entryLines(e, width, Math.max(3, height - out.length - 2));
    out.unshift(...rows);
    if (e.kind === 'command' && i > 0) out.unshift(blank);
  }
  return out.length > height ? out.slice(out.length - height) : out;
}
