/**
 * Reads lesson files: YAML (with Markdown in its strings) → the zod schema → the model, with every
 * problem reported as file:line:col and what was expected. A file with problems yields no lesson,
 * so the app never runs half a lesson.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document } from 'yaml';
import { splitArgs } from '../cli/split-args.js';
import { toBytes } from '../resp/reply.js';
import { type Matcher, parseMatcher } from './matcher.js';
import {
  ACTION_PREFIX, type Actor, type Answer, type Check, type CommandLine, type Lesson, type LessonAction,
  type SolutionItem, type Source, type Step,
} from './model.js';
import { PACK_FILE } from './pack.js';
import { lessonSchema, type RawCheck, type RawLesson, type RawStep } from './schema.js';
import { SHIPPED_LESSONS_DIR } from './shipped.js';

export interface Problem {
  readonly at: Source;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.at.file}:${p.at.line}:${p.at.col}: ${p.message}`;
}

export interface LoadResult {
  /** Sorted by `order`. */
  readonly lessons: Lesson[];
  readonly problems: Problem[];
}

export { SHIPPED_LESSONS_DIR };

/** A lessons directory that cannot be read, or holds no lesson file. */
export class LessonDirectoryError extends Error {}

/** Lesson files are the .yaml / .yml files of a directory (not its subdirectories, not pack.yaml). */
export function lessonFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LessonDirectoryError(code === 'ENOENT' ? `no such directory: ${dir}` : code === 'ENOTDIR' ? `not a directory: ${dir}` : `cannot read ${dir}: ${(e as Error).message}`);
  }
  const files = names.filter((f) => /\.ya?ml$/.test(f) && f !== PACK_FILE).sort().map((f) => path.join(dir, f));
  if (files.length === 0) throw new LessonDirectoryError(`no lesson files (*.yaml) in ${dir}`);
  return files;
}

/**
 * Loads every lesson of a directory. Lessons with problems are left out, unless `partial` (for
 * validate, which reports what else is wrong with them).
 */
export function loadLessons(dir: string = SHIPPED_LESSONS_DIR, options: { partial?: boolean } = {}): LoadResult {
  const lessons: Lesson[] = [];
  const problems: Problem[] = [];
  for (const file of lessonFiles(dir)) {
    const r = loadLessonFile(file);
    problems.push(...r.problems);
    if (r.lesson && (options.partial || r.problems.length === 0)) lessons.push(r.lesson);
  }
  lessons.sort((a, b) => a.order - b.order);
  return { lessons, problems };
}

export function loadLessonFile(file: string): { lesson?: Lesson; problems: Problem[] } {
  return parseLesson(fs.readFileSync(file, 'utf8'), file);
}

type Path = readonly (string | number)[];

