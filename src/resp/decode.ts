/**
 * RESP bytes → Reply, for reading what a server sends (tests, the generator of the command table,
 * clients). Incremental: `parseReply` returns undefined until a whole reply is in the buffer.
 */
import type { Reply } from './reply.js';

export class ProtocolError extends Error {}

export interface Parsed { readonly reply: Reply; readonly end: number }

/** Parses one reply from `buf` (one-char-per-byte) at `pos`; undefined when incomplete. */
export function parseReply(buf: string, pos = 0): Parsed | undefined {
  const lineEnd = buf.indexOf('\r\n', pos);
  if (lineEnd < 0) return undefined;
  const type = buf[pos];
  const line = buf.slice(pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+': return { reply: { kind: 'simple', value: line }, end: next };
    case '-': return { reply: { kind: 'error', message: line }, end: next };
    case ':': return { reply: { kind: 'integer', value: toInteger(line) }, end: next };
    case ',': return { reply: { kind: 'double', value: toDouble(line) }, end: next };
    case '#': return { reply: { kind: 'boolean', value: line === 't' }, end: next };
    case '_': return { reply: { kind: 'null' }, end: next };
    case '(': return { reply: { kind: 'bignum', value: line }, end: next };
    case '$': case '=': case '!': {
      const len = Number(line);
      if (len < 0) return { reply: { kind: 'null' }, end: next };
      if (buf.length < next + len + 2) return undefined;
      const value = buf.slice(next, next + len);
      const end = next + len + 2;
      if (type === '$') return { reply: { kind: 'bulk', value }, end };
      if (type === '!') return { reply: { kind: 'error', message: value }, end };
      return { reply: { kind: 'verbatim', format: value.slice(0, 3), value: value.slice(4) }, end };
    }
    case '*': case '~': case '>': case '%': {
      const count = Number(line);
      if (count < 0) return { reply: { kind: 'null', array: true }, end: next };
      const n = type === '%' ? count * 2 : count;
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, at);
        if (!item) return undefined;
        items.push(item.reply);
        at = item.end;
      }
      if (type === '%') {
        const entries: [Reply, Reply][] = [];
        for (let i = 0; i < items.length; i += 2) entries.push([items[i] as Reply, items[i + 1] as Reply]);
        return { reply: { kind: 'map', entries }, end: at };
      }
      const kind = type === '*' ? 'array' : type === '~' ? 'set' : 'push';
      return { reply: { kind, items }, end: at };
    }
    default:
      throw new ProtocolError(`unexpected RESP type byte ${JSON.stringify(type)} at ${pos}`);
  }
}

function toInteger(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function toDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}
