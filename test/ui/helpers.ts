/**
 * The app in ink-testing-library: the real store, session, bundled engine and shipped lessons,
 * with progress, cache and history in a temporary directory. Keys are written to stdin as a
 * terminal sends them; assertions read the last frame.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import * as app from '../../src/ui/App.js';
import * as setup from '../../src/ui/create-app.js';
import type { AppParts } from '../../src/ui/create-app.js';
import type { Progress } from '../../src/progress/progress.js';

export const KEY = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  tab: '\t',
  backspace: '\x7f',
  escape: '\x1b',
  ctrlC: '\x03',
  ctrlK: '\x0b',
  ctrlU: '\x15',
  pageDown: '\x1b[6~',
} as const;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

export interface Harness {
  readonly parts: AppParts;
  readonly dir: string;
  frame(): string;
  /** Writes keys, each one chunk (as a paste or tmux send-keys sends them), a few ms apart. */
  press(...keys: string[]): Promise<void>;
  /** Writes keys back to back, as fast typing does; the screen catches up after. */
  type(...keys: string[]): Promise<void>;
  /** Types a line and Enter, as two chunks. */
  run(line: string): Promise<void>;
  waitFor(pattern: RegExp | string, ms?: number): Promise<string>;
  /** progress.json once `ready` says it holds what the test waits for (saves are coalesced: up to 250 ms late). */
  saved(ready: (p: Progress) => boolean, ms?: number): Promise<Progress>;
  quit(): Promise<void>;
  cleanup(): void;
}

export interface StartOptions {
  readonly columns?: number;
  readonly rows?: number;
  readonly progress?: Progress;
  /** Raw text for progress.json (a corrupt file). */
  readonly progressText?: string;
  readonly history?: readonly string[];
  /** Actors' delays are multiplied by this (the producer's 2 s × 0.05 = 100 ms). */
  readonly timeScale?: number;
  /** Reuse a directory (a second run of the app). */
  readonly dir?: string;
  /** A lesson pack's directory: its lessons after the built-in ones. */
  readonly lessonsDir?: string;
  /** With lessonsDir: the pack's lessons alone (--only). */
  readonly only?: boolean;
  /** Where lessons run (default: the bundled engine). */
  readonly backendChoice?: import('../../src/backend/open.js').BackendChoice;
  /** Strict mode (graded work). */
  readonly strict?: boolean;
  /** Without backendChoice: look for a Redis there (the app looks on 127.0.0.1:6379) and offer it in the menu. */
  readonly offerLocalRedis?: { readonly host?: string; readonly port?: number };
  /** Where exercise steps write starters and look for programs (default: the temporary directory). */
  readonly workDir?: string;
  /**
   * The app's modules: the sources by default; the fuzz test passes tsc's output (dist/), which
   * runs on React's production build (Vite compiles JSX for the development one).
   */
  readonly modules?: { readonly app: typeof app; readonly setup: typeof setup };
}

export async function startHarness(options: StartOptions = {}): Promise<Harness> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-ui-'));
  if (options.progress) fs.writeFileSync(path.join(dir, 'progress.json'), JSON.stringify(options.progress));
  if (options.progressText !== undefined) fs.writeFileSync(path.join(dir, 'progress.json'), options.progressText);
  if (options.history) fs.writeFileSync(path.join(dir, 'history'), options.history.map((l) => l + '\n').join(''));
  const { createApp, startApp } = options.modules?.setup ?? setup;
  const { App } = options.modules?.app ?? app;
  const parts = await createApp({
    dirs: { config: dir, cache: path.join(dir, 'cache') },
    size: { columns: options.columns ?? 80, rows: options.rows ?? 30 },
    version: 'test',
    env: { REDISLINGS_HISTFILE: path.join(dir, 'history') },
    timeScale: options.timeScale ?? 0.05,
    ...(options.backendChoice ? { backendChoice: options.backendChoice } : {}),
    ...(options.lessonsDir ? { lessonsDir: options.lessonsDir } : {}),
    ...(options.only ? { only: true } : {}),
    ...(options.strict ? { strict: true } : {}),
    ...(options.offerLocalRedis ? { offerLocalRedis: options.offerLocalRedis } : {}),
    workDir: options.workDir ?? dir,
  });
  const ink = render(createElement(App, { store: parts.store }));
  startApp(parts);
  // Input written before Ink's first tick is lost.
  await sleep(50);
  const frame = () => stripAnsi(ink.lastFrame() ?? '');
  const h: Harness = {
    parts,
    dir,
    frame,
    async press(...keys) {
      for (const k of keys) {
        ink.stdin.write(k);
        await sleep(5);
      }
    },
    async type(...keys) {
      for (const k of keys) ink.stdin.write(k);
      await sleep(1);
    },
    async run(line) {
      await h.press(line, KEY.enter);
    },
    async waitFor(pattern, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const f = frame();
        if (typeof pattern === 'string' ? f.includes(pattern) : pattern.test(f)) return f;
        if (Date.now() > deadline) throw new Error(`the frame never showed ${pattern}:\n${f}`);
        await sleep(10);
      }
    },
    async saved(ready, ms = 3000) {
      const file = path.join(dir, 'progress.json');
      const deadline = Date.now() + ms;
      for (;;) {
        let progress: Progress | undefined;
        try {
          progress = JSON.parse(fs.readFileSync(file, 'utf8')) as Progress;
        } catch (e) {
          // Not written yet; a half-written file cannot be seen (writes are atomic renames).
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
        if (progress && ready(progress)) return progress;
        if (Date.now() > deadline) throw new Error(`progress.json never held what was expected:\n${JSON.stringify(progress, null, 2)}`);
        await sleep(20);
      }
    },
    async quit() {
      await h.press(KEY.ctrlU);
      await h.run(':quit');
      await parts.exited;
    },
    cleanup() {
      ink.unmount();
      // A save waiting for its interval is written now, not into a directory removed below.
      parts.session.flushProgress();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Progress that places the learner at a step of a lesson, the steps before it passed. */
export function progressAt(lesson: string, steps: readonly string[], at: string): Progress {
  const done = steps.slice(0, steps.indexOf(at));
  const passed = { state: 'passed' as const, when: '2025-03-04T10:00:00.000Z', strict: false, attempts: 1, hints: 0, solutions: 0 };
  return {
    format: 2,
    current: { lesson, step: at },
    lessons: { [lesson]: { steps: Object.fromEntries(done.map((s) => [s, passed])), at } },
  };
}

export const QUEUE_STEPS = ['lpush', 'lrange', 'rpop', 'brpop', 'lmove', 'ack', 'worker', 'queue-quiz'];
export const BROKER_STEPS = ['produce', 'produce-more', 'work', 'wait-for-work', 'reliable', 'connection-quiz', 'worker', 'endpoint', 'broker-quiz', 'kafka-quiz'];
