/**
 * The text of an append-only file (aof.c): each command a RESP array of bulk strings, as
 * catAppendOnlyGenericCommand writes it, and lines starting with `#` as annotations (`#TS:…`).
 *
 * AofReader reads it back one command at a time, as loadSingleAppendOnlyFile and redis-check-aof
 * do, and tells a file that merely stops early (a crash while appending: the last command is cut)
 * from one that is damaged (bytes that cannot be a command), with the offset of either. It is
 * stricter than Redis' loader about line ends (it checks each `\r\n`, as redis-check-aof does),
 * so that a damaged byte is caught where it is rather than read as part of the next command.
 */

/** One command as the AOF holds it (the arguments are bytes, one char each). */
export function encodeCommand(argv: readonly string[]): string {
  let out = `*${argv.length}\r\n`;
  for (const arg of argv) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}

/** Why reading stopped before the end of the data. */
export type AofStop =
  /** The data ends inside a command: everything before `offset` is whole. */
  | { readonly kind: 'truncated'; readonly offset: number }
  /** The bytes at `offset` cannot be part of a command (`expected` says what should be there). */
  | { readonly kind: 'damaged'; readonly offset: number; readonly expected: string };

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const HASH = 35;

/**
 * Reads commands from `data` starting at `start`. `next()` answers the next command's arguments,
 * or undefined at the end, after which `stop` says whether (and where) the data was cut or damaged.
 * `offset` is always the end of the last whole command (or annotation) read.
 */
export class AofReader {
  offset: number;
  stop: AofStop | undefined;
  /** Where the command `next()` answered last begins. */
  commandStart = 0;
  private readonly text: Latin1Buffer;

  constructor(private readonly data: Buffer, start = 0) {
    this.offset = start;
    this.text = data as Latin1Buffer;
  }

  next(): string[] | undefined {
    const data = this.data;
    const end = data.length;
    for (;;) {
      let p = this.offset;
      if (p >= end) return undefined;
      if (data[p] === HASH) {
        // An annotation: skipped up to its line end (a last line without one is fine).
        const lf = data.indexOf(LF, p);
        this.offset = lf < 0 ? end : lf + 1;
        continue;
      }
      this.commandStart = p;
      if (data[p] !== STAR) return this.damaged(p, "'*'");
      const argc = this.readNumber(p + 1);
      if (argc === undefined) return undefined;
      if (argc < 1) return this.damaged(p + 1, 'a number of arguments of at least 1');
      p = this.lineEnd;
      const argv = new Array<string>(argc);
      for (let j = 0; j < argc; j++) {
        if (p >= end) return this.truncated();
        if (data[p] !== DOLLAR) return this.damaged(p, "'$'");
        const len = this.readNumber(p + 1);
        if (len === undefined) return undefined;
        p = this.lineEnd;
        if (p + len + 2 > end) {
          // Cut inside the argument or its line end; but what is there must still look right.
          if (p + len + 1 === end && data[p + len] !== CR) return this.damaged(p + len, "'\\r\\n'");
          return this.truncated();
        }
        if (data[p + len] !== CR || data[p + len + 1] !== LF) return this.damaged(p + len, "'\\r\\n'");
        argv[j] = this.text.latin1Slice(p, p + len);
        p += len + 2;
      }
      this.offset = p;
      return argv;
    }
  }

  /** Where the last readNumber's line ended (just past its \r\n). */
  private lineEnd = 0;

  /** The decimal number after `*` or `$` at `p`, up to \r\n; undefined when cut or damaged (see stop). */
  private readNumber(p: number): number | undefined {
    const data = this.data;
    const end = data.length;
    let n = 0;
    let digits = 0;
    for (; p < end; p++) {
      const b = data[p] as number;
      if (b >= 48 && b <= 57) {
        n = n * 10 + (b - 48);
        digits++;
        if (digits > 15) return this.damaged(p, 'a shorter number');
        continue;
      }
      break;
    }
    if (p >= end) return this.truncated();
    if (digits === 0) return this.damaged(p, 'a number');
    if (data[p] !== CR) return this.damaged(p, "'\\r\\n'");
    if (p + 1 >= end) return this.truncated();
    if (data[p + 1] !== LF) return this.damaged(p + 1, "'\\r\\n'");
    this.lineEnd = p + 2;
    return n;
  }

  private truncated(): undefined {
    this.stop = { kind: 'truncated', offset: this.offset };
    return undefined;
  }

  private damaged(offset: number, expected: string): undefined {
    this.stop = { kind: 'damaged', offset, expected };
    return undefined;
  }
}

/** What a byte looks like in a message (printable as itself, else \xNN). */
export function describeByte(b: number | undefined): string {
  if (b === undefined) return 'the end of the file';
  if (b === CR) return "'\\r'";
  if (b === LF) return "'\\n'";
  return b >= 32 && b < 127 ? `'${String.fromCharCode(b)}'` : `'\\x${b.toString(16).padStart(2, '0')}'`;
}
