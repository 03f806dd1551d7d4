/**
 * The app's side of exercise steps: it writes starters into the directory redislings was started
 * in, and verifies the learner's program (src/exercises) where the lessons run: on a bundled server
 * of its own when the app runs on the bundled engine, else on the real server in use, in the lesson
 * database. The program is a process of its own; the verification runs beside the lesson's queue
 * of commands, so the prompt stays free while it runs, and reports each check as it completes.
 *
 * One verification at a time. It is stopped by Ctrl+C (`stop`: the learner is told) and whenever
 * the runner moves to another step or lesson (`leave`: nothing more is reported, since the screen
 * is elsewhere). The exercise modules, the verifier and its bundled server are imported on first use.
 */
import path from 'node:path';
import type { Backend } from '../backend/backend.js';
import type { AppEvent, BackendInfo, ExerciseReport, ExerciseRequest } from './state/types.js';

export interface ExerciseDeps {
  /** Where the learner's files are: the directory redislings was started in. */
  readonly workDir: string;
  /** Where the lessons run. */
  backend(): Promise<{ readonly backend: Backend; readonly info: BackendInfo }>;
  /** The program passed: the lesson's runner records the step as done. */
  passed(): void;
}

interface Verification {
  readonly controller: AbortController;
  /** The learner left the step: its outcome is told to no one. */
  silent: boolean;
}

export class Exercises {
  private current: Verification | undefined;

  constructor(private readonly deps: ExerciseDeps, private readonly dispatch: (event: AppEvent) => void) {}

  perform(request: ExerciseRequest): void {
    switch (request.kind) {
      case 'write': return void this.write(request.exercise, request.language);
      case 'verify': return void this.verify(request.exercise, request.file);
      case 'stop': return this.stop(false);
    }
  }

  /** The runner moves away from the step: a verification under way is stopped without a word. */
  leave(): void {
    this.stop(true);
  }

  /** Whether a program is being verified (tests). */
  get verifying(): boolean {
    return this.current !== undefined;
  }

  private stop(silent: boolean): void {
    const run = this.current;
    if (!run) return;
    run.silent ||= silent;
    run.controller.abort();
  }

  private report(report: ExerciseReport): void {
    this.dispatch({ type: 'exercise', report });
  }

  private async write(id: string, language: 'js' | 'ts'): Promise<void> {
    try {
      const [{ findExercise }, { writeStarter }] = await Promise.all([import('../exercises/index.js'), import('../exercises/files.js')]);
      const exercise = findExercise(id);
      if (!exercise) throw new Error(`there is no exercise "${id}" in this redislings`);
      const written = writeStarter(exercise, language, this.deps.workDir);
      this.report(written.kind === 'written'
        ? { kind: 'written', file: written.file, install: written.install }
        : { kind: 'exists', file: written.file });
    } catch (e) {
      this.report({ kind: 'failed', message: `The starter could not be written: ${messageOf(e)}` });
    }
  }

  private async verify(id: string, named: string | undefined): Promise<void> {
    // The screen allows one at a time; a second would share keys and ports with the first.
    this.stop(true);
    const run: Verification = { controller: new AbortController(), silent: false };
    this.current = run;
    const tell = (report: ExerciseReport) => {
      if (!run.silent) this.report(report);
    };
    try {
      const [{ findExercise }, { findProgram }, { verifyOnBackend, VerifySetupError, VerifyStopped }] = await Promise.all([
        import('../exercises/index.js'), import('../exercises/files.js'), import('../exercises/verify.js'),
      ]);
      const exercise = findExercise(id);
      if (!exercise) throw new Error(`there is no exercise "${id}" in this redislings`);
      const dir = this.deps.workDir;
      let file: string;
      if (named !== undefined) {
        file = path.resolve(dir, named);
      } else {
        const found = findProgram(exercise, dir);
        if (found.kind !== 'found') {
          tell({
            kind: 'failed',
            message: found.kind === 'none'
              ? `No ${id}.mjs or ${id}.mts in ${dir}: \`:exercise\` writes the starter there, or name your file: \`:verify FILE\`.`
              : `Both ${id}.mjs and ${id}.mts are in ${dir}: name the one to check, \`:verify ${id}.mts\`.`,
          });
          return;
        }
        file = found.file;
      }
      const shown = displayPath(file, dir);
      let verdict: Awaited<ReturnType<typeof verifyOnBackend>>;
      try {
        const { backend, info } = await this.deps.backend();
        verdict = await verifyOnBackend(exercise, backend, {
          file,
          signal: run.controller.signal,
          // On a real server the URL may hold a password: the screen names the server instead.
          onStart: (redis) => tell({ kind: 'started', file: shown, where: backend.programUrl ? `${info.description} (its keys ${exercise.keys.join(', ')} start empty)` : redis }),
          onCheck: (check) => tell({ kind: 'check', check }),
        });
      } catch (e) {
        if (e instanceof VerifyStopped) return tell({ kind: 'stopped' });
        // Not the program's fault (no such file, a Redis that cannot be used): said as it is.
        if (e instanceof VerifySetupError) return tell({ kind: 'failed', message: e.message });
        throw e;
      }
      if (verdict.passed && !run.silent) this.deps.passed();
      tell({ kind: 'verdict', passed: verdict.passed, output: verdict.output });
    } catch (e) {
      tell({ kind: 'failed', message: `The verification could not finish: ${messageOf(e)}` });
    } finally {
      if (this.current === run) this.current = undefined;
    }
  }
}

/** A path inside the learner's directory as they would type it; others in full. */
function displayPath(file: string, dir: string): string {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
