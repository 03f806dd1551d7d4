/**
 * The screen as lines of styled spans. Every region (prose, transcript, keyspace panel, prompt)
 * is laid out here, in plain functions, into exactly the lines it will occupy: the app always
 * knows its height, never draws more rows than the terminal has (Ink would then clear the whole
 * screen on every frame: flicker), and can anchor the transcript to the bottom or scroll prose.
 * Ink only paints the lines.
 */

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white';

export interface Style {
  readonly color?: Color;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

export interface Span extends Style {
  readonly text: string;
}

export type Line = readonly Span[];

export const span = (text: string, style: Style = {}): Span => ({ text, ...style });
export const line = (text: string, style: Style = {}): Line => (text === '' ? [] : [span(text, style)]);
export const blank: Line = [];

/**
 * Columns a code point takes in a terminal: 0 for combining marks and zero-width characters, 2
 * for East Asian wide and fullwidth characters and most emoji, 1 otherwise (the ranges of
 * Unicode's EastAsianWidth W/F that terminals draw wide).
 */
export function codePointWidth(cp: number): number {
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3 || (cp >= 0xe0100 && cp <= 0xe01ef)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += codePointWidth(ch.codePointAt(0) as number);
  return w;
}

export function lineWidth(l: Line): number {
  return l.reduce((w, s) => w + textWidth(s.text), 0);
}

/**
 * Text safe to paint: tabs become spaces, carriage returns go, and other control characters
 * show as \xHH (a raw escape sequence from a reply must not move the cursor or change colours).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f-\x9f]/.test(text)) return text;
  return text
    .replace(/\t/g, '    ')
    .replace(/\r/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** The longest prefix of `text` that fits in `width` columns, and the rest. */
function cut(text: string, width: number): [string, string] {
  let w = 0;
  let i = 0;
  for (const ch of text) {
    const cw = codePointWidth(ch.codePointAt(0) as number);
    if (w + cw > width) break;
    w += cw;
    i += ch.length;
  }
  return [text.slice(0, i), text.slice(i)];
}

/** Cuts a line to `width` columns, with an ellipsis when something was cut. */
export function truncate(l: Line, width: number): Line {
  if (lineWidth(l) <= width) return l;
  const out: Span[] = [];
  let room = Math.max(0, width - 1);
  for (const s of l) {
    if (room <= 0) break;
    const [head] = cut(s.text, room);
    if (head) out.push({ ...s, text: head });
    room -= textWidth(head);
    if (head.length < s.text.length) break;
  }
  out.push(span('…', { dim: true }));
  return out;
}

/** Breaks a line into lines of at most `width` columns, character by character (as a terminal wraps). */
export function wrapChars(l: Line, width: number): Line[] {
  if (width <= 0) return [l];
  const lines: Span[][] = [[]];
  let room = width;
  for (const s of l) {
    let rest = s.text;
    while (rest.length > 0) {
      if (room === 0) {
        lines.push([]);
        room = width;
      }
      let [head, tail] = cut(rest, room);
      if (head === '') {
        // A wide character at the end of a row: it goes on the next one.
        if (room < width) {
          room = 0;
          continue;
        }
        [head, tail] = [[...rest][0] as string, rest.slice(([...rest][0] as string).length)];
      }
      (lines[lines.length - 1] as Span[]).push({ ...s, text: head });
      room -= textWidth(head);
      rest = tail;
    }
  }
  return lines;
}

/**
 * Word-wraps a line into lines of at most `width` columns: the first starts with `prefix`, the
 * others with `hanging` (a list item's indent). Spaces at the start of a line are dropped; a word
 * longer than a line is broken.
 */
export function wrapWords(content: Line, width: number, prefix: Line = [], hanging: Line = prefix): Line[] {
  type Piece = { readonly span: Span; readonly space: boolean };
  const pieces: Piece[] = [];
  for (const s of content) {
    for (const part of s.text.split(/( +)/)) if (part !== '') pieces.push({ span: { ...s, text: part }, space: part.startsWith(' ') });
  }
  const lines: Line[] = [];
  let current: Span[] = [...prefix];
  let used = lineWidth(prefix);
  let atStart = true;
  let pendingSpace: Span | undefined;
  const newLine = () => {
    lines.push(current);
    current = [...hanging];
    used = lineWidth(hanging);
    atStart = true;
    pendingSpace = undefined;
  };
  let i = 0;
  while (i < pieces.length) {
    const piece = pieces[i] as Piece;
    if (piece.space) {
      if (!atStart) pendingSpace = piece.span;
      i++;
      continue;
    }
    const word: Span[] = [];
    while (i < pieces.length && !(pieces[i] as Piece).space) word.push((pieces[i++] as Piece).span);
    const ww = lineWidth(word);
    const sw = pendingSpace ? textWidth(pendingSpace.text) : 0;
    if (used + sw + ww <= width) {
      if (pendingSpace) current.push(pendingSpace);
      current.push(...word);
      used += sw + ww;
      atStart = false;
      pendingSpace = undefined;
      continue;
    }
    if (!atStart) newLine();
    // Longer than a line (or than what the indent leaves): break it, filling each line.
    let rest: Line = word;
    while (rest.length > 0) {
      let [head, tail] = splitAt(rest, width - used);
      if (head.length === 0) [head, tail] = splitAt(rest, 2);
      current.push(...head);
      used += lineWidth(head);
      atStart = false;
      rest = tail;
      if (rest.length > 0) newLine();
    }
  }
  lines.push(current);
  return lines;
}

/** The first `cols` columns of a line and the rest. */
export function splitAt(l: Line, cols: number): [Line, Line] {
  const head: Span[] = [];
  const tail: Span[] = [];
  let room = cols;
  for (const s of l) {
    if (tail.length > 0 || room <= 0) {
      tail.push(s);
      continue;
    }
    const [a, b] = cut(s.text, room);
    if (a) head.push({ ...s, text: a });
    room -= textWidth(a);
    if (b) {
      tail.push({ ...s, text: b });
      room = 0;
    }
  }
  return [head, tail];
}

/** Pads or cuts a line to exactly `width` columns. */
export function fit(l: Line, width: number): Line {
  const w = lineWidth(l);
  if (w > width) return truncate(l, width);
  return w === width ? l : [...l, span(' '.repeat(width - w))];
}
