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
/** proto-max-bulk-len's minimum: a bulk up to this size never needs the configured limit. */
const MIN_MAX_BULK_LEN = 1024 * 1024;
/** What a client that must still AUTH may send: AUTH and HELLO fit in these (networking.c). */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;
const INT_MAX = 2147483647;
const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;
/** A count line's number was not a valid integer (string2ll failed). */
const INVALID = -Infinity;

export class ProtocolError {
  constructor(readonly message: string) {}
}

export interface ParserLimits {
  /** proto-max-bulk-len, read when a bulk is larger than its minimum (it can change at runtime). */
  readonly maxBulkLen?: () => number;
  /** True while the client must AUTH: requests are then held to a small size. */
  readonly authRequired?: () => boolean;
}

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks held back while a large bulk is arriving, joined once it is complete. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes needed (from pos) before parsing can go on; 0 when unknown. */
  private need = 0;
  /** Arguments still expected by the multibulk request being read (0: none in progress). */
  private multibulkLen = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  /** Arguments of the request being read stored so far in argv. */
  private argc = 0;
  /** The last command name read (see commandName). */
  private lastName = '';
  /** Where the count line countLine just read ends. */
  private lineEnd = 0;
  private failed = false;
  private readonly maxBulkLen: () => number;
  private readonly authRequired: () => boolean;

  constructor(limits: ParserLimits = {}) {
    this.maxBulkLen = limits.maxBulkLen ?? (() => DEFAULT_MAX_BULK_LEN);
    this.authRequired = limits.authRequired ?? (() => false);
  }

  push(chunk: Buffer): void {
    // Joining every chunk of a 100 MB value as it arrives would copy it over and over.
    if (this.need > 0 && this.pending + this.heldBytes + chunk.length < this.need) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      return;
    }
    if (this.heldBytes > 0) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.held, chunk]);
      this.held = [];
      this.heldBytes = 0;
    } else if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
    this.need = 0;
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
      const result = this.multibulkLen > 0 || this.buf[this.pos] === STAR ? this.multibulk() : this.inline();
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
    const newline = this.buf.indexOf(LF, this.pos);
    if (newline < 0) {
      if (this.pending > INLINE_MAX_SIZE) return new ProtocolError('Protocol error: too big inline request');
      return undefined;
    }
    let end = newline;
    if (end > this.pos && this.buf[end - 1] === CR) end--;
    const line = this.buf.toString('latin1', this.pos, end);
    const argv = splitArgs(line);
    if (argv === undefined) return new ProtocolError('Protocol error: unbalanced quotes in request');
    this.pos = newline + 1;
    return argv;
  }

  /**
   * The number on a count line (`*3`, `$5`) ending at the next '\r' (INVALID if it is not one, as
   * string2ll decides), with `lineEnd` set past its "\r\n"; undefined if the line is not all there.
   * (No result object: this runs for every argument of every command.)
   */
  private countLine(tooBig: string): number | ProtocolError | undefined {
    const buf = this.buf;
    const end = buf.length;
    // The line is short ("$5"): a loop here costs less than a call to Buffer.indexOf.
    let cr = this.pos;
    while (cr < end && buf[cr] !== CR) cr++;
    if (cr >= end) {
      if (this.pending > INLINE_MAX_SIZE) return new ProtocolError(tooBig);
      return undefined;
    }
    // The "\n" after "\r" must be there too.
    if (cr + 1 >= end) return undefined;
    this.lineEnd = cr + 2;
    return readCount(buf, this.pos + 1, cr);
  }

  /**
   * The command name: the previous request's string again when the bytes are the same, as they
   * are all along a pipeline. The engine looks every name up in a Map, and a string seen before
   * has its hash already computed.
   */
  private commandName(buf: Buffer, at: number, n: number): string {
    const last = this.lastName;
    if (last.length === n) {
      let i = 0;
      while (i < n && last.charCodeAt(i) === buf[at + i]) i++;
      if (i === n) return last;
    }
    const name = latin1(buf, at, n);
    if (n <= 32) this.lastName = name;
    return name;
  }

  private multibulk(): string[] | ProtocolError | undefined {
    if (this.multibulkLen === 0) {
      const count = this.countLine('Protocol error: too big mbulk count string');
      if (count === undefined || count instanceof ProtocolError) return count;
      if (count === INVALID || count > INT_MAX) return new ProtocolError('Protocol error: invalid multibulk length');
      if (count > UNAUTH_MAX_MULTIBULK && this.authRequired()) return new ProtocolError('Protocol error: unauthenticated multibulk length');
      this.pos = this.lineEnd;
      if (count <= 0) return [];
      this.multibulkLen = count;
      // Sized at once, as Redis does (up to 1024: a huge count may be a lie or arrive slowly).
      this.argv = count <= 1024 ? new Array<string>(count) : [];
      this.argc = 0;
    }
    const buf = this.buf;
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const len = this.countLine('Protocol error: too big bulk count string');
        if (len === undefined || len instanceof ProtocolError) return len;
        const first = buf[this.pos] as number;
        if (first !== DOLLAR) return new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(first)}'`);
        if (len < 0 || (len > MIN_MAX_BULK_LEN && len > this.maxBulkLen())) return new ProtocolError('Protocol error: invalid bulk length');
        if (len > UNAUTH_MAX_BULK && this.authRequired()) return new ProtocolError('Protocol error: unauthenticated bulk length');
        this.pos = this.lineEnd;
        this.bulkLen = len;
      }
      if (buf.length - this.pos < this.bulkLen + 2) {
        this.need = this.bulkLen + 2;
        return undefined;
      }
      const i = this.argc++;
      this.argv[i] = i === 0 ? this.commandName(buf, this.pos, this.bulkLen) : latin1(buf, this.pos, this.bulkLen);
      // Redis does not check the CRLF after the payload; it skips two bytes.
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    return this.argv;
  }
}

