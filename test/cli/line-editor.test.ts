/**
 * The prompt's line editor, driven through a fake terminal: typing and editing keys, history,
 * Tab completion cycling as linenoise does, the grey hint, Ctrl-C / Ctrl-D, pasted lines.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HelpTable } from '../../src/cli/help.js';
import { History } from '../../src/cli/history.js';
import { LineEditor } from '../../src/cli/line-editor.js';

class FakeTerminal extends PassThrough {
  readonly isTTY = true;
  raw = false;
  setRawMode(mode: boolean): this {
    this.raw = mode;
    return this;
  }
}

const help = HelpTable.bundled();

function editor(lines: string[] = []) {
  const input = new FakeTerminal();
  let screen = '';
  let beeps = 0;
  const history = new History(undefined);
  for (const l of lines) history.add(l);
  const ed = new LineEditor(input, { write: (s: string) => { screen += s; }, columns: 80, isTTY: true }, {
    history,
    completion: (buf) => help.completions(buf),
    hints: (buf) => {
      const text = help.hint(buf);
      return text === undefined ? undefined : { text, color: 90, bold: false };
    },
    beep: () => { beeps++; },
  });
  return {
    input, ed, history,
    type: (s: string) => input.write(s),
    screen: () => screen,
    clear: () => { screen = ''; },
    beeps: () => beeps,
  };
}

describe('LineEditor', () => {
  it('reads a typed line in raw mode and shows the hint while typing, not after Enter', async () => {
    const t = editor();
    const line = t.ed.read('redislings> ');
    expect(t.input.raw).toBe(true);
    t.type('ping');
    expect(t.screen()).toContain('redislings> ping\x1b[0;90;49m [message]\x1b[0m');
    t.clear();
    t.type('\r');
    expect(await line).toBe('ping');
    expect(t.input.raw).toBe(false);
    expect(t.screen()).toBe('\r\x1b[0Kredislings> ping\r\x1b[16C\n');
    t.ed.close();
  });

  it('edits: cursor keys, insertion, Ctrl-A/E/B/F, backspace, delete, Ctrl-T/U/K/W', async () => {
    const t = editor();
    let line = t.ed.read('> ');
    t.type('gt k\x1b[D\x1b[D\x1b[De\r');
    expect(await line).toBe('get k');
    line = t.ed.read('> ');
    t.type('abc\x01X\x05Y\x02\x7f\x06Z\r');
    expect(await line).toBe('XabYZ');
    line = t.ed.read('> ');
    t.type('abcd\x01\x06\x1b[3~\x14\r');
    expect(await line).toBe('cad');
    line = t.ed.read('> ');
    t.type('one two  three\x17\x17X\r');
    expect(await line).toBe('one X');
    line = t.ed.read('> ');
    t.type('junk\x15ok\x01\x06\x0b\r');
    expect(await line).toBe('o');
    t.ed.close();
  });

  it('walks the history with the arrows and Ctrl-P/Ctrl-N', async () => {
    const t = editor(['set a 1', 'get a']);
    let line = t.ed.read('> ');
    t.type('\x1b[A\x1b[A\r');
    expect(await line).toBe('set a 1');
    line = t.ed.read('> ');
    t.type('draft\x10\x10\x0e\x0e\r');
    expect(await line).toBe('draft');
    line = t.ed.read('> ');
    t.type('\x1b[A\x1b[A\x1b[A\x1b[A\r');
    expect(await line).toBe('set a 1');
    // The line being edited is not left in the history.
    expect(t.history.lines).toEqual(['set a 1', 'get a']);
    t.ed.close();
  });

  it('cycles Tab completions in place, back to the typed text with a beep', async () => {
    const t = editor();
    let line = t.ed.read('> ');
    t.type('get\t');
    expect(t.screen()).toContain('> GET\x1b[0;90;49m key\x1b[0m');
    t.type('\t');
    expect(t.screen()).toContain('> GETBIT');
    t.type(' k 1\r');
    expect(await line).toBe('GETBIT k 1');
    line = t.ed.read('> ');
    t.type('getr\t\t');
    expect(t.beeps()).toBe(1);
    t.type('\t\r');
    expect(await line).toBe('GETRANGE');
    line = t.ed.read('> ');
    t.type('zzz\t');
    expect(t.beeps()).toBe(2);
    t.type('\r');
    expect(await line).toBe('zzz');
    line = t.ed.read('> ');
    // An arrow key leaves the completion with the text as typed, then acts.
    t.type('help @str\t\x1b[D!\r');
    expect(await line).toBe('help @st!r');
    t.ed.close();
  });

  it('gives null on Ctrl-C, and on Ctrl-D only when the line is empty', async () => {
    const t = editor();
    let line = t.ed.read('> ');
    t.type('abc\x03');
    expect(await line).toBeNull();
    line = t.ed.read('> ');
    t.type('ab\x01\x04\r');
    expect(await line).toBe('b');
    line = t.ed.read('> ');
    t.type('\x04');
    expect(await line).toBeNull();
    t.ed.close();
  });

  it('keeps what is typed ahead (a pasted block) for the next reads', async () => {
    const t = editor();
    const first = t.ed.read('> ');
    t.type('ping\recho x\r');
    expect(await first).toBe('ping');
    expect(await t.ed.read('> ')).toBe('echo x');
    t.ed.close();
  });

  it('cuts the hint at the edge of the screen', async () => {
    const t = editor();
    const line = t.ed.read('redislings> ');
    t.type('set k v ');
    const shown = t.screen().split('\r\x1b[0K').pop() as string;
    expect(shown.startsWith('redislings> set k v \x1b[0;90;49m[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-sec\x1b[0m')).toBe(true);
    t.type('\r');
    await line;
    t.ed.close();
  });
});
