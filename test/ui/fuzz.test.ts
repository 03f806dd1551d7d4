/**
 * No input can crash the app: 2,000 random keystroke sequences (printable text, Enter, Tab,
 * arrows, Backspace, Escape, PgUp/PgDn, Ctrl keys, meta-commands, pastes with line ends, and
 * resizes to odd sizes, down to 1×1) go through ink-testing-library into the real app on the
 * bundled engine. After every sequence the app is still running; every 100 sequences, and at
 * the end, it still answers a command. Seeded, so a failure replays.
 *
 * The keys that quit on purpose are left out ('q' in the menu, Ctrl+C/Ctrl+D twice, `:quit`,
 * `quit`/`exit`): q and x never occur, nor Ctrl+C/D. The app is tsc's build (dist/) on React's
 * production build, as the bundle runs it: the development build renders many times slower.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prng } from '../helpers/prng.js';
import type { Harness } from './helpers.js';

let h: Harness;
let KEY: typeof import('./helpers.js').KEY;

beforeAll(async () => {
  // Before react is first loaded in this test file's process.
  process.env.NODE_ENV = 'production';
  const helpers = await import('./helpers.js');
  KEY = helpers.KEY;
  // tsc's output (npm test builds it first): its JSX calls React's production runtime.
  const dist = (file: string) => new URL(`../../dist/ui/${file}`, import.meta.url).href;
  const app = (await import(dist('App.js'))) as typeof import('../../src/ui/App.js');
  const setup = (await import(dist('create-app.js'))) as typeof import('../../src/ui/create-app.js');
  h = await helpers.startHarness({ columns: 100, rows: 30, timeScale: 0.02, modules: { app, setup } });
  await h.waitFor('First steps');
});

afterAll(() => h?.cleanup());

const TEXT = 'abcdefghijklmnoprstuvwyzABCDEFGHIJKLMNOPRSTUVWYZ0123456789 :"\'*-_$/\\{}[]?';
const WORDS = ['SET a 1', 'GET a', 'LPUSH l x y', 'BRPOP l 0', 'BRPOP empty 0', 'SUBSCRIBE ch', 'PUBLISH ch hi', ':hint', ':solution', ':skip', ':next', ':back', ':reset', ':menu', ':help', ':keys', ':crash', ':bogus', 'help set', 'clear', 'MULTI', 'EXEC', 'SELECT 3', 'DEBUG SLEEP 0', 'KEYS *', 'FLUSHALL', 'é日本', '"unbalanced'];

function randomKey(rand: () => number): string {
  const r = rand();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  if (r < 0.35) return pick([...TEXT]);
  if (r < 0.45) return KEY.enter;
  if (r < 0.55) return pick(WORDS);
  if (r < 0.6) return pick(WORDS) + '\r' + pick(WORDS) + '\r';
  if (r < 0.85) return pick([KEY.up, KEY.down, KEY.left, KEY.right, KEY.tab, KEY.backspace, KEY.escape, KEY.pageDown, '\x1b[5~', '\x1b[H', '\x1b[F', '\x1b[3~']);
  if (r < 0.95) return String.fromCharCode(1 + Math.floor(rand() * 26)).replace(/[\x03\x04]/, '\x01');
  return pick(['\x1b[1;5D', '\x1bb', '\x1bf', '\x1b[Z', '\x1bOP', '\x1b[200~paste\x1b[201~', '\x00', '\x1b']);
}

it('2,000 random keystroke sequences leave it running and responsive', async () => {
  const rand = prng(20_240_601);
  const store = h.parts.store;
  for (let seq = 0; seq < 2000; seq++) {
    const length = 1 + Math.floor(rand() * 12);
    const keys: string[] = [];
    for (let i = 0; i < length; i++) {
      if (rand() < 0.02) {
        await h.type(...keys.splice(0));
        store.dispatch({ type: 'resize', size: { columns: Math.floor(rand() * 200) + 1, rows: Math.floor(rand() * 60) + 1 } });
      } else {
        keys.push(randomKey(rand));
      }
    }
    // Half the sequences come as fast typing, half key by key with the screen drawn between.
    if (seq % 2 === 0) await h.type(...keys);
    else await h.press(...keys);
    const state = store.getState();
    expect(state.quitting, `sequence ${seq} quit the app`).toBe(false);
    if (seq % 100 === 99) await responsive(seq);
  }
  await responsive(2000);
}, 900_000);

/** Back to a known place: a normal size, no waiting command, a lesson open; then PING answers. */
async function responsive(seq: number): Promise<void> {
  const store = h.parts.store;
  store.dispatch({ type: 'resize', size: { columns: 100, rows: 30 } });
  await h.press(KEY.escape, KEY.escape);
  if (store.getState().helpOpen) await h.press(KEY.escape);
  let state = store.getState();
  if (state.screen.kind === 'lesson' && (state.screen.pending.length > 0 || state.screen.subscribed)) {
    // One Ctrl+C stops the wait and drops what was typed after it.
    await h.press('\x03');
    await waitUntil(() => { const s = store.getState().screen; return s.kind !== 'lesson' || (s.pending.length === 0 && !s.subscribed); }, seq);
  }
  state = store.getState();
  if (state.screen.kind === 'menu') {
    if (state.screen.filtering || state.screen.filter) await h.press(KEY.escape, KEY.escape);
    if (store.getState().screen.kind === 'menu' && (store.getState().screen as { confirmReset?: string }).confirmReset) await h.press('n');
    await h.press(KEY.enter);
  }
  await waitUntil(() => { const s = store.getState().screen; return s.kind === 'lesson' && s.ready; }, seq);
  await h.press(KEY.escape);
  // A transaction left open by the random keys would queue the ECHO.
  if (store.getState().inTransaction) await h.run('DISCARD');
  const marker = `fuzz-${seq}`;
  await h.run(`ECHO ${marker}`);
  // Its reply reaches the transcript (the frame may show feedback under it instead).
  await waitUntil(() => {
    const s = store.getState().screen;
    return s.kind === 'lesson' && s.transcript.some((e) => e.kind === 'reply' && e.lines[0] === `"${marker}"`);
  }, seq);
}

async function waitUntil(ok: () => boolean, seq: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`after sequence ${seq}: the app did not settle:\n${h.frame()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
