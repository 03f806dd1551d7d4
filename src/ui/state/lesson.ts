/**
 * The lesson screen: the prompt (commands, meta-commands, redis-cli's own `help` and `clear`),
 * quiz answers, and what the runner reports (replies, actors, pushed messages, verdicts).
 */
import { splitArgs } from '../../cli/split-args.js';
import {
  countAttempt, countHints, countSolution, type Done, leaveLesson, markStep, placeAt, type Progress, stepState, totalCount,
} from '../../progress/progress.js';
import { toBytes } from '../../resp/reply.js';
import type { LessonView, StepView } from '../lesson-view.js';
import { lessonById, menuScreen, notice, openLesson, promptLabel, type Result, result, withProgress } from './common.js';
import { append, appendAfter, commandText, miss, oneLine, replyEntry, replyLines } from './entries.js';
import { exerciseEvent, exerciseMeta, solutionEntry, stopVerifying } from './exercise.js';
import {
  ACTION_COMMANDS, backspace, complete, completionsFor, deleteForward, deleteToStart, deleteWord, EMPTY_PROMPT,
  historyDown, historyUp, insert, META_COMMANDS, move,
} from './prompt.js';
import type { AppEvent, AppState, Effect, Entry, Keystroke, LessonScreen } from './types.js';

const set = (state: AppState, screen: LessonScreen): AppState => ({ ...state, screen });
const add = (state: AppState, screen: LessonScreen, ...entries: Entry[]): AppState => set(state, { ...screen, transcript: append(screen.transcript, ...entries) });
const say = (state: AppState, screen: LessonScreen, text: string, tone: 'info' | 'warn' | 'error' = 'info') => add(state, screen, { kind: 'note', text, tone });

function currentStep(state: AppState, screen: LessonScreen): { lesson: LessonView; step: StepView } | undefined {
  const lesson = lessonById(state, screen.lesson);
  const step = lesson?.steps[screen.step];
  return lesson && step ? { lesson, step } : undefined;
}

/** Changes the progress of the step on screen (its attempts, hints, solutions). */
function onStep(state: AppState, screen: LessonScreen, change: (p: Progress, lesson: string, step: string) => Progress): AppState {
  const here = currentStep(state, screen);
  return here ? { ...state, progress: change(state.progress, here.lesson.id, here.step.id) } : state;
}

/** A step done now: when, and in which mode. */
const doneNow = (state: AppState): Done => ({ when: new Date(state.now).toISOString(), strict: state.strict });

/** What strict mode says instead of showing a solution. */
const STRICT_NO_SOLUTION = 'Strict mode is on (graded work): `:solution` is not available. `:hint` still helps, and `:skip` moves on (skipped steps are counted in your record).';

/** The step is done: passed now, or passed or skipped before. */
function stepDone(state: AppState, screen: LessonScreen, lesson: LessonView): boolean {
  const id = lesson.steps[screen.step]?.id;
  return screen.passed || (id !== undefined && stepState(state.progress, lesson.id, id) !== undefined);
}

function nextLesson(state: AppState, lesson: LessonView): LessonView | undefined {
  return state.lessons[state.lessons.indexOf(lesson) + 1];
}

/** A command answered quicker than this is not waiting for anything (no spinner for it). */
export const WAIT_SHOWN_AFTER_MS = 150;

/** The command the learner's connection is blocked in, if any (one that has not answered for a while). */
export function blockedOn(screen: LessonScreen, now: number): string | undefined {
  const head = screen.pending[0];
  return head && screen.ready && now - head.since >= WAIT_SHOWN_AFTER_MS ? head.command : undefined;
}

/** Effects that first end a wait (a blocked command, a subscription), when there is one. */
function unblock(screen: LessonScreen): Effect[] {
  return screen.pending.length > 0 || screen.subscribed ? [{ kind: 'interrupt' }] : [];
}

function clearPrompt(state: AppState): AppState {
  return { ...state, prompt: { ...EMPTY_PROMPT, browse: state.history.length } };
}

// ---- keys ----

