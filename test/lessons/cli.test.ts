/** `redislings validate` and `redislings selftest` as a user runs them (the built CLI). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../differential/harness.js';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
});
