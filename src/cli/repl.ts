/**
 * What redis-cli does with each line it reads (redis-cli.c repl + cliSendCommand), on an engine
 * client: split the line, honour a leading repeat count, run the command, print the reply in
 * redis-cli's standard or raw form. Used for piped input and behind the interactive prompt.
 */
import { asProtocol } from '../resp/encode.js';
import { renderRaw, renderReply, renderVerbatim } from '../resp/render.js';
import type { Reply } from '../resp/reply.js';
import type { Client } from '../engine/client.js';
import { helpText } from './help.js';
import { splitArgs } from './split-args.js';

export type OutputMode = 'standard' | 'raw';

export interface ReplIO {
  /** Writes one-char-per-byte text to stdout. */
  write(bytes: string): void;
  /** Milliseconds, for redis-cli's "(1.00s)" after slow commands. */
  now(): number;
}

/** Commands whose reply redis-cli prints raw even in standard mode (text meant for people). */
function printsVerbatim(argv: readonly string[]): boolean {
  const cmd = (argv[0] as string).toLowerCase();
  const sub = argv[1]?.toLowerCase();
  return cmd === 'info' || cmd === 'lolwut' ||
    (argv.length >= 2 && cmd === 'client' && (sub === 'list' || sub === 'info')) ||
    (argv.length >= 2 && cmd === 'memory' && (sub === 'malloc-stats' || sub === 'doctor'));
}

/** strtol(s, &end, 10) consuming the whole string: the repeat count, or undefined if not a number. */
function repeatCount(s: string): number | undefined {
  if (s === '') return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.abs(n) > Number.MAX_SAFE_INTEGER ? Infinity : n;
}

export class Repl {
  constructor(
    readonly client: Client,
    readonly io: ReplIO,
    public output: OutputMode,
  ) {}

  format(reply: Reply, verbatim: boolean): string {
    const r = asProtocol(reply, this.client.resp);
    if (verbatim) return renderVerbatim(r);
    return this.output === 'raw' ? renderRaw(r) : renderReply(r);
  }

  /** Handles one input line; resolves to false when the line asks to quit. */
  async line(line: string): Promise<boolean> {
    if (line === '') return true;
    const argv = splitArgs(line);
    if (argv === undefined) {
      this.io.write('Invalid argument(s)\n');
      return true;
    }
    if (argv.length === 0) return true;
    let repeat = 1;
    let args = argv;
    const count = repeatCount(argv[0] as string);
    if (argv.length > 1 && count !== undefined) {
      if (count <= 0 || count === Infinity) {
        this.io.write('Invalid redis-cli repeat command option value.\n');
        return true;
      }
      repeat = count;
      args = argv.slice(1);
    }
    const name = (argv[0] as string).toLowerCase();
    if (name === 'quit' || name === 'exit') return false;
    if (name.startsWith(':')) {
      if (name === ':set' && argv.length >= 2) {
        const pref = (argv[1] as string).toLowerCase();
        if (pref !== 'hints' && pref !== 'nohints') this.io.write(`unknown redis-cli preference '${argv[1]}'\n`);
      } else {
        this.io.write(`unknown redis-cli internal command '${argv[0]}'\n`);
      }
      return true;
    }
    if (name === 'restart') {
      this.io.write("Use 'restart' only in Lua debugging mode.\n");
      return true;
    }
    if (name === 'clear' && argv.length === 1) {
      this.io.write('\x1b[H\x1b[2J');
      return true;
    }
    if (name === 'connect' && argv.length === 3) return true;
    const started = this.io.now();
    await this.send(args, repeat);
    const elapsed = this.io.now() - started;
    if (elapsed >= 500 && this.output === 'standard') this.io.write(`(${(elapsed / 1000).toFixed(2)}s)\n`);
    return true;
  }

  private async send(argv: readonly string[], repeat: number): Promise<void> {
    const cmd = (argv[0] as string).toLowerCase();
    if (cmd === 'help' || cmd === '?') {
      this.io.write(helpText(argv.slice(1)));
      return;
    }
    const verbatim = printsVerbatim(argv);
    while (repeat-- > 0) {
      const reply = await this.client.execute(argv);
      this.io.write(this.format(reply, verbatim));
    }
  }
}
