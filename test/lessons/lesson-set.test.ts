/**
 * Lesson packs: a teacher's directory (fixtures/pack: pack.yaml and two lessons, copied to a
 * temporary directory as a teacher hands it out) loads beside the built-in lessons or alone,
 * validates, selftests on the bundled engine and lists with `redislings list`; a lesson id that
 * is a built-in one's and a broken pack.yaml are reported at their file:line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSelftest, runValidate } from '../../src/lessons/cli.js';
import { isLessonSetError, LessonSetError, loadLessonSet } from '../../src/lessons/lesson-set.js';
import { formatProblem, SHIPPED_LESSONS_DIR } from '../../src/lessons/loader.js';
import { PackFileError } from '../../src/lessons/pack.js';
import { runList } from '../../src/progress/cli.js';
import { markStep, EMPTY_PROGRESS } from '../../src/progress/progress.js';
import { ProgressStore } from '../../src/progress/store.js';
import { cachedViews, loadViews } from '../../src/ui/lesson-view.js';

const FIXTURE = path.join('test', 'lessons', 'fixtures', 'pack');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

let tmp: string;
let pack: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-pack-'));
  pack = path.join(tmp, 'shop');
  fs.cpSync(FIXTURE, pack, { recursive: true });
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Adds a copy of a shipped lesson to the pack: its id is a built-in lesson's. */
function addClash(): string {
  const file = path.join(pack, '03-hashes.yaml');
  fs.copyFileSync(path.join(SHIPPED_LESSONS_DIR, '03-hashes.yaml'), file);
  return file;
}

describe('loadLessonSet', () => {
  it('is the built-in lessons without a pack', () => {
    const set = loadLessonSet();
    expect(set.problems).toEqual([]);
    expect(set.pack).toBeUndefined();
    expect(set.packLessons).toEqual([]);
    expect(set.lessons[0]?.id).toBe('first-steps');
    expect(set.lessons).toEqual(set.builtIn);
  });

  it('puts a pack\'s lessons after the built-in ones, each group in its own order', () => {
    const set = loadLessonSet({ lessonsDir: pack });
    expect(set.problems.map(formatProblem)).toEqual([]);
    expect(set.pack).toMatchObject({ id: 'shop-101', title: 'Shop 101, week 2', strict: false, declared: true, dir: path.resolve(pack) });
    expect(set.packLessons.map((l) => l.id)).toEqual(['page-views', 'shopping-cart']);
    expect(set.lessons.map((l) => l.id)).toEqual([...set.builtIn.map((l) => l.id), 'page-views', 'shopping-cart']);
    expect(set.builtIn.map((l) => l.order)).toEqual([...set.builtIn.map((l) => l.order)].sort((a, b) => a - b));
  });

  it('takes the pack alone with only', () => {
    const set = loadLessonSet({ lessonsDir: pack, only: true });
    expect(set.lessons.map((l) => l.id)).toEqual(['page-views', 'shopping-cart']);
    expect(set.builtIn).toEqual([]);
  });

  it('names a pack without pack.yaml after its directory', () => {
    fs.rmSync(path.join(pack, 'pack.yaml'));
    expect(loadLessonSet({ lessonsDir: pack }).pack).toMatchObject({ id: 'shop', title: 'shop', declared: false });
  });

  it('takes the shipped lessons\' own directory as no pack', () => {
    const set = loadLessonSet({ lessonsDir: SHIPPED_LESSONS_DIR });
    expect(set.pack).toBeUndefined();
    expect(set.problems).toEqual([]);
    expect(set.lessons.length).toBe(loadLessonSet().lessons.length);
  });

  it('leaves out a pack lesson whose id is a built-in lesson\'s, saying where and what to do', () => {
    const file = addClash();
    const set = loadLessonSet({ lessonsDir: pack });
    expect(set.problems.map(formatProblem)).toEqual([`${file}:2:5: lesson id "hashes" is already a built-in lesson: rename it, or use --only`]);
    expect(set.packLessons.map((l) => l.id)).toEqual(['page-views', 'shopping-cart']);
    expect(set.lessons.filter((l) => l.id === 'hashes')).toHaveLength(1);
    // Taken alone, the pack may use the id.
    const alone = loadLessonSet({ lessonsDir: pack, only: true });
    expect(alone.problems).toEqual([]);
    expect(alone.lessons.map((l) => l.id)).toEqual(['page-views', 'shopping-cart', 'hashes']);
  });

  it('leaves out a second pack lesson with an id the pack already has (progress is kept by id)', () => {
    const copy = path.join(pack, '03-page-views-again.yaml');
    fs.copyFileSync(path.join(pack, '01-page-views.yaml'), copy);
    const set = loadLessonSet({ lessonsDir: pack, only: true });
    expect(set.lessons.map((l) => l.id)).toEqual(['page-views', 'shopping-cart']);
    expect(set.problems.map(formatProblem)).toEqual([
      `${copy}:2:5: duplicate lesson id "page-views" (also in ${path.join(pack, '01-page-views.yaml')}): this one is left out`,
    ]);
  });

  it('stops at a broken pack.yaml with its file:line:col', () => {
    fs.writeFileSync(path.join(pack, 'pack.yaml'), 'format: 1\nid: Shop 101\ntitle: Shop\n');
    let error: unknown;
    try {
      loadLessonSet({ lessonsDir: pack });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackFileError);
    expect(isLessonSetError(error)).toBe(true);
    expect((error as Error).message).toBe(`${path.resolve(pack, 'pack.yaml')}:2:5: id: expected an id of lower-case letters, digits and dashes`);
  });

  it('refuses --only without a pack, and reports a missing directory', () => {
    expect(() => loadLessonSet({ only: true })).toThrow(LessonSetError);
    expect(() => loadLessonSet({ lessonsDir: path.join(tmp, 'nowhere') })).toThrow(/no such directory/);
  });
});

