/**
 * The shape of a lesson file (format 1), as zod schemas: what the loader accepts before it turns
 * command lines into argv and expectations into matchers (model.ts). lessons/README.md describes
 * the same format for teachers; keep the two together.
 */
import { z } from 'zod';
import { CAPABILITIES } from '../backend/backend.js';
import { EXERCISES, findExercise } from '../exercises/index.js';
import { parseMatcher, type MatcherProblem } from './matcher.js';

/** The format this code reads. A file declares it in `format:`; another number is refused. */
export const FORMAT_VERSION = 1;

const text = (what: string) => z.string({ error: `expected ${what} (text)` }).trim().min(1, `expected ${what}, not an empty text`);
const id = z
  .string({ error: 'expected an id (text)' })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected an id of lower-case letters, digits and dashes (e.g. "first-steps")');
/** A duration as a teacher writes it: "2s", "1.5s", "500ms". */
export const duration = z
  .string({ error: 'expected a duration such as "2s" or "500ms"' })
  .regex(/^\d+(\.\d+)?(ms|s)$/, 'expected a duration such as "2s" or "500ms"');
/** One command line, split like redis-cli splits what is typed. */
const commandLine = text('a command line');

/** One item of a solution: a command line, a pause, or a lesson action the learner types (:crash). */
const solutionItem = z.union([
  commandLine,
  z.strictObject({ wait: duration }),
], { error: 'expected a command line, or { wait: 2s }' });

const says = text('the words shown when the check fails').optional();

/** Marks an issue about a key itself (an unknown field), so that it is located at the key. */
export const AT_KEY = { atKey: true } as const;

/** An expectation is read by matcher.ts, which has its own messages. */
const expectation = z.unknown().superRefine((value, ctx) => {
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected an expectation (expect: …)' });
    return;
  }
  const problems: MatcherProblem[] = [];
  parseMatcher(value, problems);
  for (const p of problems) ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message });
});

const probeCheck = z.strictObject({ probe: commandLine, expect: expectation, says });
const replyCheck = z.strictObject({ reply: text('"last" or a command name'), expect: expectation, says });
const usedCheck = z.strictObject({ used: text('a command name'), says });
const receivedCheck = z.strictObject({ received: expectation, says });
const restartedCheck = z.strictObject({ restarted: z.enum(['crash', 'restart', 'any']), says });

/** The check kinds, told apart by their first key, so a mistake is reported against the right one. */
export const CHECK_KINDS = {
  probe: probeCheck,
  reply: replyCheck,
  used: usedCheck,
  received: receivedCheck,
  restarted: restartedCheck,
} as const;
export type CheckKind = keyof typeof CHECK_KINDS;

