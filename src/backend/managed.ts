/**
 * A private redis-server (--engine redis-server): started from PATH on a free port of 127.0.0.1
 * with a temporary directory, so every lesson runs on real Redis, the persistence lesson's crash
 * and restart included. It never outlives the app:
 *
 * - stop() (the backend's close()) kills it and removes its directory;
 * - when the process exits any other way (an uncaught error, process.exit) an 'exit' hook does
 *   the same, synchronously;
 * - when a signal ends the process (Ctrl+C, SIGTERM, SIGHUP, SIGKILL) nothing in it runs, so a
 *   watchdog does it: a small `sh` started with the server, in its own session, that reads
 *   server pids from a pipe whose other end only this process holds. The kernel closes that end
 *   when this process dies, however it dies; the watchdog reads end-of-file, kills the server and
 *   removes the directory (measured: 20–200 ms). Node cannot ask the kernel for a parent-death
 *   signal (prctl) itself, and the pipe works on every Unix.
 *
 * No signal handler is installed: one would change how the process ends for everyone else
 * (signal-exit, which Ink uses, re-raises a signal only when it is the sole handler, so two
 * polite handlers would keep the process alive). The watchdog makes one unnecessary.
 *
 * The server and the watchdog run in their own process groups, so a Ctrl+C in the terminal
 * reaches only the app; the server never stops half-way by itself (a SIGINT makes redis-server
 * save and shut down on its own).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { ConnectError } from './endpoint.js';
import { freePort } from './free-port.js';
import { enforcePrivate } from './guard.js';
import type { ServerProcess } from './redis.js';
import { RespConnection } from './resp-connection.js';

/** Persistence settings a restart keeps, as if the server had written them to its config file. */
const KEPT_SETTINGS = ['appendonly', 'save', 'appendfsync'];
const START_TIMEOUT_MS = 10_000;

/**
 * Reads pids, one a line, and remembers the last; "done" means the app stopped the server itself.
 * At end of input (the app is gone) it kills the last server, waits up to 5 s for it to go, and
 * removes the directory ($1).
 */
const WATCHDOG = `
last=
while IFS= read -r line; do
  case "$line" in
    done) exit 0 ;;
    *[!0-9]*|'') ;;
    *) last=$line ;;
  esac
done
if [ -n "$last" ]; then
  kill -9 "$last" 2>/dev/null
  i=0
  # Gone, or a zombie nobody reaps yet (ps shows Z): either way it holds no port and no file.
  while [ $i -lt 50 ] && ps -o stat= -p "$last" 2>/dev/null | grep -qv Z; do sleep 0.1; i=$((i + 1)); done
fi
rm -rf "$1"
`;

export interface ManagedServerOptions {
  /** The redis-server to run (default: redis-server from PATH). */
  readonly command?: string;
  /** More configuration, as redis-server arguments (["--maxmemory", "10mb"]). */
  readonly args?: readonly string[];
}

/** The version of the redis-server on PATH ("7.0.15"), or a ConnectError saying what is wrong. */
export function redisServerVersion(command = 'redis-server'): string {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new ConnectError('no-redis-server', `${command} cannot be run (${r.error?.message ?? r.stderr.trim()}): ` +
      'install Redis 7 (apt install redis-server, brew install redis) or use the bundled engine');
  }
  const version = /v=(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
  if (!version) throw new ConnectError('no-redis-server', `${command} --version says "${r.stdout.trim()}", not a redis-server version`);
  if (Number(version.split('.')[0]) < 7) {
    throw new ConnectError('no-redis-server', `${command} is Redis ${version}; the lessons need Redis 7 or later (or the bundled engine)`);
  }
  return version;
}

/** Servers this process started and has not stopped: what the exit hook stops. */
const running = new Set<ManagedServer>();
let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const s of running) s.killNow();
  });
}