describe('validate and selftest on a pack', () => {
  it('validates the pack, its pack.yaml and its ids', () => {
    const c = capture();
    expect(runValidate({ dir: pack }, c.io)).toBe(0);
    expect(c.err()).toBe('');
    expect(c.out()).toBe('Lesson pack “Shop 101, week 2” (shop-101): 2 lessons, 8 steps: valid\n');
  });

  it('reports an id clash, unless the pack is taken alone', () => {
    const file = addClash();
    const c = capture();
    expect(runValidate({ dir: pack }, c.io)).toBe(1);
    expect(c.err()).toBe(`${file}:2:5: lesson id "hashes" is already a built-in lesson: rename it, or use --only\n1 problem found\n`);
    const alone = capture();
    expect(runValidate({ dir: pack, only: true }, alone.io)).toBe(0);
    expect(alone.out()).toContain('3 lessons, 15 steps: valid');
  });

  it('reports a broken pack.yaml with the lessons\' problems', () => {
    fs.writeFileSync(path.join(pack, 'pack.yaml'), 'format: 1\nid: shop\ntitle: Shop\nstrikt: true\n');
    fs.writeFileSync(path.join(pack, '03-broken.yaml'), 'format: 1\nid: broken\n');
    const c = capture();
    expect(runValidate({ dir: pack }, c.io)).toBe(1);
    const lines = c.err().split('\n');
    expect(lines.filter((l) => l.startsWith(`${path.join(pack, '03-broken.yaml')}:`)).length).toBeGreaterThan(0);
    expect(lines).toContain(`${path.resolve(pack, 'pack.yaml')}:4:1: strikt: unknown field "strikt" (a typo?)`);
  });

  it('says --only needs a pack', () => {
    const c = capture();
    expect(runValidate({ only: true }, c.io)).toBe(1);
    expect(c.err()).toBe('redislings: --only needs --lessons DIR: the pack to take alone\n');
  });

  it('selftests the pack\'s own lessons on the bundled engine', async () => {
    addClash();
    const c = capture();
    expect(await runSelftest({ lessons: pack }, c.io)).toBe(0);
    expect(c.err()).toBe('');
    expect(c.out()).toContain('✓ page-views: 4 steps');
    expect(c.out()).toContain('✓ shopping-cart: 4 steps');
    expect(c.out()).toContain('✓ hashes: 7 steps');
    expect(c.out()).not.toContain('first-steps');
    expect(c.out()).toContain('3 passed, 0 failed, 0 skipped (bundled engine)\n');
    const one = capture();
    expect(await runSelftest({ lessons: pack, lesson: 'shopping-cart' }, one.io)).toBe(0);
    expect(one.out()).toMatch(/^✓ shopping-cart: 4 steps, \d+ answers tried\n1 passed, 0 failed, 0 skipped \(bundled engine\)\n$/);
  });

  it('catches a pack lesson whose answer is wrong', async () => {
    const file = path.join(pack, '01-page-views.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("      - [INCRBY views:lamp 2]\n", "      - [INCRBY views:lamp 1]\n"));
    const c = capture();
    expect(await runSelftest({ lessons: pack }, c.io)).toBe(1);
    expect(c.out()).toContain('✗ page-views');
    expect(c.out()).toContain('1 passed, 1 failed');
  });
});

describe('list and the views cache with a pack', () => {
  it('lists the pack\'s lessons under its title, with their progress', async () => {
    const dirs = { config: path.join(tmp, 'config'), cache: path.join(tmp, 'cache') };
    new ProgressStore(dirs.config).save(markStep(EMPTY_PROGRESS, 'shopping-cart', 'add', 'passed', { when: '2025-03-03T09:00:00.000Z', strict: false }));
    const c = capture();
    expect(await runList({ lessonsDir: pack, dirs, version: 'test' }, c.io)).toBe(0);
    const out = c.out();
    expect(out).toMatch(/^Built-in lessons\n ·  1  First steps/m);
    expect(out).toMatch(/\nShop 101, week 2 \(lesson pack\)\n · {2}1 {2}Counting page views +0\/4 {2}not started\n ◐ {2}2 {2}A shopping cart in a hash +1\/4 {2}in progress/);
    const alone = capture();
    expect(await runList({ lessonsDir: pack, only: true, dirs, version: 'test' }, alone.io)).toBe(0);
    expect(alone.out()).toMatch(/^2 lessons · 1 \/ 8 steps · 12%\n\nShop 101, week 2 \(lesson pack\)\n/);
    expect(alone.out()).not.toContain('First steps');
  });

  it('keys the cache on both directories, and reads a changed pack afresh', async () => {
    const cache = path.join(tmp, 'cache');
    const beside = await loadViews({ lessonsDir: pack }, cache, 'test');
    expect(beside.set).toBeDefined();
    const alone = await loadViews({ lessonsDir: pack, only: true }, cache, 'test');
    expect(alone.views.views.map((v) => v.id)).toEqual(['page-views', 'shopping-cart']);
    const builtIn = await loadViews({}, cache, 'test');
    expect(builtIn.views.pack).toBeUndefined();
    expect(builtIn.views.views.some((v) => v.fromPack)).toBe(false);

    const cached = cachedViews({ lessonsDir: pack }, cache, 'test');
    expect(cached?.pack).toEqual({ id: 'shop-101', title: 'Shop 101, week 2', dir: pack, strict: false });
    expect(cached?.views.filter((v) => v.fromPack).map((v) => v.id)).toEqual(['page-views', 'shopping-cart']);
    expect(cachedViews({ lessonsDir: pack, only: true }, cache, 'test')?.views).toHaveLength(2);

    // A new pack.yaml (another size) is a change: the cached views are not used.
    fs.writeFileSync(path.join(pack, 'pack.yaml'), 'format: 1\nid: shop-102\ntitle: Shop 102, week 1\n');
    expect(cachedViews({ lessonsDir: pack }, cache, 'test')).toBeUndefined();
    expect((await loadViews({ lessonsDir: pack }, cache, 'test')).views.pack?.title).toBe('Shop 102, week 1');
  });
});
