/**
 * Every module of the engine can be the first one imported (a tool that only reads an AOF, a
 * test of one data type): no import cycle may reach a module before it has run. Each module is
 * imported in a fresh Node process, since in this one the engine is already loaded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve('dist/engine');
function modules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return modules(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

describe('the engine\'s modules', () => {
  it('each loads first, on its own', () => {
    const files = modules(DIST);
    expect(files.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const f of files) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(f)})`], { encoding: 'utf8' });
      if (r.status !== 0) failures.push(`${path.relative(DIST, f)}: ${r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