export function lessonKey(state: AppState, screen: LessonScreen, k: Keystroke): Result {
  const here = currentStep(state, screen);
  if (here?.step.kind === 'quiz' && state.prompt.text === '') {
    const handled = quizKey(state, screen, here.step.choices.length, k);
    if (handled) return handled;
  }
  const p = state.prompt;
  switch (k.name) {
    case 'text': return result({ ...state, prompt: insert(p, k.text) });
    case 'backspace': return result({ ...state, prompt: backspace(p) });
    case 'left': case 'right': case 'home': case 'end': case 'wordleft': case 'wordright':
      return result({ ...state, prompt: move(p, k.name) });
    case 'up': return result({ ...state, prompt: historyUp(p, state.history) });
    case 'down': return result({ ...state, prompt: historyDown(p, state.history) });
    case 'tab': {
      const actions = state.backend?.capabilities.has('persistence') ?? false;
      return result({ ...state, prompt: complete(p, () => completionsFor(p.text, state.help, state.keyspace, actions)) });
    }
    case 'escape': return result(clearPrompt(state));
    case 'pageup': return result(set(state, { ...screen, scroll: Math.max(0, screen.scroll - 5) }));
    case 'pagedown': return result(set(state, { ...screen, scroll: screen.scroll + 5 }));
    case 'enter': {
      const line = p.text;
      return submitLine(clearPrompt(state), screen, line);
    }
    case 'ctrl': {
      switch (k.letter) {
        case 'a': return result({ ...state, prompt: move(p, 'home') });
        case 'e': return result({ ...state, prompt: move(p, 'end') });
        case 'b': return result({ ...state, prompt: move(p, 'left') });
        case 'f': return result({ ...state, prompt: move(p, 'right') });
        case 'h': return result({ ...state, prompt: backspace(p) });
        case 'u': return result({ ...state, prompt: deleteToStart(p) });
        case 'w': return result({ ...state, prompt: deleteWord(p) });
        case 'p': return result({ ...state, prompt: historyUp(p, state.history) });
        case 'n': return result({ ...state, prompt: historyDown(p, state.history) });
        case 'l': return result(set(state, { ...screen, transcript: [] }));
        case 'k': return result({ ...state, panel: !panelShown(state) });
        case 'd': return p.text === '' ? interruptOrQuit(state, screen, k) : result({ ...state, prompt: deleteForward(p) });
        case 'c': return interruptOrQuit(state, screen, k);
        default: return result(state);
      }
    }
    default: return result(state);
  }
}

/** The keyspace panel's visibility: the learner's choice, else on when the terminal is wide. */
export function panelShown(state: AppState): boolean {
  return state.panel ?? state.size.columns >= 100;
}

function quizKey(state: AppState, screen: LessonScreen, choices: number, k: Keystroke): Result | undefined {
  const select = (i: number) => result(set(state, { ...screen, quiz: { ...screen.quiz, selected: (i + choices) % choices } }));
  const answer = (i: number): Result => {
    if (screen.quiz.answered?.correct) return result(state);
    return result(set(state, { ...screen, quiz: { selected: i, answered: screen.quiz.answered } }), { kind: 'answer', choice: i });
  };
  switch (k.name) {
    case 'up': return select(screen.quiz.selected - 1);
    case 'down': return select(screen.quiz.selected + 1);
    case 'enter':
      if (screen.quiz.answered?.correct) return submitLine(state, screen, '');
      return answer(screen.quiz.selected);
    case 'text': {
      if (k.text === 'k') return select(screen.quiz.selected - 1);
      if (k.text === 'j') return select(screen.quiz.selected + 1);
      const n = /^[1-9]$/.test(k.text) ? Number(k.text) - 1 : -1;
      if (n >= 0 && n < choices) return answer(n);
      // ':' (and anything else) starts a line at the prompt.
      return undefined;
    }
    default: return undefined;
  }
}

function interruptOrQuit(state: AppState, screen: LessonScreen, k: Keystroke): Result {
  const stopped = stopVerifying(state, screen);
  if (stopped) return stopped;
  if (screen.pending.length > 0 || screen.subscribed) {
    // The command at the head answers now; those typed after it (a paste) are not run (the
    // session reports each as `skipped`).
    const stopped = set(state, { ...screen, cancelled: screen.pending.length > 0 });
    return result(notice(stopped, screen.subscribed ? 'Stopped listening.' : 'Stopped waiting.', 'info', 3000), { kind: 'interrupt' });
  }
  return armQuit(clearPrompt(state), k);
}

