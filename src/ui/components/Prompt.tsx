/**
 * The bottom of the screen: the prompt (redis-cli's label, the line with its cursor, the grey
 * argument hint after it) and the status line (a notice, Tab's candidates, or the keys).
 */
import { promptLabel } from '../state/common.js';
import { blockedOn } from '../state/lesson.js';
import { ACTION_COMMANDS, META_COMMANDS } from '../state/prompt.js';
import type { AppState } from '../state/types.js';
import { type Line, lineWidth, span, textWidth, truncate } from '../text/line.js';
import { LineText } from './Lines.js';

/** How the cursor is drawn: reverse video, or a bar character where styles are off (NO_COLOR). */
export type CursorStyle = 'inverse' | 'bar';

/** The grey text after the line: redis-cli's argument hint, or what a meta-command does. */
export function hintFor(state: AppState, text: string): string | undefined {
  if (text.trim() === '') return undefined;
  if (text.startsWith(':')) {
    const word = text.trim().toLowerCase();
    const all = [...META_COMMANDS, ...ACTION_COMMANDS];
    const exact = all.find(([n]) => n === word);
    if (exact) return state.strict && word === ':solution' ? '  not available in strict mode' : `  ${exact[1]}`;
    const matches = all.filter(([n]) => n.startsWith(word)).map(([n]) => n);
    return matches.length > 0 ? `  ${matches.join(' ')}` : undefined;
  }
  return state.help?.hint(text);
}

export function promptLine(state: AppState, width: number, cursorStyle: CursorStyle = 'inverse'): Line {
  const label = promptLabel(state);
  const { text, cursor } = state.prompt;
  const screen = state.screen;
  if (screen.kind === 'lesson' && text === '') {
    const step = state.lessons.find((l) => l.id === screen.lesson)?.steps[screen.step];
    // A quiz is answered with the arrows and numbers; the prompt is there for meta-commands.
    if (step?.kind === 'quiz') return [span('Type : for a meta-command (:hint, :skip, :menu, :help)', { dim: true })];
  }
  // While a command waits the prompt is dim: what is typed runs after it (or Ctrl+C stops it).
  const waiting = screen.kind === 'lesson' && (blockedOn(screen, state.now) !== undefined || screen.subscribed);
  const hint = cursor === text.length ? hintFor(state, text) : undefined;
  const room = Math.max(8, width - textWidth(label) - 1);
  // Scroll the line sideways so that the cursor stays in view: walk back from the cursor while
  // the characters fit (a pasted line may be very long; this never looks at more than a screen).
  let start = cursor;
  let used = 0;
  while (start > 0) {
    const w = textWidth(text[start - 1] as string);
    if (used + w > room - 1) break;
    used += w;
    start--;
  }
  const before = text.slice(start, cursor);
  const cp = text.codePointAt(cursor);
  const at = text.slice(cursor, cursor + (cp !== undefined && cp > 0xffff ? 2 : 1));
  const after = text.slice(cursor + at.length);
  const cursorSpan = cursorStyle === 'inverse' ? span(at || ' ', { inverse: true }) : span(at ? `▏${at}` : '▏');
  const l: Line = [span(label, waiting ? { dim: true } : { bold: true }), ...(start > 0 ? [span('…', { dim: true })] : []), span(before.slice(start > 0 ? 1 : 0)), cursorSpan, span(after)];
  const withHint = hint ? [...l, span(hint, { color: 'gray' })] : l;
  return lineWidth(withHint) > width ? truncate(withHint, width) : withHint;
}

const LESSON_KEYS = ':hint :solution :skip :menu :help · Tab completes · ↑↓ history · ^K keyspace';
const STRICT_LESSON_KEYS = 'strict mode: no :solution · :hint :skip :menu :help · Tab completes · ↑↓ history';
const QUIZ_KEYS = '↑↓ or a number chooses · Enter answers · :skip :menu :help';
const EXERCISE_KEYS = ':exercise writes the starter · :verify checks it · :hint :skip :menu :help';
const MENU_KEYS = '↑↓ choose · Enter opens · / filter · r reset · ? help · q quit';
const MENU_KEYS_WITH_CHOICE = '↑↓ choose · Enter opens · / filter · r reset · c where lessons run · ? help · q quit';

export function statusLine(state: AppState, width: number): Line {
  const { notice } = state;
  if (state.screen.kind === 'menu' && state.screen.confirmReset !== undefined) {
    const id = state.screen.confirmReset;
    const title = state.lessons.find((l) => l.id === id)?.title ?? id;
    return truncate([span(`Reset “${title}”? Its done steps will be forgotten. `, { color: 'yellow', bold: true }), span('y', { bold: true }), span(' yes · any other key: no', { dim: true })], width);
  }
  if (state.helpOpen) return [span('Any key closes this help.', { dim: true })];
  if (notice) {
    const color = notice.tone === 'error' ? 'red' : notice.tone === 'warn' ? 'yellow' : 'cyan';
    return truncate([span(notice.text, { color })], width);
  }
  const completion = state.prompt.completion;
  if (completion && state.screen.kind === 'lesson') {
    const items = completion.candidates.map((c, i) => span(c + '  ', i === completion.index ? { inverse: true } : { dim: true }));
    return truncate([span('Tab: ', { dim: true }), ...items], width);
  }
  if (state.screen.kind === 'menu') return truncate([span(state.choice ? MENU_KEYS_WITH_CHOICE : MENU_KEYS, { dim: true })], width);
  const kind = state.lessons.find((l) => l.id === (state.screen as { lesson: string }).lesson)?.steps[state.screen.step]?.kind;
  const keys = kind === 'quiz' && state.prompt.text === '' ? QUIZ_KEYS : kind === 'exercise' ? EXERCISE_KEYS : state.strict ? STRICT_LESSON_KEYS : LESSON_KEYS;
  return truncate([span(keys, { dim: true })], width);
}

export function Prompt({ state, width, cursor }: { readonly state: AppState; readonly width: number; readonly cursor: CursorStyle }) {
  return <LineText line={promptLine(state, width, cursor)} />;
}

export function StatusLine({ state, width }: { readonly state: AppState; readonly width: number }) {
  return <LineText line={statusLine(state, width)} />;
}
