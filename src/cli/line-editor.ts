/**
 * The line editor of the interactive prompt: a port of linenoise as redis-cli uses it (multi-line
 * mode, Tab completion that cycles through the candidates in place, a grey hint after the text,
 * history on ↑/↓ and Ctrl-P/Ctrl-N, the Emacs keys linenoise knows). Keys come from
 * node:readline's keypress decoder; the screen is redrawn with the escape sequences linenoise
 * writes (refreshMultiLine).
 */
import readline from 'node:readline';
import type { History } from './history.js';

export interface Hint {
  readonly text: string;
  /** An SGR colour (redis-cli: 90, grey) and boldness. */
  readonly color: number;
  readonly bold: boolean;
}

export interface EditorInput extends NodeJS.ReadableStream {
  setRawMode?(mode: boolean): unknown;
  readonly isTTY?: boolean;
}

export interface EditorOutput {
  write(text: string): unknown;
  readonly columns?: number;
  readonly isTTY?: boolean;
}

export interface LineEditorOptions {
  readonly completion?: (buf: string) => string[];
  readonly hints?: (buf: string) => Hint | undefined;
  readonly history: History;
  /** Where the completion beep goes (linenoise writes it to stderr). */
  readonly beep?: () => void;
}

interface Key {
  readonly sequence?: string;
  readonly name?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
}

/** The state of one line being edited (struct linenoiseState). */
interface EditState {
  buf: string;
  pos: number;
  oldpos: number;
  maxrows: number;
  historyIndex: number;
  readonly prompt: string;
  readonly cols: number;
  /** While Tab cycles: the candidates and the one shown (== length: the original line). */
  completion: { readonly candidates: readonly string[]; index: number } | null;
  readonly done: (line: string | null) => void;
}

export class LineEditor {
  private state: EditState | null = null;
  /** Keys typed while no line is being read (a paste with several lines): used by the next read. */
  private readonly queued: [string | undefined, Key][] = [];
  private readonly onKeypress = (s: string | undefined, key: Key | undefined) => {
    const k = key ?? { sequence: s };
    if (this.state) this.key(this.state, s, k);
    else this.queued.push([s, k]);
  };

  constructor(
    private readonly input: EditorInput,
    private readonly output: EditorOutput,
    private readonly options: LineEditorOptions,
  ) {
    readline.emitKeypressEvents(input);
    input.on('keypress', this.onKeypress);
  }

  /** Stops listening to the keyboard (the prompt is closing). */
  close(): void {
    this.input.off('keypress', this.onKeypress);
    this.input.pause();
  }

  /** linenoise(prompt): the line typed, or null on Ctrl-C, or Ctrl-D on an empty line. */
  read(prompt: string): Promise<string | null> {
    return new Promise((resolve) => {
      const cols = this.output.isTTY && this.output.columns ? this.output.columns : 80;
      const history = this.options.history;
      // The latest history entry is always the line being edited.
      history.add('');
      const state: EditState = {
        buf: '', pos: 0, oldpos: 0, maxrows: 0, historyIndex: 0, prompt, cols, completion: null,
        done: (line) => {
          this.state = null;
          this.input.setRawMode?.(false);
          this.input.pause();
          this.output.write('\n');
          resolve(line);
        },
      };
      this.state = state;
      this.input.setRawMode?.(true);
      this.input.resume();
      this.output.write(prompt);
      while (this.state === state && this.queued.length > 0) {
        const [s, k] = this.queued.shift() as [string | undefined, Key];
        this.key(state, s, k);
      }
    });
  }