/** Ctrl+C (or Ctrl+D on an empty line): once warns, twice within 3 s quits. */
export function armQuit(state: AppState, _k: Keystroke): Result {
  if (state.quitArmedAt !== undefined && state.now - state.quitArmedAt <= 3000) return quit(state);
  return result({ ...notice(state, 'Press Ctrl+C again to quit (your progress is saved).', 'info', 3000), quitArmedAt: state.now });
}

export function quit(state: AppState): Result {
  return result({ ...state, quitting: true }, ...(state.screen.kind === 'lesson' ? unblock(state.screen) : []), { kind: 'quit' });
}

// ---- lines ----

function submitLine(state: AppState, screen: LessonScreen, line: string): Result {
  const trimmed = line.trim();
  const here = currentStep(state, screen);
  if (!here) return result(state);
  const history: Effect[] = trimmed === '' ? [] : [{ kind: 'history', line }];
  const withHistory: AppState = trimmed === '' || state.history[state.history.length - 1] === line
    ? state
    : { ...state, history: [...state.history, line].slice(-100), prompt: { ...state.prompt, browse: Math.min(100, state.history.length + 1) } };
  if (trimmed === '') {
    if (screen.complete || stepDone(state, screen, here.lesson)) return meta(state, screen, ':next');
    return result(state);
  }
  if (trimmed.startsWith(':')) {
    const exercise = exerciseMeta(withHistory, screen, trimmed);
    if (exercise) return [exercise[0], [...history, ...exercise[1]]];
    const [head] = trimmed.split(/\s+/);
    const [s, effects] = meta(withHistory, screen, (head as string).toLowerCase());
    return [s, [...history, ...effects]];
  }
  const seq = screen.seq + 1;
  const echo: Entry = { kind: 'command', prompt: promptLabel(state), text: line, seq };
  const argv = splitArgs(toBytes(line));
  if (argv === undefined) {
    // redis-cli's words for unbalanced quotes.
    return result(add(withHistory, screen, echo, { kind: 'reply', lines: ['Invalid argument(s)'], total: 1, error: true }), ...history);
  }
  if (argv.length === 0) return result(state);
  const name = (argv[0] as string).toLowerCase();
  // redis-cli answers these itself, without the server.
  if (name === 'quit' || name === 'exit') return quit(withHistory);
  if (name === 'clear') return result(set(withHistory, { ...screen, transcript: [] }), ...history);
  if (name === 'help') {
    const lines = state.help ? state.help.output(argv.slice(1)) : ['(help is still loading)'];
    const text = argv.length === 1
      ? ['Type a Redis command and press Enter; `help SET` describes one, `help @list` a group.', state.strict
        ? 'Meta-commands start with a colon: :hint, :skip, :menu, :help (all of them). Strict mode is on: no :solution, and skipped steps are counted.'
        : 'Meta-commands start with a colon: :hint, :solution, :skip, :menu, :help (all of them).']
      : lines;
    return result(add(withHistory, screen, echo, { kind: 'block', lines: text }), ...history);
  }
  // A command typed quickly after another runs after it; one typed while a command blocks is refused.
  const blocked = blockedOn(screen, state.now);
  if (blocked) return result(say(state, screen, `Still waiting for ${blocked}: Ctrl+C stops waiting.`, 'warn'));
  const pending = [...screen.pending, { command: (argv[0] as string).toUpperCase(), since: state.now, seq }];
  return result(add(withHistory, { ...screen, pending, seq }, echo), ...history, { kind: 'submit', argv });
}

