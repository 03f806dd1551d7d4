/**
 * Running a lesson on a backend: the learner's connection, a separate one for setups and probes,
 * one per background actor, and the simulated database. The runner enters steps (setup, actors),
 * runs what the learner types, re-judges the step after every reply and every pushed message,
 * and replays solutions (to resume at a step, to skip one, and for selftest).
 *
 * Each lesson starts from backend.reset(): it never sees what another lesson left behind. A step
 * starts from what the earlier steps' solutions leave, so resuming at step N replays steps 0..N-1.
 */
import type { Backend, BackendClient } from '../backend/backend.js';
import { error, type Reply } from '../resp/reply.js';
import { emptyRecord, isCommand, type LearnerCommand, runChecks, type StepRecord, type Verdict } from './checks.js';
import { isDatabaseCommand, SimulatedDatabase } from './database.js';
import type { Actor, Answer, CommandLine, Lesson, LessonAction, Step } from './model.js';
import { formatSource } from './model.js';

export type RunEvent =
  /** A step began: its setup has run; its actors due at the start come next. */
  | { readonly kind: 'step'; readonly index: number; readonly step: Step }
  /** A background actor ran a command. */
  | { readonly kind: 'actor'; readonly actor: string; readonly argv: readonly string[]; readonly reply: Reply }
  /** A message pushed to the learner's connection (pub/sub). */
  | { readonly kind: 'push'; readonly reply: Reply }
  /** The step passed without a command of the learner's (a pushed message did it). */
  | { readonly kind: 'verdict'; readonly verdict: Verdict }
  | { readonly kind: 'restart'; readonly how: LessonAction };

export interface RunOptions {
  /** Multiplies actors' delays: 1 in the app; selftest uses less, so blocking still happens but briefly. */
  readonly timeScale?: number;
  /** Extra time after actors finish before judging, for pushes still on the wire (real servers). */
  readonly settleMs?: number;
  /** How long a replayed command may wait before the replay gives up (ms). */
  readonly replayTimeoutMs?: number;
  readonly onEvent?: (event: RunEvent) => void;
}

export interface Submission {
  readonly reply: Reply;
  readonly verdict: Verdict;
  /**
   * The backend's guard refused the command (a shared real server: FLUSHALL with data in other
   * databases, SELECT of another database…): it did not run and is not in the step's record.
   * The app shows the explanation and, if there is an offer, proposes it: accepted, it runs as
   * `submit(argv, { runAs: offer })`.
   */
  readonly refused?: { readonly explanation: string; readonly offer?: readonly string[] };
}

export interface SubmitOptions {
  /**
   * Run this instead of what was typed (the guard's offer, accepted): the record keeps the
   * command as typed, with this command's reply, so the step judges what the learner meant.
   */
  readonly runAs?: readonly string[];
}

export interface QuizAnswer {
  readonly correct: boolean;
  /** Every choice's explanation, to show after answering. */
  readonly explanations: readonly string[];
}

/** A replayed answer did not run as written (a blocked command nobody served, a setup error). */
export class ReplayError extends Error {}

