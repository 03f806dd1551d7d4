/**
 * The app's state, the events that change it and the effects it asks for. Everything that
 * happens (a key, a resize, a timer tick, a reply, an actor's command, a pushed message, a
 * lesson loaded) is an AppEvent; update.ts is the one reducer that turns (state, event) into a new
 * state and a list of effects; session.ts performs the effects (runs commands, saves progress)
 * and reports back with more events. Components only read the state.
 */
import type { ConnectionState } from '../../backend/backend.js';
import type { CheckResult as ProgramCheck } from '../../exercises/exercise.js';
import type { CheckResult } from '../../lessons/checks.js';
import type { Progress } from '../../progress/progress.js';
import type { Reply } from '../../resp/reply.js';
import type { LessonView, PackView } from '../lesson-view.js';

export interface Size {
  readonly columns: number;
  readonly rows: number;
}

/** What Ink's useInput reports for one chunk of input. */
export interface KeyFlags {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly meta?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

/** One key of the learner's, after a chunk of input (a paste) has been split. */
export type Keystroke =
  | { readonly name: 'text'; readonly text: string }
  | { readonly name: 'enter' | 'backspace' | 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'tab' | 'escape' | 'pageup' | 'pagedown' | 'wordleft' | 'wordright' }
  | { readonly name: 'ctrl'; readonly letter: string };

/** A key in the lesson's keyspace, for the panel. */
export interface KeyInfo {
  /** Display text (UTF-8 decoded). */
  readonly key: string;
  /** As TYPE reports it. */
  readonly type: string;
  /** Bytes of a string, elements of a list/set/zset/stream, fields of a hash; undefined when unknown. */
  readonly size?: number;
  /** Milliseconds left, when the key has a TTL. */
  readonly ttlMs?: number;
  /** A few of its contents, for a glance: "abc", [c b a]. */
  readonly preview?: string;
}

/** What the screen says about a check that failed. */
export interface Miss {
  readonly says?: string;
  readonly subject: string;
  readonly expected: string;
  /** redis-cli's rendering of what was there. */
  readonly actual?: string;
  readonly note?: string;
}

/** One item of the lesson screen's transcript. Text is display text (UTF-8 decoded). */
export type Entry =
  /** A command as typed; `seq` ties its reply to it when replies come after later commands' echoes. */
  | { readonly kind: 'command'; readonly prompt: string; readonly text: string; readonly seq?: number }
  /** A reply as redis-cli renders it, cut to `lines` (at most MAX_REPLY_LINES) of `total`. */
  | { readonly kind: 'reply'; readonly lines: readonly string[]; readonly total: number; readonly error: boolean }
  | { readonly kind: 'actor'; readonly actor: string; readonly command: string; readonly reply: string }
  | { readonly kind: 'push'; readonly lines: readonly string[]; readonly total: number }
  | { readonly kind: 'pass'; readonly why?: string; readonly next?: string }
  | { readonly kind: 'miss'; readonly misses: readonly Miss[] }
  | { readonly kind: 'hint'; readonly n: number; readonly of: number; readonly text: string }
  | { readonly kind: 'solution'; readonly lines: readonly string[] }
  | { readonly kind: 'complete'; readonly title: string; readonly next?: string }
  | { readonly kind: 'note'; readonly text: string; readonly tone: 'info' | 'warn' | 'error' }
  /** Plain lines (help output). */
  | { readonly kind: 'block'; readonly lines: readonly string[] }
  /** A check of the learner's program (:verify): ✓ and what it tests, or ✗ with expected, seen and a hint. */
  | { readonly kind: 'check'; readonly check: ProgramCheck }
  /** The last lines the learner's program printed, after a failed check. */
  | { readonly kind: 'output'; readonly lines: readonly string[] };

export interface Completion {
  readonly candidates: readonly string[];
  readonly index: number;
  /** The line before Tab was pressed. */
  readonly original: string;
}

export interface PromptState {
  readonly text: string;
  /** In UTF-16 code units, 0..text.length. */
  readonly cursor: number;
  /** Position in the history while browsing it with ↑/↓ (history.length: not browsing). */
  readonly browse: number;
  /** The line being typed when browsing began. */
  readonly draft: string;
  readonly completion?: Completion;
}

/** redis-cli's completion and hints (from the command table), once loaded. */
export interface CommandHelp {
  /** Full lines that complete what is typed (command names, `CONFIG GET`). */
  completions(line: string): readonly string[];
  /** The grey argument hint to show after what is typed. */
  hint(line: string): string | undefined;
  /** What `help <command>` prints, as plain lines. */
  output(argv: readonly string[]): readonly string[];
}

export interface Pending {
  /** Its name, upper case: BRPOP. */
  readonly command: string;
  readonly since: number;
  /** The seq of its echo in the transcript. */
  readonly seq: number;
}

export type Offer =
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  | { readonly kind: 'adopt' };

export interface QuizState {
  readonly selected: number;
  /** The last answer given: the explanations show, and a right answer passes the step. */
  readonly answered?: { readonly choice: number; readonly correct: boolean };
}

export interface LessonScreen {
  readonly kind: 'lesson';
  /** The lesson's id. */
  readonly lesson: string;
  readonly step: number;
  /** The runner is at this step and takes commands; false while a lesson opens or steps change. */
  readonly ready: boolean;
  readonly passed: boolean;
  readonly hintsShown: number;
  /** Commands run in this step that did not pass it. */
  readonly tries: number;
  readonly quiz: QuizState;
  /** Commands sent and not answered yet, oldest first (a blocking one waits at the head). */
  readonly pending: readonly Pending[];
  /** Numbers the commands' echoes (Pending.seq). */
  readonly seq: number;
  /** What `:yes` would do: run a safer command instead of a refused one, or empty the lesson database. */
  readonly offer?: Offer;
  /** Ctrl+C stopped the command at the head of `pending`: its (timed-out) reply is no answer to judge. */
  readonly cancelled: boolean;
  /** The learner's connection is subscribed (or blocked): Ctrl+C stops it. */
  readonly subscribed: boolean;
  readonly transcript: readonly Entry[];
  /** Lines the prose is scrolled by (PgUp/PgDn). */
  readonly scroll: number;
  /** Every step of the lesson is done and the last one was just passed here. */
  readonly complete: boolean;
  /** The learner's program being verified (:verify on an exercise step), until its verdict. */
  readonly verifying?: Verifying;
}

export interface Verifying {
  /** The program, once the session has found it (as the learner named it, or the starter's name). */
  readonly file?: string;
  readonly since: number;
}

export interface MenuScreen {
  readonly kind: 'menu';
  /** Index in the visible (filtered) list. */
  readonly selected: number;
  readonly filter: string;
  /** Typing goes to the filter. */
  readonly filtering: boolean;
  /** Asking "reset this lesson?" for the lesson with this id. */
  readonly confirmReset?: string;
}

export type Screen = MenuScreen | LessonScreen;

export interface BackendInfo {
  readonly description: string;
  readonly capabilities: ReadonlySet<string>;
  /** Why each missing capability is missing, when the backend says (a real server). */
  readonly missing?: ReadonlyMap<string, string>;
  /** redis-cli's prompt without the `> `: `redislings`, `127.0.0.1:6380`. */
  readonly prompt: string;
}

/** The start screen's other place to run lessons, and which of the two is in use. */
export interface BackendOffer {
  /** redis://127.0.0.1:6379 */
  readonly url: string;
  /** It answered NOAUTH: the app cannot switch to it without a password (--url with one). */
  readonly needsPassword: boolean;
  /** Lessons run there now (else on the bundled engine). */
  readonly inUse: boolean;
  /** A switch is under way (the header says starting…). */
  readonly switching: boolean;
}

export interface Notice {
  readonly text: string;
  readonly tone: 'info' | 'warn' | 'error';
  /** Shown until this time (ms); undefined: until the next key. */
  readonly until?: number;
}

export interface AppState {
  readonly size: Size;
  readonly now: number;
  readonly lessons: readonly LessonView[];
  /** The lesson pack given with --lessons DIR: the menu lists its lessons under its title. */
  readonly pack?: PackView;
  /** Problems in lesson files (those lessons are left out), for a line in the menu. */
  readonly problems: readonly string[];
  /** Said in the menu until the learner opens a lesson (a corrupt progress file kept aside). */
  readonly warnings: readonly string[];
  readonly progress: Progress;
  /** Strict mode (graded work, `--strict` or the pack's `strict: true`): no :solution; skipped steps are counted on screen. */
  readonly strict: boolean;
  readonly backend?: BackendInfo;
  /** Why the backend could not be opened, if it could not. */
  readonly backendError?: string;
  /**
   * Where else lessons may run, offered in the menu: a Redis found answering on localhost:6379
   * when the app started on the bundled engine without being told where to run.
   */
  readonly choice?: BackendOffer;
  readonly screen: Screen;
  /** The keys and commands, over the screen. */
  readonly helpOpen: boolean;
  readonly prompt: PromptState;
  readonly history: readonly string[];
  readonly help?: CommandHelp;
  readonly keyspace: readonly KeyInfo[];
  /** When the keyspace was last read (ms): TTLs count down from there. */
  readonly keyspaceAt: number;
  /** The keyspace panel: undefined follows the width; true/false once the learner toggles it. */
  readonly panel?: boolean;
  readonly notice?: Notice;
  /** When Ctrl+C was pressed once: a second press soon after quits. */
  readonly quitArmedAt?: number;
  /** The learner's connection: SELECTed database and whether a MULTI is open, for the prompt. */
  readonly db: number;
  readonly inTransaction: boolean;
  readonly quitting: boolean;
}

export type AppEvent =
  | { readonly type: 'key'; readonly input: string; readonly key: KeyFlags; readonly at: number }
  | { readonly type: 'resize'; readonly size: Size }
  | { readonly type: 'tick'; readonly at: number }
  | { readonly type: 'lessons'; readonly views: readonly LessonView[]; readonly problems: readonly string[]; readonly pack?: PackView }
  | { readonly type: 'backend'; readonly info: BackendInfo }
  /** Where lessons run could not be opened (a server unreachable, a wrong password): lessons cannot run. */
  | { readonly type: 'backend-failed'; readonly message: string }
  /** A Redis answers on localhost:6379 (found at start): the menu offers it. */
  | { readonly type: 'local-redis'; readonly url: string; readonly needsPassword: boolean }
  /** A switch between the bundled engine and that Redis could not be made; lessons stay where they were. */
  | { readonly type: 'switch-failed'; readonly message: string }
  | { readonly type: 'help'; readonly help: CommandHelp }
  /** The runner is at this step of the lesson on screen (after opening, next, skip, back, reset). */
  | { readonly type: 'step'; readonly lesson: string; readonly step: number }
  /** A reply to the learner's command, with the keyspace as it is after it (one event, one frame). */
  | { readonly type: 'reply'; readonly argv: readonly string[]; readonly reply: Reply; readonly passed: boolean; readonly failed: readonly CheckResult[]; readonly subscribed: boolean; readonly keys?: readonly KeyInfo[] }
  /** A lesson action (:crash, :restart) was carried out; the step was judged after it. */
  | { readonly type: 'acted'; readonly action: 'crash' | 'restart'; readonly passed: boolean; readonly failed: readonly CheckResult[] }
  | { readonly type: 'quiz'; readonly choice: number; readonly correct: boolean }
  | { readonly type: 'actor'; readonly actor: string; readonly argv: readonly string[]; readonly reply: Reply }
  | { readonly type: 'push'; readonly reply: Reply; readonly subscribed: boolean }
  /** A pushed message passed the step (no command of the learner's did). */
  | { readonly type: 'passed' }
  /** The backend refused the learner's command on a shared server (guard.ts), maybe with a safer one to offer. */
  | { readonly type: 'refused'; readonly argv: readonly string[]; readonly explanation: string; readonly offer?: readonly string[] }
  /** The connection to a real server: lost, retrying, back. */
  | { readonly type: 'connection'; readonly state: ConnectionState }
  /** A command typed after one Ctrl+C stopped: it was not run. */
  | { readonly type: 'skipped'; readonly argv: readonly string[] }
  /** The learner's wait ended without a reply being due (Ctrl+C on a subscription). */
  | { readonly type: 'interrupted'; readonly subscribed: boolean }
  | { readonly type: 'keyspace'; readonly keys: readonly KeyInfo[] }
  /**
   * Something the learner asked for could not be done (a lesson that would not open, a lost
   * connection). `adopt`: the lesson database holds keys redislings did not create; `:yes` empties it.
   */
  | { readonly type: 'failed'; readonly message: string; readonly adopt?: boolean }
  /** What became of :exercise or :verify on an exercise step (state/exercise.ts). */
  | { readonly type: 'exercise'; readonly report: ExerciseReport };

export type ExerciseReport =
  /** The starter was written (full path); `install`: the Redis client does not resolve there yet. */
  | { readonly kind: 'written'; readonly file: string; readonly install: boolean }
  /** A file of the starter's name is there already: it was left as it is. */
  | { readonly kind: 'exists'; readonly file: string }
  /** The program started; `where` names the Redis it runs against. */
  | { readonly kind: 'started'; readonly file: string; readonly where: string }
  | { readonly kind: 'check'; readonly check: ProgramCheck }
  /** Every check passed, or one failed (`output`: the program's last lines). */
  | { readonly kind: 'verdict'; readonly passed: boolean; readonly output: string }
  /** Ctrl+C stopped the verification (the program was killed). */
  | { readonly kind: 'stopped' }
  /** Writing or verifying could not be done (no program, a Redis that cannot be used): no verdict. */
  | { readonly kind: 'failed'; readonly message: string };

export type ExerciseRequest =
  /** :exercise [ts]: the starter, into the directory redislings was started in. */
  | { readonly kind: 'write'; readonly exercise: string; readonly language: 'js' | 'ts' }
  /** :verify [FILE]: FILE relative to that directory; without it, the starter's name. */
  | { readonly kind: 'verify'; readonly exercise: string; readonly file?: string }
  | { readonly kind: 'stop' };

export type Effect =
  | { readonly kind: 'open'; readonly lesson: string; readonly step: number }
  /** Lessons run on the Redis the menu offered (`local`), or on the bundled engine again. */
  | { readonly kind: 'switch-backend'; readonly to: 'local' | 'bundled'; readonly url: string }
  | { readonly kind: 'submit'; readonly argv: readonly string[] }
  | { readonly kind: 'act'; readonly action: 'crash' | 'restart' }
  /** Ctrl+C: the waiting command answers now, and commands typed after it are not run. */
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'next' }
  | { readonly kind: 'skip' }
  | { readonly kind: 'goTo'; readonly step: number }
  | { readonly kind: 'answer'; readonly choice: number }
  | { readonly kind: 'close' }
  | { readonly kind: 'save'; readonly progress: Progress }
  | { readonly kind: 'history'; readonly line: string }
  | { readonly kind: 'keyspace' }
  /** The learner agreed to empty the lesson database (a real server's): then the lesson opens again. */
  | { readonly kind: 'adopt'; readonly lesson: string; readonly step: number }
  /** :exercise, :verify, or Ctrl+C while verifying (src/ui/exercises.ts performs them). */
  | { readonly kind: 'exercise'; readonly request: ExerciseRequest }
  | { readonly kind: 'quit' };
