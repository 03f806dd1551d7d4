/**
 * The reducer: every AppEvent goes through update(), which returns the next state and the effects
 * to perform. Pure: time comes in the events, and nothing here touches the engine, the disk or
 * the terminal.
 */
import { EMPTY_PROGRESS, type Progress } from '../../progress/progress.js';
import type { LessonView, PackView } from '../lesson-view.js';
import { lessonById, menuScreen, notice, type Result, result, startScreen } from './common.js';
import { keystrokes } from './keys.js';
import { armQuit, lessonEvent, lessonKey } from './lesson.js';
import { menuKey } from './menu.js';
import { EMPTY_PROMPT } from './prompt.js';
import type { AppEvent, AppState, Effect, Keystroke, Size } from './types.js';

export interface InitialState {
  readonly size: Size;
  readonly now: number;
  readonly lessons: readonly LessonView[];
  readonly pack?: PackView;
  readonly problems?: readonly string[];
  readonly progress?: Progress;
  readonly history?: readonly string[];
  /** Said in the menu at the start (a corrupt progress file kept aside). */
  readonly warnings?: readonly string[];
  /** Strict mode (graded work): no :solution, skipped steps counted on screen. */
  readonly strict?: boolean;
}

/** The first state and its effects: the menu, or the lesson where the learner left off. */
export function init(options: InitialState): Result {
  const history = options.history ?? [];
  const state: AppState = {
    size: options.size,
    now: options.now,
    lessons: options.lessons,
    ...(options.pack ? { pack: options.pack } : {}),
    problems: options.problems ?? [],
    warnings: options.warnings ?? [],
    progress: options.progress ?? EMPTY_PROGRESS,
    strict: options.strict ?? false,
    screen: { kind: 'menu', selected: 0, filter: '', filtering: false },
    helpOpen: false,
    prompt: { ...EMPTY_PROMPT, browse: history.length },
    history,
    keyspace: [],
    keyspaceAt: options.now,
    db: 0,
    inTransaction: false,
    quitting: false,
  };
  return startScreen(state);
}

/**
 * The next state and its effects. Progress is saved once per event, when it changed: the parts of
 * the reducer change it freely (a reply both counts an attempt and passes a step) and this one
 * place asks for the save, first, so that it happens before a quit.
 */
export function update(state: AppState, event: AppEvent): Result {
  const [next, effects] = reduce(state, event);
  const others = effects.filter((e) => e.kind !== 'save');
  if (next.progress === state.progress) return others.length === effects.length ? [next, effects] : [next, others];
  return [next, [{ kind: 'save', progress: next.progress }, ...others]];
}