function connectionError(e: unknown): Reply {
  return error(`ERR ${e instanceof Error ? e.message : String(e)}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LessonRun {
  private index = 0;
  private record: StepRecord = emptyRecord();
  private passedStep = false;
  /** Bumped when a step starts, so an actor of an earlier step stops. */
  private epoch = 0;
  private learner!: BackendClient;
  private admin!: BackendClient;
  private readonly actorClients = new Map<string, BackendClient>();
  /** Actors waiting for their delay, with what ends their wait for idle(). */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly running = new Set<Promise<void>>();
  private pendingCommand: LearnerCommand | undefined;
  /** Channels + patterns the learner is subscribed to, from the last confirmation seen. */
  private subscriptions = 0;
  private database: SimulatedDatabase;
  private unlistenPush: (() => void) | undefined;
  /** While steps are replayed to reach another (resume, skip), actors act without delay. */
  private quiet = false;
  private readonly options: Required<Omit<RunOptions, 'onEvent'>> & Pick<RunOptions, 'onEvent'>;

  private constructor(readonly lesson: Lesson, readonly backend: Backend, options: RunOptions) {
    this.options = { timeScale: 1, settleMs: 0, replayTimeoutMs: 10_000, ...options };
    this.database = new SimulatedDatabase(lesson.database);
  }

  /** Opens a lesson on a fresh backend state, at its first step or (replaying the ones before) at `atStep`. */
  static async open(lesson: Lesson, backend: Backend, options: RunOptions & { atStep?: number } = {}): Promise<LessonRun> {
    const run = new LessonRun(lesson, backend, options);
    await run.rebuild(options.atStep ?? 0);
    return run;
  }

  get stepIndex(): number {
    return this.index;
  }
  get step(): Step {
    return this.lesson.steps[this.index] as Step;
  }
  /** The current step has passed (its checks, or its quiz answered right). */
  get passed(): boolean {
    return this.passedStep;
  }
  /** What the learner did in this step (commands and replies, pushes, restarts). */
  get history(): Readonly<StepRecord> {
    return this.record;
  }
  /** The learner waits for something: a blocked command, or messages on a subscription. */
  get waiting(): boolean {
    return this.pendingCommand !== undefined || this.subscriptions > 0;
  }

  /** Runs one learner command (DB … goes to the simulated database) and judges the step. */
  async submit(argv: readonly string[], options: SubmitOptions = {}): Promise<Submission> {
    if (this.pendingCommand) throw new Error('a command is still waiting for its reply; interrupt() it first');
    const runAs = options.runAs ?? argv;
    if (!options.runAs && this.backend.guard && !isDatabaseCommand(argv)) {
      let decision;
      try {
        decision = await this.backend.guard(argv);
      } catch (e) {
        // The guard could not ask the server (it went away): the learner reads why, as an error.
        return { reply: connectionError(e), verdict: await this.evaluate() };
      }
      if (decision.kind === 'refuse') {
        const { explanation, offer } = decision;
        return { reply: error(`ERR ${explanation}`), verdict: await this.evaluate(), refused: { explanation, ...(offer ? { offer } : {}) } };
      }
    }
    const entry: LearnerCommand = { argv };
    this.record.commands.push(entry);
    this.pendingCommand = entry;
    this.armActors(argv);
    let reply: Reply;
    try {
      reply = isDatabaseCommand(runAs) ? this.database.execute(runAs) : await this.learner.execute(runAs);
    } catch (e) {
      // The connection failed (a real server went away): the learner sees why, as an error.
      reply = connectionError(e);
    } finally {
      this.pendingCommand = undefined;
    }
    entry.reply = reply;
    this.noteSubscriptions(reply);
    const verdict = await this.evaluate();
    return { reply, verdict };
  }

  /** Stops the learner's wait (Ctrl+C): a blocked command answers as timed out, subscriptions end. */
  async interrupt(): Promise<void> {
    await this.learner.interrupt();
    this.subscriptions = 0;
  }

  /** A lesson action (:crash, :restart): the server stops and starts again from its files. */
  async act(action: LessonAction): Promise<Verdict> {
    if (action === 'crash') await this.backend.crash();
    else await this.backend.restart();
    this.record.restarts.push(action);
    await this.connectAll();
    this.options.onEvent?.({ kind: 'restart', how: action });
    return this.evaluate();
  }

  /** Judges the current step now (a quiz step is judged by answerQuiz, an exercise by its program's verification). */
  async evaluate(): Promise<Verdict> {
    const step = this.step;
    if (step.kind !== 'commands') return { passed: this.passedStep, results: [] };
    const verdict = await runChecks(step.checks, this.record, (argv) => this.probe(argv));
    if (verdict.passed) this.passedStep = true;
    return verdict;
  }

  answerQuiz(choice: number): QuizAnswer {
    const step = this.step;
    if (step.kind !== 'quiz') throw new Error(`step ${step.id} is not a quiz`);
    const picked = step.choices[choice];
    if (!picked) throw new Error(`no choice ${choice + 1} in step ${step.id}`);
    if (picked.correct) this.passedStep = true;
    return { correct: picked.correct, explanations: step.choices.map((c) => c.explain) };
  }

  /**
   * The learner's program passed the exercise of this step. The app verifies it (a process of its
   * own, src/exercises); the runner only records that the step is done.
   */
  passExercise(): void {
    const step = this.step;
    if (step.kind !== 'exercise') throw new Error(`step ${step.id} is not an exercise`);
    this.passedStep = true;
  }

  /** Goes on to the next step from the state as it is. */
  async next(): Promise<void> {
    if (this.index + 1 >= this.lesson.steps.length) throw new Error('this was the last step');
    await this.enterStep(this.index + 1);
  }

  /** Skips the current step: its solution runs quietly, so later steps find what they expect. */
  async skip(): Promise<void> {
    await this.solveQuietly();
    await this.next();
  }

  /** Goes to any step from a fresh state (the steps before it replayed). */
  async goTo(index: number): Promise<void> {
    await this.rebuild(index);
  }

  /**
   * Runs an answer's items as the learner would type them; returns the verdict after each item
   * (after the last one, once actors have finished). Throws ReplayError when a command waits
   * longer than replayTimeoutMs.
   */
  async replay(answer: Answer): Promise<Verdict[]> {
    const verdicts: Verdict[] = [];
    for (const [i, item] of answer.entries()) {
      if (item.kind === 'wait') {
        if (!(await this.backend.advanceTime(item.ms))) await sleep(item.ms);
        verdicts.push(await this.evaluate());
      } else if (item.kind === 'action') {
        verdicts.push(await this.act(item.action));
      } else {
        verdicts.push((await this.submitWithin(item.command)).verdict);
      }
      if (i === answer.length - 1) {
        await this.idle();
        verdicts[i] = await this.evaluate();
      }
    }
    return verdicts;
  }

  /** Resolves once no actor is waiting to act or acting (and pushes have had time to arrive). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    if (this.options.settleMs > 0) await sleep(this.options.settleMs);
  }

  async close(): Promise<void> {
    this.stopActors();
    await this.disconnectAll();
  }

  // ---- internals ----

  private async rebuild(target: number): Promise<void> {
    if (target < 0 || target >= this.lesson.steps.length) throw new Error(`no step ${target + 1} in lesson ${this.lesson.id}`);
    this.stopActors();
    await this.disconnectAll();
    await this.backend.reset();
    this.database = new SimulatedDatabase(this.lesson.database);
    await this.connectAll();
    for (let i = 0; i < target; i++) {
      await this.enterStep(i);
      await this.solveQuietly();
    }
    await this.enterStep(target);
  }

  private async solveQuietly(): Promise<void> {
    const step = this.step;
    if (step.kind === 'quiz') {
      this.answerQuiz(step.choices.findIndex((c) => c.correct));
      return;
    }
    if (step.kind === 'exercise') {
      // The program's work happens on a Redis of its own (or in keys the verifier deletes): later
      // steps never build on it, so there is nothing to replay.
      this.passExercise();
      return;
    }
    this.quiet = true;
    try {
      await this.replay(step.solutions[0] as Answer);
    } finally {
      this.quiet = false;
    }
  }

  private async enterStep(index: number): Promise<void> {
    this.stopActors();
    // A new step ends the learner's wait, as Ctrl+C would: a subscription of the last step must
    // not leave the connection unable to run the next step's commands.
    if (this.waiting) await this.interrupt();
    this.epoch++;
    this.index = index;
    this.record = emptyRecord();
    this.passedStep = false;
    const step = this.step;
    if (step.kind === 'commands') {
      for (const line of step.setup) {
        const reply = await this.runLine(this.admin, line.argv);
        if (reply.kind === 'error') {
          throw new ReplayError(`${formatSource(line.at)}: setup "${line.text}" failed: ${reply.message}`);
        }
      }
    }
    this.options.onEvent?.({ kind: 'step', index, step });
    if (step.kind === 'commands') {
      // Actors due at the start run before the learner can type (a listener is subscribed
      // before the learner publishes); later ones are scheduled.
      for (const actor of step.actors) {
        if (actor.after.length === 0 && actor.delayMs === 0) await this.perform(actor, this.epoch);
        else if (actor.after.length === 0) this.schedule(actor);
      }
    }
  }

  private async submitWithin(command: CommandLine): Promise<Submission> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.options.replayTimeoutMs;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), limit); });
    // A replay accepts what the guard offers, as a learner who reads the explanation would.
    const submission = this.submit(command.argv).then((s) => (s.refused?.offer ? this.submit(command.argv, { runAs: s.refused.offer }) : s));
    const first = await Promise.race([submission, timeout]);
    clearTimeout(timer);
    if (first === 'timeout') {
      await this.interrupt();
      await submission;
      throw new ReplayError(`${formatSource(command.at)}: "${command.text}" was still waiting after ${limit} ms (no actor served it)`);
    }
    return first;
  }

  private probe(argv: readonly string[]): Promise<Reply> {
    return this.runLine(this.admin, argv);
  }

  /** Runs a line for a setup, a probe or an actor; a failed connection answers as an error. */
  private async runLine(client: BackendClient, argv: readonly string[]): Promise<Reply> {
    if (isDatabaseCommand(argv)) return this.database.execute(argv);
    try {
      return await client.execute(argv);
    } catch (e) {
      return connectionError(e);
    }
  }

  /** Starts the actors of the current step that the learner's command `argv` triggers. */
  private armActors(argv: readonly string[]): void {
    const step = this.step;
    if (step.kind !== 'commands') return;
    for (const actor of step.actors) {
      if (actor.after.some((name) => isCommand(name, argv))) this.schedule(actor);
    }
  }

  private schedule(actor: Actor): void {
    const epoch = this.epoch;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => { finish = resolve; });
    this.running.add(done);
    const end = () => {
      this.running.delete(done);
      finish();
    };
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.perform(actor, epoch).finally(end);
    }, this.quiet ? 0 : actor.delayMs * this.options.timeScale);
    // A stopped actor must still settle whoever waits for idle().
    this.timers.set(timer, end);
  }

  private async perform(actor: Actor, epoch: number): Promise<void> {
    if (actor.onlyIfWaiting && !this.waiting) return;
    let client = this.actorClients.get(actor.name);
    if (!client) {
      client = await this.backend.connect();
      this.actorClients.set(actor.name, client);
    }
    for (const line of actor.run) {
      if (epoch !== this.epoch) return;
      const reply = await this.runLine(client, line.argv);
      this.options.onEvent?.({ kind: 'actor', actor: actor.name, argv: line.argv, reply });
    }
  }

  private stopActors(): void {
    for (const [timer, end] of this.timers) {
      clearTimeout(timer);
      end();
    }
    this.timers.clear();
  }

  /** Subscription confirmations carry the count of subscriptions after them. */
  private noteSubscriptions(reply: Reply): void {
    if ((reply.kind !== 'array' && reply.kind !== 'push') || reply.items.length !== 3) return;
    const [kind, , count] = reply.items as [Reply, Reply, Reply];
    if (kind.kind === 'bulk' && /^p?(un)?subscribe$/i.test(kind.value) && count.kind === 'integer') {
      this.subscriptions = Number(count.value);
    }
  }

  private onPush(reply: Reply): void {
    this.noteSubscriptions(reply);
    this.record.pushes.push(reply);
    this.options.onEvent?.({ kind: 'push', reply });
    if (this.passedStep) return;
    void this.evaluate().then((verdict) => {
      if (verdict.passed) this.options.onEvent?.({ kind: 'verdict', verdict });
    });
  }

  private async connectAll(): Promise<void> {
    await this.disconnectAll();
    this.learner = await this.backend.connect();
    this.admin = await this.backend.connect();
    this.subscriptions = 0;
    this.unlistenPush = this.learner.onPush((reply) => this.onPush(reply));
  }

  private async disconnectAll(): Promise<void> {
    this.unlistenPush?.();
    this.unlistenPush = undefined;
    const clients = [this.learner, this.admin, ...this.actorClients.values()].filter((c): c is BackendClient => c !== undefined);
    this.actorClients.clear();
    await Promise.all(clients.map((c) => c.close()));
  }
}

