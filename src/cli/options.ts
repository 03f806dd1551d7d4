/**
 * The options of `redislings cli`, read as redis-cli's parseOptions reads its own: options come
 * first, the first word that does not start with '-' starts the command, and an unknown option
 * is an error. Only the options that make sense for an in-process engine exist (no host, port,
 * password or cluster: there is one server and it is in this process).
 */
export interface CliOptions {
  /** --raw / --no-raw; undefined: raw when stdout is not a terminal, as redis-cli decides. */
  raw?: boolean;
  /** -n */
  db: number;
  /** -r */
  repeat: number;
  /** -i, in milliseconds */
  intervalMs: number;
  resp2: boolean;
  resp3: boolean;
  /** -x: the last argument is read from stdin. */
  stdinLastArg: boolean;
  /** -d, -D */
  mbDelim: string;
  cmdDelim: string;
  /** -e */
  exitOnError: boolean;
  /** --show-pushes */
  showPushes?: boolean;
  /** --dir: the engine's data directory (AOF, dump.rdb, redislings.conf); none: in memory only. */
  dir?: string;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions; readonly command: readonly string[] }
  | { readonly kind: 'exit'; readonly code: number; readonly stdout?: string; readonly stderr?: string };

/** C's strtoll/atoi prefix parsing: leading blanks, a sign, digits (0 when none), clamped like strtoll. */
export function cInteger(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : n > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

/** C's atof on a decimal number (the longest prefix that is one; 0 when none). */
export function cFloat(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const o: CliOptions = {
    db: 0, repeat: 1, intervalMs: 0, resp2: false, resp3: false, stdinLastArg: false,
    mbDelim: '\n', cmdDelim: '\n', exitOnError: false,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    const hasValue = i < argv.length - 1;
    const value = () => argv[++i] as string;
    if (arg === '--help' || (arg === '-h' && !hasValue)) return { kind: 'exit', code: 0, stdout: usage() };
    else if (arg === '-v' || arg === '--version') return { kind: 'exit', code: 0, stdout: `redislings cli (redis-cli 7.0.15 compatible)\n` };
    else if (arg === '-n' && hasValue) o.db = cInteger(value());
    else if (arg === '-r' && hasValue) o.repeat = cInteger(value());
    else if (arg === '-i' && hasValue) o.intervalMs = Math.trunc(cFloat(value()) * 1_000_000) / 1000;
    else if (arg === '-x') o.stdinLastArg = true;
    else if (arg === '-d' && hasValue) o.mbDelim = value();
    else if (arg === '-D' && hasValue) o.cmdDelim = value();
    else if (arg === '-e') o.exitOnError = true;
    else if (arg === '--raw') o.raw = true;
    else if (arg === '--no-raw') o.raw = false;
    else if (arg === '-2') o.resp2 = true;
    else if (arg === '-3') o.resp3 = true;
    else if (arg === '--dir' && hasValue) o.dir = value();
    else if (arg === '--show-pushes' && hasValue) {
      const yn = value();
      if (/^n/i.test(yn)) o.showPushes = false;
      else if (/^y/i.test(yn)) o.showPushes = true;
      else process.stderr.write(`Unknown --show-pushes value '${yn}' (valid: '[y]es', '[n]o')\n`);
    } else if (arg.startsWith('-')) {
      return { kind: 'exit', code: 1, stderr: `Unrecognized option or bad number of args for: '${arg}'\n` };
    } else {
      break;
    }
  }
  if (o.resp2 && o.resp3) return { kind: 'exit', code: 1, stderr: 'Options -2 and -3 are mutually exclusive.\n' };
  return { kind: 'run', options: o, command: argv.slice(i) };
}

/** redis-cli's usage text, for the options we have. */
function usage(): string {
  return (
    'redislings cli: redis-cli 7.0 on the bundled engine\n' +
    '\n' +
    'Usage: redislings cli [OPTIONS] [cmd [arg [arg ...]]]\n' +
    '  -r <repeat>        Execute specified command N times.\n' +
    '  -i <interval>      When -r is used, waits <interval> seconds per command.\n' +
    '                     It is possible to specify sub-second times like -i 0.1.\n' +
    '  -n <db>            Database number.\n' +
    '  -2                 Start session in RESP2 protocol mode.\n' +
    '  -3                 Start session in RESP3 protocol mode.\n' +
    '  -x                 Read last argument from STDIN.\n' +
    '  -d <delimiter>     Delimiter between response bulks for raw formatting (default: \\n).\n' +
    '  -D <delimiter>     Delimiter between responses for raw formatting (default: \\n).\n' +
    '  -e                 Return exit error code when command execution fails.\n' +
    '  --raw              Use raw formatting for replies (default when STDOUT is\n' +
    '                     not a tty).\n' +
    '  --no-raw           Force formatted output even when STDOUT is not a tty.\n' +
    '  --show-pushes <yn> Whether to print RESP3 PUSH messages.  Enabled by default when\n' +
    '                     STDOUT is a tty but can be overridden with --show-pushes no.\n' +
    '  --dir <directory>  The engine keeps its data there (AOF, dump.rdb, redislings.conf)\n' +
    '                     and loads it at start; without it nothing is kept on disk.\n' +
    '  --help             Output this help and exit.\n' +
    '  --version          Output version and exit.\n' +
    '\n' +
    'Examples:\n' +
    '  cat /etc/passwd | redislings cli -x set mypasswd\n' +
    '  redislings cli -r 100 lpush mylist x\n' +
    '\n' +
    'When no command is given, redislings cli starts in interactive mode.\n' +
    'Type "help" in interactive mode for information on available commands\n' +
    'and settings.\n' +
    '\n'
  );
}
