/**
 * The app's root: it reads the state, turns keys, resizes and time into events, and lays the
 * screen out as fixed rows: a header, the body (menu, lesson or help, with the keyspace panel
 * beside a lesson), the prompt and a status line. It draws one row fewer than the terminal has:
 * Ink clears the whole screen on every frame once its output reaches the terminal's height.
 */
import { Box, Text } from 'ink';
import { useAppState } from './hooks/use-app-state.js';
import { useKeys } from './hooks/use-keys.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useTickAt, useTicker } from './hooks/use-ticker.js';
import { Header } from './components/Header.js';
import { HelpScreen } from './components/HelpScreen.js';
import { KeyspacePanel } from './components/KeyspacePanel.js';
import { LessonBody } from './components/LessonBody.js';
import { Menu } from './components/Menu.js';
import { type CursorStyle, Prompt, StatusLine } from './components/Prompt.js';
import { panelShown } from './state/lesson.js';
import type { AppState } from './state/types.js';
import type { Store } from './store.js';

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

/** How often time must move on screen: a spinner, a TTL counting down. */
export function tickInterval(state: AppState): number | undefined {
  const s = state.screen;
  if (s.kind === 'lesson' && (s.pending.length > 0 || s.subscribed || !s.ready || s.verifying)) return 80;
  if (s.kind === 'lesson' && panelShown(state) && state.keyspace.some((k) => k.ttlMs !== undefined)) return 1000;
  return undefined;
}

/** When something on screen runs out: a notice, the second Ctrl+C's window. */
export function nextDeadline(state: AppState): number | undefined {
  const times = [state.notice?.until, state.quitArmedAt === undefined ? undefined : state.quitArmedAt + 3000].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/**
 * The keyspace panel's width beside a lesson of `columns` columns. On a wide terminal the panel
 * takes what the lesson's ~100 columns leave (up to 60), so that it stays near the text.
 */
export function panelWidth(columns: number): number {
  if (columns >= 120) return Math.min(60, Math.max(40, columns - 102));
  return columns >= 100 ? 34 : 28;
}

export interface AppProps {
  readonly store: Store;
  readonly cursor?: CursorStyle;
}

export function App({ store, cursor = 'inverse' }: AppProps) {
  const state = useAppState(store);
  useKeys(store.dispatch);
  useTerminalSize(store.dispatch);
  useTicker(store.dispatch, tickInterval(state));
  useTickAt(store.dispatch, nextDeadline(state));

  const { columns, rows } = state.size;
  const height = rows - 1;
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text wrap="truncate-end">{`redislings needs at least ${MIN_COLUMNS}×${MIN_ROWS}; this terminal is ${columns}×${rows}. Ctrl+C twice quits.`}</Text>;
  }
  const screen = state.screen;
  const lesson = screen.kind === 'lesson' ? screen : undefined;
  const prompt = lesson !== undefined && !state.helpOpen;
  const bodyHeight = height - 2 - (prompt ? 1 : 0);
  const panel = lesson !== undefined && !state.helpOpen && panelShown(state);
  const side = panel ? panelWidth(columns) : 0;
  const main = columns - side - (panel ? 1 : 0) - 1;

  // Parts that do not move get a constant time, so that typing redraws only the prompt.
  const moving = lesson !== undefined && (lesson.pending.length > 0 || lesson.subscribed || !lesson.ready || lesson.verifying !== undefined);
  const counting = panel && state.keyspace.some((k) => k.ttlMs !== undefined);
  let body;
  if (state.helpOpen) body = <HelpScreen state={state} width={columns - 1} height={bodyHeight} />;
  else if (screen.kind === 'menu') {
    body = <Menu lessons={state.lessons} pack={state.pack} progress={state.progress} problems={state.problems} backend={state.backend} warnings={state.warnings} strict={state.strict} choice={state.choice} menu={screen} width={columns - 1} height={bodyHeight} />;
  } else {
    const view = state.lessons.find((l) => l.id === screen.lesson);
    body = <LessonBody lesson={view} screen={screen} now={moving ? state.now : 0} width={main} height={bodyHeight} />;
  }

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header progress={state.progress} lessons={state.lessons} screen={screen} backend={state.backend} backendError={state.backendError} strict={state.strict} width={columns - 1} />
      <Box flexDirection="row" height={bodyHeight}>
        <Box width={panel ? main + 1 : columns} flexShrink={0}>{body}</Box>
        {panel ? <KeyspacePanel keyspace={state.keyspace} readAt={state.keyspaceAt} now={counting ? state.now : 0} db={state.db} width={side} height={bodyHeight} /> : null}
      </Box>
      {prompt ? <Prompt state={state} width={columns - 1} cursor={cursor} /> : null}
      <StatusLine state={state} width={columns - 1} />
    </Box>
  );
}
