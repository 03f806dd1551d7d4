/**
 * `redislings server` as a process: starts the server, logs as redis-server does
 * (`pid:M date * message`), and stops cleanly on SIGINT/SIGTERM or a client's SHUTDOWN.
 */
import { Engine } from '../engine/engine.js';
import { PersistenceError } from '../engine/persistence/startup.js';
import { startServer, type RunningServer } from './server.js';

export interface RunServerOptions {
  readonly port: number;
  readonly bind: string;
  readonly requirepass?: string;
  /** The data directory (AOF, dump.rdb, redislings.conf); none: in memory only. */
  readonly dir?: string;
  /** Parameters given as redis-server takes them (`--appendonly yes`). */
  readonly config?: readonly (readonly [string, string])[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** serverLogRaw's line: level '*' notice, '#' warning. */
export function logLine(level: '*' | '#', message: string, now = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(now.getDate())} ${MONTHS[now.getMonth()]} ${now.getFullYear()} `
    + `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  return `${process.pid}:M ${date} ${level} ${message}\n`;
}

function log(level: '*' | '#', message: string): void {
  process.stdout.write(logLine(level, message));
}

/** Runs until stopped; resolves with the exit code. */
export async function runServer(options: RunServerOptions): Promise<number> {
  let engine: Engine;
  try {
    engine = new Engine({ dir: options.dir, config: options.config, log });
  } catch (e) {
    if (!(e instanceof PersistenceError)) throw e;
    process.stderr.write(logLine('#', e.message));
    return 1;
  }
  // The engine crashes only when it cannot go on (the AOF could not be written with appendfsync
  // always): redis-server exits then, and so does this process.
  engine.onCrash(() => {
    log('#', 'The engine crashed: exiting.');
    process.exit(1);
  });
  let server: RunningServer;
  try {
    server = await startServer({ ...options, engine });
  } catch (e) {
    engine.close();
    const why = e instanceof Error ? e.message : String(e);
    process.stderr.write(logLine('#', `Failed listening on port ${options.port} (tcp), aborting: ${why}`));
    return 1;
  }
  const onSignal = (name: string) => () => {
    log('#', `Received ${name} scheduling shutdown...`);
    void server.close();
  };
  const sigint = onSignal('SIGINT');
  const sigterm = onSignal('SIGTERM');
  // The handlers go in before the ready line: whoever reads it may signal at once, and a signal
  // with no handler yet would kill the process without a clean shutdown.
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  log('*', `Running mode=standalone, port=${server.port}.`);
  log('*', 'Ready to accept connections tcp');
  await server.stopped;
  process.off('SIGINT', sigint);
  process.off('SIGTERM', sigterm);
  log('#', 'User requested shutdown...');
  log('#', 'redislings is now ready to exit, bye bye...');
  return 0;
}
