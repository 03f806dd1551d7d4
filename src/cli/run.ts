/**
 * `redislings cli`: redis-cli on the bundled engine (redis-cli.c main). With a command on the
 * command line it runs that command; otherwise it reads lines, from a pipe (each line run as
 * redis-cli runs it) or on a terminal (the interactive prompt). Replies are raw when stdout is
 * not a terminal, formatted otherwise, unless --raw / --no-raw say which.
 */
import { Engine } from '../engine/engine.js';
import { waitForAofRewrite } from '../engine/persistence/aof.js';
import { shutdownSnapshot, waitForBgsave } from '../engine/persistence/snapshot.js';
import { PersistenceError } from '../engine/persistence/startup.js';
import { lookupCommand } from '../engine/commands.js';
import { toBytes, type Reply } from '../resp/reply.js';
import { HelpTable } from './help.js';
import { History, historyFile, rcFile } from './history.js';
import type { CliOptions } from './options.js';
import { ConnectionLost, ExitError, Repl, type ReplIO } from './repl.js';

/** Runs `redislings cli` with its options (parseCliArgs) and command; resolves to the exit code. */
export async function runCli(options: CliOptions, command: readonly string[]): Promise<number> {
  const stdoutIsTTY = Boolean(process.stdout.isTTY) || process.env.FAKETTY !== undefined;
  let engine: Engine;
  // What loading the data directory warns about (a truncated AOF…) is shown; later log lines
  // would only interrupt the prompt.
  let starting = true;
  const log = (level: string, message: string): void => {
    if (starting && level === '#') process.stderr.write(`${message}\n`);
  };
  try {
    engine = new Engine({ dir: options.dir, log });
    starting = false;
  } catch (e) {
    if (!(e instanceof PersistenceError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  const io = processIO();
  const oneShot = command.length > 0;
  const interactiveTTY = !oneShot && Boolean(process.stdin.isTTY);
  const history = interactiveTTY ? new History(historyFile()) : undefined;
  // redis-cli asks the server for COMMAND DOCS when its repl starts and builds its help from the
  // reply. We send it too when the engine has it (so that the server's statistics are the same);
  // without it, help comes from Redis' own docs. The table itself is built when first needed.
  const engineHasDocs = lookupCommand(['COMMAND', 'DOCS']) !== undefined;
  let docs: Reply | undefined;
  const repl = new Repl(
    (onPush) => engine.connect({ onPush }),
    io,
    replOptions(options, stdoutIsTTY, oneShot, interactiveTTY),
    async (call) => {
      if (engineHasDocs) docs ??= await call(['COMMAND', 'DOCS']);
      return docs && docs.kind !== 'error' ? HelpTable.fromDocs(docs) : HelpTable.bundled();
    },
    history ? (line) => { history.add(line); history.save(); } : undefined,
  );
  try {
    await repl.connect();
    if (oneShot) return await runOneShot(repl, options, command);
    // In the repl, Ctrl-C stops the pub/sub reading mode (and, on a terminal, a blocking
    // command); anywhere else redis-cli exits with 1.
    const onSigint = () => {
      if (!repl.interrupt()) process.exit(1);
    };
    process.on('SIGINT', onSigint);
    try {
      if (history) {
        const { runPrompt } = await import('./prompt.js');
        await runPrompt(repl, history, rcFile());
      } else {
        if (engineHasDocs) docs = await repl.call(['COMMAND', 'DOCS']);
        for await (const line of readLines(process.stdin)) {
          if ((await repl.line(line)) === 'quit') break;
        }
      }
    } finally {
      process.off('SIGINT', onSigint);
    }
    return 0;
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    if (e instanceof ConnectionLost) {
      io.error(`Error: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    repl.close();
    // Leaving the prompt stops this engine, as SHUTDOWN stops a server: background saves and
    // rewrites finish first, and with save rules the data set is saved (close() flushes the AOF).
    if (engine.dir !== undefined) {
      await waitForBgsave(engine);
      await waitForAofRewrite(engine);
      shutdownSnapshot(engine, { save: false, nosave: false, force: false });
    }
    engine.close();
    process.stdin.destroy();
  }
}

function replOptions(o: CliOptions, stdoutIsTTY: boolean, oneShot: boolean, tty: boolean) {
  return {
    output: (o.raw ?? !stdoutIsTTY) ? 'raw' as const : 'standard' as const,
    interactive: !oneShot,
    db: o.db,
    resp2: o.resp2,
    resp3: o.resp3,
    repeat: o.repeat,
    intervalMs: o.intervalMs,
    mbDelim: o.mbDelim,
    cmdDelim: o.cmdDelim,
    pushOutput: o.showPushes ?? stdoutIsTTY,
    exitOnError: o.exitOnError,
    cancelBlocking: tty,
  };
}

/** noninteractive(): the command of the command line, with -x's last argument from stdin. */
async function runOneShot(repl: Repl, options: CliOptions, command: readonly string[]): Promise<number> {
  const argv = command.map(toBytes);
  if (options.stdinLastArg) argv.push(await readAll(process.stdin));
  return (await repl.issueCommand(argv)) ? 0 : 1;
}

function processIO(): ReplIO {
  let stdoutOpen = true;
  // A reader that went away (`| head`): redis-cli ignores SIGPIPE in the repl and goes on.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutOpen = false;
  });
  return {
    write: (bytes) => {
      if (stdoutOpen) process.stdout.write(Buffer.from(bytes, 'latin1'));
    },
    error: (text) => void process.stderr.write(text),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('latin1');
}

/**
 * Lines of a byte stream as one-char-per-byte strings, without their '\n', as linenoise reads
 * a pipe (a '\r' stays in the line; a last line without '\n' still counts).
 */
export async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of stream) {
    const text = pending + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      yield text.slice(start, nl);
      start = nl + 1;
    }
    pending = text.slice(start);
  }
  if (pending !== '') yield pending;
}
