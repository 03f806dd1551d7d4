/**
 * `redislings new-lesson [DIR] [--id ID] [--title TITLE]`: starts a lesson of a teacher's own. It
 * writes a small lesson that works as it is (validate and selftest pass it) and shows each part
 * of the format with a comment, for the teacher to edit into theirs; and a pack.yaml when the
 * directory has none. It never overwrites a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { formatProblem, parseLesson, type Problem } from './loader.js';
import { PACK_FILE, PACK_FORMAT, packIdFromName } from './pack.js';
import { isShippedDir, SHIPPED_LESSONS_DIR } from './shipped.js';
import { validateLessons } from './validate.js';
import { type Output, stdio } from '../output.js';

export interface NewLessonOptions {
  /** The pack's directory (created if missing). */
  readonly dir: string;
  readonly id?: string;
  readonly title?: string;
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A lesson file's id and order, read leniently: a file being edited may not be valid yet. */
function idAndOrder(file: string): { id?: string; order?: number } {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) return {};
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object') return {};
  const { id, order } = value as { id?: unknown; order?: unknown };
  return {
    ...(typeof id === 'string' ? { id } : {}),
    ...(typeof order === 'number' && Number.isInteger(order) ? { order } : {}),
  };
}

function lessonFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== PACK_FILE).sort().map((f) => path.join(dir, f));
}

/** `my-pack` → `my-pack`; `it's a dir` → `'it'\''s a dir'`: as a POSIX shell reads it back. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A YAML scalar for one line of text (quoted when YAML needs it). */
function yamlText(text: string): string {
  return stringify(text, { lineWidth: 0 }).trimEnd();
}

/** `key: value`, and a comment lined up with the template's others when there is room. */
function field(key: string, value: string, comment: string): string {
  const text = `${key}: ${value}`;
  return `${text}${' '.repeat(Math.max(1, 30 - text.length))}# ${comment}`;
}

/** An id made of a text: `Bank queues!` → `bank-queues` (empty when nothing is left). */
function idOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export function runNewLesson(options: NewLessonOptions, io: Output = stdio): number {
  const fail = (message: string) => {
    io.err(`redislings: ${message}\n`);
    return 1;
  };
  if (options.id !== undefined && !ID.test(options.id)) {
    return fail(`--id ${options.id}: an id is lower-case letters, digits and dashes (e.g. "bank-queues")`);
  }
  const givenTitle = options.title?.trim();
  if (givenTitle !== undefined && (givenTitle === '' || /[\r\n]/.test(givenTitle))) return fail('--title: expected one line of text');

  const dir = options.dir;
  const shipped = isShippedDir(dir);
  let existing: { file: string; id?: string; order?: number }[];
  let builtIn: { id?: string }[];
  try {
    fs.mkdirSync(dir, { recursive: true });
    existing = lessonFilesIn(dir).map((file) => ({ file, ...idAndOrder(file) }));
    builtIn = shipped ? [] : lessonFilesIn(SHIPPED_LESSONS_DIR).map(idAndOrder);
  } catch (e) {
    return fail(`cannot use ${dir} for lessons: ${(e as Error).message}`);
  }
  const order = Math.max(0, ...existing.map((l) => l.order ?? 0)) + 1;
  // Progress is kept by lesson id: a pack's ids must differ from each other and from the built-in lessons'.
  const taken = (id: string) => existing.find((l) => l.id === id)?.file ?? (builtIn.some((l) => l.id === id) ? 'built-in' : undefined);

  let id = options.id ?? (givenTitle !== undefined && idOf(givenTitle) !== '' ? idOf(givenTitle) : `lesson-${order}`);
  if (options.id !== undefined) {
    const by = taken(id);
    if (by === 'built-in') return fail(`lesson id "${id}" is already a built-in lesson: choose another --id`);
    if (by !== undefined) return fail(`lesson id "${id}" is already the id of ${by}: choose another --id`);
  } else {
    const base = id;
    for (let n = 2; taken(id) !== undefined; n++) id = `${base}-${n}`;
  }
  const title = givenTitle ?? (/^lesson-\d+$/.test(id) ? `Lesson ${order}` : id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' '));

  const name = `${String(order).padStart(2, '0')}-${id}.yaml`;
  const file = path.join(dir, name);
  const text = lessonText({ id, order, title, dir });
  // The template must pass validate for any id and title: a failure here is redislings' own bug.
  const check = parseLesson(text, file);
  const problems: Problem[] = [...check.problems, ...(check.lesson ? validateLessons([check.lesson]) : [])];
  if (problems.length > 0) throw new Error(`new-lesson wrote an invalid lesson:\n${problems.map(formatProblem).join('\n')}`);

  try {
    // 'wx': never overwrite, even a file that appeared since the directory was read.
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fail(`${file} already exists: nothing was written (choose another --id)`);
    return fail(`cannot write ${file}: ${(e as Error).message}`);
  }
  io.out(`Wrote ${file}: lesson ${id}, “${title}”, order ${order}\n`);

  const packFile = path.join(dir, PACK_FILE);
  if (!shipped && !fs.existsSync(packFile)) {
    const packName = path.basename(path.resolve(dir));
    try {
      fs.writeFileSync(packFile, packText(packIdFromName(packName), packName), { flag: 'wx' });
      io.out(`Wrote ${packFile}: the pack's id and title\n`);
    } catch (e) {
      // The lesson is written; without pack.yaml the pack is named after its directory.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') io.err(`redislings: cannot write ${packFile} (the pack is named after its directory): ${(e as Error).message}\n`);
    }
  }

  const d = shellWord(dir);
  io.out([
    '',
    'Next:',
    `  1. Edit ${file}: it works as it is, and its comments say what each part does.`,
    `     The whole format: ${path.join(SHIPPED_LESSONS_DIR, 'README.md')}`,
    `  2. redislings validate ${d}             check the format, the commands and the ids`,
    `  3. redislings selftest --lessons ${d}   prove each step fails before its solution and passes after`,
    `  4. redislings --lessons ${d}            try it in the tutorial, after the built-in lessons`,
    `     (add --only for the pack's lessons alone)`,
    '',
  ].join('\n'));
  return 0;
}

