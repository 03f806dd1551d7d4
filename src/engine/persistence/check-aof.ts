/**
 * `redislings check-aof [--fix|--truncate-to-timestamp <ts>] <file.manifest|file.aof>`
 * (redis-check-aof.c): checks a multi-part AOF through its manifest (the base, RDB or RESP, then
 * every incremental file), or one old-style file, with redis-check-aof's reading rules and its
 * report line for line: the first fault with its offset, "AOF analyzed: … ok_up_to=…", and with
 * --fix (after a y at its prompt) the last file cut back to its last whole command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Config } from '../config.js';
import { checkRdb } from './check-rdb.js';
import { ManifestError, parseManifest } from './aof-manifest.js';
import { parseRdb } from './rdb-load.js';
import { RdbError } from './rdb-reader.js';

export interface CheckAofIO {
  write(text: string): void;
  /** The answer to "Continue? [y/N]: " (a line of stdin). */
  readLine(): string | undefined;
}

/** exit(code) in redis-check-aof: unwinds to runCheckAof. */
class Exit {
  constructor(readonly code: number) {}
}

type CheckStatus = 'ok' | 'empty' | 'truncated' | 'timestamp-truncated';

/** fgets(buf, size): up to size-1 bytes, through the first \n; undefined at the end of the data. */
function fgets(data: Buffer, at: number, size: number): Buffer | undefined {
  if (at >= data.length) return undefined;
  const limit = Math.min(data.length, at + size - 1);
  const nl = data.indexOf(10, at);
  return data.subarray(at, nl >= 0 && nl < limit ? nl + 1 : limit);
}

/** A C char printed with %02x: bytes of 0x80 and above are negative chars, so ffffff…. */
function hexChar(b: number | undefined): string {
  const v = b ?? 0;
  return v >= 0x80 ? `ffffff${v.toString(16)}` : v.toString(16).padStart(2, '0');
}

/** The state of one run (redis-check-aof keeps these as globals across the files it checks). */
class Checker {
  error = '';
  epos = 0;
  line = 1;
  private readonly lineBuffer = Buffer.alloc(129);

  constructor(private readonly io: CheckAofIO, private readonly fix: boolean, private readonly toTimestamp: number) {}

  private print(text: string): void {
    this.io.write(`${text}\n`);
  }

  private fail(message: string): void {
    // A C string: a NUL byte in it (a %c of one) ends it.
    const text = message.split('\0')[0] as string;
    this.error = `0x${this.epos.toString(16).padStart(16, ' ')}: ${text}`;
  }

  private consumeNewline(data: Buffer, at: number): boolean {
    if (data[at] !== 13 || data[at + 1] !== 10) {
      this.fail(`Expected \\r\\n, got: ${hexChar(data[at])}${hexChar(data[at + 1])}`);
      return false;
    }
    this.line++;
    return true;
  }

  /** readLong: `<prefix><number>\r\n`; the position after it, or undefined. */
  private readLong(data: Buffer, at: number, prefix: string, out: { value: number }): number | undefined {
    this.epos = at;
    const buf = fgets(data, at, 128);
    if (buf === undefined) return undefined;
    if (buf[0] !== prefix.charCodeAt(0)) {
      this.fail(`Expected prefix '${prefix}', got: '${String.fromCharCode(buf[0] ?? 0)}'`);
      return undefined;
    }
    // redis-check-aof reads the line into a 128-byte stack buffer: fgets ends it with a NUL, and
    // past that the buffer still holds the previous line read (what it prints when a line ends
    // right after its number).
    buf.copy(this.lineBuffer);
    this.lineBuffer[buf.length] = 0;
    // strtol: blanks, a sign, digits.
    const text = buf.subarray(1).toString('latin1');
    const m = /^[ \t\n\v\f\r]*[+-]?\d+/.exec(text);
    const used = m ? m[0].length : 0;
    out.value = m ? Number(m[0].trim()) : 0;
    if (!this.consumeNewline(this.lineBuffer, 1 + used)) return undefined;
    return at + buf.length;
  }

