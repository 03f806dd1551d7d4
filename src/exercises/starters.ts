/**
 * The exercises' data files, in `exercises/<id>/` of the package (beside `lessons/`):
 * `task.md` (what to build, Markdown), `starter.mjs` and `starter.mts` (the code to start from).
 * What the learner gets is the starter with the task above it as comments, and how to run it.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Exercise, Language } from './exercise.js';

/** `exercises/` at the package's root: two levels up from dist/exercises/ and from src/exercises/. */
export const EXERCISES_DIR = fileURLToPath(new URL('../../exercises/', import.meta.url));

/**
 * The extension of each language's file. .mjs and .mts are ES modules whatever the learner's
 * package.json says (npm init writes "type": "commonjs"), so `import` and top-level await work.
 */
export const EXTENSIONS: Readonly<Record<Language, string>> = { js: '.mjs', ts: '.mts' };

/** The task, as Markdown. */
export function exerciseTask(exercise: Exercise): string {
  return fs.readFileSync(`${EXERCISES_DIR}${exercise.id}/task.md`, 'utf8').trimEnd();
}

/** The file the learner starts from: its name, and its text with the task on top. */
export function starterFile(exercise: Exercise, language: Language): { readonly name: string; readonly text: string } {
  const name = `${exercise.id}${EXTENSIONS[language]}`;
  const body = fs.readFileSync(`${EXERCISES_DIR}${exercise.id}/starter${EXTENSIONS[language]}`, 'utf8');
  const byHand = language === 'js' ? `node ${name}` : `npx tsx ${name}`;
  const header = [
    `redislings exercise ${exercise.id}: ${exercise.title}`,
    '',
    ...exerciseTask(exercise).split('\n'),
    '',
    'Check your work (it starts a Redis, runs this file and judges what it does):',
    '    npm install redis              (once, in this directory)',
    `    npx redislings verify ${exercise.id}`,
    'Run it yourself: start `npx redislings server` in another terminal, then',
    `    REDIS_URL=redis://127.0.0.1:6380 ${byHand}`,
  ];
  return { name, text: `${header.map((line) => (line === '' ? '//' : `// ${line}`)).join('\n')}\n\n${body}` };
}

/**
 * The reference solution, `exercises/<id>/solution.mjs`: a correct program, for selftest (every
 * exercise can be solved) and for a learner who wants to compare after trying.
 */
export function solutionFile(exercise: Pick<Exercise, 'id'>): string {
  return `${EXERCISES_DIR}${exercise.id}/solution.mjs`;
}
