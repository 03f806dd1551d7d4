/**
 * What redis-cli does with a command (redis-cli.c: the body of repl(), issueCommandRepeat,
 * cliSendCommand, cliReadReply, cliConnect), on a connection to the bundled engine: split the
 * line, honour a leading repeat count, run the command, print the reply in redis-cli's standard
 * or raw form, and keep redis-cli's own idea of the session (the db in the prompt, MULTI, the
 * pub/sub reading mode). Used for piped input, behind the interactive prompt, and for one-shot
 * commands given on the command line.
 */
import { asProtocol, type Protocol } from '../resp/encode.js';
import { renderRaw, renderReply, renderVerbatim } from '../resp/render.js';
import type { Reply } from '../resp/reply.js';
import { asciiLower, genericHelp, type HelpTable } from './help.js';
import { splitArgs } from './split-args.js';

export type OutputMode = 'standard' | 'raw';

/** A connection to the engine, as redis-cli has one to its server (the engine's Client fits). */
export interface CliConnection {
  readonly closed: boolean;
  readonly resp: Protocol;
  execute(argv: readonly string[]): Reply | Promise<Reply>;
  close(): void;
}

/** Opens a connection; out-of-band replies (pub/sub messages, RESP3 pushes) go to onPush. */
export type Connector = (onPush: (reply: Reply) => void) => CliConnection;

export interface ReplIO {
  /** Writes one-char-per-byte text to stdout. */
  write(bytes: string): void;
  /** Writes text to stderr. */
  error(text: string): void;
  /** Milliseconds, for redis-cli's "(1.00s)" after slow commands. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ReplOptions {
  readonly output: OutputMode;
  /** redis-cli's config.interactive: lines read by the repl (a terminal or a pipe), not a one-shot command. */
  readonly interactive: boolean;
  /** -n */
  readonly db?: number;
  /** -3 */
  readonly resp3?: boolean;
  /** -2 */
  readonly resp2?: boolean;
  /** -r, for the one-shot command */
  readonly repeat?: number;
  /** -i, in milliseconds: the pause after each run of a command. */
  readonly intervalMs?: number;
  /** -d and -D, the delimiters of raw output. */
  readonly mbDelim?: string;
  readonly cmdDelim?: string;
  /** Print RESP3 pushes that arrive outside pub/sub mode (redis-cli: when stdout is a terminal). */
  readonly pushOutput?: boolean;
  /** -e: exit 1 on an error reply (one-shot only, as redis-cli). */
  readonly exitOnError?: boolean;
  /**
   * Ctrl-C during a blocking command cancels it and keeps the session (redis-cli exits). Only for
   * the interactive prompt, where quitting would lose the in-memory data with the process.
   */
  readonly cancelBlocking?: boolean;
}

/** Where redis-cli's repl loop goes after a line. */
export type LineResult = 'continue' | 'quit';

