/**
 * Lesson Markdown as terminal lines: headings, emphasis, inline code, code blocks, lists and
 * quotes, word-wrapped at the width given. marked's lexer reads the Markdown; this only lays out
 * its tokens, so nothing is turned into HTML.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { blank, type Line, lineWidth, printable, type Span, span, type Style, wrapChars, wrapWords } from './line.js';

const CODE: Style = { color: 'yellow' };

/** Inline tokens as spans, in the style of what contains them. */
function inline(tokens: readonly Token[] | undefined, style: Style): Span[] {
  const out: Span[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong': out.push(...inline((t as Tokens.Strong).tokens, { ...style, bold: true })); break;
      case 'em': out.push(...inline((t as Tokens.Em).tokens, { ...style, italic: true })); break;
      case 'del': out.push(...inline((t as Tokens.Del).tokens, { ...style, dim: true })); break;
      case 'codespan': out.push(span(printable((t as Tokens.Codespan).text), { ...style, ...CODE })); break;
      case 'br': out.push(span('\n', style)); break;
      case 'link': {
        const link = t as Tokens.Link;
        out.push(...inline(link.tokens, { ...style, underline: true }));
        if (link.text !== link.href) out.push(span(` (${link.href})`, { ...style, dim: true }));
        break;
      }
      case 'image': out.push(span(`[${(t as Tokens.Image).text}]`, { ...style, dim: true })); break;
      case 'text': {
        const text = t as Tokens.Text;
        if (text.tokens && text.tokens.length > 0) out.push(...inline(text.tokens, style));
        else out.push(span(text.text.replace(/\n/g, ' '), style));
        break;
      }
      case 'escape': out.push(span((t as Tokens.Escape).text, style)); break;
      default: if ('text' in t && typeof t.text === 'string') out.push(span(t.text.replace(/\n/g, ' '), style));
    }
  }
  return out;
}

/** A paragraph's spans, split where the Markdown has a hard line break, then word-wrapped. */
function paragraph(spans: Span[], width: number, prefix: Line, hanging: Line): Line[] {
  const rows: Span[][] = [[]];
  for (const s of spans) {
    s.text.split('\n').forEach((p, i) => {
      if (i > 0) rows.push([]);
      if (p !== '') (rows[rows.length - 1] as Span[]).push({ ...s, text: printable(p) });
    });
  }
  return rows.flatMap((r, i) => wrapWords(r, width, i === 0 ? prefix : hanging, hanging));
}

/**
 * Block tokens as lines, each starting with `indent`, except the very first, which starts with
 * `first` (a list item's bullet).
 */
function blocks(tokens: readonly Token[], width: number, indent: Line, first: Line = indent): Line[] {
  const out: Line[] = [];
  const prefix = () => (out.length === 0 ? first : indent);
  const gap = () => {
    if (out.length > 0 && (out[out.length - 1] as Line).length > 0) out.push(blank);
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'space': break;
      case 'heading':
        gap();
        out.push(...paragraph(inline((t as Tokens.Heading).tokens, { bold: true }), width, prefix(), indent));
        break;
      case 'paragraph':
        gap();
        out.push(...paragraph(inline((t as Tokens.Paragraph).tokens, {}), width, prefix(), indent));
        break;
      case 'text': {
        // Text directly in a list item.
        const text = t as Tokens.Text;
        out.push(...paragraph(text.tokens ? inline(text.tokens, {}) : [span(text.text)], width, prefix(), indent));
        break;
      }
      case 'code': {
        gap();
        for (const row of (t as Tokens.Code).text.split('\n')) {
          out.push(...wrapChars([...prefix(), span('  '), span(printable(row), CODE)], width));
        }
        break;
      }
      case 'list': {
        gap();
        const list = t as Tokens.List;
        const start = typeof list.start === 'number' ? list.start : 1;
        list.items.forEach((item, i) => {
          const bullet = list.ordered ? `${start + i}. ` : '• ';
          if (item.loose && i > 0) out.push(blank);
          const head = out.length === 0 ? first : indent;
          out.push(...blocks(item.tokens, width, [...indent, span(' '.repeat(bullet.length))], [...head, span(bullet, { dim: !list.ordered })]));
        });
        break;
      }
      case 'blockquote':
        gap();
        out.push(...blocks((t as Tokens.Blockquote).tokens, width, [...indent, span('│ ', { dim: true })]));
        break;
      case 'hr':
        gap();
        out.push([...prefix(), span('─'.repeat(Math.max(1, width - 1 - lineWidth(indent))), { dim: true })]);
        break;
      case 'table': {
        gap();
        const table = t as Tokens.Table;
        const row = (cells: readonly { tokens: Token[] }[]) => cells.flatMap((c, i) => [...(i > 0 ? [span(' │ ', { dim: true })] : []), ...inline(c.tokens, {})]);
        out.push(...wrapWords(row(table.header).map((s) => ({ ...s, bold: true })), width, prefix(), indent));
        for (const r of table.rows) out.push(...wrapWords(row(r), width, indent, indent));
        break;
      }
      default: {
        const raw = 'text' in t && typeof t.text === 'string' ? t.text : t.raw;
        if (raw.trim() !== '') out.push(...paragraph([span(raw)], width, prefix(), indent));
      }
    }
  }
  return out;
}

/** Laid-out Markdown by text and width: a step's prose is drawn on every frame and never changes. */
const laidOut = new Map<string, Line[]>();
const LAID_OUT_MAX = 200;

/** Markdown as lines of at most `width` columns. */
export function markdownLines(markdown: string, width: number): Line[] {
  const key = `${width}\n${markdown}`;
  const cached = laidOut.get(key);
  if (cached) return cached;
  const lines = blocks(Lexer.lex(markdown), Math.max(10, width), []);
  if (laidOut.size >= LAID_OUT_MAX) laidOut.delete(laidOut.keys().next().value as string);
  laidOut.set(key, lines);
  return lines;
}

/** One line of inline Markdown (a hint, a summary) as spans, for wrapping by the caller. */
export function inlineMarkdown(markdown: string, style: Style = {}): Span[] {
  const tokens = Lexer.lexInline(markdown.trim());
  return inline(tokens, style).map((s) => ({ ...s, text: printable(s.text.replace(/\n/g, ' ')) }));
}
