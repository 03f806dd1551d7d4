/**
 * `redislings validate`, `selftest` and `new-lesson` as a user runs them (the built CLI), and
 * `--lessons DIR` / `--only` where they are wrong.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../differential/harness.js';

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...(cwd ? { cwd } : {}), env: { ...process.env, REDISLINGS_CONFIG_DIR: CONFIG } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// `list` reads progress: never the user's own.
const CONFIG = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-config-'));
afterAll(() => fs.rmSync(CONFIG, { recursive: true, force: true }));

describe('redislings validate / selftest', () => {
  it('validate passes the shipped lessons', () => {
    const r = run(['validate']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\d+ lessons, \d+ steps: valid\n$/);
    expect(r.status).toBe(0);
  });

  it('validate reports a broken directory with file:line and fails', () => {
    const r = run(['validate', path.join('test', 'lessons', 'fixtures', 'broken')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${path.join('test', 'lessons', 'fixtures', 'broken', 'bad-commands.yaml')}:11:9: "STE a 1": unknown command STE\n`);
    expect(r.stderr).toMatch(/19 problems found\n$/);
  });

  it('validate of a missing directory says so', () => {
    const r = run(['validate', 'no/such/dir']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no/such/dir');
  });

  it('selftest runs a directory of lessons', () => {
    const r = run(['selftest', '--lessons', path.join('test', 'lessons', 'fixtures', 'valid')]);
    expect(r.stdout).toContain('✓ fixture-queue: 5 steps, 20 answers tried\n');
    expect(r.stdout).toContain('1 passed, 0 failed, 0 skipped (bundled engine)\n');
    expect(r.status).toBe(0);
  });

  it('selftest refuses invalid lessons', () => {
    const r = run(['selftest', '--lessons', path.join('test', 'lessons', 'fixtures', 'broken')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('selftest needs valid lessons');
  });

  it('selftest --lesson tests one lesson; --only is not its option', () => {
    const r = run(['selftest', '--lesson', 'hashes']);
    expect(r.stdout).toMatch(/^✓ hashes: 7 steps, \d+ answers tried\n1 passed, 0 failed, 0 skipped \(bundled engine\)\n$/);
    expect(r.status).toBe(0);
    const old = run(['selftest', '--only', 'hashes']);
    expect(old.status).toBe(1);
    expect(old.stderr).toContain("unknown option '--only'");
  });
});

describe('lesson packs from the command line', () => {
  it('new-lesson writes a lesson that validate and selftest pass, in the current directory by default', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-new-'));
    try {
      const made = run(['new-lesson', '--title', 'Bank queues'], dir);
      expect(made.stderr).toBe('');
      expect(made.stdout).toContain('Wrote 01-bank-queues.yaml: lesson bank-queues, “Bank queues”, order 1\n');
      expect(made.stdout).toContain('redislings validate .');
      expect(made.status).toBe(0);
      const again = run(['new-lesson', '.', '--id', 'bank-queues'], dir);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('lesson id "bank-queues" is already the id of 01-bank-queues.yaml');
      const v = run(['validate', dir]);
      expect(v.stdout).toMatch(/^Lesson pack “redislings-new-\w+” \(redislings-new-\w+\): 1 lesson, 4 steps: valid\n$/);
      expect(v.status).toBe(0);
      const s = run(['selftest', '--lessons', dir]);
      expect(s.stdout).toContain('1 passed, 0 failed, 0 skipped (bundled engine)\n');
      expect(s.status).toBe(0);
      const list = run(['list', '--lessons', dir, '--only']);
      expect(list.stdout).toMatch(/^1 lessons · 0 \/ 4 steps · 0%\n\n.*\(lesson pack\)\n · {2}1 {2}Bank queues/);
      expect(list.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with --only alone and with a broken pack.yaml', () => {
    const only = run(['list', '--only']);
    expect(only.status).toBe(1);
    expect(only.stderr).toBe('error: --only needs --lessons DIR (the lesson pack to take alone)\n');
    const app = run(['--only']);
    expect(app.status).toBe(1);
    expect(app.stderr).toBe('error: --only needs --lessons DIR (the lesson pack to take alone)\n');
    const validate = run(['validate', '--only']);
    expect(validate.status).toBe(1);
    expect(validate.stderr).toContain('--only needs a lesson pack');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-pack-'));
    try {
      fs.cpSync(path.join('test', 'lessons', 'fixtures', 'pack'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'pack.yaml'), 'format: 1\nid: shop\n');
      const list = run(['list', '--lessons', dir]);
      expect(list.status).toBe(1);
      expect(list.stderr).toBe(`redislings: ${path.join(dir, 'pack.yaml')}:1:1: title: this field is missing\n`);
      const v = run(['validate', dir]);
      expect(v.status).toBe(1);
      expect(v.stderr).toBe(`${path.join(dir, 'pack.yaml')}:1:1: title: this field is missing\n1 problem found\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
