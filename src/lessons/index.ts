/**
 * Lessons: data files a teacher writes (lessons/*.yaml, described in lessons/README.md), and what
 * reads, judges and runs them. The app imports from here.
 *
 * Layout
 * - schema.ts     the file format (version 1) as zod schemas.
 * - loader.ts     YAML → schema → model, with file:line:col for every problem.
 * - model.ts      Lesson, Step (commands, quiz or exercise), Check, Actor, SolutionItem as the runner uses them.
 * - matcher.ts    expectations ("chaitanya", { between: [1, 10] }, { fields: … }) and matching.
 * - checks.ts     judging a step: probes, the learner's replies and pushes; results as data.
 * - database.ts   the simulated database of the cache lessons (`DB GET row`, …).
 * - runner.ts     LessonRun: steps, setup, background actors, replays, events.
 * - validate.ts   `redislings validate`: command table, ids, capabilities.
 * - selftest.ts   `redislings selftest`: every step fails before its solution and passes after.
 * - pack.ts       a teacher's lesson pack: its pack.yaml (id, title, strict, report key).
 * - shipped.ts    where the built-in lessons are, and which directory a run takes as a pack.
 * - lesson-set.ts the lessons a run offers: the built-in ones, then a pack's (or the pack alone).
 * - new-lesson.ts `redislings new-lesson`: a working lesson for a teacher to edit.
 * - cli.ts        the validate and selftest subcommands' output.
 */
export { loadLessons, loadLessonFile, formatProblem, SHIPPED_LESSONS_DIR, LessonDirectoryError, type Problem } from './loader.js';
export type { Lesson, Step, CommandStep, QuizStep, ExerciseStep, Check, Actor, Choice, Answer, SolutionItem, CommandLine, Source, LessonAction } from './model.js';
export { ACTION_PREFIX, formatSource } from './model.js';
export { describe as describeExpectation, type Matcher } from './matcher.js';
export type { CheckResult, Verdict, StepRecord, LearnerCommand } from './checks.js';
export { explainResult } from './checks.js';
export { isDatabaseCommand, DB_SUBCOMMANDS } from './database.js';
export { LessonRun, ReplayError, type RunEvent, type RunOptions, type Submission, type SubmitOptions, type QuizAnswer } from './runner.js';
export { validateDirectory, validateLessons } from './validate.js';
export { loadLessonSet, isLessonSetError, LessonSetError, type LessonSet, type LessonSetOptions } from './lesson-set.js';
export { readPack, PackFileError, type LessonPack } from './pack.js';
export { missingCapabilities, selftestLesson, type LessonReport, type StepReport } from './selftest.js';