/** Commands whose reply redis-cli prints raw even in standard mode (text meant for people). */
function printsVerbatim(argv: readonly string[]): boolean {
  const cmd = asciiLower(argv[0] as string);
  const sub = argv.length >= 2 ? asciiLower(argv[1] as string) : '';
  const n = argv.length;
  return cmd === 'info' || cmd === 'lolwut' ||
    (n >= 2 && cmd === 'debug' && (sub === 'htstats' || sub === 'htstats-key' || sub === 'client-eviction')) ||
    (n >= 2 && cmd === 'memory' && (sub === 'malloc-stats' || sub === 'doctor')) ||
    (n === 2 && cmd === 'cluster' && (sub === 'nodes' || sub === 'info')) ||
    (n >= 2 && cmd === 'client' && (sub === 'list' || sub === 'info')) ||
    (n === 3 && cmd === 'latency' && sub === 'graph') ||
    (n === 2 && cmd === 'latency' && sub === 'doctor') ||
    (n >= 2 && cmd === 'proxy' && sub === 'info');
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/**
 * repl()'s `strtol(argv[0], &endptr, 10)` with `*endptr == '\0'`: undefined when the word is not
 * a number (then it is the command), else the count, or NaN where strtol reports ERANGE.
 */
export function repeatCount(word: string): number | undefined {
  if (word === '') return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(word);
  if (!m) return undefined;
  const n = BigInt(m[1] as string);
  return n > LONG_MAX || n < LONG_MIN ? NaN : Number(n);
}

/** isSensitiveCommand: lines that never go to the history file. */
export function isSensitiveCommand(argv: readonly string[]): boolean {
  const is = (i: number, name: string) => asciiLower(argv[i] ?? '') === name && argv[i] !== undefined;
  const n = argv.length;
  if (is(0, 'auth')) return true;
  if (n > 1 && is(0, 'acl') && is(1, 'setuser')) return true;
  if (n > 2 && is(0, 'config') && is(1, 'set') && (is(2, 'masterauth') || is(2, 'masteruser') || is(2, 'requirepass'))) return true;
  if (n > 4 && is(0, 'hello')) {
    for (let j = 2; j < n; j++) {
      const more = n - 1 - j;
      if (is(j, 'auth') && more >= 2) return true;
      if (is(j, 'setname') && more) j++;
      else return false;
    }
  } else if (n > 7 && is(0, 'migrate')) {
    for (let j = 6; j < n; j++) {
      const more = n - 1 - j;
      if (is(j, 'auth') && more) return true;
      if (is(j, 'auth2') && more >= 2) return true;
      if (is(j, 'keys') && more) return false;
    }
  }
  return false;
}

/** The connection went away under a command (redis-cli: hiredis' context error). */
export class ConnectionLost extends Error {}

export class Repl {
  private conn: CliConnection | null = null;
  /** config.dbnum: the db redis-cli believes it is in (shown in the prompt). */
  dbnum = 0;
  /** config.conn_info.input_dbnum: the db to select on (re)connection. */
  private inputDbnum: number;
  inMulti = false;
  private preMultiDbnum = 0;
  private resp3: boolean;
  /** pref.hints (`:set hints` / `:set nohints`). */
  hints = true;
  private pubsubMode = false;
  private help: HelpTable | undefined;
  /** Replies that arrive out of band while execute() runs, and those of the last command. */
  private collecting: Reply[] | null = null;
  private collected: Reply[] = [];
  /** Ends the current wait (pub/sub reading or a blocked command) on Ctrl-C. */
  private interruptWait: (() => void) | null = null;
  private waitingBlocked = false;

  constructor(
    private readonly connector: Connector,
    private readonly io: ReplIO,
    readonly options: ReplOptions,
    /** Builds the help table; `call` runs a command on the connection (redis-cli sends COMMAND DOCS). */
    private readonly loadHelp: (call: (argv: readonly string[]) => Promise<Reply>) => Promise<HelpTable> | HelpTable,
    /** linenoiseHistoryAdd + linenoiseHistorySave, where the repl calls them. */
    private readonly addHistory: (line: string) => void = () => {},
  ) {
    this.inputDbnum = options.db ?? 0;
    this.resp3 = options.resp3 ?? false;
  }

  get output(): OutputMode {
    return this.options.output;
  }

  /** cliRefreshPrompt, with our name instead of host:port. */
  prompt(): string {
    return `redislings${this.dbnum !== 0 ? `[${this.dbnum}]` : ''}${this.inMulti ? '(TX)' : ''}> `;
  }

  /** The help table (cliInitHelp), built once: redis-cli builds it when the repl starts. */
  async initHelp(): Promise<HelpTable> {
    if (!this.help) {
      if (!this.conn) await this.connect(true);
      this.help = await this.loadHelp((argv) => this.call(argv));
    }
    return this.help;
  }

  /**
   * cliConnect: a new connection when there is none (or `force`), then SELECT and HELLO 3 as
   * the options ask. Resolves false where redis-cli's cliConnect returns REDIS_ERR.
   */
  async connect(force = false): Promise<boolean> {
    if (this.conn && !force) return true;
    if (this.conn) {
      this.conn.close();
      this.dbnum = 0;
      this.inMulti = false;
    }
    this.conn = this.connector((reply) => this.onPush(reply));
    if (!(await this.select())) return false;
    return this.switchProto();
  }

  /** Closes the connection for good (the process is ending). */
  close(): void {
    this.conn?.close();
    this.conn = null;
  }

  /** cliSelect */
  private async select(): Promise<boolean> {
    if (this.inputDbnum === this.dbnum) return true;
    const reply = await this.call(['SELECT', String(this.inputDbnum)]);
    if (reply.kind === 'error') {
      this.io.error(`SELECT ${this.inputDbnum} failed: ${reply.message}\n`);
      return false;
    }
    this.dbnum = this.inputDbnum;
    return true;
  }

  /** cliSwitchProto */
  private async switchProto(): Promise<boolean> {
    if (!this.resp3 || this.options.resp2) return true;
    const reply = await this.call(['HELLO', '3']);
    if (reply.kind === 'error') {
      this.io.error(`HELLO 3 failed: ${reply.message}\n`);
      return false;
    }
    return true;
  }

  /** A command of redis-cli's own (SELECT on connect, HELLO 3, COMMAND DOCS): its reply is not printed. */
  async call(argv: readonly string[]): Promise<Reply> {
    const conn = this.conn;
    if (!conn) throw new ConnectionLost('not connected');
    return await conn.execute(argv);
  }

  /** Runs one line as redis-cli's repl does. */
  async line(line: string): Promise<LineResult> {
    if (line === '') return 'continue';
    const argv = splitArgs(line);
    if (argv === undefined) {
      this.io.write('Invalid argument(s)\n');
      this.addHistory(line);
      return 'continue';
    }
    if (argv.length === 0) return 'continue';
    let repeat = 1;
    let skip = 0;
    const count = repeatCount(argv[0] as string);
    if (argv.length > 1 && count !== undefined) {
      if (Number.isNaN(count) || count <= 0) {
        this.io.write('Invalid redis-cli repeat command option value.\n');
        return 'continue';
      }
      repeat = count;
      skip = 1;
    }
    if (!isSensitiveCommand(argv.slice(skip))) this.addHistory(line);
    const name = asciiLower(argv[0] as string);
    if (name === 'quit' || name === 'exit') return 'quit';
    if (name.startsWith(':')) {
      this.setPreferences(argv);
    } else if (name === 'restart') {
      this.io.write("Use 'restart' only in Lua debugging mode.\n");
    } else if (argv.length === 3 && name === 'connect') {
      // We have one server, in-process: `connect` opens a new connection to it.
      await this.connect(true);
    } else if (argv.length === 1 && name === 'clear') {
      this.io.write('\x1b[H\x1b[2J');
    } else {
      const started = this.io.now();
      await this.issueCommandRepeat(argv.slice(skip), repeat);
      const elapsed = this.io.now() - started;
      if (elapsed >= 500 && this.output === 'standard') this.io.write(`(${(elapsed / 1000).toFixed(2)}s)\n`);
    }
    return 'continue';
  }

  /**
   * cliSetPreferences: `:set hints` / `:set nohints`, typed at the prompt or read from
   * ~/.redisclirc (whose complaints say where they come from).
   */
  setPreferences(argv: readonly string[], fromRcFile = false): void {
    const from = fromRcFile ? '.redisclirc: ' : '';
    if (asciiLower(argv[0] as string) === ':set' && argv.length >= 2) {
      const pref = asciiLower(argv[1] as string);
      if (pref === 'hints') this.hints = true;
      else if (pref === 'nohints') this.hints = false;
      else this.io.write(`${from}unknown redis-cli preference '${argv[1]}'\n`);
    } else {
      this.io.write(`${from}unknown redis-cli internal command '${argv[0]}'\n`);
    }
  }

  /** The one-shot command of `redislings cli CMD ARG...` (redis-cli's issueCommand); true when it ran. */
  issueCommand(argv: readonly string[]): Promise<boolean> {
    return this.issueCommandRepeat(argv, this.options.repeat ?? 1);
  }

  /** issueCommandRepeat: `help` is answered here; anything else goes to the server. */
  async issueCommandRepeat(argv: readonly string[], repeat: number): Promise<boolean> {
    const name = asciiLower(argv[0] as string);
    if (name === 'help' || name === '?') {
      if (argv.length === 1) this.io.write(genericHelp());
      else this.io.write((await this.initHelp()).output(argv.slice(1)));
      return true;
    }
    if (!this.conn && !(await this.connect(true))) {
      // cliPrintContextError: the connection did not fail, so hiredis has no error text.
      this.io.error('Error: \n');
      return false;
    }
    try {
      await this.sendCommand(argv, repeat);
    } catch (e) {
      if (!(e instanceof ConnectionLost)) throw e;
      if (!this.options.interactive) throw e;
      this.io.error(`Error: ${e.message}\n`);
      this.conn = null;
      return false;
    }
    return true;
  }

  /** cliSendCommand */
  private async sendCommand(argv: readonly string[], repeat: number): Promise<void> {
    const name = asciiLower(argv[0] as string);
    const verbatim = printsVerbatim(argv);
    if (name === 'subscribe' || name === 'psubscribe' || name === 'ssubscribe') this.pubsubMode = true;
    // A negative repeat (-r -1) runs forever, as in redis-cli.
    while (repeat < 0 || repeat-- > 0) {
      if (this.pubsubMode) {
        if (this.output !== 'raw') this.io.write('Reading messages... (press Ctrl-C to quit)\n');
        await this.readMessages(argv, verbatim);
        continue;
      }
      const reply = await this.run(argv);
      if (reply === undefined) return;
      this.printReply(reply, verbatim);
      await this.afterReply(argv, reply);
      if (this.options.intervalMs) await this.io.sleep(this.options.intervalMs);
    }
  }

  /** The state redis-cli keeps about the session, updated from the reply (prompt, MULTI). */
  private async afterReply(argv: readonly string[], reply: Reply): Promise<void> {
    const name = asciiLower(argv[0] as string);
    const failed = reply.kind === 'error';
    const n = argv.length;
    if (name === 'select' && n === 2 && !failed) {
      this.inputDbnum = this.dbnum = atoi(argv[1] as string);
    } else if (name === 'auth' && (n === 2 || n === 3)) {
      await this.select();
    } else if (name === 'multi' && n === 1 && !failed) {
      this.inMulti = true;
      this.preMultiDbnum = this.dbnum;
    } else if (name === 'exec' && n === 1 && this.inMulti) {
      this.inMulti = false;
      if (failed || reply.kind === 'null') this.inputDbnum = this.dbnum = this.preMultiDbnum;
    } else if (name === 'discard' && n === 1 && !failed) {
      this.inMulti = false;
      this.inputDbnum = this.dbnum = this.preMultiDbnum;
    } else if (name === 'reset' && n === 1 && !failed) {
      this.inMulti = false;
      this.dbnum = 0;
      this.inputDbnum = 0;
      this.resp3 = false;
    }
  }

  /**
   * Runs one command and prints nothing. Undefined when Ctrl-C cancelled it (a blocking command
   * on the interactive prompt): the connection is then replaced, as redis-cli reconnects.
   */
  private async run(argv: readonly string[]): Promise<Reply | undefined> {
    const result = this.execute(argv);
    if (!(result instanceof Promise)) return result;
    this.waitingBlocked = true;
    const reply = await this.waitFor(result);
    this.waitingBlocked = false;
    if (reply === undefined) await this.connect(true);
    return reply;
  }

  /**
   * conn.execute, keeping aside what arrives out of band meanwhile: the replies before the last
   * of a SUBSCRIBE to several channels, or a message the command published to this client.
   * The engine pushes them while the command runs, before its reply (see engine/pubsub.ts), so
   * printReply prints them first, in the order Redis writes them.
   */
  private execute(argv: readonly string[]): Reply | Promise<Reply> {
    const conn = this.conn;
    if (!conn || conn.closed) throw new ConnectionLost('Server closed the connection');
    this.collecting = [];
    try {
      return conn.execute(argv);
    } finally {
      this.collected = this.collecting;
      this.collecting = null;
    }
  }

  /** Waits for a promise, or for Ctrl-C (then undefined); keeps the process alive meanwhile. */
  private async waitFor<T>(promise: Promise<T>): Promise<T | undefined> {
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      return await Promise.race([
        promise,
        new Promise<undefined>((resolve) => { this.interruptWait = () => resolve(undefined); }),
      ]);
    } finally {
      this.interruptWait = null;
      clearInterval(keepAlive);
    }
  }

  /**
   * Ctrl-C (SIGINT). Handled where redis-cli handles it: in pub/sub mode it stops reading
   * messages and reconnects; on the interactive prompt we also cancel a blocking command.
   * False where redis-cli exits.
   */
  interrupt(): boolean {
    if (!this.interruptWait) return false;
    if (!this.pubsubMode && !(this.waitingBlocked && this.options.cancelBlocking)) return false;
    this.interruptWait();
    return true;
  }

  /** The pub/sub mode: print the replies and every message as it arrives, until Ctrl-C or an error. */
  private async readMessages(argv: readonly string[], verbatim: boolean): Promise<void> {
    const result = this.execute(argv);
    const reply = result instanceof Promise ? await this.waitFor(result) : result;
    if (reply !== undefined) {
      this.printReply(reply, verbatim);
      if (reply.kind === 'error') {
        this.pubsubMode = false;
        return;
      }
      await this.waitFor(new Promise<never>(() => {}));
    }
    this.pubsubMode = false;
    await this.connect(true);
  }

  /** A reply that came out of band: a message in pub/sub mode, or a RESP3 push. */
  private onPush(reply: Reply): void {
    if (this.collecting) this.collecting.push(reply);
    else if (this.pubsubMode || (this.options.pushOutput && this.conn?.resp === 3)) this.io.write(this.format(reply, false));
  }

  /** cliReadReply's printing of a reply, after what came out of band before it. */
  private printReply(reply: Reply, verbatim: boolean): void {
    if (reply.kind === 'error' && this.options.exitOnError && !this.options.interactive) {
      this.io.error(`${reply.message}\n`);
      throw new ExitError(1);
    }
    const extra = this.collected;
    this.collected = [];
    // In RESP2 these are replies like any other; RESP3 pushes show where redis-cli shows them.
    const show = this.pubsubMode || this.conn?.resp === 2 || this.options.pushOutput;
    if (show) for (const r of extra) this.io.write(this.format(r, false));
    this.io.write(this.format(reply, verbatim));
  }

  /** cliFormatReply, for the reply as this connection's protocol delivers it. */
  format(reply: Reply, verbatim: boolean): string {
    const r = asProtocol(reply, this.conn?.resp ?? 2);
    if (verbatim) return renderVerbatim(r, this.options.mbDelim);
    if (this.output === 'raw') return renderRaw(r, this.options.mbDelim, this.options.cmdDelim);
    return renderReply(r);
  }

}

/** exit(code) from deep inside the repl (redis-cli's -e). */
export class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** C's atoi: leading blanks, a sign, digits; 0 when there are none. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  if (!m) return 0;
  // int overflow is undefined in C; glibc's atoi is (int)strtol, which wraps like this.
  return Number(BigInt.asIntN(32, clampLong(BigInt(m[1] as string))));
}

function clampLong(n: bigint): bigint {
  return n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n;
}
