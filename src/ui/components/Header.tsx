/**
 * The top line: where the learner is, the engine, and the progress ("14 / 61 steps · 23%"); in
 * strict mode also "strict · 2 skipped", so that a skip is never out of sight.
 */
import { totalCount } from '../../progress/progress.js';
import { memo } from 'react';
import type { AppState } from '../state/types.js';
import { fit, type Line, lineWidth, type Span, span, truncate } from '../text/line.js';
import { LineText } from './Lines.js';

/** What the header shows: where the learner is, the engine, the progress. */
export type HeaderInfo = Pick<AppState, 'progress' | 'lessons' | 'screen' | 'backend' | 'backendError' | 'strict'>;

export function progressText(state: Pick<AppState, 'progress' | 'lessons'>): string {
  const { done, total } = totalCount(state.progress, state.lessons);
  const percent = total === 0 ? 0 : Math.floor((done * 100) / total);
  return `${done} / ${total} steps · ${percent}%`;
}

export function headerLine(state: HeaderInfo, width: number): Line {
  const brand: Line = [span(' redislings ', { bold: true, color: 'red' })];
  let title = 'Lessons';
  let step: Line = [];
  if (state.screen.kind === 'lesson') {
    const id = state.screen.lesson;
    const lesson = state.lessons.find((l) => l.id === id);
    if (lesson) {
      title = lesson.title;
      step = [span(` · step ${state.screen.step + 1}/${lesson.steps.length}`)];
    }
  }
  const engine = state.backend ? state.backend.description : state.backendError ? 'not connected' : 'starting…';
  const skipped = state.strict ? totalCount(state.progress, state.lessons).skipped : 0;
  const strict: Line = state.strict
    ? [span('strict', { color: 'yellow', bold: true }), span(' · ', { dim: true }), span(`${skipped} skipped`, skipped > 0 ? { color: 'yellow' } : { dim: true }), span(' · ', { dim: true })]
    : [];
  const right = (what: string): Line => [span(what, { dim: true }), span(' · ', { dim: true }), ...strict, span(progressText(state)), span(' ')];
  // When the line is short of room, the engine's long name goes first ("bundled engine" → "bundled"),
  // then the lesson's title is cut; the step, the progress (and in strict mode the skipped count)
  // always show.
  let tail = right(engine);
  const fixed = lineWidth(brand) + 2 + lineWidth(step) + 1;
  if (fixed + title.length + lineWidth(tail) > width && engine === 'bundled engine') tail = right('bundled');
  // In strict mode the skipped count takes room too: the engine goes before the title is lost.
  if (state.strict && width - fixed - lineWidth(tail) < Math.min(title.length, 12)) tail = [span('· ', { dim: true }), ...strict, span(progressText(state)), span(' ')];
  const titleRoom = width - fixed - lineWidth(tail);
  if (titleRoom < 4) return fit(truncate([...brand, ...tail], width), width);
  const head: Line = [...brand, span('› ', { dim: true }), ...truncate([span(title, { bold: true })], titleRoom), ...step];
  return [...fit(head, width - lineWidth(tail)), ...tail];
}

export const Header = memo(function Header({ progress, lessons, screen, backend, backendError, strict, width }: HeaderInfo & { readonly width: number }) {
  return <LineText line={headerLine({ progress, lessons, screen, backend, backendError, strict }, width)} />;
});
