/**
 * The learner's program as a process of its own: never inside redislings. It runs in its own
 * process group (so whatever it spawns is stopped with it), with a time limit, its output captured,
 * and it is always stopped when the verification ends, when redislings exits, and, through a guard
 * preloaded into it, within a second of redislings dying without warning (kill -9).
 *
 * JavaScript runs with `node FILE`. TypeScript runs with `node --import <hooks> FILE`, the hooks
 * (typescript.ts) stripping types with esbuild as each .ts module loads, so imports resolve from
 * the learner's own directory (their node_modules) exactly as with plain JavaScript.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { typescriptHooksImport } from './typescript.js';

export interface ProgramOptions {
  /** Absolute path of the learner's file. */
  readonly file: string;
  /** Added to redislings' own environment: REDIS_URL, PORT… */
  readonly env: Readonly<Record<string, string>>;
  readonly timeLimitMs: number;
}

export interface ProgramExit {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The time limit ran out and the verifier killed it. */
  readonly timedOut: boolean;
}

const OUTPUT_LIMIT = 16_384;

/** Every program not yet disposed of, to be killed if redislings exits first. */
const live = new Set<LearnerProgram>();
let exitHookInstalled = false;

export const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts'];
export const JAVASCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs'];

export class LearnerProgram {
  readonly pid: number;
  readonly exited: Promise<ProgramExit>;
  private exitInfo: ProgramExit | undefined;
  private outputText = '';
  private timedOut = false;
  private readonly closed: Promise<void>;
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly child: ChildProcess, timeLimitMs: number) {
    if (child.pid === undefined) throw new Error('the program did not start');
    this.pid = child.pid;
    const capture = (data: Buffer) => {
      this.outputText = (this.outputText + data.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal, timedOut: this.timedOut };
        clearTimeout(this.timer);
        resolve(this.exitInfo);
      });
    });
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    this.timer = setTimeout(() => {
      this.timedOut = true;
      killGroup(this.pid, 'SIGKILL');
    }, timeLimitMs);
    this.timer.unref();
  }

  static start(options: ProgramOptions): LearnerProgram {
    const ext = path.extname(options.file).toLowerCase();
    const args = ['--import', orphanGuardImport(process.pid)];
    if (TYPESCRIPT_EXTENSIONS.includes(ext)) args.push('--enable-source-maps', '--import', typescriptHooksImport());
    args.push(options.file);
    const child = spawn(process.execPath, args, {
      cwd: path.dirname(options.file),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: one kill reaches everything it started.
      detached: process.platform !== 'win32',
    });
    const program = new LearnerProgram(child, options.timeLimitMs);
    live.add(program);
    installExitHook();
    return program;
  }

  /** How it ended, once it has; undefined while it runs. */
  get exit(): ProgramExit | undefined {
    return this.exitInfo;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Sends a signal to the program itself (as `kill PID` does), not to what it started. */
  signal(name: NodeJS.Signals): void {
    if (this.running) this.child.kill(name);
  }

  /**
   * The last lines it printed, without stack frames (`    at …`): the learner needs the error's
   * message, and the frames of a client library's internals would push it out of view.
   */
  output(maxLines = 15): string {
    const lines = this.outputText.trimEnd().split('\n').filter((line) => !/^\s+at /.test(line));
    return lines.slice(-maxLines).join('\n');
  }

  /** Waits up to `ms` for it to exit; undefined if it still runs. */
  async waitForExit(ms: number): Promise<ProgramExit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Kills it and everything in its process group (a program that ignores SIGTERM, the children
   * it spawned), then waits for its output to close. Safe to call twice.
   */
  async dispose(): Promise<void> {
    killGroup(this.pid, 'SIGKILL');
    live.delete(this);
    clearTimeout(this.timer);
    // A grandchild that left the group (setsid) could hold the pipes open: do not wait forever.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([Promise.all([this.exited, this.closed]), grace]);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch (e) {
    // ESRCH: nothing left in the group, which is what we wanted.
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Kills every live program now (synchronously: it runs in process.on('exit')). */
export function killAllPrograms(): void {
  for (const program of live) killGroup(program.pid, 'SIGKILL');
  live.clear();
}

/** How many programs have not been disposed of (tests check it is 0). */
export function livePrograms(): number {
  return live.size;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllPrograms);
}

/**
 * Preloaded into the learner's program: if redislings dies without cleaning up (kill -9), the
 * program's parent changes; it then kills its own process group. Its timer is unref'd, so it never
 * keeps a finished program alive.
 */
function orphanGuardImport(parentPid: number): string {
  const source = `
const parent = ${parentPid};
const guard = setInterval(() => {
  if (process.ppid === parent) return;
  try { process.kill(-process.pid, 'SIGKILL'); } catch { process.kill(process.pid, 'SIGKILL'); }
}, 500);
guard.unref();
`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