export class ManagedServer implements ServerProcess {
  private child: ChildProcess;
  private settings: string[] = ['--save', '', '--appendonly', 'no'];
  private stopped = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly version: string,
    private readonly options: ManagedServerOptions,
    private readonly watchdog: ChildProcess,
    child: ChildProcess,
  ) {
    this.child = child;
  }

  static async start(options: ManagedServerOptions = {}): Promise<ManagedServer> {
    const command = options.command ?? 'redis-server';
    const version = redisServerVersion(command);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-server-'));
    const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'redislings-watchdog', dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    watchdog.unref();
    // The pipe must not keep the app alive; the watchdog's end stays open until the app is gone.
    (watchdog.stdin as Writable & { unref?: () => void }).unref?.();
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        const child = await launch(command, port, dir, ['--save', '', '--appendonly', 'no', ...(options.args ?? [])]);
        const server = new ManagedServer(port, dir, version, options, watchdog, child);
        server.tellWatchdog(String(child.pid));
        running.add(server);
        installHooks();
        return server;
      } catch (e) {
        // Another program took the port between freePort() and redis-server binding it: again.
        lastError = e;
      }
    }
    watchdog.stdin?.end('done\n');
    fs.rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }

  /** The running server's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The watchdog's process id (for tests). */
  get watchdogPid(): number | undefined {
    return this.watchdog.pid;
  }

  async crash(): Promise<void> {
    this.settings = await this.currentSettings();
    await killAndWait(this.child);
    await this.relaunch();
  }

  async restart(): Promise<void> {
    this.settings = await this.currentSettings();
    const exited = exitOf(this.child);
    const c = await RespConnection.open({ host: '127.0.0.1', port: this.port }, 0, { rules: { enforce: enforcePrivate } });
    // SHUTDOWN answers only if it fails; otherwise the server closes the connection as it exits.
    const answered = c.execute(['SHUTDOWN']).then((r) => r, () => undefined);
    await Promise.race([exited, answered.then((r) => {
      if (r?.kind === 'error') throw new Error(`SHUTDOWN failed: ${r.message}`);
    })]);
    await exited;
    await c.close();
    await this.relaunch();
  }

  async wipeFiles(): Promise<void> {
    fs.rmSync(path.join(this.dir, 'dump.rdb'), { force: true });
    fs.rmSync(path.join(this.dir, 'appendonlydir'), { recursive: true, force: true });
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this);
    await killAndWait(this.child);
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.watchdog.stdin?.end('done\n');
  }

  /** The exit hook: no waiting is possible there, so SIGKILL and remove the directory at once. */
  killNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async relaunch(): Promise<void> {
    const command = this.options.command ?? 'redis-server';
    this.child = await launch(command, this.port, this.dir, [...this.settings, ...(this.options.args ?? [])]);
    this.tellWatchdog(String(this.child.pid));
  }

  private tellWatchdog(line: string): void {
    this.watchdog.stdin?.write(line + '\n');
  }

  private async currentSettings(): Promise<string[]> {
    const c = await RespConnection.open({ host: '127.0.0.1', port: this.port }, 0, { rules: { enforce: enforcePrivate } });
    try {
      const out: string[] = [];
      for (const name of KEPT_SETTINGS) {
        const r = await c.execute(['CONFIG', 'GET', name]);
        const value = r.kind === 'array' ? r.items[1] : undefined;
        if (value?.kind === 'bulk') out.push(`--${name}`, value.value);
      }
      return out;
    } finally {
      await c.close();
    }
  }
}

/** Starts redis-server and resolves once it answers PING (loading done). */
async function launch(command: string, port: number, dir: string, settings: readonly string[]): Promise<ChildProcess> {
  const log = path.join(dir, 'redis.log');
  const child = spawn(command, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no',
    '--logfile', log, ...settings,
  ], { stdio: 'ignore', detached: true });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  const ready = async (): Promise<'ready'> => {
    for (;;) {
      if (Date.now() > deadline) throw new ConnectError('timeout', `redis-server did not answer on port ${port} within ${START_TIMEOUT_MS / 1000} s: ${lastLines(log)}`);
      try {
        const c = await RespConnection.open({ host: '127.0.0.1', port }, 0, { rules: { enforce: enforcePrivate }, timeoutMs: 1000 });
        const r = await c.execute(['PING']);
        await c.close();
        // LOADING: listening, but still reading its files.
        if (r.kind !== 'error') return 'ready';
      } catch (e) {
        // Not listening yet (or no longer: the race below tells).
        if (!(e instanceof ConnectError)) throw e;
      }
      if (child.exitCode !== null || child.signalCode !== null) return 'ready';
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    const outcome = await Promise.race([ready(), exitOf(child).then(() => 'exited' as const)]);
    if (outcome === 'exited' || child.exitCode !== null || child.signalCode !== null) {
      throw new ConnectError('no-redis-server', `redis-server exited at start: ${lastLines(log)}`);
    }
  } catch (e) {
    await killAndWait(child);
    throw e;
  }
  return child;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function killAndWait(child: ChildProcess): Promise<void> {
  // Referenced while it dies, so that the process waits for it (the server is unref'd otherwise).
  child.ref();
  const exited = exitOf(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
}

function lastLines(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '(no log)';
    throw e;
  }
}