  private key(l: EditState, s: string | undefined, key: Key): void {
    if (l.completion) {
      if (!this.completing(l, key)) return;
    } else if (key.name === 'tab' && this.options.completion) {
      this.startCompletion(l);
      return;
    }
    const history = this.options.history;
    const name = key.ctrl ? `C-${key.name ?? ''}` : key.name;
    switch (name) {
      case 'return': case 'enter': case 'C-m': case 'C-j': {
        history.lines.pop();
        this.moveEnd(l);
        // Redraw without the hint, so the line stays on screen as typed.
        this.refresh(l, false);
        l.done(l.buf);
        return;
      }
      case 'C-c':
        l.done(null);
        return;
      case 'backspace': case 'C-h':
        if (l.pos > 0 && l.buf.length > 0) {
          l.buf = l.buf.slice(0, l.pos - 1) + l.buf.slice(l.pos);
          l.pos--;
          this.refresh(l);
        }
        return;
      case 'C-d':
        if (l.buf.length > 0) {
          this.deleteRight(l);
        } else {
          history.lines.pop();
          l.done(null);
        }
        return;
      case 'C-t':
        if (l.pos > 0 && l.pos < l.buf.length) {
          const b = l.buf;
          l.buf = b.slice(0, l.pos - 1) + b[l.pos] + b[l.pos - 1] + b.slice(l.pos + 1);
          if (l.pos !== l.buf.length - 1) l.pos++;
          this.refresh(l);
        }
        return;
      case 'left': case 'C-b':
        if (l.pos > 0) {
          l.pos--;
          this.refresh(l);
        }
        return;
      case 'right': case 'C-f':
        if (l.pos !== l.buf.length) {
          l.pos++;
          this.refresh(l);
        }
        return;
      case 'up': case 'C-p':
        this.historyMove(l, 1);
        return;
      case 'down': case 'C-n':
        this.historyMove(l, -1);
        return;
      case 'delete':
        this.deleteRight(l);
        return;
      case 'home': case 'C-a':
        if (l.pos !== 0) {
          l.pos = 0;
          this.refresh(l);
        }
        return;
      case 'end': case 'C-e':
        this.moveEnd(l);
        return;
      case 'C-u':
        l.buf = '';
        l.pos = 0;
        this.refresh(l);
        return;
      case 'C-k':
        l.buf = l.buf.slice(0, l.pos);
        this.refresh(l);
        return;
      case 'C-l':
        this.output.write('\x1b[H\x1b[2J');
        this.refresh(l);
        return;
      case 'C-w': {
        const old = l.pos;
        while (l.pos > 0 && l.buf[l.pos - 1] === ' ') l.pos--;
        while (l.pos > 0 && l.buf[l.pos - 1] !== ' ') l.pos--;
        l.buf = l.buf.slice(0, l.pos) + l.buf.slice(old);
        this.refresh(l);
        return;
      }
    }
    // Anything else that is text is typed in; other control keys and escape sequences are ignored.
    const text = s ?? key.sequence ?? '';
    if (key.ctrl || key.meta || text === '' || /[\x00-\x1f\x7f]/.test(text)) return;
    l.buf = l.buf.slice(0, l.pos) + text + l.buf.slice(l.pos);
    l.pos += text.length;
    this.refresh(l);
  }

  private moveEnd(l: EditState): void {
    if (l.pos !== l.buf.length) {
      l.pos = l.buf.length;
      this.refresh(l);
    }
  }

  private deleteRight(l: EditState): void {
    if (l.buf.length > 0 && l.pos < l.buf.length) {
      l.buf = l.buf.slice(0, l.pos) + l.buf.slice(l.pos + 1);
      this.refresh(l);
    }
  }

  /** linenoiseEditHistoryNext: dir 1 is older (↑), -1 newer (↓). An edited entry keeps its edits. */
  private historyMove(l: EditState, dir: 1 | -1): void {
    const lines = this.options.history.lines;
    if (lines.length <= 1) return;
    lines[lines.length - 1 - l.historyIndex] = l.buf;
    l.historyIndex += dir;
    if (l.historyIndex < 0) {
      l.historyIndex = 0;
      return;
    }
    if (l.historyIndex >= lines.length) {
      l.historyIndex = lines.length - 1;
      return;
    }
    l.buf = lines[lines.length - 1 - l.historyIndex] as string;
    l.pos = l.buf.length;
    this.refresh(l);
  }

