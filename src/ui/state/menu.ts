/** The lesson menu's keys: move, open, filter, reset a lesson (after a yes), where lessons run, help, quit. */
import { resetLesson } from '../../progress/progress.js';
import type { LessonView } from '../lesson-view.js';
import { missingCapability, notice, openLesson, type Result, result, withProgress } from './common.js';
import type { AppState, Keystroke, MenuScreen } from './types.js';

/**
 * The lessons the filter lets through: those whose title matches first, then those whose summary
 * does; the built-in ones before a pack's, as the menu groups them.
 */
export function visibleLessons(state: Pick<AppState, 'lessons'>, menu: MenuScreen): readonly LessonView[] {
  const f = menu.filter.trim().toLowerCase();
  if (!f) return state.lessons;
  const byTitle = state.lessons.filter((l) => `${l.order} ${l.id} ${l.title}`.toLowerCase().includes(f));
  const bySummary = state.lessons.filter((l) => !byTitle.includes(l) && l.summary.toLowerCase().includes(f));
  const found = [...byTitle, ...bySummary];
  return [...found.filter((l) => !l.fromPack), ...found.filter((l) => l.fromPack)];
}

/**
 * `c`: lessons move to the Redis found on localhost:6379, or back to the bundled engine. Only
 * offered when the app started without being told where to run (no --url, --engine, REDIS_URL).
 */
function switchBackend(state: AppState): Result {
  const choice = state.choice;
  if (!choice) return result(notice(state, 'Lessons run on the bundled engine. To practise on your own Redis, start redislings with --url redis://host:port.', 'info', 6000));
  if (choice.switching) return result(state);
  if (!choice.inUse && choice.needsPassword) {
    return result(notice(state, `The Redis at ${choice.url} asks for a password: start redislings with --url redis://:PASSWORD@${choice.url.replace(/^redis:\/\//, '')}.`, 'warn', 8000));
  }
  return result(
    { ...state, backend: undefined, backendError: undefined, choice: { ...choice, inUse: !choice.inUse, switching: true } },
    { kind: 'switch-backend', to: choice.inUse ? 'bundled' : 'local', url: choice.url },
  );
}

function select(state: AppState, menu: MenuScreen, selected: number): Result {
  const count = visibleLessons(state, menu).length;
  const clamped = Math.max(0, Math.min(count - 1, selected));
  return result({ ...state, screen: { ...menu, selected: clamped } });
}

export function menuKey(state: AppState, menu: MenuScreen, k: Keystroke): Result {
  const lessons = visibleLessons(state, menu);
  const chosen = lessons[menu.selected];

  if (menu.confirmReset !== undefined) {
    const id = menu.confirmReset;
    const cleared: AppState = { ...state, screen: { ...menu, confirmReset: undefined } };
    if (k.name === 'text' && k.text.toLowerCase() === 'y') {
      const title = state.lessons.find((l) => l.id === id)?.title ?? id;
      return withProgress(notice(cleared, `“${title}” starts from the beginning again.`, 'info', 4000), resetLesson(state.progress, id));
    }
    return result(notice(cleared, 'Nothing was reset.', 'info', 2000));
  }

  if (menu.filtering) {
    switch (k.name) {
      case 'text': return result({ ...state, screen: { ...menu, filter: menu.filter + k.text, selected: 0 } });
      case 'backspace': return result({ ...state, screen: { ...menu, filter: menu.filter.slice(0, -1), selected: 0 } });
      case 'enter': return result({ ...state, screen: { ...menu, filtering: false } });
      case 'escape': return result({ ...state, screen: { ...menu, filtering: false, filter: '', selected: 0 } });
      case 'up': return select(state, menu, menu.selected - 1);
      case 'down': return select(state, menu, menu.selected + 1);
      default: return result(state);
    }
  }

  switch (k.name) {
    case 'up': return select(state, menu, menu.selected - 1);
    case 'down': return select(state, menu, menu.selected + 1);
    case 'home': return select(state, menu, 0);
    case 'end': return select(state, menu, lessons.length - 1);
    case 'pageup': return select(state, menu, menu.selected - 5);
    case 'pagedown': return select(state, menu, menu.selected + 5);
    case 'escape': return menu.filter ? result({ ...state, screen: { ...menu, filter: '', selected: 0 } }) : result(state);
    case 'enter': {
      if (!chosen) return result(state);
      const missing = missingCapability(state, chosen);
      if (missing) return result(notice(state, `“${chosen.title}” ${missing}.`, 'warn', 6000));
      return openLesson(state, chosen);
    }
    case 'text': {
      switch (k.text) {
        case 'k': return select(state, menu, menu.selected - 1);
        case 'j': return select(state, menu, menu.selected + 1);
        case 'g': return select(state, menu, 0);
        case 'G': return select(state, menu, lessons.length - 1);
        case '/': return result({ ...state, screen: { ...menu, filtering: true } });
        case '?': return result({ ...state, helpOpen: true });
        case 'q': return result({ ...state, quitting: true }, { kind: 'quit' });
        case 'c': return switchBackend(state);
        case 'r':
          if (!chosen) return result(state);
          return result({ ...state, screen: { ...menu, confirmReset: chosen.id } });
        default: {
          // A digit selects the lesson with that number, as the menu shows it: in the group (built-in
          // or the pack's) of the chosen lesson, where the numbers are the teacher's own.
          const n = /^[1-9]$/.test(k.text) ? Number(k.text) : undefined;
          const inGroup = n === undefined ? -1 : lessons.findIndex((l) => l.order === n && !l.fromPack === !chosen?.fromPack);
          const index = inGroup >= 0 || n === undefined ? inGroup : lessons.findIndex((l) => l.order === n);
          if (index >= 0) return select(state, menu, index);
          return result(notice(state, `Keys: ↑/↓ (or j/k) choose, Enter opens, / filters, r resets,${state.choice ? ' c changes where lessons run,' : ''} ? help, q quits.`, 'info', 4000));
        }
      }
    }
    default: return result(state);
  }
}