function meta(state: AppState, screen: LessonScreen, name: string): Result {
  const here = currentStep(state, screen);
  if (!here) return result(state);
  const { lesson, step } = here;
  const last = screen.step === lesson.steps.length - 1;
  switch (name) {
    case ':hint': {
      if (step.kind === 'quiz') return result(say(state, screen, 'Pick the answer you think is right: every choice is explained once you answer.'));
      const n = Math.min(screen.hintsShown + 1, step.hints.length);
      const counted = onStep(state, screen, (p, l, s) => countHints(p, l, s, n));
      const entry: Entry = { kind: 'hint', n, of: step.hints.length, text: step.hints[n - 1] ?? '' };
      if (screen.hintsShown >= step.hints.length) {
        const last = state.strict ? 'That was the last hint (strict mode: no `:solution`; `:skip` moves on and is counted).' : 'That was the last hint: `:solution` shows the answer.';
        return result(add(counted, { ...screen, hintsShown: n }, entry, { kind: 'note', text: last, tone: 'info' }));
      }
      return result(add(counted, { ...screen, hintsShown: n }, entry));
    }
    case ':solution': {
      if (step.kind === 'quiz') return result(say(state, screen, 'Answer the question: every choice is explained afterwards.'));
      if (state.strict) return result(say(state, screen, STRICT_NO_SOLUTION, 'warn'));
      const open = screen.passed || screen.tries >= 3 || screen.hintsShown >= Math.min(2, step.hints.length);
      if (!open) {
        const left = Math.min(2, step.hints.length) - screen.hintsShown;
        return result(say(state, screen, `Try \`:hint\` first: the solution opens after ${left} more hint${left === 1 ? '' : 's'} or ${3 - screen.tries} more tr${3 - screen.tries === 1 ? 'y' : 'ies'}.`));
      }
      return result(add(onStep(state, screen, countSolution), screen, solutionEntry(step)));
    }
    case ':skip': {
      if (stepDone(state, screen, lesson) && !last) return meta(state, screen, ':next');
      const [skipped, saves] = withProgress(state, markStep(state.progress, lesson.id, step.id, 'skipped', doneNow(state)));
      // In strict mode a skip is no quiet shortcut: the count of skipped steps is said (and shown in the header).
      const n = totalCount(skipped.progress, state.lessons).skipped;
      const marked = state.strict ? notice(skipped, `Skipped. Strict mode: ${n} step${n === 1 ? '' : 's'} skipped in your record.`, 'warn', 6000) : skipped;
      if (last) {
        // The runner solves the last step quietly; there is no step after it to go to.
        const finished = completeLesson(marked, { ...screen, passed: true }, lesson);
        return result(finished, ...unblock(screen), ...saves, { kind: 'skip' });
      }
      return result(set(marked, { ...screen, ready: false }), ...unblock(screen), ...saves, { kind: 'skip' });
    }
    case ':next': {
      if (screen.complete || (last && stepDone(state, screen, lesson))) {
        const following = nextLesson(state, lesson);
        if (!following) {
          const [left, saves] = withProgress(state, leaveLesson(state.progress));
          return result(notice({ ...left, screen: menuScreen(left, lesson.id) }, 'That was the last lesson. Well done!', 'info', 8000), ...unblock(screen), { kind: 'close' }, ...saves);
        }
        const [opened, effects] = openLesson(state, following);
        return [opened, [...unblock(screen), ...effects]];
      }
      if (!stepDone(state, screen, lesson)) return result(say(state, screen, 'Finish this step first, or `:skip` it.'));
      // A step done on an earlier visit but not in this one: its solution runs first, quietly, so
      // that the next step finds the data it expects.
      return result(set(state, { ...screen, ready: false }), ...unblock(screen), { kind: screen.passed ? 'next' : 'skip' });
    }
    case ':back': {
      if (screen.step === 0) return result(say(state, screen, 'This is the first step of the lesson.'));
      return result({ ...set(state, { ...screen, ready: false }), db: 0, inTransaction: false }, ...unblock(screen), { kind: 'goTo', step: screen.step - 1 });
    }
    case ':reset': {
      const fresh = { ...screen, ready: false, transcript: [], passed: false, tries: 0, hintsShown: 0, quiz: { selected: 0 }, complete: false, subscribed: false };
      return result({ ...say(state, fresh, 'This step starts again from fresh data.'), db: 0, inTransaction: false }, ...unblock(screen), { kind: 'goTo', step: screen.step });
    }
    case ':menu': {
      const [left, saves] = withProgress(state, leaveLesson(state.progress));
      return result({ ...left, screen: menuScreen(left, lesson.id) }, ...unblock(screen), { kind: 'close' }, ...saves);
    }
    case ':keys': return result({ ...state, panel: !panelShown(state) });
    case ':yes': {
      const offer = screen.offer;
      if (!offer) return result(say(state, screen, 'There is nothing to say yes to just now.'));
      const cleared = { ...screen, offer: undefined };
      if (offer.kind === 'adopt') {
        return result(say(state, { ...cleared, ready: false }, 'Emptying the lesson database, then the lesson opens again…'), { kind: 'adopt', lesson: screen.lesson, step: screen.step });
      }
      const text = commandText(offer.argv);
      const seq = screen.seq + 1;
      const echo: Entry = { kind: 'command', prompt: promptLabel(state), text, seq };
      const pending = [...screen.pending, { command: (offer.argv[0] ?? '').toUpperCase(), since: state.now, seq }];
      return result(add(state, { ...cleared, pending, seq }, echo), { kind: 'submit', argv: offer.argv });
    }
    case ':help': return result({ ...state, helpOpen: true });
    case ':quit': case ':q': case ':exit': return quit(state);
    case ':crash': case ':restart': {
      if (!state.backend?.capabilities.has('persistence')) {
        return result(say(state, screen, `\`${name}\` needs a server redislings can stop and start again (redis-server); the bundled engine keeps everything in memory.`, 'warn'));
      }
      return result(add(state, screen, { kind: 'command', prompt: promptLabel(state), text: name }), { kind: 'act', action: name === ':crash' ? 'crash' : 'restart' });
    }
    default: {
      const known = [...META_COMMANDS, ...ACTION_COMMANDS].map(([n]) => n).join(' ');
      return result(say(state, screen, `No meta-command \`${name}\`. There are: ${known}`, 'warn'));
    }
  }
}

