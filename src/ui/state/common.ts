/** What the reducer's parts share: results, lookups, progress changes, and the prompt's label. */
import { type LessonView } from '../lesson-view.js';
import { openingStep, type Progress, resumePlace } from '../../progress/progress.js';
import { EMPTY_PROMPT } from './prompt.js';
import type { AppState, Effect, LessonScreen, MenuScreen, Notice } from './types.js';

export type Result = readonly [AppState, readonly Effect[]];

export const result = (state: AppState, ...effects: Effect[]): Result => [state, effects];

export function lessonById(state: AppState, id: string): LessonView | undefined {
  return state.lessons.find((l) => l.id === id);
}

/** A new progress, and the effect that saves it (none when nothing changed). */
export function withProgress(state: AppState, progress: Progress): Result {
  return progress === state.progress ? result(state) : result({ ...state, progress }, { kind: 'save', progress });
}

export function notice(state: AppState, text: string, tone: Notice['tone'] = 'info', ms?: number): AppState {
  return { ...state, notice: { text, tone, ...(ms === undefined ? {} : { until: state.now + ms }) } };
}

/** What the learner's backend lacks for a lesson, in words; undefined when it can run. */
export function missingCapability(state: Pick<AppState, 'backend'>, lesson: LessonView): string | undefined {
  const caps = state.backend?.capabilities;
  if (!caps) return undefined;
  const missing = lesson.requires.filter((r) => !caps.has(r));
  if (missing.length === 0) return undefined;
  // A real server says why in its own words.
  const said = missing.map((m) => state.backend?.missing?.get(m)).filter((w): w is string => w !== undefined);
  if (said.length === missing.length) return `needs ${missing.join(' and ')}: ${said.join('; ')}`;
  const why: Record<string, string> = {
    persistence: 'a server it can crash and restart (redis-server, not the bundled engine)',
    json: 'the JSON commands (the RedisJSON module)',
    clients: 'several connections at once',
  };
  return `needs ${missing.map((m) => why[m] ?? m).join(' and ')}`;
}

/** redis-cli's prompt: `redislings> `, `redislings[2]> `, `127.0.0.1:6380(TX)> `. */
export function promptLabel(state: AppState): string {
  const base = state.backend?.prompt ?? 'redislings';
  return `${base}${state.db !== 0 ? `[${state.db}]` : ''}${state.inTransaction ? '(TX)' : ''}> `;
}

export function menuScreen(state: AppState, selectId?: string): MenuScreen {
  // Without a lesson to come back to, a teacher's pack is what the learner came for: its first
  // lesson is chosen (it may be below the built-in ones, out of view).
  const id = selectId ?? state.progress.current?.lesson ?? state.lessons.find((l) => l.fromPack)?.id;
  const selected = Math.max(0, state.lessons.findIndex((l) => l.id === id));
  return { kind: 'menu', selected, filter: '', filtering: false };
}

export function lessonScreen(lesson: string, step: number, ready = false): LessonScreen {
  return {
    kind: 'lesson', lesson, step, ready, passed: false, hintsShown: 0, tries: 0, quiz: { selected: 0 },
    pending: [], seq: 0, cancelled: false, subscribed: false, transcript: [], scroll: 0, complete: false,
  };
}

/** Opens a lesson at a step: the screen shows it at once, the session brings the runner there. */
export function openLesson(state: AppState, lesson: LessonView, step?: number): Result {
  const at = step ?? openingStep(state.progress, lesson);
  const next: AppState = { ...state, screen: lessonScreen(lesson.id, at), prompt: { ...EMPTY_PROMPT, browse: state.history.length }, helpOpen: false, db: 0, inTransaction: false, warnings: [] };
  return result(next, { kind: 'open', lesson: lesson.id, step: at });
}

/** The first screen: where the learner left off, else the menu. */
export function startScreen(state: AppState): Result {
  const place = resumePlace(state.progress, state.lessons);
  const lesson = place ? state.lessons[place.lesson] : undefined;
  if (!place || !lesson) return result({ ...state, screen: menuScreen(state) });
  return openLesson(state, lesson, place.step);
}
