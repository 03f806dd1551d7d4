/**
 * The app's imperative side: it performs the reducer's effects (opening lessons on the backend,
 * running the learner's commands, answering quizzes, saving progress and history, reading the
 * keyspace) and reports what happened as AppEvents.
 *
 * Lesson operations run one after the other, in the order asked, on a queue: a command typed
 * while a lesson is still opening runs once it has opened, and "next step" waits for the command
 * before it. Two things do not queue: Ctrl+C's interrupt (it must reach a command that waits at the
 * head of the queue) and keyspace reads (the panel follows an actor's push while BRPOP waits).
 */
import { type Backend, ForeignKeysError } from '../backend/backend.js';
import type { BackendChoice, LocalRedis } from '../backend/open.js';
import type { Lesson } from '../lessons/model.js';
import { LessonRun, type RunEvent } from '../lessons/runner.js';
import type { Progress } from '../progress/progress.js';
import { CoalescingSaver } from '../progress/saver.js';
import { Exercises } from './exercises.js';
import type { KeyspaceReader } from './keyspace.js';
import type { AppEvent, BackendInfo, CommandHelp, Effect, KeyInfo } from './state/types.js';

export interface BackendSetup {
  readonly backend: Backend;
  readonly info: BackendInfo;
  readonly keyspace: KeyspaceReader;
}

export interface SessionDeps {
  /** The lessons, parsed for the runner (the screen may already show their cached views). */
  loadLessons(): Promise<readonly Lesson[]>;
  /** Where lessons run: `choice`, or where the app was told to run them when it is absent. */
  createBackend(choice?: BackendChoice): Promise<BackendSetup>;
  /**
   * Whether a Redis answers on localhost:6379, for the menu's offer to run lessons there; absent
   * when the app was told where to run (--url, --engine, REDIS_URL) and offers nothing else.
   */
  probeLocalRedis?(): Promise<LocalRedis | undefined>;
  loadHelp(): Promise<CommandHelp>;
  /** Writes progress (atomically, with an fsync); the session calls it at most every SAVE_INTERVAL_MS. */
  saveProgress(progress: Progress): void;
  addHistory(line: string): void;
  /** Called once everything is closed after :quit. */
  exit(): void;
  /** Multiplies actors' delays (tests make the producer quicker); 1 in the app. */
  readonly timeScale?: number;
  /** Where exercise steps write starters and find the learner's program (default: the current directory). */
  readonly workDir?: string;
}

/** Effects that move the runner: a program being verified belongs to the step it was started on. */
const LEAVES_STEP: ReadonlySet<Effect['kind']> = new Set(['open', 'next', 'skip', 'goTo', 'close', 'adopt', 'quit']);

/** A quit waits at most this long for connections to close. */
const CLOSE_TIMEOUT_MS = 2000;

const PROGRESS_NOT_SAVED = 'Your progress could not be saved';

export class Session {
  private lessons: Promise<ReadonlyMap<string, Lesson>> | undefined;
  private setup: Promise<BackendSetup> | undefined;
  /** Where the learner chose to run lessons in the menu (`c`); undefined: where the app was told. */
  private choice: BackendChoice | undefined;
  private run: LessonRun | undefined;
  /** Bumped for each run and each navigation, so that late events of an older one are dropped. */
  private generation = 0;
  private navigating = false;
  private queue: Promise<void> = Promise.resolve();
  private reading = false;
  /** Commands submitted so far, and the last of them Ctrl+C dropped (if still queued). */
  private submitted = 0;
  private dropUpTo = 0;
  private readAgain = false;
  private closed = false;
  private readonly progress: CoalescingSaver<Progress>;
  private readonly exercises: Exercises;

  constructor(private readonly deps: SessionDeps, private readonly dispatch: (event: AppEvent) => void) {
    this.progress = new CoalescingSaver((p) => deps.saveProgress(p), (e) => this.fail(new Error(`${PROGRESS_NOT_SAVED}: ${e instanceof Error ? e.message : String(e)}`)));
    this.exercises = new Exercises({
      workDir: deps.workDir ?? process.cwd(),
      backend: () => this.backend(),
      passed: () => { if (this.run?.step.kind === 'exercise') this.run.passExercise(); },
    }, dispatch);
  }

  /** Starts loading what the first frame did not need: the runner's lessons, the backend, the command help. */
  start(): void {
    void this.loadedLessons().catch((e: unknown) => this.fail(e));
    void this.backend()
      .then((s) => this.dispatch({ type: 'backend', info: s.info }))
      .catch((e: unknown) => {
        if (!this.closed) this.dispatch({ type: 'backend-failed', message: e instanceof Error ? e.message : String(e) });
      });
    void this.deps.probeLocalRedis?.()
      .then((found) => {
        if (found && !this.closed) this.dispatch({ type: 'local-redis', url: found.url, needsPassword: found.needsPassword });
      })
      .catch((e: unknown) => this.fail(e));
    void this.deps.loadHelp()
      .then((help) => this.dispatch({ type: 'help', help }))
      .catch((e: unknown) => this.fail(e));
  }

