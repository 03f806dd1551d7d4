/**
 * The server's output buffer (a client's reply buffer in networking.c): replies are encoded
 * straight into bytes, and everything answered while handling one chunk of input goes to the
 * socket in one write.
 *
 * Why bytes and not a string: building replies with `+=` and handing the string to the socket
 * made V8 flatten a tree of small strings and then copy it again into a buffer; that was the
 * largest cost of a pipelined LRANGE. Here the common replies (status, error, integer, bulk,
 * null, flat arrays) are written byte by byte; the rare ones go through the shared encoder.
 * The bytes are the same as `encode` gives (test/server/reply-buffer.test.ts checks that).
 */
import type net from 'node:net';
import { encode, type Protocol } from '../resp/encode.js';
import type { Reply } from '../resp/reply.js';

const INITIAL_SIZE = 16 * 1024;
/** Strings up to this long are copied char by char; longer ones by Buffer.write (a native call). */
const SHORT_STRING = 48;
const CR = 0x0d;
const LF = 0x0a;

export class ReplyBuffer {
  private buf = Buffer.allocUnsafe(INITIAL_SIZE);
  private len = 0;

  get empty(): boolean {
    return this.len === 0;
  }

  /** Drops what is buffered (a connection closed without writing it). */
  clear(): void {
    this.len = 0;
  }

  /** Appends raw protocol text (one char per byte), e.g. a protocol error line. */
  addRaw(text: string): void {
    this.string(text);
  }

  add(reply: Reply, resp: Protocol): void {
    switch (reply.kind) {
      case 'simple': return this.line(0x2b /* + */, reply.value);
      case 'error': return this.line(0x2d /* - */, reply.message);
      case 'integer': return this.integer(reply.value);
      case 'bulk': return this.bulk(reply.value);
      case 'null': return this.string(resp === 3 ? '_\r\n' : reply.array ? '*-1\r\n' : '$-1\r\n');
      case 'array': {
        const items = reply.items;
        this.line(0x2a /* * */, String(items.length));
        for (let i = 0; i < items.length; i++) {
          const item = items[i] as Reply;
          if (item.kind === 'bulk') this.bulk(item.value);
          else this.add(item, resp);
        }
        return;
      }
      default: return this.string(encode(reply, resp));
    }
  }

  /**
   * Writes the buffered bytes to the socket; returns socket.write's answer (false: the client is
   * not reading fast enough). The socket keeps a chunk it could not send at once, so the buffer
   * is only reused when the socket took everything synchronously.
   */
  writeTo(socket: net.Socket): boolean {
    if (this.len === 0) return true;
    const more = socket.write(this.buf.subarray(0, this.len));
    this.len = 0;
    if (socket.writableLength > 0) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
    return more;
  }

  /** The bytes buffered so far (for tests). */
  peek(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }

  /** `<type><text>\r\n` */
  private line(type: number, text: string): void {
    this.reserve(text.length + 3);
    this.buf[this.len++] = type;
    this.copy(text);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  /** `:<n>\r\n`, digits written straight from the number (INCR's reply: no string made). */
  private integer(n: number | bigint): void {
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) return this.line(0x3a /* : */, String(n));
    this.reserve(20);
    this.buf[this.len++] = 0x3a; /* : */
    if (n < 0) {
      this.buf[this.len++] = 0x2d; /* - */
      n = -n;
    }
    this.digits(n);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  /** `$<length>\r\n<bytes>\r\n` */
  private bulk(value: string): void {
    this.reserve(value.length + 24);
    this.buf[this.len++] = 0x24; /* $ */
    this.digits(value.length);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
    this.copy(value);
    this.buf[this.len++] = CR;
    this.buf[this.len++] = LF;
  }

  private string(text: string): void {
    this.reserve(text.length);
    this.copy(text);
  }

  /** A non-negative safe integer's decimal digits (room for 16 reserved). */
  private digits(n: number): void {
    let width = 1;
    for (let power = 10; power <= n; power *= 10) width++;
    const buf = this.buf;
    let at = this.len + width;
    this.len = at;
    do {
      buf[--at] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** Copies a one-char-per-byte string; room must have been reserved. */
  private copy(text: string): void {
    const n = text.length;
    if (n <= SHORT_STRING) {
      const buf = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
      this.len = at;
    } else {
      this.len += this.buf.write(text, this.len, n, 'latin1');
    }
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }
}
