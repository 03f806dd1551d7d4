/**
 * What a verifier works with: its own connection to the Redis the program uses, a way to start
 * the program (again, after a simulated crash), the checks every exercise shares (it connects,
 * it listens on PORT), and the bookkeeping of passed checks.
 *
 * Which connections are the program's: Redis numbers clients in order, so those with an id above
 * the highest one seen just before the program started (and not the verifier's) are its own.
 */
import net from 'node:net';
import { CheckFailed, type CheckResult, type Failure } from './exercise.js';
import { LearnerProgram, type ProgramExit } from './program.js';
import { type ClientInfo, parseClientList, parseCommandCalls, type RedisLink } from './redis-link.js';
import type { SlowDatabase } from './database.js';

/** How long a program may take to start and connect (Node's start, importing the client library). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Blocking commands a worker may wait in. */
const BLOCKING_COMMANDS = new Set(['brpop', 'blpop', 'blmove', 'brpoplpush', 'blmpop', 'xread', 'xreadgroup', 'bzpopmin', 'bzpopmax', 'bzmpop']);
/** Commands the verifier itself sends while it watches a program's command statistics. */
const VERIFIER_COMMANDS = new Set(['info', 'client|list']);

export type Polled<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'exited'; readonly exit: ProgramExit };

export interface VerifyContextOptions {
  readonly redis: RedisLink;
  readonly url: string;
  readonly file: string;
  readonly timeLimitMs: number;
  /** A free port for programs that serve HTTP. */
  readonly port?: number;
  readonly database?: SlowDatabase;
  /** Told of each check as it passes (to show progress). */
  readonly onCheck?: (check: CheckResult) => void;
}

/** Thrown by a wait of the checks once the verification is stopped. */
export class Stopped extends Error {
  constructor() {
    super('the verification was stopped');
  }
}

