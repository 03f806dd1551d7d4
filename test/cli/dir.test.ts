/**
 * `redislings cli --dir D` (dist/cli.js: build first): the engine keeps its data in D. Leaving
 * the cli stops the engine as SHUTDOWN stops a server (with save rules, dump.rdb is written), so
 * the next run finds the data; with appendonly yes every write is in the AOF; files that cannot
 * be loaded stop the cli with the reason.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../differential/harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-clidir-'));
  dirs.push(d);
  return d;
}

function cli(dir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'cli', '--dir', dir, ...args], { encoding: 'latin1' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('redislings cli --dir', () => {
  it('finds its data again in the next run: dump.rdb written on leaving, or the AOF', () => {
    const dir = tempDir();
    expect(cli(dir, 'SET', 'greeting', 'hello').stdout).toBe('OK\n');
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    expect(cli(dir, 'GET', 'greeting').stdout).toBe('hello\n');
    expect(cli(dir, 'CONFIG', 'SET', 'appendonly', 'yes').stdout).toBe('OK\n');
    expect(fs.readdirSync(path.join(dir, 'appendonlydir')).sort()).toEqual([
      'appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest',
    ]);
  });

  it('without --dir keeps nothing on disk', () => {
    const cwd = tempDir();
    const r = spawnSync(process.execPath, [CLI, 'cli', 'SET', 'a', '1'], { encoding: 'latin1', cwd });
    expect(r.stdout).toBe('OK\n');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('stops with the reason when the directory holds an AOF it cannot load', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'redislings.conf'), 'appendonly yes\n');
    expect(cli(dir, 'SET', 'a', '1').stdout).toBe('OK\n');
    fs.appendFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'garbage\r\n');
    const r = cli(dir, 'GET', 'a');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof at offset \d+/);
  });
});
