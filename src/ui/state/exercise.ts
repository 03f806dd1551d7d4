/**
 * Exercise steps on the lesson screen: the learner writes a Node.js program. `:exercise [ts]`
 * asks for the starter file, `:verify [FILE]` for a verification, Ctrl+C stops one; what the
 * session reports (src/ui/exercises.ts) becomes transcript entries: each check as it completes, the
 * verdict, and a pass of the step. lesson.ts calls in here with a few lines; the rest is here.
 *
 * The program never runs inside the app: the session starts it as a process of its own, so the
 * prompt stays free (Redis commands still run: the learner may look at the queue meanwhile).
 */
import { countAttempt } from '../../progress/progress.js';
import type { ExerciseStepView, StepView } from '../lesson-view.js';
import { lessonById, notice, promptLabel, type Result, result } from './common.js';
import { append } from './entries.js';
import type { AppState, Entry, ExerciseReport, LessonScreen } from './types.js';

const set = (state: AppState, screen: LessonScreen): AppState => ({ ...state, screen });
const add = (state: AppState, screen: LessonScreen, ...entries: Entry[]): AppState => set(state, { ...screen, transcript: append(screen.transcript, ...entries) });
const note = (text: string, tone: 'info' | 'warn' | 'error' = 'info'): Entry => ({ kind: 'note', text, tone });

/** The file the starter is written to, in JavaScript: what the screen tells the learner to write. */
export function starterName(step: ExerciseStepView): string {
  return `${step.exercise}.mjs`;
}

function exerciseStep(state: AppState, screen: LessonScreen): ExerciseStepView | undefined {
  const step = lessonById(state, screen.lesson)?.steps[screen.step];
  return step?.kind === 'exercise' ? step : undefined;
}

/**
 * `:exercise …` and `:verify …` (the whole line as typed); undefined for any other line, which
 * lesson.ts then handles.
 */
export function exerciseMeta(state: AppState, screen: LessonScreen, line: string): Result | undefined {
  const head = (line.split(/\s+/)[0] ?? '').toLowerCase();
  if (head !== ':exercise' && head !== ':verify') return undefined;
  const arg = unquote(line.slice(head.length).trim());
  const step = exerciseStep(state, screen);
  if (!step) {
    return result(add(state, screen, note(`This step asks for no program: \`${head}\` is for the steps that do.`, 'warn')));
  }
  const echoed = add(state, screen, { kind: 'command', prompt: promptLabel(state), text: line });
  const after = echoed.screen as LessonScreen;
  if (head === ':exercise') {
    const language = arg === '' || arg === 'js' ? 'js' : arg === 'ts' ? 'ts' : undefined;
    if (!language) return result(add(echoed, after, note(`\`:exercise\` takes js (the default) or ts: \`:exercise ts\` writes ${step.exercise}.mts.`, 'warn')));
    return result(echoed, { kind: 'exercise', request: { kind: 'write', exercise: step.exercise, language } });
  }
  if (screen.verifying) return result(add(echoed, after, note('Your program is being verified: wait for the verdict, or Ctrl+C stops it.', 'warn')));
  if (!screen.ready) return result(add(echoed, after, note('The step is still opening: `:verify` again in a moment.', 'warn')));
  const verifying = { since: state.now };
  return result(set(echoed, { ...after, verifying }), {
    kind: 'exercise',
    request: { kind: 'verify', exercise: step.exercise, ...(arg === '' ? {} : { file: arg }) },
  });
}

/** A file name typed in quotes (one with spaces) means the name inside them. */
function unquote(text: string): string {
  const m = /^(["'])(.*)\1$/.exec(text);
  return m ? (m[2] as string) : text;
}

/** Ctrl+C while a program is verified: it is stopped (the session reports `stopped`). */
export function stopVerifying(state: AppState, screen: LessonScreen): Result | undefined {
  if (!screen.verifying) return undefined;
  return result(notice(state, 'Stopping your program…', 'info', 3000), { kind: 'exercise', request: { kind: 'stop' } });
}

/**
 * What `:solution` shows. On an exercise step there is nothing to type: it says where the
 * reference solution is, to compare with after trying (`:verify` judges what a program does, so
 * any correct program passes, not only that one).
 */
export function solutionEntry(step: Exclude<StepView, { kind: 'quiz' }>): Entry {
  if (step.kind === 'commands') return { kind: 'solution', lines: step.solution };
  return note(`A reference solution is in \`${step.solutionFile}\`. Read it, then make your own program pass: `
    + '`:verify` judges what a program does, not how it is written.');
}

/** What the session reports about :exercise and :verify. `pass` passes the step (lesson.ts's). */
export function exerciseEvent(state: AppState, screen: LessonScreen, report: ExerciseReport, pass: (state: AppState, screen: LessonScreen) => Result): Result {
  switch (report.kind) {
    case 'written': {
      const entries = [note(`Wrote \`${report.file}\`: the task is at its top.`)];
      if (report.install) entries.push(note('Install the Redis client in that directory first: `npm install redis`.', 'warn'));
      entries.push(note('Then `:verify` runs it and checks what it does.'));
      return result(add(state, screen, ...entries));
    }
    case 'exists':
      return result(add(state, screen, note(`\`${report.file}\` exists already: redislings never writes over your work. `
        + '`:verify` checks it; rename it to start again from the starter.', 'warn')));
    default:
      break;
  }
  // The rest belongs to a verification; one the screen no longer waits for is over.
  const verifying = screen.verifying;
  if (!verifying) return result(state);
  switch (report.kind) {
    case 'started':
      return result(add(state, { ...screen, verifying: { ...verifying, file: report.file } }, note(`Verifying \`${report.file}\` on ${report.where}…`)));
    case 'check':
      return result(add(state, screen, { kind: 'check', check: report.check }));
    case 'verdict': {
      const done: LessonScreen = { ...screen, verifying: undefined };
      // A verification is an attempt at the step, as a command is on other steps.
      const id = exerciseStep(state, screen)?.id;
      if (id !== undefined) state = { ...state, progress: countAttempt(state.progress, screen.lesson, id) };
      if (report.passed) {
        if (screen.passed) return result(add(state, done, note('Every check passed again.')));
        return pass(set(state, done), done);
      }
      const lines = report.output.trim() === '' ? [] : report.output.split('\n');
      const entries: Entry[] = [
        ...(lines.length > 0 ? [{ kind: 'output' as const, lines }] : []),
        note('Not yet: fix what the ✗ says, then `:verify` again.', 'warn'),
      ];
      return result(add(state, { ...done, tries: screen.tries + 1 }, ...entries));
    }
    case 'stopped':
      return result(add(state, { ...screen, verifying: undefined }, note('Stopped: your program was ended before the verdict.')));
    case 'failed':
      return result(add(state, { ...screen, verifying: undefined }, note(report.message, 'error')));
  }
}