/** Parses one lesson file's text; `file` names it in problems. */
export function parseLesson(source: string, file: string): { lesson?: Lesson; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Source => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const problems: Problem[] = [];
  // After the first YAML error the parser's view of the rest is mostly noise: report that one.
  const yamlError = doc.errors[0];
  if (yamlError) {
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more after it)` : '';
    return { problems: [{ at: at(yamlError.pos[0]), message: `YAML: ${firstLine(yamlError.message)}${more}` }] };
  }

  const locate = (p: Path, atKey = false): Source => at(offsetOf(doc, p, atKey));
  const report = (p: Path, message: string, atKey = false) => problems.push({ at: locate(p, atKey), message: `${pathText(p)}: ${message}` });

  const parsed = lessonSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) report([...p, key], `unknown field "${key}" (a typo?)`, true);
      } else {
        const atKey = issue.code === 'custom' && (issue.params as { atKey?: boolean } | undefined)?.atKey === true;
        report(p, issue.message, atKey);
      }
    }
    return { problems };
  }
  // Past the schema, a problem (a command line's quotes) is local: the lesson is still built, so
  // that validate can report the rest, but callers must not run a lesson that has problems.
  return { lesson: build(parsed.data, file, locate, report), problems };
}

function firstLine(s: string): string {
  return s.split('\n')[0] as string;
}

function pathText(p: Path): string {
  if (p.length === 0) return 'lesson';
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Where a path points in the YAML: the value's node, or for a missing field the object that
 * lacks it. An unknown key points at the key itself.
 */
function offsetOf(doc: Document, p: Path, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const [i, seg] of p.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === seg);
      if (!pair) break;
      const key = pair.key as Node;
      offset = key.range?.[0] ?? offset;
      if (atKey && i === p.length - 1) break;
      node = pair.value;
      // A key with no value (`hints:`) has nothing to point at but the key.
      const value = pair.value as Node | null;
      if (value?.range && !(isScalar(value) && value.value === null)) offset = value.range[0];
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item?.range) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

type Locate = (p: Path) => Source;
type Report = (p: Path, message: string) => void;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
}

function build(raw: RawLesson, file: string, locate: Locate, report: Report): Lesson {
  const command = (text: string, p: Path): CommandLine => {
    const argv = splitArgs(toBytes(text));
    if (argv === undefined) report(p, 'unbalanced quotes in the command line');
    else if (argv.length === 0) report(p, 'expected a command');
    return { text, argv: argv ?? [], at: locate(p) };
  };
  const steps = raw.steps.map((s, i) => buildStep(s, ['steps', i], command, locate, report));
  return {
    format: raw.format,
    id: raw.id,
    order: raw.order,
    title: raw.title,
    summary: raw.summary,
    requires: raw.requires ?? [],
    database: raw.database ? new Map(Object.entries(raw.database).map(([k, v]) => [toBytes(k), toBytes(v)])) : undefined,
    steps,
    file,
    idAt: locate(['id']),
    orderAt: locate(['order']),
  };
}

function buildStep(s: RawStep, p: Path, command: (text: string, p: Path) => CommandLine, locate: Locate, report: Report): Step {
  const base = { id: s.id, title: s.title, prose: s.prose, at: locate(p) };
  if (s.quiz) {
    return {
      ...base,
      kind: 'quiz',
      question: s.quiz.question,
      choices: s.quiz.choices.map((c) => ({ text: c.text, correct: c.correct === true, explain: c.explain })),
    };
  }
  if (s.exercise !== undefined) {
    return { ...base, kind: 'exercise', exercise: s.exercise, task: s.task ?? '', hints: s.hints ?? [], why: s.why };
  }
  const answer = (items: readonly (string | { wait: string })[], ap: Path): Answer => items.map((item, j): SolutionItem => {
    const ip = [...ap, j];
    if (typeof item !== 'string') return { kind: 'wait', ms: durationMs(item.wait), at: locate(ip) };
    if (item.startsWith(ACTION_PREFIX)) {
      const action = item.slice(ACTION_PREFIX.length);
      if (action !== 'crash' && action !== 'restart') report(ip, `unknown action "${item}" (expected :crash or :restart)`);
      return { kind: 'action', action: action as LessonAction, at: locate(ip) };
    }
    return { kind: 'command', command: command(item, ip) };
  });
  const checks = (s.checks ?? []).map((c, j) => buildCheck(c, [...p, 'checks', j], command, locate));
  const actors = (s.actors ?? []).map((a, j): Actor => ({
    name: a.name,
    after: (a.after === undefined ? [] : typeof a.after === 'string' ? [a.after] : a.after).map((n) => n.toLowerCase()),
    delayMs: a.delay ? durationMs(a.delay) : 0,
    onlyIfWaiting: a.onlyIfWaiting ?? false,
    run: a.run.map((line, k) => command(line, [...p, 'actors', j, 'run', k])),
    at: locate([...p, 'actors', j]),
  }));
  return {
    ...base,
    kind: 'commands',
    task: s.task ?? '',
    setup: (s.setup ?? []).map((line, j) => command(line, [...p, 'setup', j])),
    actors,
    checks,
    hints: s.hints ?? [],
    solutions: [
      answer(s.solution ?? [], [...p, 'solution']),
      ...(s.alternatives ?? []).map((a, j) => answer(a, [...p, 'alternatives', j])),
    ],
    wrong: (s.wrong ?? []).map((a, j) => answer(a, [...p, 'wrong', j])),
    why: s.why,
  };
}

function buildCheck(c: RawCheck, p: Path, command: (text: string, p: Path) => CommandLine, locate: Locate): Check {
  const at = locate(p);
  const says = c.says;
  // The schema has already read each expectation, so this cannot fail.
  const matcher = (value: unknown): Matcher => parseMatcher(value, []) ?? { kind: 'any' };
  switch (c.kind) {
    case 'probe': return { kind: 'probe', command: command(c.probe, [...p, 'probe']), expect: matcher(c.expect), says, at };
    case 'reply': return { kind: 'reply', of: c.reply.toLowerCase(), expect: matcher(c.expect), says, at };
    case 'used': return { kind: 'used', command: c.used.toLowerCase(), says, at };
    case 'received': return { kind: 'received', expect: matcher(c.received), says, at };
    case 'restarted': return { kind: 'restarted', how: c.restarted, says, at };
  }
}