  perform(effect: Effect): void {
    if (LEAVES_STEP.has(effect.kind)) this.exercises.leave();
    switch (effect.kind) {
      case 'open': return this.enqueue(() => this.open(effect.lesson, effect.step));
      case 'switch-backend': return this.enqueue(() => this.switchBackend(effect.to, effect.url));
      case 'submit': {
        const n = ++this.submitted;
        return this.enqueue(async () => {
          if (n <= this.dropUpTo) this.dispatch({ type: 'skipped', argv: effect.argv });
          else await this.submit(effect.argv);
        });
      }
      case 'act': return this.enqueue(() => this.act(effect.action));
      case 'interrupt':
        // Commands still queued behind the waiting one are dropped (the screen has let them go).
        this.dropUpTo = this.submitted;
        return void this.interrupt().catch((e: unknown) => this.fail(e));
      case 'next': return this.enqueue(() => this.navigate((run) => run.next()));
      case 'skip': return this.enqueue(() => this.skip());
      case 'goTo': return this.enqueue(() => this.navigate((run) => run.goTo(effect.step)));
      case 'answer': return this.enqueue(async () => {
        const run = this.current();
        const answer = run.answerQuiz(effect.choice);
        this.dispatch({ type: 'quiz', choice: effect.choice, correct: answer.correct });
      });
      case 'close': return this.enqueue(() => this.closeRun());
      case 'adopt': return this.enqueue(async () => {
        const { backend } = await this.backend();
        await backend.adoptLessonDatabase?.();
        await this.open(effect.lesson, effect.step);
      });
      case 'save': return this.guard(() => this.progress.save(effect.progress), PROGRESS_NOT_SAVED);
      case 'history': return this.guard(() => this.deps.addHistory(effect.line), 'The command history could not be saved');
      case 'keyspace': return void this.readKeyspace();
      case 'exercise': return this.exercises.perform(effect.request);
      case 'quit': return void this.quit();
    }
  }

