/** The top line: where the learner is, the engine, and the progress ("14 / 61 steps · 23%"). */
import { totalCount } from '../../progress/progress.js';
import { memo } from 'react';
import type { AppState } from '../state/types.js';
import { fit, type Line, lineWidth, type Span, span, truncate } from '../text/line.js';
import { LineText } from './Lines.js';

/** What the header shows: where the learner is, the engine, the progress. */
export type HeaderInfo = Pick<AppState, 'progress' | 'lessons' | 'screen' | 'backend' | 'backendError'>;

export function progressText(state: Pick<AppState, 'progress' | 'lessons'>): string {
  const { done, total } = totalCount(state.progress, state.lessons);
  const percent = total === 0 ? 0 : Math.floor((done * 100) / total);
  return `${done} / ${total} steps · ${percent}%`;
}

export function headerLine(state: HeaderInfo, width: number): Line {
  const left: Line = [span(' redislings ', { bold: true, color: 'red' })];
  const where: Span[] = [];
  if (state.screen.kind === 'lesson') {
    const id = state.screen.lesson;
    const lesson = state.lessons.find((l) => l.id === id);
    if (lesson) {
      where.push(span('› ', { dim: true }), span(lesson.title, { bold: true }));
      where.push(span(` · step ${state.screen.step + 1}/${lesson.steps.length}`));
    }
  } else {
    where.push(span('› ', { dim: true }), span('Lessons', { bold: true }));
  }
  const engine = state.backend ? state.backend.description : state.backendError ? 'not connected' : 'starting…';
  const right: Line = [span(engine, { dim: true }), span(' · ', { dim: true }), span(progressText(state)), span(' ')];
  const rightWidth = lineWidth(right);
  const room = width - rightWidth - 1;
  if (room < lineWidth(left) + 4) return fit(truncate([...left, ...right], width), width);
  const head = truncate([...left, ...where], room);
  return [...fit(head, width - rightWidth), ...right];
}

export const Header = memo(function Header({ progress, lessons, screen, backend, backendError, width }: HeaderInfo & { readonly width: number }) {
  return <LineText line={headerLine({ progress, lessons, screen, backend, backendError }, width)} />;
});
