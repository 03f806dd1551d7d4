/**
 * The line layout under the screen: widths (wide characters count two), wrapping that never
 * exceeds the width, and lesson Markdown as lines.
 */
import { describe, expect, it } from 'vitest';
import { type Line, lineWidth, printable, span, textWidth, truncate, wrapChars, wrapWords } from '../../src/ui/text/line.js';
import { markdownLines } from '../../src/ui/text/markdown.js';

const plain = (l: Line) => l.map((s) => s.text).join('');

describe('widths', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('日本')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('✓ …')).toBe(3);
  });

  it('shows control characters as escapes, never raw', () => {
    expect(printable('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printable('a\tb\r')).toBe('a    b');
  });
});

describe('wrapping', () => {
  it('word-wraps at the width, with a hanging indent', () => {
    const rows = wrapWords([span('the quick brown fox jumps over the lazy dog')], 12, [span('• ')], [span('  ')]).map(plain);
    expect(rows).toEqual(['• the quick', '  brown fox', '  jumps over', '  the lazy', '  dog']);
  });

  it('starts a word longer than a line on its own line, breaks it, and keeps every row within the width', () => {
    const rows = wrapWords([span('x '), span('a'.repeat(25), { bold: true })], 10);
    expect(rows.map(plain)).toEqual(['x', 'aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaa']);
    for (const r of rows) expect(lineWidth(r)).toBeLessThanOrEqual(10);
    expect(rows[1]?.[0]?.bold).toBe(true);
  });

  it('wraps by character like a terminal, wide characters never split', () => {
    expect(wrapChars([span('abcdefg')], 3).map(plain)).toEqual(['abc', 'def', 'g']);
    expect(wrapChars([span('a日本')], 4).map(plain)).toEqual(['a日', '本']);
  });

  it('truncates with an ellipsis', () => {
    expect(plain(truncate([span('hello world')], 6))).toBe('hello…');
    expect(plain(truncate([span('short')], 6))).toBe('short');
  });
});

describe('Markdown', () => {
  const md = [
    '# Lists',
    '',
    'A *list* is a sequence of strings. `LPUSH problems a b c` pushes',
    'at the **head**.',
    '',
    '- one item that is long enough to wrap around',
    '- two',
    '',
    '```',
    'LPUSH q a',
    '```',
  ].join('\n');

  it('lays out headings, paragraphs, lists and code blocks at the width', () => {
    const rows = markdownLines(md, 30);
    expect(rows.map(plain)).toEqual([
      'Lists',
      '',
      'A list is a sequence of',
      'strings. LPUSH problems a b c',
      'pushes at the head.',
      '',
      '• one item that is long enough',
      '  to wrap around',
      '• two',
      '',
      '  LPUSH q a',
    ]);
    for (const r of rows) expect(lineWidth(r)).toBeLessThanOrEqual(30);
  });

  it('styles emphasis and inline code', () => {
    const rows = markdownLines('a *b* **c** `d`', 40);
    const spans = rows[0] ?? [];
    expect(spans.find((s) => s.text === 'b')?.italic).toBe(true);
    expect(spans.find((s) => s.text === 'c')?.bold).toBe(true);
    expect(spans.find((s) => s.text === 'd')?.color).toBe('yellow');
    expect(rows[0] && plain(rows[0])).toBe('a b c d');
  });
});
