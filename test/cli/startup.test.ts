/**
 * Startup stays light: `redislings --version` and `--help` answer without loading the engine,
 * which only `redislings cli` imports (checked with a module hook that refuses engine modules).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// tsc's module tree (the hook sees each module's file); the bundle's chunks have other names.
const CLI = path.resolve('dist/cli.js');

const REFUSE_ENGINE = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, next) { const r = await next(s, c);' +
  ' if (r.url.includes("/dist/engine/")) throw new Error("engine imported: " + r.url); return r; }'));
`)}`;

function run(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', REFUSE_ENGINE, CLI, ...args], { input });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe('startup', () => {
  it('answers --version and --help without the engine', () => {
    const version = run(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: redislings');
    expect(run(['cli', '--help']).stdout).toContain('Usage: redislings cli [OPTIONS]');
  });

  it('loads the engine for the cli (the hook does catch it)', () => {
    const r = run(['cli', 'PING']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('engine imported');
  });
});
