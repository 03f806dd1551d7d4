/**
 * Rendering replies exactly as redis-cli 7.0 prints them: the "standard" (TTY, --no-raw) form
 * with `(integer) 1`, quoted strings and numbered nested arrays, and the raw form used when stdout
 * is not a terminal. Ported from cliFormatReplyTTY / cliFormatReplyRaw so the two stay byte-equal.
 * Input and output are one-char-per-byte strings.
 */
import { formatDouble } from './double.js';
import type { Reply } from './reply.js';

/** redis-cli's standard output for one reply, including the trailing newline. */
export function renderReply(reply: Reply): string {
  return renderTTY(reply, '');
}

/**
 * redis-cli's raw output for one reply, ending with its command delimiter. The delimiters are
 * redis-cli's -d (between the elements of an aggregate) and -D (after each reply), both "\n" by default.
 */
export function renderRaw(reply: Reply, mbDelim = '\n', cmdDelim = '\n'): string {
  return raw(reply, mbDelim) + cmdDelim;
}

/** The raw form without the trailing newline: how redis-cli prints INFO and CLIENT LIST even on a TTY. */
export function renderVerbatim(reply: Reply, mbDelim = '\n'): string {
  return raw(reply, mbDelim);
}

/** sdscatrepr: a quoted string with C escapes, non-printable bytes as \xhh. */
export function quote(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? bytes[i] : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

/** The reply as hiredis would hand it to redis-cli: maps flattened, doubles as their text. */
function elementsOf(reply: Reply): readonly Reply[] {
  switch (reply.kind) {
    case 'array': case 'set': case 'push': return reply.items;
    case 'map': return reply.entries.flat();
    default: return [];
  }
}

function isMultiline(reply: Reply): boolean {
  switch (reply.kind) {
    case 'array': case 'set': case 'push':
      if (reply.items.length === 0) return false;
      if (reply.items.length > 1) return true;
      return isMultiline(reply.items[0] as Reply);
    case 'map':
      if (reply.entries.length === 0) return false;
      if (reply.entries.length > 1) return true;
      return isMultiline((reply.entries[0] as readonly [Reply, Reply])[1]);
    default:
      return false;
  }
}

function renderTTY(reply: Reply, prefix: string): string {
  switch (reply.kind) {
    case 'error': return `(error) ${reply.message}\n`;
    case 'simple': return reply.value + '\n';
    case 'integer': return `(integer) ${reply.value}\n`;
    case 'double': return `(double) ${reply.text ?? formatDouble(reply.value)}\n`;
    case 'bignum': return `(big number) ${reply.value}\n`;
    case 'bulk': return quote(reply.value) + '\n';
    case 'verbatim': return reply.value + '\n';
    case 'null': return '(nil)\n';
    case 'boolean': return reply.value ? '(true)\n' : '(false)\n';
    case 'array': case 'set': case 'push': case 'map': {
      const elements = elementsOf(reply);
      if (elements.length === 0) {
        return { array: '(empty array)\n', map: '(empty hash)\n', set: '(empty set)\n', push: '(empty push)\n' }[reply.kind];
      }
      const isMap = reply.kind === 'map';
      const count = isMap ? elements.length / 2 : elements.length;
      const idxlen = String(count).length;
      const nested = prefix + ' '.repeat(idxlen + 2);
      const sep = reply.kind === 'set' ? '~' : isMap ? '#' : ')';
      let out = '';
      for (let i = 0; i < elements.length; i++) {
        const human = (isMap ? i / 2 : i) + 1;
        out += (i === 0 ? '' : prefix) + String(human).padStart(idxlen) + sep + ' ';
        out += renderTTY(elements[i] as Reply, nested);
        if (isMap) {
          i++;
          const value = elements[i] as Reply;
          out = out.slice(0, -1) + ' => ';
          if (isMultiline(value)) out += '\n' + nested;
          out += renderTTY(value, nested);
        }
      }
      return out;
    }
  }
}

function raw(reply: Reply, mb: string): string {
  switch (reply.kind) {
    case 'null': return '';
    case 'error': return reply.message + '\n';
    case 'simple': case 'bulk': case 'verbatim': case 'bignum': return reply.value;
    case 'boolean': return reply.value ? '(true)' : '(false)';
    case 'integer': return String(reply.value);
    case 'double': return reply.text ?? formatDouble(reply.value);
    case 'array': case 'set': case 'push': return reply.items.map((r) => raw(r, mb)).join(mb);
    case 'map': return reply.entries.map(([k, v]) => raw(k, mb) + ' ' + raw(v, mb)).join(mb);
  }
}
