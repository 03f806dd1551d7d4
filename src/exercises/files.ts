/**
 * The learner's files in their own directory: writing a starter there (never over existing work),
 * finding the program to verify, and whether a package their program imports resolves there.
 * `redislings exercise`/`verify` and the app's `:exercise`/`:verify` share these, each with its
 * own words.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Exercise, Language } from './exercise.js';
import { EXTENSIONS, starterFile } from './starters.js';

export type WrittenStarter =
  /** `install`: the Redis client (`redis`) does not resolve from that directory yet. */
  | { readonly kind: 'written'; readonly file: string; readonly install: boolean }
  /** A file of that name is there already: it was left as it is. */
  | { readonly kind: 'exists'; readonly file: string };

/** Writes the exercise's starter into `dir`, unless a file of its name is there. */
export function writeStarter(exercise: Exercise, language: Language, dir: string): WrittenStarter {
  const starter = starterFile(exercise, language);
  const file = path.join(dir, starter.name);
  try {
    // 'wx': fails if the file exists, atomically, so a learner's work is never overwritten.
    fs.writeFileSync(file, starter.text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { kind: 'exists', file };
  }
  return { kind: 'written', file, install: !resolves('redis', dir) };
}

export type FoundProgram =
  | { readonly kind: 'found'; readonly file: string }
  /** Neither `<id>.mjs` nor `<id>.mts` is in the directory. */
  | { readonly kind: 'none' }
  /** Both are: the learner must say which. */
  | { readonly kind: 'both' };

/** The program to verify when the learner names none: the starter's name, in either language. */
export function findProgram(exercise: Exercise, dir: string): FoundProgram {
  const candidates = Object.values(EXTENSIONS).map((ext) => path.join(dir, `${exercise.id}${ext}`)).filter((f) => fs.existsSync(f));
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { kind: 'found', file: only };
  return candidates.length === 0 ? { kind: 'none' } : { kind: 'both' };
}

/** True when `name` can be imported from a file in `dir` (as the learner's program would). */
export function resolves(name: string, dir: string): boolean {
  try {
    createRequire(path.join(dir, 'index.js')).resolve(name);
    return true;
  } catch {
    // Not found from there: the caller says how to install it.
    return false;
  }
}