  /** processRESP: one command; the position after it, or undefined (the error says why, if anything). */
  private processResp(data: Buffer, at: number, file: string, multi: { depth: number }): number | undefined {
    const argc = { value: 0 };
    let p = this.readLong(data, at, '*', argc);
    if (p === undefined) return undefined;
    for (let i = 0; i < argc.value; i++) {
      const len = { value: 0 };
      p = this.readLong(data, p, '$', len);
      if (p === undefined) return undefined;
      if (len.value < 0) {
        this.fail(`Expected to read string of ${len.value} bytes, which is not in the suitable range`);
        return undefined;
      }
      this.epos = p;
      const real = Math.min(len.value + 2, data.length - p);
      if (real !== len.value + 2) {
        this.fail(`Expected to read ${len.value + 2} bytes, got ${real} bytes`);
        return undefined;
      }
      if (!this.consumeNewline(data, p + len.value)) return undefined;
      if (i === 0) {
        const name = data.toString('latin1', p, p + len.value).toLowerCase();
        if (name === 'multi' && multi.depth++) {
          this.fail(`Unexpected MULTI in AOF ${file}`);
          return undefined;
        }
        if (name === 'exec' && --multi.depth) {
          this.fail(`Unexpected EXEC in AOF ${file}`);
          return undefined;
        }
      }
      p += len.value + 2;
    }
    return p;
  }

  /** processAnnotations: a `#TS:` past --truncate-to-timestamp cuts the file there. */
  private processAnnotation(data: Buffer, at: number, filepath: string, lastFile: boolean, fd: number): number | 'cut' {
    this.epos = at;
    const buf = fgets(data, at, 1024) as Buffer;
    const text = buf.toString('latin1');
    if (this.toTimestamp && text.startsWith('#TS:')) {
      const m = /^#TS:(-?\d+)\r/.exec(text);
      if (!m) {
        this.print('Invalid timestamp annotation');
        throw new Exit(1);
      }
      if (Number(m[1]) > this.toTimestamp) {
        if (at === 0) {
          this.print(`AOF ${filepath} has nothing before timestamp ${this.toTimestamp}, aborting...`);
          throw new Exit(1);
        }
        if (!lastFile) {
          this.print(`Failed to truncate AOF ${filepath} to timestamp ${this.toTimestamp} to offset ${at} because it is not the last file.`);
          this.print('If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.');
          throw new Exit(1);
        }
        fs.ftruncateSync(fd, at);
        return 'cut';
      }
    }
    return at + buf.length;
  }

  /** checkSingleAof */
  checkSingle(name: string, filepath: string, lastFile: boolean, preamble: boolean): CheckStatus {
    let fd: number;
    try {
      fd = fs.openSync(filepath, 'r+');
    } catch (e) {
      this.print(`Cannot open file ${filepath}: ${(e as NodeJS.ErrnoException).message}, aborting...`);
      throw new Exit(1);
    }
    try {
      const data = fs.readFileSync(fd);
      if (data.length === 0) return 'empty';
      let at = 0;
      if (preamble) {
        let rdbBytes: number;
        try {
          rdbBytes = parseRdb(data, name, { databases: 16, limits: new Config().encodingLimits, checkMode: true }, { key: () => undefined });
        } catch (e) {
          if (!(e instanceof RdbError)) throw e;
          rdbBytes = data.length;
        }
        const report = checkRdb(data.subarray(0, rdbBytes), name);
        this.io.write(report.output);
        if (!report.ok) {
          this.print('RDB preamble of AOF file is not sane, aborting.');
          throw new Exit(1);
        }
        this.print('RDB preamble is OK, proceeding with AOF tail...');
        at = rdbBytes;
      }
      let pos = at;
      const multi = { depth: 0 };
      for (;;) {
        if (!multi.depth) pos = at;
        if (at >= data.length) break;
        const first = data[at];
        if (first === 35) {
          const next = this.processAnnotation(data, at, filepath, lastFile, fd);
          if (next === 'cut') return 'timestamp-truncated';
          at = next;
        } else if (first === 42) {
          const next = this.processResp(data, at, filepath, multi);
          if (next === undefined) break;
          at = next;
        } else {
          this.print(`AOF ${name} format error`);
          break;
        }
      }
      // (epos stays where the last read began, as in redis-check-aof.)
      if (at >= data.length && multi.depth && this.error === '') this.fail('Reached EOF before reading EXEC for MULTI');
      if (this.error !== '') this.print(this.error);
      const diff = data.length - pos;
      if (diff === 0 && this.toTimestamp) {
        this.print(`Truncate nothing in AOF ${name} to timestamp ${this.toTimestamp}`);
        return 'ok';
      }
      this.print(`AOF analyzed: filename=${name}, size=${data.length}, ok_up_to=${pos}, ok_up_to_line=${this.line}, diff=${diff}`);
      if (diff > 0) {
        if (!this.fix) {
          this.print(`AOF ${name} is not valid. Use the --fix option to try fixing it.`);
          throw new Exit(1);
        }
        if (!lastFile) {
          this.print(`Failed to truncate AOF ${name} because it is not the last file`);
          throw new Exit(1);
        }
        this.print(`This will shrink the AOF ${name} from ${data.length} bytes, with ${diff} bytes, to ${pos} bytes`);
        this.io.write('Continue? [y/N]: ');
        const answer = this.io.readLine();
        if (answer === undefined || !/^y/i.test(answer)) {
          this.print('Aborting...');
          throw new Exit(1);
        }
        fs.ftruncateSync(fd, pos);
        return 'truncated';
      }
      return 'ok';
    } finally {
      fs.closeSync(fd);
    }
  }