/** The step passed: ✓, the why, and what comes next; the lesson is complete after its last step. */
function pass(state: AppState, screen: LessonScreen): Result {
  const here = currentStep(state, screen);
  if (!here || screen.passed) return result(state);
  const { lesson, step } = here;
  const [marked, saves] = withProgress(state, markStep(state.progress, lesson.id, step.id, 'passed', doneNow(state)));
  const passed = { ...screen, passed: true };
  if (screen.step === lesson.steps.length - 1) {
    const why: Entry[] = step.kind !== 'quiz' ? [{ kind: 'pass', ...(step.why === undefined ? {} : { why: step.why }) }] : [];
    return result(completeLesson(add(marked, passed, ...why), { ...passed, transcript: append(passed.transcript, ...why) }, lesson), ...saves);
  }
  const following = lesson.steps[screen.step + 1];
  const nextTitle = following?.title ?? (following?.kind === 'quiz' ? 'a question' : 'the next step');
  if (step.kind === 'quiz') return result(set(marked, passed), ...saves);
  return result(add(marked, passed, { kind: 'pass', ...(step.why === undefined ? {} : { why: step.why }), next: nextTitle }), ...saves);
}

function completeLesson(state: AppState, screen: LessonScreen, lesson: LessonView): AppState {
  const following = nextLesson(state, lesson);
  return add(state, { ...screen, complete: true }, { kind: 'complete', title: lesson.title, ...(following ? { next: following.title } : {}) });
}

// ---- what the runner reports ----

