/**
 * One verification: a Redis for the program (a bundled server on a free port, or the Redis at
 * `url`), the services the exercise needs, the program run and judged, and everything stopped
 * afterwards whatever happened.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../backend/backend.js';
import { ConnectError } from '../backend/endpoint.js';
import { freePort } from '../backend/free-port.js';
import { startServer, type RunningServer } from '../server/server.js';
import { VerifyContext } from './context.js';
import { DATABASE_LATENCY_MS, DATABASE_ROWS, startSlowDatabase, type SlowDatabase } from './database.js';
import { CheckFailed, type CheckResult, type Exercise, type Verdict } from './exercise.js';
import { JAVASCRIPT_EXTENSIONS, TYPESCRIPT_EXTENSIONS } from './program.js';
import { RedisLink } from './redis-link.js';

export interface VerifyOptions {
  /** The learner's program. */
  readonly file: string;
  /** A Redis in use (redis://host:port[/db]); without it, a bundled server on a free port. */
  readonly url?: string;
  /** With `url`: delete the exercise's keys first instead of refusing to start. */
  readonly reset?: boolean;
  /** Told where the program's Redis is, once it is up. */
  readonly onStart?: (redis: string) => void;
  /** Told of each check as it passes or fails. */
  readonly onCheck?: (check: CheckResult) => void;
  /**
   * Stops the verification (the app's Ctrl+C, the learner leaving the step): the program is killed
   * at once and verifyExercise rejects with VerifyStopped, with everything cleaned up.
   */
  readonly signal?: AbortSignal;
}

export interface VerifyResult extends Verdict {
  /** Where the program's Redis was, for the learner. */
  readonly redis: string;
}

/** A verification that could not start: not the program's fault (a missing file, an unreachable Redis). */
export class VerifySetupError extends Error {}

/** The verification was stopped (VerifyOptions.signal) before it reached a verdict. */
export class VerifyStopped extends Error {
  constructor() {
    super('the verification was stopped');
  }
}

export async function verifyExercise(exercise: Exercise, options: VerifyOptions): Promise<VerifyResult> {
  const file = path.resolve(options.file);
  checkFile(file);
  let server: RunningServer | undefined;
  let database: SlowDatabase | undefined;
  let link: RedisLink | undefined;
  let ctx: VerifyContext | undefined;
  let url: string;
  // Set once the exercise's keys are the verifier's to delete (never when it refused to start).
  let ownsKeys = false;
  const { signal } = options;
  const stop = () => {
    // The program dies now; the checks then end at their next wait (VerifyContext.stop).
    ctx?.stop();
  };
  signal?.addEventListener('abort', stop);
  try {
    if (signal?.aborted) throw new VerifyStopped();
    if (options.url === undefined) {
      server = await startServer({ port: 0, bind: '127.0.0.1' });
      url = `redis://127.0.0.1:${server.port}`;
    } else {
      url = options.url;
    }
    link = await openLink(url);
    const redis = server ? `the bundled server at ${url}` : url;
    if (options.url !== undefined) {
      await guardKeys(link, exercise, options.reset === true);
      ownsKeys = true;
    }
    const needs = exercise.needs ?? [];
    const port = needs.includes('http') ? await freePort() : undefined;
    if (needs.includes('database')) database = await startSlowDatabase(DATABASE_ROWS, DATABASE_LATENCY_MS);
    if (signal?.aborted) throw new VerifyStopped();
    options.onStart?.(redis);
    ctx = new VerifyContext({ redis: link, url, file, timeLimitMs: exercise.timeLimitMs, port, database, onCheck: options.onCheck });
    await ctx.noteExistingKeys();
    let failed: CheckResult | undefined;
    try {
      await exercise.run(ctx);
    } catch (e) {
      // Once stopped, whatever the checks ended with (the killed program failing one) is no verdict.
      if (ctx.stopped) throw new VerifyStopped();
      if (!(e instanceof CheckFailed)) throw e;
      failed = { ...e.failure, passed: false };
      options.onCheck?.(failed);
    }
    if (ctx.stopped) throw new VerifyStopped();
    const output = failed ? ctx.lastProgram?.output() ?? '' : '';
    return {
      exercise: exercise.id,
      passed: failed === undefined,
      checks: failed ? [...ctx.checks, failed] : [...ctx.checks],
      output,
      redis,
    };
  } finally {
    signal?.removeEventListener('abort', stop);
    for (const program of ctx?.programs ?? []) await program.dispose();
    if (ownsKeys && link) await link.call('DEL', ...exercise.keys);
    await link?.close();
    await database?.close();
    await server?.close();
  }
}

/**
 * Verifies a lesson's exercise step where the lesson runs. On a real server: that server, in the
 * lesson database (redislings' own), the exercise's keys emptied first and the keys the program
 * leaves adopted by the backend. On the bundled engine, which a program cannot reach: a bundled
 * server of the verifier's own.
 */
export async function verifyOnBackend(exercise: Exercise, backend: Backend, options: Omit<VerifyOptions, 'url' | 'reset'>): Promise<VerifyResult> {
  let url: string | undefined;
  try {
    url = backend.programUrl?.();
  } catch (e) {
    if (e instanceof ConnectError) throw new VerifySetupError(e.message);
    throw e;
  }
  if (url === undefined) return verifyExercise(exercise, options);
  const onServer = url;
  const run = () => verifyExercise(exercise, { ...options, url: onServer, reset: true });
  return backend.adoptKeysWrittenDuring ? backend.adoptKeysWrittenDuring(run) : run();
}

function checkFile(file: string): void {
  const ext = path.extname(file).toLowerCase();
  if (![...JAVASCRIPT_EXTENSIONS, ...TYPESCRIPT_EXTENSIONS].includes(ext)) {
    throw new VerifySetupError(`${file}: a program ends in .mjs, .js, .cjs, .mts or .ts`);
  }
  if (!fs.existsSync(file)) throw new VerifySetupError(`${file}: no such file`);
}

async function openLink(url: string): Promise<RedisLink> {
  try {
    return await RedisLink.open(url);
  } catch (e) {
    // A bad URL says so itself; a server that cannot be used is named.
    if (e instanceof ConnectError && e.kind === 'url') throw new VerifySetupError(e.message);
    throw new VerifySetupError(`cannot use the Redis at ${url}: ${(e as Error).message}`);
  }
}

/** On a Redis in use, the verifier writes only the exercise's keys, and never over existing data. */
async function guardKeys(link: RedisLink, exercise: Exercise, reset: boolean): Promise<void> {
  if (reset) {
    await link.ok('DEL', ...exercise.keys);
    return;
  }
  const existing: string[] = [];
  for (const key of exercise.keys) {
    if (await link.integer('EXISTS', key) > 0) existing.push(key);
  }
  if (existing.length > 0) {
    throw new VerifySetupError(`the exercise uses these keys, which already exist at this Redis: ${existing.join(', ')}. `
      + 'Use another database (redis://host:port/15), or --reset to delete them.');
  }
}
