/**
 * Bytes from a client → commands, as Redis reads its query buffer (networking.c
 * processMultibulkBuffer / processInlineBuffer): RESP multibulk requests, and inline commands
 * typed by a person over telnet. Incremental: feed chunks, take commands while complete ones are
 * buffered. A protocol error is final for the connection (Redis answers it and closes).
 */
import { splitArgs } from '../cli/split-args.js';

/** PROTO_INLINE_MAX_SIZE: the longest inline request or count line. */
export const INLINE_MAX_SIZE = 64 * 1024;
/** proto-max-bulk-len's default. */
export const DEFAULT_MAX_BULK_LEN = 512 * 1024 * 1024;
const INT_MAX = 2147483647;

export class ProtocolError {
  constructor(readonly message: string) {}
}

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Arguments still expected by the multibulk request being read (0: none in progress). */
  private multibulkLen = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private failed = false;

  constructor(private readonly maxBulkLen = DEFAULT_MAX_BULK_LEN) {}

  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes received and not yet consumed (Redis' qbuf). */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** The next complete command, a protocol error, or undefined when more bytes are needed. */
  next(): string[] | ProtocolError | undefined {
    if (this.failed) return undefined;
    for (;;) {
      if (this.pos >= this.buf.length) return undefined;
      const result = this.multibulkLen > 0 || this.buf[this.pos] === 0x2a ? this.multibulk() : this.inline();
      if (result instanceof ProtocolError) {
        this.failed = true;
        return result;
      }
      if (result === undefined) return undefined;
      // An empty request (a blank inline line, `*0`) is skipped, as Redis does.
      if (result.length > 0) return result;
    }
  }

  private inline(): string[] | ProtocolError | undefined {
    const newline = this.buf.indexOf(0x0a, this.pos);
    if (newline < 0) {
      if (this.pending > INLINE_MAX_SIZE) return new ProtocolError('Protocol error: too big inline request');
      return undefined;
    }
    let end = newline;
    if (end > this.pos && this.buf[end - 1] === 0x0d) end--;
    const line = this.buf.toString('latin1', this.pos, end);
    const argv = splitArgs(line);
    if (argv === undefined) return new ProtocolError('Protocol error: unbalanced quotes in request');
    this.pos = newline + 1;
    return argv;
  }

  /** The number on a count line (`*3`, `$5`) ending at the next '\r', or undefined if not all there. */
  private countLine(tooBig: string): { value: number | undefined; end: number } | ProtocolError | undefined {
    const cr = this.buf.indexOf(0x0d, this.pos);
    if (cr < 0) {
      if (this.pending > INLINE_MAX_SIZE) return new ProtocolError(tooBig);
      return undefined;
    }
    // The "\n" after "\r" must be there too.
    if (cr + 1 >= this.buf.length) return undefined;
    const text = this.buf.toString('latin1', this.pos + 1, cr);
    const value = /^(0|-?[1-9][0-9]{0,18})$/.test(text) ? Number(text) : undefined;
    return { value, end: cr + 2 };
  }

  private multibulk(): string[] | ProtocolError | undefined {
    if (this.multibulkLen === 0) {
      const line = this.countLine('Protocol error: too big mbulk count string');
      if (line === undefined || line instanceof ProtocolError) return line;
      if (line.value === undefined || line.value > INT_MAX) return new ProtocolError('Protocol error: invalid multibulk length');
      this.pos = line.end;
      if (line.value <= 0) return [];
      this.multibulkLen = line.value;
      this.argv = [];
    }
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const line = this.countLine('Protocol error: too big bulk count string');
        if (line === undefined || line instanceof ProtocolError) return line;
        const first = this.buf[this.pos] as number;
        if (first !== 0x24) return new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(first)}'`);
        if (line.value === undefined || line.value < 0 || line.value > this.maxBulkLen) {
          return new ProtocolError('Protocol error: invalid bulk length');
        }
        this.pos = line.end;
        this.bulkLen = line.value;
      }
      if (this.buf.length - this.pos < this.bulkLen + 2) return undefined;
      this.argv.push(this.buf.toString('latin1', this.pos, this.pos + this.bulkLen));
      // Redis does not check the CRLF after the payload; it skips two bytes.
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }
}
