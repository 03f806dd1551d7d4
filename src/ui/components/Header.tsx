/** The top line: where the learner is, the engine, and the progress ("14 / 61 steps · 23%"). */
import { totalCount } from '../../progress/progress.js';
import { lessonById } from '../state/common.js';
import type { AppState } from '../state/types.js';
import { fit, type Line, lineWidth, type Span, span, truncate } from '../text/line.js';
import { LineText } from './Lines.js';

export function progressText(state: AppState): string {
  const { done, total } = totalCount(state.progress, state.lessons);
  const percent = total === 0 ? 0 : Math.floor((done * 100) / total);
  return `${done} / ${total} steps · ${percent}%`;
}

export function headerLine(state: AppState, width: number): Line {
  const left: Line = [span(' redislings ', { bold: true, color: 'red' })];
  const where: Span[] = [];
  if (state.screen.kind === 'lesson') {
    const lesson = lessonById(state, state.screen.lesson);
    if (lesson) {
      const step = lesson.steps[state.screen.step];
      where.push(span('› ', { dim: true }), span(lesson.title, { bold: true }));
      where.push(span(`  step ${state.screen.step + 1}/${lesson.steps.length}`, { dim: true }));
      if (step?.title) where.push(span(` ${step.title}`));
    }
  } else {
    where.push(span('› ', { dim: true }), span('Lessons', { bold: true }));
  }
  const engine = state.backend ? state.backend.description : 'starting the engine…';
  const right: Line = [span(engine, { dim: true }), span(' · ', { dim: true }), span(progressText(state)), span(' ')];
  const rightWidth = lineWidth(right);
  const room = width - rightWidth - 1;
  if (room < lineWidth(left) + 4) return fit(truncate([...left, ...right], width), width);
  const head = truncate([...left, ...where], room);
  return [...fit(head, width - rightWidth), ...right];
}

export function Header({ state, width }: { readonly state: AppState; readonly width: number }) {
  return <LineText line={headerLine(state, width)} />;
}
