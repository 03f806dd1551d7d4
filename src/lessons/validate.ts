/**
 * `redislings validate`: what the schema cannot see. Command lines are checked against the
 * engine's command table (name, subcommand, arity) wherever they appear; probes must only read;
 * ids are unique; a lesson declares the capabilities its steps use. A lesson pack's pack.yaml is
 * checked too, and its lesson ids against the built-in lessons' (lesson-set.ts).
 */
import { lookupCommand } from '../engine/commands.js';
import type { Capability } from '../backend/backend.js';
import { databaseUsageError, isDatabaseCommand } from './database.js';
import { isShippedDir, loadLessonSet } from './lesson-set.js';
import type { Problem } from './loader.js';
import type { CommandLine, Lesson, Source } from './model.js';
import type { LessonPack } from './pack.js';

export interface ValidationResult {
  /** The lessons without problems. */
  readonly lessons: Lesson[];
  readonly problems: Problem[];
  /** The pack checked (a directory other than the shipped lessons'), when its pack.yaml is readable. */
  readonly pack?: LessonPack;
}

/**
 * Loads every lesson file of `dir` (default: the shipped lessons) and checks them, alone and
 * together. A pack's directory is checked as `--lessons DIR` takes it: its pack.yaml too, and
 * unless `only` (the pack is taken alone), that no lesson id is a built-in lesson's.
 */
export function validateDirectory(dir?: string, options: { only?: boolean } = {}): ValidationResult {
  const set = loadLessonSet({ ...(dir === undefined ? {} : { lessonsDir: dir }), ...(options.only ? { only: true } : {}) }, { partial: true });
  const isPack = dir !== undefined && !isShippedDir(dir);
  const checked = isPack ? set.packLessons : set.lessons;
  const problems = [...set.problems, ...validateLessons(checked)];
  problems.sort((a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line || a.at.col - b.at.col);
  const bad = new Set(problems.map((p) => p.at.file));
  return { lessons: checked.filter((l) => !bad.has(l.file)), problems, ...(set.pack ? { pack: set.pack } : {}) };
}

export function validateLessons(lessons: readonly Lesson[]): Problem[] {
  const problems: Problem[] = [];
  const ids = new Map<string, Lesson>();
  const orders = new Map<number, Lesson>();
  for (const lesson of lessons) {
    const sameId = ids.get(lesson.id);
    if (sameId) problems.push({ at: lesson.idAt, message: `duplicate lesson id "${lesson.id}" (also in ${sameId.file})` });
    else ids.set(lesson.id, lesson);
    const sameOrder = orders.get(lesson.order);
    if (sameOrder) problems.push({ at: lesson.orderAt, message: `order ${lesson.order} is also the order of ${sameOrder.file}` });
    else orders.set(lesson.order, lesson);
    problems.push(...validateLesson(lesson));
  }
  return problems;
}

function validateLesson(lesson: Lesson): Problem[] {
  const problems: Problem[] = [];
  /** Each capability the lesson uses, with the first place that uses it. */
  const used = new Map<Capability, Source>();
  const use = (cap: Capability, at: Source) => { if (!used.has(cap)) used.set(cap, at); };
  const report = (at: Source, message: string) => problems.push({ at, message });
  const stepIds = new Set<string>();

  const checkLine = (line: CommandLine, role: 'command' | 'probe') => {
    if (line.argv.length === 0) return;
    if (isDatabaseCommand(line.argv)) {
      if (!lesson.database) return report(line.at, `"${line.text}": this lesson has no simulated database (add database: rows)`);
      const usage = databaseUsageError(line.argv);
      if (usage) return report(line.at, `"${line.text}": ${usage}`);
      if (role === 'probe' && line.argv[1]?.toLowerCase() !== 'get' && line.argv[1]?.toLowerCase() !== 'rows') {
        report(line.at, `"${line.text}": a probe must only read (DB GET or DB ROWS)`);
      }
      return;
    }
    const spec = lookupCommand(line.argv);
    const name = (line.argv[0] as string).toUpperCase();
    if (!spec) {
      const container = lookupCommand([line.argv[0] as string]);
      report(line.at, container?.subcommands
        ? `"${line.text}": ${name} has no subcommand ${String(line.argv[1] ?? '').toUpperCase() || '(missing)'}`
        : `"${line.text}": unknown command ${name}`);
      return;
    }
    const n = line.argv.length;
    if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) {
      report(line.at, `"${line.text}": wrong number of arguments for ${name} (expected ${spec.syntax})`);
    }
    if (spec.name.startsWith('json.')) use('json', line.at);
    if (role === 'probe' && spec.flags.includes('write')) report(line.at, `"${line.text}": a probe must only read, and ${name} writes`);
    if (role === 'probe' && spec.flags.includes('blocking')) report(line.at, `"${line.text}": a probe must not block`);
  };

  const checkName = (name: string, at: Source, what: string) => {
    if (!lookupCommand(name.split(/\s+/))) {
      report(at, `${what}: unknown command ${name.toUpperCase()}`);
    }
  };

  for (const step of lesson.steps) {
    if (stepIds.has(step.id)) report(step.at, `duplicate step id "${step.id}" in lesson ${lesson.id}`);
    stepIds.add(step.id);
    if (step.kind === 'quiz') continue;
    if (step.kind === 'exercise') {
      if (step.hints.some((h) => h.trim() === '')) report(step.at, 'empty hint');
      continue;
    }
    step.setup.forEach((l) => checkLine(l, 'command'));
    for (const actor of step.actors) {
      use('clients', actor.at);
      for (const name of actor.after) checkName(name, actor.at, 'actor "after"');
      actor.run.forEach((l) => checkLine(l, 'command'));
    }
    for (const check of step.checks) {
      if (check.kind === 'probe') checkLine(check.command, 'probe');
      if (check.kind === 'reply' && check.of !== 'last') checkName(check.of, check.at, 'reply check');
      if (check.kind === 'used') checkName(check.command, check.at, 'used check');
      if (check.kind === 'received') use('clients', check.at);
      if (check.kind === 'restarted') use('persistence', check.at);
    }
    for (const answer of [...step.solutions, ...step.wrong]) {
      for (const item of answer) {
        if (item.kind === 'command') checkLine(item.command, 'command');
        if (item.kind === 'action') use('persistence', item.at);
      }
    }
    if (step.hints.some((h) => h.trim() === '')) report(step.at, 'empty hint');
  }
  for (const [cap, at] of used) {
    if (!lesson.requires.includes(cap)) report(at, `this needs the ${cap} capability: add it to the lesson's requires`);
  }
  return problems;
}