function reduce(state: AppState, event: AppEvent): Result {
  if (state.quitting) return result(state);
  switch (event.type) {
    case 'key': {
      let s: AppState = { ...state, now: event.at };
      // A notice without a time limit lasts until the next key.
      if (s.notice && s.notice.until === undefined) s = { ...s, notice: undefined };
      const effects: Effect[] = [];
      for (const k of keystrokes(event.input, event.key)) {
        const [next, more] = key(s, k);
        s = next;
        effects.push(...more);
        if (s.quitting) break;
      }
      return [s, effects];
    }
    case 'resize':
      return result({ ...state, size: event.size });
    case 'tick': {
      let s: AppState = { ...state, now: event.at };
      if (s.notice?.until !== undefined && s.notice.until <= event.at) s = { ...s, notice: undefined };
      if (s.quitArmedAt !== undefined && event.at - s.quitArmedAt > 3000) s = { ...s, quitArmedAt: undefined };
      // TTLs count down on screen: read the keyspace again every second while a key has one.
      const refresh = s.screen.kind === 'lesson' && s.keyspace.some((k) => k.ttlMs !== undefined) && event.at - s.keyspaceAt >= 1000;
      return refresh ? result({ ...s, keyspaceAt: event.at }, { kind: 'keyspace' }) : result(s);
    }
    case 'lessons': {
      const s: AppState = { ...state, lessons: event.views, pack: event.pack, problems: event.problems };
      if (s.screen.kind === 'lesson' && !lessonById(s, s.screen.lesson)) {
        return result(notice({ ...s, screen: menuScreen(s) }, 'That lesson is no longer in the lesson files.', 'warn', 6000), { kind: 'close' });
      }
      if (s.screen.kind === 'menu') return result({ ...s, screen: { ...s.screen, selected: Math.min(s.screen.selected, Math.max(0, event.views.length - 1)) } });
      return result(s);
    }
    case 'backend': {
      const switched = state.choice?.switching === true;
      const s: AppState = { ...state, backend: event.info, ...(state.choice ? { choice: { ...state.choice, switching: false } } : {}) };
      if (!switched) return result(s);
      return result(notice(s, state.choice?.inUse
        ? `Now on ${event.info.description}: only that database is used.`
        : 'Lessons run on the bundled engine again.', 'info', 8000));
    }
    case 'local-redis':
      if (state.choice) return result(state);
      return result({ ...state, choice: { url: event.url, needsPassword: event.needsPassword, inUse: false, switching: false } });
    case 'switch-failed': {
      // The session goes back to the bundled engine; its 'backend' event follows, and this notice stays.
      const choice = state.choice ? { ...state.choice, inUse: false, switching: false } : undefined;
      // Said in the menu (a status line would cut it short) until a lesson is opened.
      const said = `${event.message.replace(/[.\s]+$/, '')}. Lessons stay on the bundled engine.`;
      return result({ ...state, ...(choice ? { choice } : {}), warnings: [...state.warnings, said] });
    }
    case 'backend-failed': {
      const said = `${event.message.replace(/[.\s]+$/, '')}. Quit (q, or :quit) and start again: with another --url, or without it for the bundled engine.`;
      const s: AppState = { ...state, backendError: event.message, warnings: [...state.warnings, said] };
      if (s.screen.kind === 'lesson') return result({ ...s, screen: menuScreen(s, s.screen.lesson) }, { kind: 'close' });
      return result(s);
    }
    case 'connection': {
      const c = event.state;
      if (c.kind === 'lost') return result(notice(state, `The connection to the server was lost (${c.message}); trying again…`, 'warn'));
      if (c.kind === 'retrying') return result(notice(state, `Connecting again (attempt ${c.attempt}, in ${Math.ceil(c.delayMs / 1000)} s)…`, 'warn'));
      // Back: the lesson opens again at the learner's step, from the steps before it.
      const back = notice(state, 'Connected again.', 'info', 4000);
      const screen = back.screen;
      return screen.kind === 'lesson' ? result({ ...back, screen: { ...screen, ready: false } }, { kind: 'open', lesson: screen.lesson, step: screen.step }) : result(back);
    }
    case 'help':
      return result({ ...state, help: event.help });
    case 'keyspace':
      return result({ ...state, keyspace: event.keys, keyspaceAt: state.now });
    default:
      if (state.screen.kind === 'lesson') return lessonEvent(state, state.screen, event);
      if (event.type === 'failed') return result(notice(state, event.message, 'error', 8000));
      return result(state);
  }
}

function key(state: AppState, k: Keystroke): Result {
  if (state.helpOpen) {
    // Any key closes the help, except Ctrl+C, which still counts towards quitting.
    if (k.name === 'ctrl' && k.letter === 'c') return armQuit({ ...state, helpOpen: false }, k);
    return result({ ...state, helpOpen: false });
  }
  if (k.name !== 'ctrl' || k.letter !== 'c') {
    if (state.quitArmedAt !== undefined) state = { ...state, quitArmedAt: undefined };
  }
  if (state.screen.kind === 'lesson') return lessonKey(state, state.screen, k);
  if (k.name === 'ctrl' && (k.letter === 'c' || k.letter === 'd')) return armQuit(state, k);
  return menuKey(state, state.screen, k);
}