export function lessonEvent(state: AppState, screen: LessonScreen, event: AppEvent): Result {
  switch (event.type) {
    case 'step': {
      if (event.lesson !== screen.lesson) return result(state);
      const lesson = lessonById(state, event.lesson);
      const step = lesson?.steps[event.step];
      if (!lesson || !step) return result(state);
      const same = event.step === screen.step;
      // The session stops a verification whenever the runner moves (exercises.ts): none goes on.
      const next: LessonScreen = same
        ? { ...screen, ready: true, verifying: undefined }
        : { ...screen, step: event.step, ready: true, passed: false, hintsShown: 0, tries: 0, quiz: { selected: 0 }, transcript: [], scroll: 0, complete: false, subscribed: false, verifying: undefined };
      const [placed, saves] = withProgress(set(state, next), placeAt(state.progress, lesson.id, step.id));
      return result(placed, ...saves, { kind: 'keyspace' });
    }
    case 'reply': {
      const name = (event.argv[0] ?? '').toLowerCase();
      // Every command that ran is an attempt at the step (until it is passed).
      const counted = onStep(state, screen, countAttempt);
      let s: AppState = event.keys ? { ...counted, keyspace: event.keys, keyspaceAt: state.now } : counted;
      const refresh: Effect[] = event.keys ? [] : [{ kind: 'keyspace' }];
      const ok = event.reply.kind !== 'error';
      if (ok && name === 'select' && event.argv[1] !== undefined) s = { ...s, db: Number(event.argv[1]) };
      if (ok && name === 'multi') s = { ...s, inTransaction: true };
      if (name === 'exec' || name === 'discard') s = { ...s, inTransaction: false };
      if (ok && name === 'reset') s = { ...s, db: 0, inTransaction: false };
      const head = screen.pending[0];
      const rest = screen.pending.slice(1);
      // A reply goes after its own command (several may have been typed ahead of the replies).
      const placed = (...entries: Entry[]) => (head ? appendAfter(screen.transcript, head.seq, ...entries) : append(screen.transcript, ...entries));
      const reply = replyEntry(event.reply);
      const answered: LessonScreen = { ...screen, pending: rest, subscribed: event.subscribed, transcript: placed(reply), cancelled: false };
      if (event.passed && !screen.passed) {
        const [passed, effects] = pass(set(s, answered), answered);
        return [passed, [...effects, ...refresh]];
      }
      const here = currentStep(state, screen);
      if (screen.passed || here?.step.kind !== 'commands') return result(set(s, answered), ...refresh);
      // What the checks saw, after the last command typed (not after each of several typed
      // ahead), unless the reply is an error (it says what went wrong by itself), Ctrl+C stopped
      // the command, or it was SUBSCRIBE (the learner now waits for what the step is about).
      const showMiss = ok && event.failed.length > 0 && rest.length === 0 && !screen.cancelled && !(event.subscribed && !screen.subscribed);
      const transcript = showMiss ? placed(reply, { kind: 'miss', misses: event.failed.map(miss) }) : answered.transcript;
      return result(set(s, { ...answered, tries: screen.tries + 1, transcript }), ...refresh);
    }
    case 'actor':
      return result(add(state, screen, { kind: 'actor', actor: event.actor, command: commandText(event.argv), reply: oneLine(event.reply) }), { kind: 'keyspace' });
    case 'push': {
      const { lines, total } = replyLines(event.reply);
      return result(add(state, { ...screen, subscribed: event.subscribed }, { kind: 'push', lines, total }));
    }
    case 'passed': return pass(state, screen);
    case 'exercise': return exerciseEvent(state, screen, event.report, pass);
    case 'acted': {
      // The server started again: the learner's connection is a new one, in the lesson's database.
      const fresh: AppState = { ...onStep(state, screen, countAttempt), db: 0, inTransaction: false };
      const said = say(fresh, screen, event.action === 'crash'
        ? 'The server was killed without warning and started again from its files.'
        : 'The server was stopped cleanly and started again.');
      const after = said.screen as LessonScreen;
      if (event.passed && !screen.passed) return pass(said, after);
      if (screen.passed || event.failed.length === 0) return result(said, { kind: 'keyspace' });
      return result(add(said, { ...after, tries: after.tries + 1 }, { kind: 'miss', misses: event.failed.map(miss) }), { kind: 'keyspace' });
    }
    case 'interrupted': return result(set(state, { ...screen, subscribed: event.subscribed }));
    case 'refused': {
      const head = screen.pending[0];
      const notes: Entry[] = [{ kind: 'note', text: event.explanation, tone: 'warn' }];
      if (event.offer) notes.push({ kind: 'note', text: `Type \`:yes\` to run \`${commandText(event.offer)}\` instead.`, tone: 'info' });
      const transcript = head ? appendAfter(screen.transcript, head.seq, ...notes) : append(screen.transcript, ...notes);
      const offer = event.offer ? { kind: 'command' as const, argv: event.offer } : undefined;
      return result(set(state, { ...screen, pending: screen.pending.slice(1), transcript, offer }));
    }
    case 'skipped': {
      const head = screen.pending[0];
      const note: Entry = { kind: 'note', text: '(not run: Ctrl+C stopped the commands before it)', tone: 'info' };
      const transcript = head ? appendAfter(screen.transcript, head.seq, note) : screen.transcript;
      return result(set(state, { ...screen, pending: screen.pending.slice(1), transcript }));
    }
    case 'quiz': {
      const answered = { ...screen, quiz: { selected: event.choice, answered: { choice: event.choice, correct: event.correct } } };
      const counted = onStep(state, screen, countAttempt);
      if (!event.correct) return result(set(counted, { ...answered, tries: screen.tries + 1 }));
      return pass(set(counted, answered), answered);
    }
    case 'failed': {
      const failed = say(state, { ...screen, ready: true, ...(event.adopt ? { offer: { kind: 'adopt' as const } } : {}) }, event.message, 'error');
      if (!event.adopt) return result(failed);
      return result(say(failed, failed.screen as LessonScreen, 'Type `:yes` to empty it and open the lesson, or `:menu` to leave it as it is.'));
    }
    default:
      return result(state);
  }
}
