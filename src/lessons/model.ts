/**
 * A lesson as the runner and the app use it: command lines already split into argv, expectations
 * read into matchers, durations in milliseconds, and where each piece came from (file:line), so
 * that every later complaint (validate, selftest) can point at the line to fix.
 */
import type { Capability } from '../backend/backend.js';
import type { Matcher } from './matcher.js';

export interface Source {
  readonly file: string;
  /** 1-based, as editors count. */
  readonly line: number;
  readonly col: number;
}

export function formatSource(at: Source): string {
  return `${at.file}:${at.line}:${at.col}`;
}

/** A command as written in the file, and its arguments as redis-cli would send them (bytes). */
export interface CommandLine {
  readonly text: string;
  readonly argv: readonly string[];
  readonly at: Source;
}

/** What the learner can do at the prompt besides Redis commands, for the persistence lesson. */
export type LessonAction = 'crash' | 'restart';
/** How the learner types an action (a meta-command of the app). */
export const ACTION_PREFIX = ':';

export type SolutionItem =
  | { readonly kind: 'command'; readonly command: CommandLine }
  /** The learner waits (for a key to expire); replays move the clock instead where they can. */
  | { readonly kind: 'wait'; readonly ms: number; readonly at: Source }
  | { readonly kind: 'action'; readonly action: LessonAction; readonly at: Source };

export type Answer = readonly SolutionItem[];

interface CheckBase {
  /** The teacher's words for a failure; else the app describes the check from its data. */
  readonly says?: string;
  readonly at: Source;
}

export type Check =
  /** Runs a read-only command on a separate connection and judges its reply. */
  | (CheckBase & { readonly kind: 'probe'; readonly command: CommandLine; readonly expect: Matcher })
  /** Judges the learner's latest reply (`of: 'last'`) or latest reply to one command. */
  | (CheckBase & { readonly kind: 'reply'; readonly of: string; readonly expect: Matcher })
  /** The learner ran this command (and it did not fail): only where the lesson is about it. */
  | (CheckBase & { readonly kind: 'used'; readonly command: string })
  /** A message pushed to the learner's connection (pub/sub). */
  | (CheckBase & { readonly kind: 'received'; readonly expect: Matcher })
  /** The server was crashed / restarted during this step. */
  | (CheckBase & { readonly kind: 'restarted'; readonly how: 'crash' | 'restart' | 'any' });

export interface Actor {
  readonly name: string;
  /** Lower-case command names whose start (by the learner) triggers the actor; empty: the step's start. */
  readonly after: readonly string[];
  readonly delayMs: number;
  readonly onlyIfWaiting: boolean;
  readonly run: readonly CommandLine[];
  readonly at: Source;
}

export interface Choice {
  readonly text: string;
  readonly correct: boolean;
  readonly explain: string;
}

interface StepBase {
  readonly id: string;
  readonly title?: string;
  /** Markdown. */
  readonly prose: string;
  readonly at: Source;
}

export interface CommandStep extends StepBase {
  readonly kind: 'commands';
  /** Markdown, one or two lines: what to achieve. */
  readonly task: string;
  /** Run on a separate connection when the step starts (may use the simulated database: DB …). */
  readonly setup: readonly CommandLine[];
  readonly actors: readonly Actor[];
  readonly checks: readonly Check[];
  /** Progressive: each one gives more away. */
  readonly hints: readonly string[];
  /** The solution shown to the learner first, then other correct answers (selftest runs all). */
  readonly solutions: readonly Answer[];
  /** Plausible wrong answers: selftest proves the checks reject each. */
  readonly wrong: readonly Answer[];
  readonly why?: string;
}

export interface QuizStep extends StepBase {
  readonly kind: 'quiz';
  readonly question: string;
  readonly choices: readonly Choice[];
}

/**
 * The learner writes a small Node.js program (a code exercise, src/exercises) and `:verify` runs it
 * as its own process and judges what it does. No checks or solution of its own: the exercise has
 * them.
 */
export interface ExerciseStep extends StepBase {
  readonly kind: 'exercise';
  /** The exercise's id: `redislings exercise <id>`. */
  readonly exercise: string;
  /** Markdown, one or two lines: what to build (the whole task is at the top of the starter). */
  readonly task: string;
  readonly hints: readonly string[];
  readonly why?: string;
}

export type Step = CommandStep | QuizStep | ExerciseStep;

export interface Lesson {
  readonly format: number;
  readonly id: string;
  readonly order: number;
  readonly title: string;
  readonly summary: string;
  readonly requires: readonly Capability[];
  /** The simulated database's rows at the start, or undefined when the lesson has none. */
  readonly database?: ReadonlyMap<string, string>;
  readonly steps: readonly Step[];
  readonly file: string;
  /** Where `id:` and `order:` are written, for complaints about duplicates. */
  readonly idAt: Source;
  readonly orderAt: Source;
}