function packText(id: string, title: string): string {
  return `# A lesson pack: the lesson files (*.yaml) in this directory. Learners take it with
#   redislings --lessons DIR          its lessons after the built-in ones
#   redislings --lessons DIR --only   its lessons alone
format: ${PACK_FORMAT}
${field('id', id, 'names the pack: lower-case letters, digits and dashes')}
${field('title', yamlText(title), 'the heading of its lessons in the menu')}
# strict: true                # graded work: no :solution, and :skip is counted visibly
# report:
#   key: …                    # at least 16 characters: redislings report signs records with it
`;
}

function lessonText(l: { id: string; order: number; title: string; dir: string }): string {
  const d = shellWord(l.dir);
  return `# A lesson of your own, written by \`redislings new-lesson\`. It works as it is: edit it into
# what you want to teach, checking your work as you go with
#   redislings validate ${d}              the format, the commands and the ids
#   redislings selftest --lessons ${d}    every step fails before its solution and passes after
# The whole format: lessons/README.md in the redislings package (redislings new-lesson prints where).
format: 1
${field('id', l.id, "progress is kept by id: unique, and not a built-in lesson's")}
${field('order', String(l.order), "its place among the pack's lessons in the menu")}
${field('title', yamlText(l.title), 'shown in the menu')}
summary: Store a value, read it back and let it expire.   # one line, shown in the menu
# requires: [clients]         # optional: json, persistence, clients (background actors need clients)
steps:                        # 4 to 10 steps, one idea each; a step starts where the last one left off
  - id: set                   # unique in the lesson
    title: Store a value
    prose: |                  # Markdown: what the learner reads first (the app shows 80 columns)
      A Redis **string** holds text or a number under a key.
      \`SET key value\` stores it, replacing what was there.
    task: Store the text \`hello\` under the key \`greeting\`.
    checks:                   # all must pass; judged after each command the learner runs
      - probe: GET greeting   # a read-only command, run on another connection
        expect: hello
        says: '\`greeting\` should hold hello.'   # optional: what a failure says
    hints:                    # each gives more away; the last gives the command
      - The command is SET, then the key, then the value.
      - '\`SET greeting hello\`'
    solution:                 # what :solution shows; selftest proves it passes
      - SET greeting hello
    alternatives:             # other right answers: selftest proves each passes too
      - [MSET greeting hello]
    wrong:                    # plausible mistakes: selftest proves each fails
      - [SET greeting Hello]
    why: |                    # optional, Markdown, shown when the step passes
      Values are bytes: \`Hello\` and \`hello\` are different values.

  - id: get
    title: Read it back
    prose: |
      \`GET key\` answers the value, or \`(nil)\` when there is no such key.
    task: Read the value of \`greeting\`.
    checks:
      - reply: last           # the learner's latest reply
        expect: hello
        says: Your last reply should be hello.
    hints:
      - GET takes the key.
      - '\`GET greeting\`'
    solution:
      - GET greeting
    wrong:
      - [GET Greeting]        # keys are case-sensitive

  - id: expire
    title: Let it expire
    prose: |
      \`EXPIRE key seconds\` gives a key a lifetime; \`TTL key\` answers the
      seconds left (-1: no lifetime).
    task: Make \`greeting\` expire in 60 seconds, keeping its value.
    checks:
      - probe: GET greeting
        expect: hello
        says: '\`greeting\` should still hold hello.'
      - probe: TTL greeting
        expect: { between: [1, 60] }   # expectations: exact text, numbers, ranges, lists (README.md)
        says: '\`greeting\` should expire in about 60 seconds.'
    hints:
      - EXPIRE sets a lifetime on a key that exists.
      - '\`EXPIRE greeting 60\`'
    solution:
      - EXPIRE greeting 60
    alternatives:
      - [SET greeting hello EX 60]
    wrong:
      - [EXPIRE greeting 3600]
      - [DEL greeting]

  - id: quiz                  # a quiz step: the learner picks an answer
    prose: |
      One question to end with.
    quiz:
      question: What does GET answer for a key that does not exist?
      choices:
        - text: (nil)
          correct: true       # exactly one choice is correct
          explain: A missing key is no error; GET answers nothing.
        - text: An empty string
          explain: An empty string is a value; a missing key has none.
        - text: An error
          explain: Only a key of another type (a list, a hash) makes GET answer an error.
`;
}