  report(kind: string, name: string, status: CheckStatus): void {
    if (status === 'ok') this.print(`${kind}${name} is valid`);
    else if (status === 'empty') this.print(`${kind}${name} is empty`);
    else if (status === 'timestamp-truncated') this.print(`Successfully truncated AOF ${name} to timestamp ${this.toTimestamp}`);
    else this.print(`Successfully truncated AOF ${name}`);
  }
}

/** fileIsRDB: at least a header's room and the REDIS signature. */
function isRdb(data: Buffer): boolean {
  return data.length >= 8 && data.subarray(0, 5).toString('latin1') === 'REDIS';
}

/** fileIsManifest: a line (not a comment) that starts with "file". */
function isManifest(data: Buffer): boolean {
  return data.toString('latin1').split('\n').some((l) => !l.startsWith('#') && l.startsWith('file'));
}

/** redis_check_aof_main; the exit code. */
export function checkAof(args: readonly string[], io: CheckAofIO): number {
  let file: string;
  let fix = false;
  let toTimestamp = 0;
  if (args.length === 1) {
    file = args[0] as string;
  } else if (args.length === 2 && args[0] === '--fix') {
    file = args[1] as string;
    fix = true;
  } else if (args.length === 3 && args[0] === '--truncate-to-timestamp') {
    if (!/^-?\d+$/.test(args[1] as string)) {
      io.write('Invalid timestamp, aborting...\n');
      return 1;
    }
    toTimestamp = Number(args[1]);
    file = args[2] as string;
  } else {
    io.write('Usage: redislings check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n');
    return 1;
  }
  const checker = new Checker(io, fix, toTimestamp);
  try {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      io.write(`Cannot open file ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    if (data.length > 0 && isManifest(data)) {
      io.write('Start checking Multi Part AOF\n');
      let manifest;
      try {
        manifest = parseManifest(data.toString('latin1'));
      } catch (e) {
        if (!(e instanceof ManifestError)) throw e;
        io.write('\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
        if (e.line) io.write(`Reading the manifest file, at line ${e.line.number}\n>>> '${e.line.text}'\n`);
        io.write(`${e.reason}\n`);
        return 1;
      }
      const dir = path.dirname(file);
      const total = (manifest.base ? 1 : 0) + manifest.incrs.length;
      let n = 0;
      if (manifest.base) {
        const basePath = path.join(dir, manifest.base.name);
        const preamble = fs.existsSync(basePath) && isRdb(fs.readFileSync(basePath));
        io.write(`Start to check BASE AOF (${preamble ? 'RDB' : 'RESP'} format).\n`);
        checker.report('BASE AOF ', manifest.base.name, checker.checkSingle(manifest.base.name, basePath, ++n === total, preamble));
      }
      if (manifest.incrs.length > 0) {
        io.write('Start to check INCR files.\n');
        for (const info of manifest.incrs) {
          checker.report('INCR AOF ', info.name, checker.checkSingle(info.name, path.join(dir, info.name), ++n === total, false));
        }
      }
      io.write('All AOF files and manifest are valid\n');
    } else {
      io.write('Start checking Old-Style AOF\n');
      checker.report('AOF ', file, checker.checkSingle(file, file, true, isRdb(data)));
    }
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}

/** The subcommand: reads the prompt's answer from stdin, prints to stdout. */
export function runCheckAof(args: readonly string[]): number {
  return checkAof(args, {
    write: (text) => fs.writeSync(1, text),
    readLine: () => {
      const buf = Buffer.alloc(1);
      let line = '';
      try {
        while (fs.readSync(0, buf, 0, 1, null) === 1) {
          if (buf[0] === 10) break;
          line += String.fromCharCode(buf[0] as number);
        }
      } catch (e) {
        // No stdin to read from (closed, or not readable): as an empty answer, redis-check-aof aborts.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' && (e as NodeJS.ErrnoException).code !== 'EOF') throw e;
      }
      return line === '' ? undefined : line;
    },
  });
}
