/**
 * Where progress lives and how it is read and written. The file is progress.json in the
 * platform's config directory (env-paths: ~/.config/redislings on Linux, ~/Library/Preferences/
 * redislings on macOS, %APPDATA%\redislings\Config on Windows), or in $REDISLINGS_CONFIG_DIR.
 *
 * Writes are atomic (a temporary file in the same directory, flushed, then renamed over the old
 * one), so a crash or a full disk never leaves half a file. A file that cannot be read as
 * progress is never discarded silently: it is renamed aside (progress.json.corrupt-<time>) and
 * the caller is told, so the learner can be shown where it went.
 */
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { EMPTY_PROGRESS, type Progress, progressFrom, progressProblem } from './progress.js';

export interface AppDirs {
  /** progress.json (and nothing else the learner would miss) */
  readonly config: string;
  /** Rebuildable data: the lesson cache. */
  readonly cache: string;
}

export function appDirs(env: NodeJS.ProcessEnv = process.env): AppDirs {
  const paths = envPaths('redislings', { suffix: '' });
  const config = env.REDISLINGS_CONFIG_DIR || paths.config;
  // With a private config directory (tests, benchmarks), the cache goes beside it.
  const cache = env.REDISLINGS_CACHE_DIR || (env.REDISLINGS_CONFIG_DIR ? path.join(env.REDISLINGS_CONFIG_DIR, 'cache') : paths.cache);
  return { config, cache };
}

export const PROGRESS_FILE = 'progress.json';

export type LoadedProgress =
  | { readonly kind: 'ok'; readonly progress: Progress }
  | { readonly kind: 'none'; readonly progress: Progress }
  /** The file was unreadable as progress: it was moved to `keptAs`, and `progress` is empty. */
  | { readonly kind: 'corrupt'; readonly progress: Progress; readonly problem: string; readonly keptAs: string };

/** Reads and checks a progress file (format 1 is brought to format 2); throws a ProgressFileError saying what is wrong. */
export function readProgressFile(file: string): Progress {
  const text = fs.readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ProgressFileError(`${file} is not valid JSON (${(e as Error).message})`);
  }
  const problem = progressProblem(value);
  if (problem) throw new ProgressFileError(`${file} is not a redislings progress file: ${problem}`);
  return progressFrom(value);
}

export class ProgressFileError extends Error {}

export class ProgressStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, PROGRESS_FILE);
  }

  load(now: Date = new Date()): LoadedProgress {
    let progress: Progress;
    try {
      progress = readProgressFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none', progress: EMPTY_PROGRESS };
      if (!(e instanceof ProgressFileError)) throw e;
      const keptAs = `${this.file}.corrupt-${stamp(now)}`;
      fs.renameSync(this.file, keptAs);
      return { kind: 'corrupt', progress: EMPTY_PROGRESS, problem: e.message, keptAs };
    }
    return { kind: 'ok', progress };
  }

  /** Writes atomically: a temporary file beside the real one, flushed, then renamed over it. */
  save(progress: Progress): void {
    writeAtomically(this.file, JSON.stringify(progress, null, 2) + '\n');
  }

  /** Moves the file aside (for --reset-progress and imports); returns where it went, if there was one. */
  backUp(now: Date = new Date()): string | undefined {
    const keptAs = `${this.file}.bak-${stamp(now)}`;
    try {
      fs.renameSync(this.file, keptAs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return keptAs;
  }
}

export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(temp, 'w', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** 2025-01-31T12-00-00: a timestamp that sorts and is a valid file name everywhere. */
function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/:/g, '-');
}
