/**
 * From what Ink reports (one chunk of input and its flags) to the learner's keystrokes. A paste,
 * or `tmux send-keys 'GET a' Enter`, arrives as one chunk with the Enter inside it as `\r`: it is
 * split here so that every line of it is typed and submitted in turn.
 */
import type { KeyFlags, Keystroke } from './types.js';

export function keystrokes(input: string, key: KeyFlags): Keystroke[] {
  if (key.return) return [{ name: 'enter' }];
  if (key.tab && !key.shift) return [{ name: 'tab' }];
  // Ink reports the Backspace key (DEL, 0x7f) as `delete`, like the Delete key: both erase backwards.
  if (key.backspace || key.delete) return [{ name: 'backspace' }];
  if (key.upArrow) return [{ name: 'up' }];
  if (key.downArrow) return [{ name: 'down' }];
  if (key.leftArrow) return [{ name: key.ctrl || key.meta ? 'wordleft' : 'left' }];
  if (key.rightArrow) return [{ name: key.ctrl || key.meta ? 'wordright' : 'right' }];
  if (key.home) return [{ name: 'home' }];
  if (key.end) return [{ name: 'end' }];
  if (key.pageUp) return [{ name: 'pageup' }];
  if (key.pageDown) return [{ name: 'pagedown' }];
  if (key.escape && input === '') return [{ name: 'escape' }];
  if (key.ctrl && /^[a-z]$/.test(input)) return [{ name: 'ctrl', letter: input }];
  // Alt+b / Alt+f: word moves, as in readline.
  if (key.meta && input === 'b') return [{ name: 'wordleft' }];
  if (key.meta && input === 'f') return [{ name: 'wordright' }];
  if (key.meta) return [];
  return splitText(input);
}

/** Text that may hold line ends and control characters (a paste, or fast typing in one chunk). */
function splitText(input: string): Keystroke[] {
  const out: Keystroke[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ name: 'text', text });
    text = '';
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (c === '\r' || c === '\n') {
      flush();
      out.push({ name: 'enter' });
      // \r\n is one line end.
      if (c === '\r' && input[i + 1] === '\n') i++;
    } else if (c === '\x7f' || c === '\b') {
      flush();
      out.push({ name: 'backspace' });
    } else if (c === '\t') {
      // Tab inside pasted text is a blank, not a completion request.
      text += ' ';
    } else if (c.charCodeAt(0) >= 1 && c.charCodeAt(0) <= 26) {
      // Ctrl+letter keys that came with others in one chunk (Ctrl+C twice in a row).
      flush();
      out.push({ name: 'ctrl', letter: String.fromCharCode(c.charCodeAt(0) + 96) });
    } else if (c.charCodeAt(0) < 0x20) {
      // Other control characters (NUL, a lone Escape) have no meaning here.
    } else {
      text += c;
    }
  }
  flush();
  return out;
}
