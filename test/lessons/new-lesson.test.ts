/**
 * `redislings new-lesson`: what it writes validates and selftests as it is, the next lesson gets
 * the next order, and it never overwrites a file or takes an id that is in use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSelftest, runValidate } from '../../src/lessons/cli.js';
import { loadLessonSet } from '../../src/lessons/lesson-set.js';
import { runNewLesson } from '../../src/lessons/new-lesson.js';
import { readPack } from '../../src/lessons/pack.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

let tmp: string;
let dir: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-new-'));
  dir = path.join(tmp, 'my pack');
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('new-lesson', () => {
  it('writes a lesson and a pack.yaml that validate and selftest as they are, and says what next', async () => {
    const c = capture();
    expect(runNewLesson({ dir, title: 'Bank queues' }, c.io)).toBe(0);
    expect(c.err()).toBe('');
    const file = path.join(dir, '01-bank-queues.yaml');
    expect(c.out()).toContain(`Wrote ${file}: lesson bank-queues, “Bank queues”, order 1\n`);
    expect(c.out()).toContain(`Wrote ${path.join(dir, 'pack.yaml')}: the pack's id and title\n`);
    expect(c.out()).toContain(`redislings validate '${dir}'`);
    expect(c.out()).toContain(`redislings selftest --lessons '${dir}'`);
    expect(c.out()).toContain(`redislings --lessons '${dir}'`);
    expect(readPack(dir)).toMatchObject({ id: 'my-pack', title: 'my pack', declared: true });

    const v = capture();
    expect(runValidate({ dir }, v.io)).toBe(0);
    expect(v.out()).toBe('Lesson pack “my pack” (my-pack): 1 lesson, 4 steps: valid\n');
    const s = capture();
    expect(await runSelftest({ lessons: dir }, s.io)).toBe(0);
    expect(s.out()).toContain('1 passed, 0 failed, 0 skipped');
    // The lesson shows each part of the format: checks of both kinds, hints, answers right and wrong, a quiz.
    const lesson = loadLessonSet({ lessonsDir: dir, only: true }).lessons[0];
    expect(lesson?.title).toBe('Bank queues');
    const kinds = new Set(lesson?.steps.flatMap((st) => (st.kind === 'commands' ? st.checks.map((ch) => ch.kind) : ['quiz'])));
    expect([...kinds].sort()).toEqual(['probe', 'quiz', 'reply']);
    for (const st of lesson?.steps ?? []) {
      if (st.kind !== 'commands') continue;
      expect(st.hints.length, st.id).toBeGreaterThan(0);
      expect(st.wrong.length, st.id).toBeGreaterThan(0);
    }
  });

  it('gives the next lesson the next free order and its own id, and keeps pack.yaml', async () => {
    expect(runNewLesson({ dir, title: 'Bank queues' }, capture().io)).toBe(0);
    const packYaml = fs.readFileSync(path.join(dir, 'pack.yaml'), 'utf8');
    const c = capture();
    expect(runNewLesson({ dir }, c.io)).toBe(0);
    expect(c.out()).toContain(`Wrote ${path.join(dir, '02-lesson-2.yaml')}: lesson lesson-2, “Lesson 2”, order 2\n`);
    expect(c.out()).not.toContain('pack.yaml');
    expect(fs.readFileSync(path.join(dir, 'pack.yaml'), 'utf8')).toBe(packYaml);
    // The same title again: the id is made free.
    const again = capture();
    expect(runNewLesson({ dir, title: 'Bank queues' }, again.io)).toBe(0);
    expect(again.out()).toContain('lesson bank-queues-2, “Bank queues”, order 3');
    const v = capture();
    expect(runValidate({ dir }, v.io)).toBe(0);
    expect(v.out()).toContain('3 lessons, 12 steps: valid');
    expect(await runSelftest({ lessons: dir }, capture().io)).toBe(0);
  });

  it('refuses to overwrite a file, or to take an id in use', () => {
    fs.mkdirSync(dir);
    // A file being written, not valid yet: it has no order, so the new lesson would be 01-draft.yaml too.
    const draft = path.join(dir, '01-draft.yaml');
    fs.writeFileSync(draft, 'title: a draft\n');
    const c = capture();
    expect(runNewLesson({ dir, id: 'draft' }, c.io)).toBe(1);
    expect(c.err()).toBe(`redislings: ${draft} already exists: nothing was written (choose another --id)\n`);
    expect(fs.readFileSync(draft, 'utf8')).toBe('title: a draft\n');
    expect(fs.readdirSync(dir)).toEqual(['01-draft.yaml']);

    expect(runNewLesson({ dir, id: 'queues' }, capture().io)).toBe(0);
    const same = capture();
    expect(runNewLesson({ dir, id: 'queues' }, same.io)).toBe(1);
    expect(same.err()).toBe(`redislings: lesson id "queues" is already the id of ${path.join(dir, '01-queues.yaml')}: choose another --id\n`);
    const builtIn = capture();
    expect(runNewLesson({ dir, id: 'hashes' }, builtIn.io)).toBe(1);
    expect(builtIn.err()).toBe('redislings: lesson id "hashes" is already a built-in lesson: choose another --id\n');
    const bad = capture();
    expect(runNewLesson({ dir, id: 'Bank Queues' }, bad.io)).toBe(1);
    expect(bad.err()).toContain('--id Bank Queues: an id is lower-case letters, digits and dashes');
    expect(fs.readdirSync(dir).sort()).toEqual(['01-draft.yaml', '01-queues.yaml', 'pack.yaml']);
  });

  it('writes a title YAML would misread, quoted', () => {
    expect(runNewLesson({ dir, title: 'Queues: #1 - "fast"' }, capture().io)).toBe(0);
    expect(loadLessonSet({ lessonsDir: dir, only: true }).lessons[0]?.title).toBe('Queues: #1 - "fast"');
  });
});
