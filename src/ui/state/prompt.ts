/**
 * The prompt's line editor as pure functions: typing, moving, deleting (readline's keys), the
 * history under ↑/↓, and Tab completion that cycles through the candidates as redis-cli's
 * linenoise does. Command names come from the command table (CommandHelp), key names from the
 * keyspace, meta-commands from META_COMMANDS.
 */
import type { CommandHelp, KeyInfo, PromptState } from './types.js';

export const EMPTY_PROMPT: PromptState = { text: '', cursor: 0, browse: 0, draft: '' };

export function promptWith(text: string, history: readonly string[]): PromptState {
  return { text, cursor: text.length, browse: history.length, draft: '' };
}

export function insert(p: PromptState, text: string): PromptState {
  return { ...p, text: p.text.slice(0, p.cursor) + text + p.text.slice(p.cursor), cursor: p.cursor + text.length, completion: undefined };
}

/** Code units of the character before the cursor (a surrogate pair is one character). */
function charBefore(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at >= 2 && code >= 0xdc00 && code <= 0xdfff ? 2 : 1;
}

function charAfter(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xd800 && code <= 0xdbff && at + 1 < text.length ? 2 : 1;
}

export function backspace(p: PromptState): PromptState {
  if (p.cursor === 0) return p;
  const n = charBefore(p.text, p.cursor);
  return { ...p, text: p.text.slice(0, p.cursor - n) + p.text.slice(p.cursor), cursor: p.cursor - n, completion: undefined };
}

export function deleteForward(p: PromptState): PromptState {
  if (p.cursor >= p.text.length) return p;
  const n = charAfter(p.text, p.cursor);
  return { ...p, text: p.text.slice(0, p.cursor) + p.text.slice(p.cursor + n), completion: undefined };
}

export function move(p: PromptState, to: 'left' | 'right' | 'home' | 'end' | 'wordleft' | 'wordright'): PromptState {
  let cursor = p.cursor;
  const t = p.text;
  switch (to) {
    case 'left': cursor = Math.max(0, cursor - (cursor > 0 ? charBefore(t, cursor) : 0)); break;
    case 'right': cursor = Math.min(t.length, cursor + (cursor < t.length ? charAfter(t, cursor) : 0)); break;
    case 'home': cursor = 0; break;
    case 'end': cursor = t.length; break;
    case 'wordleft':
      while (cursor > 0 && t[cursor - 1] === ' ') cursor--;
      while (cursor > 0 && t[cursor - 1] !== ' ') cursor--;
      break;
    case 'wordright':
      while (cursor < t.length && t[cursor] === ' ') cursor++;
      while (cursor < t.length && t[cursor] !== ' ') cursor++;
      break;
  }
  return cursor === p.cursor ? p : { ...p, cursor, completion: undefined };
}

/** Ctrl+W: the word before the cursor. */
export function deleteWord(p: PromptState): PromptState {
  const to = move(p, 'wordleft').cursor;
  return { ...p, text: p.text.slice(0, to) + p.text.slice(p.cursor), cursor: to, completion: undefined };
}

/** Ctrl+U: everything before the cursor. */
export function deleteToStart(p: PromptState): PromptState {
  return { ...p, text: p.text.slice(p.cursor), cursor: 0, completion: undefined };
}

/** ↑: the previous history line (the line being typed is kept to come back to). */
export function historyUp(p: PromptState, history: readonly string[]): PromptState {
  const browse = Math.min(p.browse, history.length);
  if (browse === 0) return p;
  const draft = browse === history.length ? p.text : p.draft;
  const text = history[browse - 1] as string;
  return { text, cursor: text.length, browse: browse - 1, draft };
}

/** ↓: the next history line, and after the last one the line that was being typed. */
export function historyDown(p: PromptState, history: readonly string[]): PromptState {
  if (p.browse >= history.length) return p;
  const browse = p.browse + 1;
  const text = browse === history.length ? p.draft : (history[browse] as string);
  return { text, cursor: text.length, browse, draft: p.draft };
}

/** The meta-commands, with what each does (for completion, hints and :help). */
export const META_COMMANDS: readonly (readonly [string, string])[] = [
  [':hint', 'one more hint each time'],
  [':solution', 'the answer (after two hints or three tries)'],
  [':skip', 'solve this step for me and go on'],
  [':next', 'the next step (once this one is done)'],
  [':back', 'the step before'],
  [':reset', 'start this step again, from fresh data'],
  [':menu', 'the list of lessons'],
  [':keys', 'show or hide the keyspace panel (Ctrl+K)'],
  [':help', 'keys and commands'],
  [':quit', 'save and leave (or Ctrl+C twice)'],
  [':yes', 'accept what was just offered (a safer command)'],
  [':exercise', 'a step that asks for a program: write its starter file (:exercise ts: TypeScript)'],
  [':verify', 'run your program and check what it does (:verify FILE: another file)'],
];

/** Lesson actions a backend may offer (the persistence lesson's crash and restart). */
export const ACTION_COMMANDS: readonly (readonly [string, string])[] = [
  [':crash', 'kill the server at once (a power cut); it restarts from its files'],
  [':restart', 'stop the server cleanly (SHUTDOWN), then start it again'],
];

/** Candidates for Tab: meta-commands, then command names (first word), then key names. */
export function completionsFor(text: string, help: CommandHelp | undefined, keys: readonly KeyInfo[], actions: boolean): string[] {
  if (text.startsWith(':')) {
    const metas = [...META_COMMANDS, ...(actions ? ACTION_COMMANDS : [])].map(([name]) => name);
    return metas.filter((m) => m.startsWith(text.toLowerCase()) && m !== text);
  }
  const lastSpace = text.lastIndexOf(' ');
  const commands = help ? [...help.completions(text)] : [];
  if (lastSpace < 0) return commands;
  // After the command name: the key names that extend the word being typed.
  const head = text.slice(0, lastSpace + 1);
  const word = text.slice(lastSpace + 1);
  const keyNames = keys.map((k) => k.key).filter((k) => k.startsWith(word) && k !== word && !/[\s"']/.test(k)).sort();
  return [...commands, ...keyNames.map((k) => head + k)];
}

/**
 * Tab: the first candidate replaces the line; each further Tab shows the next one, and after the
 * last one the line as it was typed (linenoise's completeLine).
 */
export function complete(p: PromptState, candidates: () => readonly string[]): PromptState {
  if (p.completion) {
    const { candidates: list, original } = p.completion;
    const index = (p.completion.index + 1) % (list.length + 1);
    const text = index === list.length ? original : (list[index] as string);
    return { ...p, text, cursor: text.length, completion: { candidates: list, index, original } };
  }
  const list = candidates();
  if (list.length === 0) return p;
  const text = list[0] as string;
  return { ...p, text, cursor: text.length, completion: list.length === 1 ? undefined : { candidates: list, index: 0, original: p.text } };
}
