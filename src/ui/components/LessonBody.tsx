/**
 * The lesson screen's body: the step's prose (scrollable with PgUp/PgDn when it does not fit), its
 * task (always in view), and under them the transcript, anchored to the prompt, with the spinner
 * while a command waits and the choices of a quiz.
 */
import { memo, useMemo } from 'react';
import type { ExerciseStepView, LessonView, QuizStepView } from '../lesson-view.js';
import { starterName } from '../state/exercise.js';
import { blockedOn } from '../state/lesson.js';
import type { LessonScreen } from '../state/types.js';
import { blank, type Line, span, wrapWords } from '../text/line.js';
import { inlineMarkdown, markdownLines } from '../text/markdown.js';
import { Lines } from './Lines.js';
import { transcriptLines } from './Transcript.js';

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
/** The widest lines of prose, on a wide terminal. */
export const PROSE_MAX_WIDTH = 90;

const WAITS: Record<string, string> = {
  BLPOP: 'a push', BRPOP: 'a push', BLMOVE: 'a push', BRPOPLPUSH: 'a push', BLMPOP: 'a push',
  BZPOPMIN: 'a member', BZPOPMAX: 'a member', BZMPOP: 'a member',
  XREAD: 'a new entry', XREADGROUP: 'a new entry', WAIT: 'the replicas',
};

export function spinner(now: number): string {
  return SPINNER[Math.floor(now / 80) % SPINNER.length] as string;
}

/** "⠋ waiting for a push… (Ctrl+C stops waiting)", or nothing when no wait is on. */
export function waitingLine(screen: LessonScreen, now: number): Line | undefined {
  if (screen.verifying) {
    const what = screen.verifying.file === undefined ? 'your program' : screen.verifying.file;
    return [span(`${spinner(now)} `, { color: 'cyan' }), span(`verifying ${what}… `), span('(Ctrl+C stops it)', { dim: true })];
  }
  const blocked = blockedOn(screen, now);
  if (blocked) {
    const what = WAITS[blocked] ?? 'the reply';
    return [span(`${spinner(now)} `, { color: 'cyan' }), span(`waiting for ${what}… `), span('(Ctrl+C stops waiting)', { dim: true })];
  }
  if (screen.pending.length === 0 && screen.subscribed) {
    return [span(`${spinner(now)} `, { color: 'cyan' }), span('listening for messages… '), span('(Ctrl+C stops listening)', { dim: true })];
  }
  if (!screen.ready && screen.transcript.length === 0) return [span('opening the lesson…', { dim: true })];
  return undefined;
}

export function quizLines(step: QuizStepView, screen: LessonScreen, width: number): Line[] {
  const out: Line[] = [...wrapWords(inlineMarkdown(step.question, { bold: true }), width)];
  const answered = screen.quiz.answered;
  step.choices.forEach((c, i) => {
    const selected = i === screen.quiz.selected;
    const n = `${i + 1}. `;
    let mark: Line = [span(selected ? ' › ' : '   ', { color: 'cyan', bold: true })];
    let style = {};
    if (answered) {
      if (c.correct) mark = [span(' ✓ ', { color: 'green', bold: true })];
      else if (answered.choice === i) mark = [span(' ✗ ', { color: 'red', bold: true })];
      else mark = [span('   ')];
      style = c.correct ? { color: 'green' } : answered.choice === i ? { color: 'red' } : { dim: true };
    }
    const hanging = [span(' '.repeat(3 + n.length))];
    out.push(...wrapWords([span(n, { bold: selected }), ...inlineMarkdown(c.text, style)], width, mark, hanging));
    if (answered) out.push(...wrapWords(inlineMarkdown(c.explain, { dim: true, italic: true }), width, hanging, hanging));
  });
  if (!answered) {
    out.push([span(`   ↑/↓ or 1–${step.choices.length} to choose, Enter to answer`, { dim: true })]);
  } else if (answered.correct) {
    out.push(blank, [span('✓ Right! ', { color: 'green', bold: true }), span('Enter', { bold: true }), span(screen.complete ? ' → next lesson' : ' → next step', { dim: true })]);
  } else {
    out.push(blank, [span('✗ Not quite. ', { color: 'yellow', bold: true }), span('Each choice is explained above: choose again.', { dim: true })]);
  }
  return out;
}

