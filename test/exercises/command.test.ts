/**
 * `redislings exercise` and `redislings verify`: the starter is written and never over an existing
 * file; verify finds the learner's file, prints each check, and exits 0, 1 (not yet) or 2 (could
 * not verify). One run goes through dist/cli.js (build first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExerciseCommand, runVerifyCommand } from '../../src/exercises/command.js';
import { FIXTURES, fixture } from './helpers.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(inRepo = false): string {
  const dir = fs.mkdtempSync(inRepo ? path.join(FIXTURES, '.command-') : path.join(os.tmpdir(), 'redislings-command-'));
  temps.push(dir);
  return dir;
}

function sink(): { write(text: string): void; text(): string } {
  let all = '';
  return { write: (t: string) => { all += t; }, text: () => all };
}

describe('redislings exercise', () => {
  it('lists the exercises without an id', () => {
    const out = sink();
    expect(runExerciseCommand(undefined, 'js', tempDir(), out, sink())).toBe(0);
    expect(out.text()).toMatch(/^queue-worker +A queue worker$/m);
    expect(out.text()).toMatch(/^cache-aside +A cache-aside read path$/m);
  });

  it('writes the starter, says to install redis where it is missing, and never overwrites', () => {
    const dir = tempDir();
    const out = sink();
    expect(runExerciseCommand('queue-worker', 'ts', dir, out, sink())).toBe(0);
    expect(out.text()).toBe('Wrote queue-worker.mts: the task is at its top.\n'
      + 'Install the Redis client here first: npm install redis\n'
      + 'When you are ready: npx redislings verify queue-worker\n');
    const file = path.join(dir, 'queue-worker.mts');
    fs.writeFileSync(file, '// my work\n');
    const err = sink();
    expect(runExerciseCommand('queue-worker', 'ts', dir, sink(), err)).toBe(1);
    expect(err.text()).toMatch(/^queue-worker\.mts exists already here: redislings never writes over your work/);
    expect(fs.readFileSync(file, 'utf8')).toBe('// my work\n');
  });

  it('does not ask to install redis where it resolves', () => {
    const out = sink();
    expect(runExerciseCommand('cache-aside', 'js', tempDir(true), out, sink())).toBe(0);
    expect(out.text()).not.toMatch(/npm install/);
  });

  it('rejects an unknown exercise or language', () => {
    const err = sink();
    expect(runExerciseCommand('queue', 'js', tempDir(), sink(), err)).toBe(1);
    expect(err.text()).toBe('Unknown exercise: queue. The exercises: queue-worker, producer-endpoint, reliable-worker, stream-consumer, cache-aside.\n');
    const err2 = sink();
    expect(runExerciseCommand('queue-worker', 'python', tempDir(), sink(), err2)).toBe(1);
    expect(err2.text()).toBe('Unknown language: python. Use --lang js or --lang ts.\n');
  });
});

describe('redislings verify', () => {
  it('needs the file: none, or both languages, is a usage error (2)', async () => {
    const dir = tempDir();
    const err = sink();
    expect(await runVerifyCommand('queue-worker', undefined, {}, dir, sink(), err)).toBe(2);
    expect(err.text()).toMatch(/^No queue-worker\.mjs or queue-worker\.mts here\. Start with `redislings exercise queue-worker`/);
    fs.writeFileSync(path.join(dir, 'queue-worker.mjs'), '');
    fs.writeFileSync(path.join(dir, 'queue-worker.mts'), '');
    const err2 = sink();
    expect(await runVerifyCommand('queue-worker', undefined, {}, dir, sink(), err2)).toBe(2);
    expect(err2.text()).toMatch(/^Both queue-worker\.mjs and queue-worker\.mts are here/);
    const err3 = sink();
    expect(await runVerifyCommand('queue-worker', 'notes.txt', {}, dir, sink(), err3)).toBe(2);
    expect(err3.text()).toMatch(/notes\.txt: a program ends in \.mjs, \.js, \.cjs, \.mts or \.ts\n$/);
  });

  it('an unreachable --url is a usage error (2), before any program runs', async () => {
    const err = sink();
    const code = await runVerifyCommand('queue-worker', fixture('queue-worker', 'solution.mjs'), { url: 'redis://127.0.0.1:1' }, FIXTURES, sink(), err);
    expect(code).toBe(2);
    expect(err.text()).toMatch(/^cannot use the Redis at redis:\/\/127\.0\.0\.1:1: nothing answers at 127\.0\.0\.1:1 \(connection refused\)/);
    const err2 = sink();
    expect(await runVerifyCommand('queue-worker', fixture('queue-worker', 'solution.mjs'), { url: 'http://x' }, FIXTURES, sink(), err2)).toBe(2);
    expect(err2.text()).toMatch(/^not a Redis URL: http:\/\/x \(expected redis:\/\/\[user:password@\]host:port\[\/db\]/);
  });

  it('prints each check, what was expected and seen, and exits 1 until the program passes', () => {
    const run = (file: string) => spawnSync(process.execPath, [path.resolve('dist/cli.js'), 'verify', 'producer-endpoint', file],
      { cwd: path.join(FIXTURES, 'producer-endpoint'), encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 30_000 });
    const wrong = run('status-200.mjs');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout.replace(/127\.0\.0\.1:\d+/, 'HOST')).toBe([
      'Verifying status-200.mjs (producer-endpoint) on the bundled server at redis://HOST',
      '  ✓ connects to the Redis in REDIS_URL',
      '  ✓ listens for HTTP on the port in PORT',
      '  ✗ queues a submission on `submissions` as JSON and answers 202 with its id',
      '      expected: the answer 202 Accepted',
      '      seen:     200 {"id":1}',
      '      The submission is queued, not judged yet: 202 Accepted says exactly that. `res.writeHead(202, …)`, or `res.status(202)` with express.',
      '',
      'Not yet: fix what the ✗ says and verify again.',
      '',
    ].join('\n'));
    const right = run(fixture('producer-endpoint', 'solution.mjs'));
    expect(right.status).toBe(0);
    expect(right.stdout).toMatch(/✓ answers 400 to a submission without `code`, and queues nothing\nPassed: every check of producer-endpoint\.\n$/);
  }, 60_000);
});
