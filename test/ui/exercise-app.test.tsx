/**
 * Exercise steps in the app (ink-testing-library, the real session and bundled engine): the screen
 * shows the task and the file to write; `:exercise` writes the starter into the directory
 * redislings was started in (and never over the learner's work); `:verify` runs a program as a
 * process of its own, shows each check as it completes and the verdict, and a pass passes the step;
 * Ctrl+C stops a verification; Redis commands still run meanwhile; `:solution` points at the
 * reference solution.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { livePrograms } from '../../src/exercises/program.js';
import { fixture } from '../exercises/helpers.js';
import { BROKER_STEPS, type Harness, KEY, progressAt, sleep, startHarness } from './helpers.js';

let h: Harness | undefined;
const temps: string[] = [];
afterEach(async () => {
  if (h && !h.parts.store.getState().quitting) await h.quit();
  h?.cleanup();
  h = undefined;
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not true within ${ms} ms: ${condition.toString()}`);
    await sleep(10);
  }
}

/** A directory outside the repository: `redis` does not resolve there, as in a fresh project. */
function workDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-work-'));
  temps.push(dir);
  return dir;
}

/** At the producer endpoint step of the message broker lesson, wide, the keyspace panel hidden (lines wrap less). */
async function atEndpoint(dir: string): Promise<Harness> {
  const harness = await startHarness({ columns: 150, rows: 45, workDir: dir, progress: progressAt('message-broker', BROKER_STEPS, 'endpoint') });
  await harness.waitFor('bundled engine ·');
  // Open once the earlier steps have replayed: the panel shows what they left.
  await harness.waitFor(/│ processing/);
  await harness.press(KEY.ctrlK);
  await harness.waitFor(/▶ Write: producer-endpoint\.mjs {2}\(:exercise writes a starter, :verify checks it\)\n/);
  return harness;
}

describe('an exercise step', () => {
  it('writes the starter, fails a wrong program with what was expected and seen, and passes a right one', async () => {
    const dir = workDir();
    h = await atEndpoint(dir);
    const first = h.frame();
    expect(first).toContain('▶ Task: Finish producer-endpoint.mjs until :verify passes.');
    expect(first).toContain(':exercise writes the starter · :verify checks it');

    await h.run(':exercise');
    const written = path.join(dir, 'producer-endpoint.mjs');
    await h.waitFor(`Wrote ${written}: the task is at its top.`);
    await h.waitFor('Install the Redis client in that directory first: npm install redis.');
    expect(fs.readFileSync(written, 'utf8')).toMatch(/^\/\/ redislings exercise producer-endpoint: A producer endpoint/);
    // Never over the learner's work.
    fs.writeFileSync(written, '// my work\n');
    await h.run(':exercise');
    await h.waitFor('redislings never writes over your work');
    expect(fs.readFileSync(written, 'utf8')).toBe('// my work\n');
    await h.run(':exercise python');
    await h.waitFor(':exercise takes js (the default) or ts');

    // A wrong program: the first check it fails, with what was expected and seen, and the hint.
    await h.run(`:verify ${fixture('producer-endpoint', 'status-200.mjs')}`);
    await h.waitFor('Verifying');
    const wrong = await h.waitFor('Not yet: fix what the ✗ says', 30_000);
    expect(wrong).toContain('✓ connects to the Redis in REDIS_URL');
    expect(wrong).toContain('✓ listens for HTTP on the port in PORT');
    expect(wrong).toMatch(/✗ queues a submission on submissions as JSON and answers 202 with its id/);
    expect(wrong).toContain('expected the answer 202 Accepted');
    expect(wrong).toContain('seen     200 {"id":1}');
    expect(wrong).toMatch(/202 Accepted says exactly\s+that/);
    expect(livePrograms()).toBe(0);

    // The reference solution passes: the step is done, and saved as passed.
    await h.run(`:verify ${fixture('producer-endpoint', 'solution.mjs')}`);
    const right = await h.waitFor('✓ Well done!', 30_000);
    expect(right).toContain('✓ answers 400 to a submission without code, and queues nothing');
    expect(right).toContain('The web request only queues');
    // Saved as passed, each verification counted as an attempt.
    const saved = await h.saved((p) => p.lessons['message-broker']?.steps.endpoint?.state === 'passed');
    expect(saved.lessons['message-broker']?.steps.endpoint).toMatchObject({ state: 'passed', attempts: 2, strict: false });
    expect(livePrograms()).toBe(0);
    await h.run('');
    await h.waitFor('What should the queue become?');
  }, 90_000);

  it('verifies the starter where it was written: it runs, and fails until the client is installed', async () => {
    const dir = workDir();
    h = await atEndpoint(dir);
    await h.run(':verify');
    await h.waitFor('No producer-endpoint.mjs or producer-endpoint.mts in');
    await h.run(':exercise');
    await h.waitFor('the task is at its top.');
    await h.run(':verify');
    const verdict = await h.waitFor('Not yet: fix what the ✗ says', 30_000);
    expect(verdict).toContain('Verifying producer-endpoint.mjs on the bundled server at redis://127.0.0.1:');
    expect(verdict).toContain('✗ connects to the Redis in REDIS_URL');
    expect(verdict).toContain('Install the client library in the program\'s directory: npm install redis.');
    expect(verdict).toContain('Your program\'s last output:');
    expect(verdict).toMatch(/│ .*Cannot find package 'redis'/);
  }, 60_000);

  it('stops a verification with Ctrl+C, and runs Redis commands meanwhile', async () => {
    h = await atEndpoint(workDir());
    // A program that never connects: the verifier would wait 10 s for it.
    await h.run(`:verify ${fixture('programs', 'never-connects.mjs')}`);
    await h.waitFor('(Ctrl+C stops it)');
    await h.run('LLEN submissions');
    await h.waitFor(/LLEN submissions\n\(integer\) \d/);
    expect(h.frame()).toContain('(Ctrl+C stops it)');
    await until(() => livePrograms() === 1);
    await h.press(KEY.ctrlC);
    await h.waitFor('Stopped: your program was ended before the verdict.', 5000);
    expect(livePrograms()).toBe(0);
    expect(h.frame()).not.toContain('Press Ctrl+C again');
  }, 30_000);

  it('keeps :solution for later, then points at the reference solution; :verify is for exercise steps only', async () => {
    h = await atEndpoint(workDir());
    await h.run(':solution');
    await h.waitFor('Try :hint first');
    await h.run(':hint');
    await h.waitFor('Hint 1/3');
    await h.run(':hint');
    await h.run(':solution');
    const shown = await h.waitFor('A reference solution is in');
    expect(shown.replace(/\s+/g, '')).toContain(path.resolve('exercises/producer-endpoint/solution.mjs'));
    await h.run(':back');
    await h.waitFor('The worker, in Node.js');
    await h.run(':back');
    await h.waitFor('Why should the worker');
    await h.run(':verify');
    await h.waitFor('This step asks for no program');
  }, 30_000);
});