export class VerifyContext {
  readonly redis: RedisLink;
  readonly url: string;
  readonly port: number | undefined;
  /** Keys there before the program ran (noteExistingKeys): not the program's. */
  private readonly before = new Set<string>();
  readonly database: SlowDatabase | undefined;
  readonly checks: CheckResult[] = [];
  readonly programs: LearnerProgram[] = [];
  private readonly baselines = new Map<LearnerProgram, { clientId: number; connections: number; calls: Map<string, number> }>();
  private ownClientId = -1;
  private stopRequested = false;
  /** Ends the sleeps under way when stop() is called. */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: VerifyContextOptions) {
    this.redis = options.redis;
    this.url = options.url;
    this.port = options.port;
    this.database = options.database;
  }

  /** The program that ran last: its output goes with the verdict. */
  get lastProgram(): LearnerProgram | undefined {
    return this.programs.at(-1);
  }

  /** stop() was called: the checks end at their next wait, and their outcome is no verdict. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /**
   * Stops the verification: kills every program now (what it started too), and makes the checks'
   * next wait (sleep, poll, start) throw Stopped, so that the run ends within moments.
   */
  stop(): void {
    this.stopRequested = true;
    for (const program of this.programs) void program.dispose();
    for (const wake of this.wakers) wake();
  }

  /** Starts the learner's program with REDIS_URL (and PORT, DB_URL when the exercise needs them). */
  async start(extraEnv: Readonly<Record<string, string>> = {}): Promise<LearnerProgram> {
    if (this.stopRequested) throw new Stopped();
    if (this.ownClientId < 0) this.ownClientId = await this.redis.integer('CLIENT', 'ID');
    const clientId = Math.max(this.ownClientId, ...(await this.clients()).map((c) => Number(c.get('id'))));
    const connections = await this.connectionsReceived();
    const calls = await this.commandCalls();
    const env: Record<string, string> = { REDIS_URL: this.url, ...extraEnv };
    if (this.port !== undefined) env.PORT = String(this.port);
    if (this.database) env.DB_URL = this.database.url;
    if (this.stopRequested) throw new Stopped();
    const program = LearnerProgram.start({ file: this.options.file, env, timeLimitMs: this.options.timeLimitMs });
    this.programs.push(program);
    this.baselines.set(program, { clientId, connections, calls });
    return program;
  }

  /** Records a passed check (once: a restarted program connecting again is not news). */
  pass(id: string, title: string): void {
    if (this.checks.some((c) => c.id === id)) return;
    const check = { id, title, passed: true };
    this.checks.push(check);
    this.options.onCheck?.(check);
  }

  fail(failure: Failure): never {
    throw new CheckFailed(failure);
  }

  /** Waits `ms`; throws Stopped if the verification is stopped meanwhile. */
  async sleep(ms: number): Promise<void> {
    if (this.stopRequested) throw new Stopped();
    let wake!: () => void;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wakers.add(wake);
    });
    this.wakers.delete(wake);
    if (this.stopRequested) throw new Stopped();
  }

  /**
   * Calls `probe` every `everyMs` until it returns a value, the time runs out, or the program
   * exits (a program that died will not produce what is awaited).
   */
  async poll<T>(program: LearnerProgram | undefined, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 25): Promise<Polled<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.stopRequested) throw new Stopped();
      const value = await probe();
      if (value !== undefined) return { kind: 'ok', value };
      if (program?.exit) {
        // One last look: what it did just before exiting counts.
        const last = await probe();
        return last !== undefined ? { kind: 'ok', value: last } : { kind: 'exited', exit: program.exit };
      }
      if (Date.now() >= deadline) return { kind: 'timeout' };
      await this.sleep(everyMs);
    }
  }

  /** The program's connections to Redis now. */
  async programClients(program: LearnerProgram): Promise<ClientInfo[]> {
    const baseline = this.baselines.get(program)?.clientId ?? Number.MAX_SAFE_INTEGER;
    return (await this.clients()).filter((c) => Number(c.get('id')) > baseline && Number(c.get('id')) !== this.ownClientId);
  }

  /** The program's connections waiting in a blocking command (CLIENT LIST flag `b`). */
  async blockedClients(program: LearnerProgram): Promise<ClientInfo[]> {
    return (await this.programClients(program)).filter((c) => (c.get('flags') ?? '').includes('b') && BLOCKING_COMMANDS.has(c.get('cmd') ?? ''));
  }

  /** Calls per command since the server started (INFO commandstats). */
  async commandCalls(): Promise<Map<string, number>> {
    return parseCommandCalls(await this.redis.text('INFO', 'commandstats') ?? '');
  }

  /** What was called between two commandCalls() snapshots, leaving out the verifier's own polling. */
  callsBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, number> {
    const delta = new Map<string, number>();
    for (const [name, calls] of after) {
      const n = calls - (before.get(name) ?? 0);
      if (n > 0 && !VERIFIER_COMMANDS.has(name)) delta.set(name, n);
    }
    return delta;
  }

  /**
   * What was called since the program started, the verifier's own commands included (but INFO and
   * CLIENT LIST): ask only about commands the verifier does not send. A blocking command counts
   * when it is sent, not when it is served, as in Redis (call() counts it even when it blocks).
   */
  async callsSinceStart(program: LearnerProgram): Promise<Map<string, number>> {
    return this.callsBetween(this.baselines.get(program)?.calls ?? new Map(), await this.commandCalls());
  }

  /**
   * The check every exercise starts with: the program connects to REDIS_URL. A connection that
   * came and went between two looks still counts (INFO's total_connections_received).
   */
  async connected(program: LearnerProgram): Promise<void> {
    const title = 'connects to the Redis in REDIS_URL';
    const baseline = this.baselines.get(program)?.connections ?? 0;
    const polled = await this.poll(program, CONNECT_TIMEOUT_MS, async () => {
      if ((await this.programClients(program)).length > 0) return true;
      return (await this.connectionsReceived()) > baseline ? true : undefined;
    }, 50);
    if (polled.kind === 'exited') {
      this.fail({
        id: 'connects', title,
        expected: `a connection to ${this.url}`,
        seen: `the program ${describeExit(polled.exit)} before connecting`,
        hint: startupHint(program.output(40)),
      });
    }
    if (polled.kind === 'timeout') {
      this.fail({
        id: 'connects', title,
        expected: `a connection to ${this.url} within ${CONNECT_TIMEOUT_MS / 1000} s`,
        seen: 'no connection',
        hint: startupHint(program.output(40)) ?? 'Create the client with the URL in REDIS_URL and connect it: '
          + '`const client = createClient({ url: process.env.REDIS_URL }); await client.connect();`',
      });
    }
    this.pass('connects', title);
  }

  /** The check of the HTTP exercises: the program accepts connections on PORT. */
  async listening(program: LearnerProgram): Promise<void> {
    const port = this.port;
    if (port === undefined) throw new Error('this exercise has no port');
    const title = 'listens for HTTP on the port in PORT';
    const polled = await this.poll(program, CONNECT_TIMEOUT_MS, () => canConnect(port), 50);
    if (polled.kind === 'exited') {
      this.fail({
        id: 'listens', title,
        expected: `an HTTP server on port ${port}`,
        seen: `the program ${describeExit(polled.exit)} before listening`,
        hint: startupHint(program.output(40)),
      });
    }
    if (polled.kind === 'timeout') {
      this.fail({
        id: 'listens', title,
        expected: `an HTTP server on port ${port} within ${CONNECT_TIMEOUT_MS / 1000} s`,
        seen: 'nothing listening',
        hint: startupHint(program.output(40)) ?? 'Listen on the port the environment gives: `server.listen(Number(process.env.PORT))`.',
      });
    }
    this.pass('listens', title);
  }

  /** A failure for a program that exited while it should have kept working. */
  exitedWhile(id: string, title: string, doing: string, exit: ProgramExit, program: LearnerProgram): never {
    this.fail({
      id, title,
      expected: `the program to keep running while ${doing}`,
      seen: `it ${describeExit(exit)}`,
      hint: startupHint(program.output(40)),
    });
  }

  /**
   * Up to five keys outside `known`, as "`name` (type)": where a program wrote instead of the
   * exercise's keys. On a shared Redis they may be anyone's, so this only feeds a verdict's "seen".
   */
  async otherKeys(known: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    await this.scanKeys(async (key) => {
      if (known.includes(key) || this.before.has(key)) return true;
      found.push(`\`${key}\` (${await this.redis.text('TYPE', key)})`);
      return found.length < 5;
    });
    return found;
  }

  /**
   * Notes the keys that exist before the program runs (a lesson's own, on the Redis the app
   * uses), so that otherKeys() does not count them as the program's. Up to 10,000: on a larger
   * database the verdict may name a few that were there before.
   */
  async noteExistingKeys(): Promise<void> {
    await this.scanKeys((key) => {
      this.before.add(key);
      return this.before.size < 10_000;
    });
  }

  /** SCAN over the database; `each` answers whether to go on. */
  private async scanKeys(each: (key: string) => boolean | Promise<boolean>): Promise<void> {
    let cursor = '0';
    do {
      const reply = await this.redis.must('SCAN', cursor, 'COUNT', '1000');
      if (reply.kind !== 'array') return;
      const [next, keys] = reply.items;
      cursor = next?.kind === 'bulk' ? next.value : '0';
      for (const k of keys?.kind === 'array' ? keys.items : []) {
        if (k.kind === 'bulk' && !(await each(k.value))) return;
      }
    } while (cursor !== '0');
  }

  private async clients(): Promise<ClientInfo[]> {
    return parseClientList(await this.redis.text('CLIENT', 'LIST') ?? '');
  }

  private async connectionsReceived(): Promise<number> {
    const info = await this.redis.text('INFO', 'stats') ?? '';
    return Number(/total_connections_received:(\d+)/.exec(info)?.[1] ?? 0);
  }
}

export function describeExit(exit: ProgramExit): string {
  if (exit.timedOut) return 'ran out of time and was stopped';
  if (exit.signal) return `was ended by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/** Advice for the usual reasons a program fails to start, read from what it printed. */
export function startupHint(output: string): string | undefined {
  const missing = /Cannot find (?:package|module) '(redis|ioredis|express)'/.exec(output);
  if (missing) return `Install the client library in the program's directory: \`npm install ${missing[1]}\`.`;
  if (/ECONNREFUSED (?:127\.0\.0\.1|::1|localhost):6379/.test(output)) {
    return 'The program connects to the default Redis (port 6379): give the client the URL in REDIS_URL, '
      + '`createClient({ url: process.env.REDIS_URL })`.';
  }
  if (/BUSYGROUP/.test(output)) {
    return 'XGROUP CREATE answers BUSYGROUP when the group exists already (a restart): catch that error and go on.';
  }
  if (/EADDRINUSE/.test(output)) return 'Listen on the port in the environment variable PORT.';
  if (/SyntaxError|TypeError|ReferenceError|Error:/.test(output)) return 'It threw an error: see its output below.';
  return undefined;
}

function canConnect(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(undefined));
  });
}