  /** completeLine: Tab shows the first candidate in place of the line. */
  private startCompletion(l: EditState): void {
    const candidates = this.options.completion?.(l.buf) ?? [];
    if (candidates.length === 0) {
      this.beep();
      return;
    }
    l.completion = { candidates, index: 0 };
    this.showCompletion(l);
  }

  private showCompletion(l: EditState): void {
    const c = l.completion;
    if (!c) return;
    const shown = c.candidates[c.index];
    if (shown === undefined) {
      this.refresh(l);
      return;
    }
    const saved = { buf: l.buf, pos: l.pos };
    l.buf = shown;
    l.pos = shown.length;
    this.refresh(l);
    l.buf = saved.buf;
    l.pos = saved.pos;
  }

  /**
   * A key while Tab cycles: Tab shows the next candidate (then the original line, with a beep),
   * Esc (and any escape sequence, which starts with Esc) goes back to the original line, any
   * other key takes the candidate shown. True when the key must still be handled as usual.
   */
  private completing(l: EditState, key: Key): boolean {
    const c = l.completion as NonNullable<EditState['completion']>;
    if (key.name === 'tab' && !key.ctrl && !key.meta) {
      c.index = (c.index + 1) % (c.candidates.length + 1);
      if (c.index === c.candidates.length) this.beep();
      this.showCompletion(l);
      return false;
    }
    l.completion = null;
    if (key.name === 'escape' || key.sequence?.startsWith('\x1b')) {
      if (c.index < c.candidates.length) this.refresh(l);
      return key.name !== 'escape';
    }
    const chosen = c.candidates[c.index];
    if (chosen !== undefined) {
      l.buf = chosen;
      l.pos = chosen.length;
    }
    return true;
  }

  private beep(): void {
    if (this.options.beep) this.options.beep();
    else process.stderr.write('\x07');
  }

  /** refreshMultiLine: redraws the prompt and the line, over as many rows as it takes. */
  private refresh(l: EditState, withHints = true): void {
    const plen = l.prompt.length;
    const cols = l.cols;
    const len = l.buf.length;
    let rows = Math.floor((plen + len + cols - 1) / cols);
    const rpos = Math.floor((plen + l.oldpos + cols) / cols);
    const oldRows = l.maxrows;
    if (rows > l.maxrows) l.maxrows = rows;
    let out = '';
    // Go to the last row used, then clear every row going up.
    if (oldRows - rpos > 0) out += `\x1b[${oldRows - rpos}B`;
    for (let j = 0; j < oldRows - 1; j++) out += '\r\x1b[0K\x1b[1A';
    out += '\r\x1b[0K';
    out += l.prompt + l.buf;
    if (withHints) out += this.hintText(l, plen);
    // At the very end of the screen's row, move to the start of the next one.
    if (l.pos && l.pos === len && (l.pos + plen) % cols === 0) {
      out += '\n\r';
      rows++;
      if (rows > l.maxrows) l.maxrows = rows;
    }
    const rpos2 = Math.floor((plen + l.pos + cols) / cols);
    if (rows - rpos2 > 0) out += `\x1b[${rows - rpos2}A`;
    const col = (plen + l.pos) % cols;
    out += col ? `\r\x1b[${col}C` : '\r';
    l.oldpos = l.pos;
    this.output.write(out);
  }

  /** refreshShowHints: the hint, cut to what fits on the row. */
  private hintText(l: EditState, plen: number): string {
    if (!this.options.hints || plen + l.buf.length >= l.cols) return '';
    const hint = this.options.hints(l.buf);
    if (!hint) return '';
    const text = hint.text.slice(0, l.cols - (plen + l.buf.length));
    const styled = hint.color !== -1 || hint.bold;
    const color = hint.bold && hint.color === -1 ? 37 : hint.color;
    return styled ? `\x1b[${hint.bold ? 1 : 0};${color};49m${text}\x1b[0m` : text;
  }
}
