/**
 * `redislings cli`: redis-cli on the bundled engine. With stdin not a terminal, every line is run
 * as redis-cli runs it and replies are printed raw (or formatted with --no-raw); on a terminal, an
 * interactive prompt.
 */
import { Engine } from '../engine/engine.js';
import { Repl, type OutputMode } from './repl.js';

export interface CliOptions {
  /** --no-raw / --raw; by default raw when stdout is not a terminal, as redis-cli decides. */
  readonly raw?: boolean;
  readonly db?: number;
}

export async function runCli(options: CliOptions): Promise<number> {
  const engine = new Engine();
  const client = engine.connect();
  if (options.db) client.execute(['SELECT', String(options.db)]);
  const output: OutputMode = options.raw ?? !process.stdout.isTTY ? 'raw' : 'standard';
  const io = {
    write: (bytes: string) => void process.stdout.write(Buffer.from(bytes, 'latin1')),
    now: () => Date.now(),
  };
  const repl = new Repl(client, io, output);
  try {
    if (process.stdin.isTTY) {
      const { runPrompt } = await import('./prompt.js');
      await runPrompt(repl);
    } else {
      for await (const line of readLines(process.stdin)) {
        if (!(await repl.line(line))) break;
      }
    }
  } finally {
    engine.close();
  }
  return 0;
}

/** Lines of a byte stream as one-char-per-byte strings, without their '\n' (as linenoise reads them). */
async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('latin1');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
  }
  if (pending !== '') yield pending;
}