  /** A failure to write a file is told to the learner; the app goes on. */
  private guard(write: () => void, what: string): void {
    try {
      write();
    } catch (e) {
      this.fail(new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  // ---- the queue ----

  private enqueue(op: () => Promise<void>): void {
    this.queue = this.queue.then(op).catch((e: unknown) => this.fail(e));
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    const message = e instanceof Error ? e.message : String(e);
    // The lesson database of a real server holds keys redislings did not create: the learner decides.
    this.dispatch({ type: 'failed', message, ...(e instanceof ForeignKeysError ? { adopt: true } : {}) });
  }

  private loadedLessons(): Promise<ReadonlyMap<string, Lesson>> {
    this.lessons ??= this.deps.loadLessons().then((list) => new Map(list.map((l) => [l.id, l])));
    return this.lessons;
  }

  private backend(): Promise<BackendSetup> {
    this.setup ??= this.deps.createBackend(this.choice).then((s) => {
      s.backend.onConnectionState?.((state) => {
        if (!this.closed) this.dispatch({ type: 'connection', state });
      });
      return s;
    });
    return this.setup;
  }

  private current(): LessonRun {
    if (!this.run) throw new Error('No lesson is open: choose one in the menu (:menu).');
    return this.run;
  }

  // ---- operations ----

  private async open(id: string, step: number): Promise<void> {
    const [lessons, { backend }] = await Promise.all([this.loadedLessons(), this.backend()]);
    const lesson = lessons.get(id);
    if (!lesson) throw new Error(`The lesson "${id}" did not load: run \`redislings validate\` to see why.`);
    const missing = lesson.requires.filter((c) => !backend.capabilities.has(c));
    if (missing.length > 0) throw new Error(`“${lesson.title}” needs ${missing.join(', ')}, which ${backend.description} does not offer.`);
    await this.closeRun();
    const generation = ++this.generation;
    this.navigating = true;
    try {
      this.run = await LessonRun.open(lesson, backend, {
        atStep: step,
        timeScale: this.deps.timeScale ?? 1,
        onEvent: (event) => this.onRunEvent(generation, event),
      });
    } finally {
      this.navigating = false;
    }
    this.dispatch({ type: 'step', lesson: id, step: this.run.stepIndex });
  }

  /** Every command gets its reply event, an error reply when it could not run, so that the screen's queue of sent commands stays in step. */
  private async submit(argv: readonly string[]): Promise<void> {
    const run = this.run;
    try {
      if (!run) throw new Error('no lesson is open');
      // On a server shared with others, some commands are refused, with a reason and maybe a safer one.
      const decision = await run.backend.guard?.(argv);
      if (decision?.kind === 'refuse') {
        this.dispatch({ type: 'refused', argv, explanation: decision.explanation, ...(decision.offer ? { offer: decision.offer } : {}) });
        return;
      }
      const { reply, verdict } = await run.submit(argv);
      const keys = await this.keysNow();
      this.dispatch({
        type: 'reply', argv, reply, passed: verdict.passed, failed: verdict.results.filter((r) => !r.passed), subscribed: run.waiting,
        ...(keys ? { keys } : {}),
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.dispatch({ type: 'reply', argv, reply: { kind: 'error', message: `ERR ${message}` }, passed: false, failed: [], subscribed: run?.waiting ?? false });
    }
  }

  private async act(action: 'crash' | 'restart'): Promise<void> {
    const run = this.current();
    const verdict = await run.act(action);
    this.dispatch({ type: 'acted', action, passed: verdict.passed, failed: verdict.results.filter((r) => !r.passed) });
  }

  private async interrupt(): Promise<void> {
    const run = this.run;
    if (!run?.waiting) return;
    await run.interrupt();
    this.dispatch({ type: 'interrupted', subscribed: run.waiting });
  }

  /** A step change: the runner's replays (and their actors) happen out of sight; then the new step. */
  private async navigate(move: (run: LessonRun) => Promise<void>): Promise<void> {
    const run = this.current();
    const generation = this.generation;
    this.navigating = true;
    try {
      await move(run);
    } finally {
      this.navigating = false;
    }
    if (generation === this.generation) this.dispatch({ type: 'step', lesson: run.lesson.id, step: run.stepIndex });
  }

  private async skip(): Promise<void> {
    const run = this.current();
    if (run.stepIndex < run.lesson.steps.length - 1) return this.navigate((r) => r.skip());
    // The last step: solve it in place (there is no step after it to move to).
    const step = run.step;
    this.navigating = true;
    try {
      if (step.kind === 'quiz') run.answerQuiz(step.choices.findIndex((c) => c.correct));
      else if (step.kind === 'exercise') run.passExercise();
      else await run.replay(step.solutions[0] ?? []);
    } finally {
      this.navigating = false;
    }
    void this.readKeyspace();
  }

  /**
   * Lessons move to the Redis the menu offered, or back to the bundled engine: what ran where they
   * ran is closed first. If that Redis cannot be used after all, they go back to the bundled engine.
   */
  private async switchBackend(to: 'local' | 'bundled', url: string): Promise<void> {
    await this.closeRun();
    await this.closeBackend();
    this.choice = to === 'local' ? { kind: 'url', url, from: 'flag' } : { kind: 'bundled' };
    try {
      const { info } = await this.backend();
      this.dispatch({ type: 'backend', info });
    } catch (e) {
      if (to === 'bundled') throw e;
      this.dispatch({ type: 'switch-failed', message: e instanceof Error ? e.message : String(e) });
      this.setup = undefined;
      this.choice = { kind: 'bundled' };
      const { info } = await this.backend();
      this.dispatch({ type: 'backend', info });
    }
  }

  /** Closes the backend and its keyspace reader, if one was opened; the next use opens one anew. */
  private async closeBackend(): Promise<void> {
    const setup = this.setup;
    this.setup = undefined;
    if (!setup) return;
    let opened: BackendSetup;
    try {
      opened = await setup;
    } catch {
      // It never opened (its failure was told when it happened): nothing to close.
      return;
    }
    await opened.keyspace.close();
    await opened.backend.close();
  }

  private async closeRun(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    this.generation++;
    if (run) await run.close();
  }

  private onRunEvent(generation: number, event: RunEvent): void {
    if (generation !== this.generation || this.navigating || this.closed) return;
    switch (event.kind) {
      case 'actor':
        this.dispatch({ type: 'actor', actor: event.actor, argv: event.argv, reply: event.reply });
        break;
      case 'push':
        this.dispatch({ type: 'push', reply: event.reply, subscribed: this.run?.waiting ?? false });
        break;
      case 'verdict':
        if (event.verdict.passed) this.dispatch({ type: 'passed' });
        break;
      // 'step' and 'restart' are reported when the operation that caused them ends.
      default:
        break;
    }
  }

  /** The keyspace now, for a reply's event; undefined when it cannot be read (the event asks again). */
  private async keysNow(): Promise<readonly KeyInfo[] | undefined> {
    if (this.reading || !this.setup) return undefined;
    try {
      return await (await this.setup).keyspace.read();
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  /** One read at a time; asks made during a read get one more read after it. */
  private async readKeyspace(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const { keyspace } = await this.backend();
        const keys = await keyspace.read();
        if (!this.closed) this.dispatch({ type: 'keyspace', keys });
      } while (this.readAgain);
    } catch (e) {
      this.fail(e);
    } finally {
      this.reading = false;
    }
  }

  /**
   * Writes progress that waits for its interval, now: on quit, and as the process exits (a signal,
   * a crash). The screen may be gone, so a failure is told on stderr.
   */
  flushProgress(): void {
    try {
      this.progress.flush();
    } catch (e) {
      process.stderr.write(`redislings: ${PROGRESS_NOT_SAVED}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }

  private async quit(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushProgress();
    const closing = (async () => {
      if (this.run?.waiting) await this.run.interrupt();
      await this.queue;
      await this.closeRun();
      if (this.setup) {
        const { backend, keyspace } = await this.setup;
        await keyspace.close();
        await backend.close();
      }
    })();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    try {
      await Promise.race([closing, timeout]);
    } catch (e) {
      // Leaving anyway: the learner asked to quit, and their progress is already saved.
      process.stderr.write(`redislings: while closing: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    this.deps.exit();
  }
}
