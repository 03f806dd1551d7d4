/**
 * Reply → RESP bytes (as a one-char-per-byte string). RESP2 folds the RESP3-only types the way
 * Redis does for a client that has not said HELLO 3: maps become flat arrays, doubles bulk strings,
 * booleans integers, a null is `$-1` (or `*-1` where Redis sends a null array).
 */
import { formatDouble } from './double.js';
import type { Reply } from './reply.js';

export type Protocol = 2 | 3;

export function encode(reply: Reply, protocol: Protocol): string {
  const parts: string[] = [];
  write(reply, protocol, parts);
  return parts.join('');
}

function bulkString(value: string): string {
  return `$${value.length}\r\n${value}\r\n`;
}

function write(reply: Reply, resp: Protocol, out: string[]): void {
  switch (reply.kind) {
    case 'simple': out.push(`+${reply.value}\r\n`); return;
    case 'error': out.push(`-${reply.message}\r\n`); return;
    case 'integer': out.push(`:${reply.value}\r\n`); return;
    case 'bulk': out.push(bulkString(reply.value)); return;
    case 'null':
      out.push(resp === 3 ? '_\r\n' : reply.array ? '*-1\r\n' : '$-1\r\n');
      return;
    case 'double': {
      const text = reply.text ?? formatDouble(reply.value);
      out.push(resp === 3 ? `,${text}\r\n` : bulkString(text));
      return;
    }
    case 'boolean':
      out.push(resp === 3 ? (reply.value ? '#t\r\n' : '#f\r\n') : reply.value ? ':1\r\n' : ':0\r\n');
      return;
    case 'verbatim':
      out.push(resp === 3 ? `=${reply.value.length + 4}\r\n${reply.format}:${reply.value}\r\n` : bulkString(reply.value));
      return;
    case 'bignum':
      out.push(resp === 3 ? `(${reply.value}\r\n` : bulkString(reply.value));
      return;
    case 'array': case 'set': case 'push': {
      const mark = resp === 2 || reply.kind === 'array' ? '*' : reply.kind === 'set' ? '~' : '>';
      out.push(`${mark}${reply.items.length}\r\n`);
      for (const item of reply.items) write(item, resp, out);
      return;
    }
    case 'map':
      out.push(resp === 3 ? `%${reply.entries.length}\r\n` : `*${reply.entries.length * 2}\r\n`);
      for (const [k, v] of reply.entries) {
        write(k, resp, out);
        write(v, resp, out);
      }
      return;
  }
}

/**
 * The reply as a RESP2 client receives it: what RESP2 cannot express is folded as `encode` folds
 * it (maps flat, sets and pushes as arrays, doubles/verbatim/big numbers as bulk, booleans as
 * integers). Renderers use this so that redis-cli's output matches the client's protocol.
 */
export function asProtocol(reply: Reply, protocol: Protocol): Reply {
  if (protocol === 3) return reply;
  switch (reply.kind) {
    case 'map': return { kind: 'array', items: reply.entries.flatMap(([k, v]) => [asProtocol(k, 2), asProtocol(v, 2)]) };
    case 'array': case 'set': case 'push':
      return { kind: 'array', items: reply.items.map((r) => asProtocol(r, 2)) };
    case 'double': return { kind: 'bulk', value: reply.text ?? formatDouble(reply.value) };
    case 'boolean': return { kind: 'integer', value: reply.value ? 1 : 0 };
    case 'verbatim': case 'bignum': return { kind: 'bulk', value: reply.value };
    default: return reply;
  }
}
