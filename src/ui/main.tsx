/**
 * `redislings` with no subcommand: the tutorial in the terminal. cli.ts has already made sure
 * there is a terminal and set the colours (NO_COLOR, FORCE_COLOR) before this module, and with
 * it Ink, is imported.
 *
 * The app takes the whole terminal (the alternate screen, as full-screen programs do) and gives it
 * back as it was on every way out: :quit, Ctrl+C twice, an error.
 */
import { render } from 'ink';
import { App } from './App.js';
import type { CursorStyle } from './components/Prompt.js';
import { createApp, startApp } from './create-app.js';
import { terminalSize } from './hooks/use-terminal-size.js';
import { progressText } from './components/Header.js';
import { totalCount } from '../progress/progress.js';
import type { AppDirs } from '../progress/store.js';
import type { BackendChoice } from '../backend/open.js';

export interface RunOptions {
  /** A lesson pack (--lessons DIR), beside the built-in lessons or, with `only`, alone. */
  readonly lessonsDir?: string;
  readonly only?: boolean;
  readonly backendChoice?: BackendChoice;
  readonly dirs: AppDirs;
  readonly version: string;
  /** Colours off (NO_COLOR): the cursor is drawn as a bar, since reverse video is a style too. */
  readonly plain: boolean;
  /** Strict mode (graded work). */
  readonly strict?: boolean;
}

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

export async function runApp(options: RunOptions): Promise<number> {
  const parts = await createApp({
    ...(options.lessonsDir === undefined ? {} : { lessonsDir: options.lessonsDir }),
    ...(options.only ? { only: true } : {}),
    // Told nothing of where to run: the bundled engine, and the menu offers a Redis on localhost.
    ...(options.backendChoice === undefined ? { offerLocalRedis: {} } : { backendChoice: options.backendChoice }),
    dirs: options.dirs,
    version: options.version,
    size: terminalSize(process.stdout),
    ...(options.strict ? { strict: true } : {}),
  });
  const stdout = process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALT_SCREEN);
  };
  // However the process ends, the learner gets their screen back, and progress still waiting for
  // its moment to be written (saves are coalesced: src/progress/saver.ts) is written.
  const flush = () => parts.session.flushProgress();
  process.on('exit', flush);
  process.on('exit', restore);
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, onSignal);
  stdout.write(ENTER_ALT_SCREEN);
  const cursor: CursorStyle = options.plain ? 'bar' : 'inverse';
  const instance = render(<App store={parts.store} cursor={cursor} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // A reply comes a few ms after the frame that echoed its command; at 120 frames a second it
    // is not held back long.
    maxFps: 120,
  });
  startApp(parts);
  try {
    // The learner quits (:quit, Ctrl+C twice); or a render fails, and the error is printed on the
    // learner's own screen, after it is given back.
    await Promise.race([parts.exited, instance.waitUntilExit()]);
    instance.unmount();
    await instance.waitUntilExit();
  } finally {
    restore();
  }
  process.off('exit', restore);
  process.off('exit', flush);
  const state = parts.store.getState();
  const strict = state.strict ? ` (strict mode: ${totalCount(state.progress, state.lessons).skipped} skipped)` : '';
  stdout.write(`Progress saved: ${progressText(state)}${strict}. Run redislings again to go on from there.\n`);
  return 0;
}
