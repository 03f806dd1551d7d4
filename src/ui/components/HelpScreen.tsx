/** Keys and meta-commands, over the screen (`?` in the menu, `:help` in a lesson). */
import { ACTION_COMMANDS, META_COMMANDS } from '../state/prompt.js';
import type { AppState } from '../state/types.js';
import { blank, type Line, span, wrapWords } from '../text/line.js';
import { Lines } from './Lines.js';

const row = (keys: string, what: string, width: number): Line[] =>
  wrapWords([span(what)], width, [span('  '), span(keys.padEnd(12), { bold: true, color: 'cyan' })], [span(' '.repeat(14))]);

/** Said first in every help, in strict mode. */
function strictLines(state: AppState, width: number): Line[] {
  if (!state.strict) return [];
  return [
    ...wrapWords([span('Strict mode is on ', { color: 'yellow', bold: true }), span('(graded work): :solution is not available; :hint still helps. :skip moves on, and every skipped step is counted: in the header, the menu and your record (redislings report).', { color: 'yellow' })], width, [span('  ')]),
    blank,
  ];
}

export function helpLines(state: AppState, width: number): Line[] {
  const strict = strictLines(state, width);
  if (state.screen.kind === 'menu') {
    return [
      ...strict,
      [span('  The lesson menu', { bold: true })],
      ...row('↑ ↓  j k', 'choose a lesson', width),
      ...row('Enter', 'open it, where you left off', width),
      ...row('/', 'filter the lessons by words', width),
      ...row('r', 'reset a lesson (asks first)', width),
      ...(state.choice ? row('c', state.choice.inUse ? 'run lessons on the bundled engine again' : `run lessons on the Redis at ${state.choice.url.replace(/^redis:\/\//, '')}`, width) : []),
      ...row('q', 'quit (progress is saved after every step)', width),
      blank,
      [span('  In a lesson', { bold: true })],
      ...wrapWords([span(`Type Redis commands at the prompt and press Enter; each step checks what you did. Commands that start with a colon are for the tutorial: :hint, ${state.strict ? '' : ':solution, '}:skip, :menu, and :help lists them all.`)], width, [span('  ')]),
    ];
  }
  const out: Line[] = [...strict, [span('  At the prompt', { bold: true })]];
  out.push(...row('Enter', 'run the command; on an empty line after ✓: go on', width));
  out.push(...row('Tab', 'complete a command, key or :name (again: the next)', width));
  out.push(...row('↑ ↓', 'earlier commands · PgUp/PgDn scroll the text', width));
  out.push(...row('Ctrl+K', 'show or hide the keyspace panel (or :keys)', width));
  out.push(...row('Ctrl+C', 'stop waiting (BRPOP, SUBSCRIBE); twice: quit', width));
  out.push(...row('help SET', "Redis' own help for a command", width));
  out.push(blank, [span('  Meta-commands', { bold: true }), span(' (a colon first: never a Redis command)', { dim: true })]);
  const actions = state.backend?.capabilities.has('persistence') ? ACTION_COMMANDS : [];
  for (const [name, what] of [...META_COMMANDS, ...actions]) {
    if (name === ':keys') continue;
    if (state.strict && name === ':solution') out.push(...row(name, 'not available in strict mode', width));
    else if (state.strict && name === ':skip') out.push(...row(name, `${what} (counted: strict mode)`, width));
    else out.push(...row(name, what, width));
  }
  return out;
}

export function HelpScreen({ state, width, height }: { readonly state: AppState; readonly width: number; readonly height: number }) {
  return <Lines lines={helpLines(state, width)} width={width} height={height} />;
}
