/**
 * The lesson menu: each lesson with its state and a progress bar (passed steps █, skipped ones ▒),
 * the chosen one's summary. With a lesson pack, the built-in lessons and the pack's come under
 * headings.
 */
import { memo, useMemo } from 'react';
import { lessonCount, lessonState, type LessonState } from '../../progress/progress.js';
import { missingCapability } from '../state/common.js';
import { visibleLessons } from '../state/menu.js';
import type { AppState, MenuScreen } from '../state/types.js';
import { blank, type Line, line, span, truncate, wrapWords } from '../text/line.js';
import { inlineMarkdown } from '../text/markdown.js';
import { Lines } from './Lines.js';

const MARK: Record<LessonState, Line> = {
  'done': [span('✓', { color: 'green', bold: true })],
  'in progress': [span('◐', { color: 'yellow' })],
  'not started': [span('·', { dim: true })],
};

/** `done` of `total` steps, `skipped` of them skipped: passed cells █, skipped ones ▒ (magenta), the rest ░. */
export function bar(done: number, total: number, width: number, skipped = 0): Line {
  const full = total === 0 ? 0 : Math.round((done * width) / total);
  // A skipped step shows as at least one cell, so that it is never hidden by rounding.
  const skippedCells = skipped === 0 ? 0 : Math.min(full, Math.max(1, Math.round((skipped * width) / total)));
  const passed = full - skippedCells;
  return [
    span('█'.repeat(passed), { color: done === total && total > 0 && skipped === 0 ? 'green' : 'yellow' }),
    span('▒'.repeat(skippedCells), { color: 'magenta' }),
    span('░'.repeat(width - full), { dim: true }),
  ];
}

/** What the menu shows besides its own screen state. */
export type MenuInfo = Pick<AppState, 'lessons' | 'pack' | 'progress' | 'problems' | 'backend' | 'warnings' | 'strict' | 'choice'>;

