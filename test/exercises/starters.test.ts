/**
 * The exercises' data: each has its task and a JavaScript and a TypeScript starter (the
 * TypeScript ones are type-checked with the tests: tsconfig.test.json includes exercises/), and
 * every starter, as `redislings exercise` writes it, runs and fails verification: an exercise
 * starts unsolved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXERCISES } from '../../src/exercises/index.js';
import { EXERCISES_DIR, exerciseTask, starterFile } from '../../src/exercises/starters.js';
import { verifyExercise } from '../../src/exercises/verify.js';
import { FIXTURES } from './helpers.js';

// Inside the repository, so that `import 'redis'` resolves from its node_modules.
const dir = fs.mkdtempSync(path.join(FIXTURES, '.starters-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('exercise data', () => {
  it('has a task, starters and test fixtures for every exercise, and nothing else', () => {
    expect(fs.readdirSync(EXERCISES_DIR).filter((f) => !f.endsWith('.md')).sort()).toEqual(EXERCISES.map((e) => e.id).sort());
    for (const e of EXERCISES) {
      expect(fs.readdirSync(path.join(EXERCISES_DIR, e.id)).sort()).toEqual(['solution.mjs', 'starter.mjs', 'starter.mts', 'task.md']);
      expect(exerciseTask(e)).toMatch(/REDIS_URL/);
      // At least three wrong programs (the reference solution passes: see each exercise's tests).
      expect(fs.readdirSync(path.join(FIXTURES, e.id)).filter((f) => !f.startsWith('correct')).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('writes the task as comments above the starter code', () => {
    for (const e of EXERCISES) {
      for (const lang of ['js', 'ts'] as const) {
        const { name, text } = starterFile(e, lang);
        expect(name).toBe(`${e.id}.${lang === 'js' ? 'mjs' : 'mts'}`);
        const header = text.slice(0, text.indexOf('\n\n'));
        expect(header.split('\n').every((line) => line.startsWith('//'))).toBe(true);
        for (const line of exerciseTask(e).split('\n')) expect(header).toContain(`//${line === '' ? '' : ` ${line}`}`);
        expect(header).toContain(`npx redislings verify ${e.id}`);
        expect(text).toMatch(/createClient\(\{ url: process\.env\.REDIS_URL \}\)/);
      }
    }
  });
});

describe.concurrent('every starter runs and starts unsolved', () => {
  for (const e of EXERCISES) {
    for (const lang of ['js', 'ts'] as const) {
      it(`${e.id} (${lang})`, async () => {
        const { name, text } = starterFile(e, lang);
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        const verdict = await verifyExercise(e, { file });
        expect(verdict.passed).toBe(false);
        // It got past its start: it connected, so the program itself runs.
        expect(verdict.checks[0]).toMatchObject({ id: 'connects', passed: true });
        expect(verdict.output).not.toMatch(/Error/);
      }, 40_000);
    }
  }
});