/** Under an exercise's task: the file to write, and the two meta-commands that make it and check it. */
export function exerciseLines(step: ExerciseStepView, width: number): Line[] {
  return wrapWords([
    span('▶ Write: ', { color: 'green', bold: true }), span(starterName(step), { bold: true }),
    span('  (', { dim: true }), span(':exercise', { bold: true }), span(' writes a starter, ', { dim: true }),
    span(':verify', { bold: true }), span(' checks it)', { dim: true }),
  ], width, [], [span('         ')]);
}

export function lessonBodyLines(lesson: LessonView | undefined, screen: LessonScreen, now: number, width: number, height: number): Line[] {
  const step = lesson?.steps[screen.step];
  if (!lesson || !step) return [];
  // Text reads best in lines of moderate length, however wide the terminal.
  const textWidth = Math.min(width, PROSE_MAX_WIDTH);
  const prose: Line[] = [];
  if (step.title) prose.push([span(step.title, { bold: true, color: 'cyan' })], blank);
  prose.push(...markdownLines(step.prose, textWidth));
  // Under the prose and always in view: the task (and for an exercise, the file to write), or the
  // quiz's question and choices.
  const task = (text: string) => wrapWords(inlineMarkdown(text), textWidth, [span('▶ Task: ', { color: 'green', bold: true })], [span('        ')]);
  const fixed: Line[] = step.kind === 'quiz'
    ? [blank, ...quizLines(step, screen, textWidth)]
    : [blank, ...task(step.task), ...(step.kind === 'exercise' ? exerciseLines(step, textWidth) : [])];
  const waiting = waitingLine(screen, now);
  const bottom: Line[] = waiting ? [waiting] : [];

  // The transcript may take up to half the body when the prose is long (the prose scrolls), and
  // once the step is done, all but a few rows: then the feedback matters more than the text.
  const free = Math.max(0, height - fixed.length - bottom.length);
  const transcriptAll = transcriptLines(screen.transcript, width, free);
  const share = screen.passed ? Math.max(Math.floor(free / 2), free - 4) : Math.floor(free / 2);
  // One blank row keeps the transcript apart from the task.
  const transcriptWanted = transcriptAll.length === 0 ? 0 : Math.min(transcriptAll.length + 1, share);
  const proseRoom = Math.max(0, Math.min(prose.length, free - transcriptWanted));
  const scroll = Math.max(0, Math.min(screen.scroll, prose.length - proseRoom));
  let shownProse = prose.slice(scroll, scroll + proseRoom);
  if (proseRoom > 0 && proseRoom < prose.length) {
    const above = scroll > 0;
    const below = scroll + proseRoom < prose.length;
    const marker: Line = [span(`${above ? '↑' : ' '}${below ? '↓' : ' '} PgUp/PgDn scroll the text`, { dim: true })];
    shownProse = [...shownProse.slice(0, proseRoom - 1), marker];
  }
  const transcriptRoom = Math.max(0, free - shownProse.length - (transcriptAll.length > 0 ? 1 : 0));
  // Laid out again for the room it really has, so that a long reply is cut to fit it.
  const transcript = transcriptLines(screen.transcript, width, transcriptRoom);
  const gap = Math.max(0, height - shownProse.length - fixed.length - transcript.length - bottom.length);
  return [...shownProse, ...fixed, ...Array.from({ length: gap }, () => blank), ...transcript, ...bottom];
}

export interface LessonBodyProps {
  readonly lesson: LessonView | undefined;
  readonly screen: LessonScreen;
  /** The time, for the spinner; constant (0) while nothing moves, so that typing does not redraw the body. */
  readonly now: number;
  readonly width: number;
  readonly height: number;
}

export const LessonBody = memo(function LessonBody({ lesson, screen, now, width, height }: LessonBodyProps) {
  const lines = useMemo(() => lessonBodyLines(lesson, screen, now, width, height), [lesson, screen, now, width, height]);
  return <Lines lines={lines} width={width} height={height} />;
});