const fromCodes = String.fromCharCode;

/**
 * buf[at, at + n) as a one-char-per-byte string. Most arguments are short (names, keys, small
 * values), and for those String.fromCharCode over the bytes is faster than Buffer.toString,
 * whose way into native code costs more than the copy itself (three times for a few bytes, still
 * a third for 24: `user:1000:followers`); the per-length cases keep each call's argument count
 * fixed, which V8 compiles best.
 */
function latin1(buf: Buffer, at: number, n: number): string {
  const b = buf;
  const i = at;
  switch (n) {
    case 0: return '';
    case 1: return fromCodes(b[i]!);
    case 2: return fromCodes(b[i]!, b[i + 1]!);
    case 3: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!);
    case 4: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
    case 5: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!);
    case 6: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!);
    case 7: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!);
    case 8: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    case 9: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!);
    case 10: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!);
    case 11: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!);
    case 12: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!);
    case 13: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!);
    case 14: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!);
    case 15: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!);
    case 16: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!);
    case 17: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!);
    case 18: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!);
    case 19: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!);
    case 20: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!, b[i + 19]!);
    case 21: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!, b[i + 19]!, b[i + 20]!);
    case 22: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!, b[i + 19]!, b[i + 20]!, b[i + 21]!);
    case 23: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!, b[i + 19]!, b[i + 20]!, b[i + 21]!, b[i + 22]!);
    case 24: return fromCodes(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!, b[i + 16]!, b[i + 17]!, b[i + 18]!, b[i + 19]!, b[i + 20]!, b[i + 21]!, b[i + 22]!, b[i + 23]!);
    default: return b.toString('latin1', at, at + n);
  }
}

/** string2ll over buf[start, end): an optional '-', no leading zeros, at most 19 digits. */
function readCount(buf: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === 0x2d;
  if (negative) i++;
  const digits = end - i;
  if (digits <= 0 || digits > 19) return INVALID;
  if (buf[i] === 0x30) return digits === 1 && !negative ? 0 : INVALID;
  let n = 0;
  for (; i < end; i++) {
    const d = (buf[i] as number) - 0x30;
    if (d < 0 || d > 9) return INVALID;
    n = n * 10 + d;
  }
  // Past 2^63-1 string2ll fails; this far out a double is exact enough to tell.
  if (n > 9223372036854775807) return INVALID;
  return negative ? -n : n;
}