/** The start screen's offer of another place to run lessons (a Redis on localhost), if any. */
function offerLine(state: MenuInfo): Line | undefined {
  const c = state.choice;
  if (!c) return undefined;
  const where = c.url.replace(/^redis:\/\//, '');
  if (c.switching) return [span(`   ${c.inUse ? `Connecting to the Redis at ${where}…` : 'Going back to the bundled engine…'}`, { dim: true })];
  if (c.inUse) return [span('   Lessons run on your Redis at ', { dim: true }), span(where, { bold: true }), span(' (in one database of it, nothing else touched). ', { dim: true }), span('c', { color: 'cyan', bold: true }), span(': back to the bundled engine.', { dim: true })];
  if (c.needsPassword) return [span(`   A Redis at ${where} asks for a password: start with --url redis://:PASSWORD@${where} to practise on it.`, { dim: true })];
  return [span('   A Redis answers at ', { dim: true }), span(where, { bold: true }), span('. ', { dim: true }), span('c', { color: 'cyan', bold: true }), span(': practise on it instead of the bundled engine (one database of it, nothing else touched).', { dim: true })];
}

export function menuLines(state: MenuInfo, menu: MenuScreen, width: number, height: number): Line[] {
  const lessons = visibleLessons(state, menu);
  const out: Line[] = [blank];
  for (const w of state.warnings) {
    out.push(...wrapWords([span('⚠ ', { color: 'yellow', bold: true }), span(w, { color: 'yellow' })], width - 2, [span('  ')], [span('    ')]), blank);
  }
  if (state.strict) {
    out.push(...wrapWords([span('Strict mode ', { color: 'yellow', bold: true }), span('(graded work): :solution is off, and skipped steps are counted in your record.', { color: 'yellow' })], width - 2, [span('  ')]), blank);
  }
  const fresh = Object.keys(state.progress.lessons).length === 0;
  if (fresh) {
    out.push(...wrapWords([span('Welcome! ', { bold: true }), span('Each lesson is a few short steps: read a little, then type real Redis commands at the prompt and see them checked. Choose a lesson with ↑/↓ and press Enter.')], width - 2, [span('  ')]));
    out.push(blank);
  }
  if (menu.filtering || menu.filter) {
    out.push([span('  Filter: ', { bold: true }), span(menu.filter), ...(menu.filtering ? [span(' ', { inverse: true }), span('  Enter keeps it, Esc clears it', { dim: true })] : [span('  (Esc clears it)', { dim: true })])]);
    out.push(blank);
  }
  const titleWidth = Math.max(10, Math.min(28, Math.max(0, ...lessons.map((l) => l.title.length + 1))));
  const barWidth = width >= 70 ? 10 : 5;
  const rows: Line[] = [];
  /** The row of each visible lesson (headings come between them). */
  const rowOf: number[] = [];
  lessons.forEach((lesson, i) => {
    if (state.pack && (i === 0 || !lesson.fromPack !== !lessons[i - 1]?.fromPack)) {
      if (i > 0) rows.push(blank);
      rows.push(truncate(lesson.fromPack
        ? [span(`   ${state.pack.title}`, { bold: true }), span(' · lesson pack', { dim: true })]
        : [span('   Built-in lessons', { bold: true })], width));
    }
    rowOf.push(rows.length);
    const selected = i === menu.selected;
    const { done, skipped, total } = lessonCount(state.progress, lesson);
    const st = lessonState(state.progress, lesson);
    const missing = missingCapability(state, lesson);
    const title = lesson.title.length > titleWidth ? lesson.title.slice(0, titleWidth - 1) + '…' : lesson.title.padEnd(titleWidth);
    const row: Line = [
      span(selected ? ' › ' : '   ', { color: 'cyan', bold: true }),
      ...(st === 'done' && skipped > 0 ? [span('✓', { color: 'magenta' })] : MARK[st]),
      span(` ${String(lesson.order).padStart(2)}  `, { dim: true }),
      span(title, { bold: selected, dim: missing !== undefined }),
      span(' '),
      ...(missing ? [span(missing, { dim: true, italic: true })] : [
        ...bar(done, total, barWidth, skipped), span(` ${done}/${total}`, { dim: true }),
        ...(skipped > 0 ? [span(` · ${skipped} skipped`, { color: 'magenta' })] : []),
      ]),
    ];
    rows.push(truncate(row, width));
  });
  if (lessons.length === 0) rows.push(line(menu.filter ? '   No lesson matches the filter.' : '   No lessons found.', { dim: true }));
  const offer = offerLine(state);
  const offerLines = offer ? wrapWords(offer, width - 3, [span('   ')]) : [];
  // Keep the chosen lesson in view when the list is taller than the room left for it.
  const room = Math.max(3, height - out.length - 6 - (offerLines.length > 0 ? offerLines.length + 1 : 0));
  const first = Math.max(0, Math.min((rowOf[menu.selected] ?? 0) - Math.floor(room / 2), rows.length - room));
  // What is out of view, counted in lessons (headings are rows too).
  const above = rowOf.filter((r) => r < first).length;
  const below = rowOf.filter((r) => r >= first + room).length;
  if (first > 0) out.push(line(above > 0 ? `   ↑ ${above} more` : '', { dim: true }));
  out.push(...rows.slice(first, first + room));
  if (first + room < rows.length) out.push(line(below > 0 ? `   ↓ ${below} more` : '', { dim: true }));

  const chosen = lessons[menu.selected];
  if (chosen) {
    out.push(blank);
    const { done, skipped, total } = lessonCount(state.progress, chosen);
    const st = lessonState(state.progress, chosen);
    out.push(...wrapWords(inlineMarkdown(chosen.summary), width - 3, [span('   ')]));
    const skips = skipped > 0 ? ` (${skipped} of them skipped)` : '';
    out.push([span(`   ${total} steps · ${st === 'not started' ? 'not started' : st === 'done' ? `done${skips}` : `${done} done${skips}`}`, { dim: true })]);
  }
  if (offerLines.length > 0) out.push(blank, ...offerLines);
  if (state.problems.length > 0) {
    out.push(blank);
    out.push(...wrapWords([span(`${state.problems.length} problem${state.problems.length === 1 ? '' : 's'} in the lesson files kept some lessons out: run `, { color: 'yellow' }), span(`redislings validate${state.pack ? ` ${state.pack.dir}` : ''}`, { color: 'yellow', bold: true })], width - 3, [span('   ')]));
  }
  return out;
}

export const Menu = memo(function Menu({ lessons, pack, progress, problems, backend, warnings, strict, choice, menu, width, height }: MenuInfo & { readonly menu: MenuScreen; readonly width: number; readonly height: number }) {
  const lines = useMemo(() => menuLines({ lessons, pack, progress, problems, backend, warnings, strict, choice }, menu, width, height), [lessons, pack, progress, problems, backend, warnings, strict, choice, menu, width, height]);
  return <Lines lines={lines} width={width} height={height} />;
});