/** A check: one of CHECK_KINDS, chosen by which of their first keys it has. */
const check = z.unknown().transform((raw, ctx) => {
  const kinds = typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? Object.keys(CHECK_KINDS).filter((k) => k in raw) as CheckKind[]
    : [];
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a check with exactly one of: ${Object.keys(CHECK_KINDS).join(', ')}` });
    return z.NEVER;
  }
  const parsed = CHECK_KINDS[kind].safeParse(raw);
  if (parsed.success) return { kind, ...parsed.data } as RawCheck;
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        ctx.addIssue({ code: 'custom', path: [...path, key], message: `unknown field "${key}" in a ${kind} check`, params: AT_KEY });
      }
    } else {
      ctx.addIssue({ code: 'custom', path, message: issue.message });
    }
  }
  return z.NEVER;
});

const actor = z.strictObject({
  name: text('the actor\'s name (shown beside what it does)'),
  /** Starts when the learner starts this command (or one of these); without it, when the step starts. */
  after: z.union([text('a command name'), z.array(text('a command name')).min(1)], { error: 'expected a command name or a list of them' }).optional(),
  delay: duration.optional(),
  /** Runs only if the learner is still waiting then (blocked, or subscribed). */
  onlyIfWaiting: z.boolean().optional(),
  run: z.array(commandLine).min(1, 'expected at least one command for the actor to run'),
});

const choice = z.strictObject({
  text: text('the choice'),
  correct: z.boolean().optional(),
  explain: text('why this choice is right or wrong'),
});

const quiz = z.strictObject({
  question: text('the question'),
  choices: z.array(choice).min(2, 'expected at least two choices').refine(
    (cs) => cs.filter((c) => c.correct === true).length === 1,
    'expected exactly one choice with correct: true',
  ),
});

const answer = z.array(solutionItem).min(1, 'expected at least one command');

export const stepSchema = z
  .strictObject({
    id,
    title: text('a short title').optional(),
    prose: text('the step\'s prose (Markdown)'),
    task: text('the task (Markdown)').optional(),
    setup: z.array(commandLine).optional(),
    actors: z.array(actor).optional(),
    checks: z.array(check).min(1, 'expected at least one check').optional(),
    hints: z.array(text('a hint')).min(1, 'expected at least one hint').optional(),
    solution: answer.optional(),
    alternatives: z.array(answer).optional(),
    wrong: z.array(answer).optional(),
    why: text('the "why" shown after success (Markdown)').optional(),
    quiz: quiz.optional(),
    /** A code exercise (src/exercises, `redislings exercise <id>`): the learner writes a program. */
    exercise: id.optional(),
  })
  .superRefine((step, ctx) => {
    const commandFields = ['task', 'setup', 'actors', 'checks', 'hints', 'solution', 'alternatives', 'wrong'] as const;
    if (step.exercise !== undefined) {
      if (!findExercise(step.exercise)) {
        ctx.addIssue({ code: 'custom', path: ['exercise'], message: `unknown exercise "${step.exercise}" (the exercises: ${EXERCISES.map((e) => e.id).join(', ')})` });
      }
      // The exercise's own checks judge the program: the step has nothing to replay or probe.
      for (const f of ['setup', 'actors', 'checks', 'solution', 'alternatives', 'wrong', 'quiz'] as const) {
        if (step[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `an exercise step has no ${f} (the exercise's own checks judge the program)` });
      }
      for (const f of ['task', 'hints'] as const) {
        if (step[f] === undefined) ctx.addIssue({ code: 'custom', path: [], message: `expected ${f} (an exercise step needs task and hints)` });
      }
      return;
    }
    if (step.quiz) {
      for (const f of commandFields) {
        if (step[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `a quiz step has no ${f}` });
      }
      return;
    }
    for (const f of ['task', 'checks', 'hints', 'solution'] as const) {
      if (step[f] === undefined) ctx.addIssue({ code: 'custom', path: [], message: `expected ${f} (a step without a quiz needs task, checks, hints and solution)` });
    }
  });

export const lessonSchema = z.strictObject({
  format: z.literal(FORMAT_VERSION, { error: `expected format: ${FORMAT_VERSION} (the lesson format this redislings reads)` }),
  id,
  order: z.number({ error: 'expected a number' }).int('expected a whole number').positive('expected a positive number'),
  title: text('a title'),
  summary: text('a one-line summary'),
  requires: z.array(z.enum(CAPABILITIES, { error: `expected one of ${CAPABILITIES.join(', ')}` })).optional(),
  /** The simulated database's rows when the lesson starts (name → value): see database.ts. */
  database: z.record(z.string(), z.string({ error: 'expected a row value (text)' })).optional(),
  steps: z.array(stepSchema).min(4, 'expected at least 4 steps').max(10, 'expected at most 10 steps'),
});

export type RawCheck =
  | ({ kind: 'probe' } & z.infer<typeof probeCheck>)
  | ({ kind: 'reply' } & z.infer<typeof replyCheck>)
  | ({ kind: 'used' } & z.infer<typeof usedCheck>)
  | ({ kind: 'received' } & z.infer<typeof receivedCheck>)
  | ({ kind: 'restarted' } & z.infer<typeof restartedCheck>);
export type RawLesson = z.infer<typeof lessonSchema>;
export type RawStep = z.infer<typeof stepSchema>;
export type RawSolutionItem = z.infer<typeof solutionItem>;
