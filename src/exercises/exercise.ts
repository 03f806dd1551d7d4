/**
 * What an exercise is: data (id, title, the task, starter files) and a verifier. The verifier
 * drives the learner's program, a process of its own, through a VerifyContext (context.ts) and
 * judges what it did to Redis and to the world, never what it printed.
 *
 * A verification is a list of checks. Each passes (`ctx.pass`) or the first that does not ends
 * the run (`ctx.fail`, which throws CheckFailed) with what was expected and what was seen, so the
 * learner reads one clear problem at a time.
 */
import type { VerifyContext } from './context.js';

export type Language = 'js' | 'ts';

export interface Exercise {
  /** Lower-case words and dashes: `redislings exercise <id>`, and the starter's file name. */
  readonly id: string;
  readonly title: string;
  /**
   * The keys the exercise reads and writes. On the bundled server the database starts empty; on
   * a Redis the learner points at (`--url`) verify refuses to start while one of them exists, and
   * deletes them when it ends, so nothing else is touched.
   */
  readonly keys: readonly string[];
  /** The program is stopped after this long whatever happens (the checks' own waits are shorter). */
  readonly timeLimitMs: number;
  /**
   * Other services the program needs, started by the verifier: `http` gives the program a free
   * port in PORT; `database` a slow simulated database at DB_URL (cache-aside).
   */
  readonly needs?: readonly ('http' | 'database')[];
  /** Runs the checks; returns normally when every one passed. */
  readonly run: (ctx: VerifyContext) => Promise<void>;
}

/** One check's outcome, for the learner. */
export interface CheckResult {
  /** Stable, for tests and progress records: `fifo`, `bad-json`, `sigterm`… */
  readonly id: string;
  /** What the program must do, as a sentence: "processes jobs in the order they were submitted". */
  readonly title: string;
  readonly passed: boolean;
  readonly expected?: string;
  readonly seen?: string;
  /** How to get there, when the failure has a likely cause. */
  readonly hint?: string;
}

export interface Verdict {
  readonly exercise: string;
  readonly passed: boolean;
  /** The checks that passed, in order, then the failed one (if any). */
  readonly checks: readonly CheckResult[];
  /** The last lines the program printed (stdout and stderr, interleaved), for a failure. */
  readonly output: string;
}

export interface Failure {
  readonly id: string;
  readonly title: string;
  readonly expected: string;
  readonly seen: string;
  readonly hint?: string;
}

/** Thrown by ctx.fail: ends a verification with this failure. */
export class CheckFailed extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.title}: expected ${failure.expected}; seen ${failure.seen}`);
  }
}

/** A job as the queue exercises submit it: what an online judge queues for a code run. */
export interface Job {
  readonly id: number;
  readonly problemId: string;
  readonly userId: string;
  readonly code: string;
  readonly language: string;
  /** How long the program's runJob() works on it: lets the verifier act while a job is in progress. */
  readonly durationMs: number;
}

export function job(id: number, durationMs = 50): Job {
  return {
    id,
    problemId: `two-sum`,
    userId: `learner-${id}`,
    code: `print(${id})`,
    language: 'python',
    durationMs,
  };
}
