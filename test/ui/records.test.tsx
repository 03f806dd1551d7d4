/**
 * What the app records per step, through the real reducer, session and store: commands run,
 * hints seen, solutions shown, skips, when and in which mode a step was done; and strict mode
 * (graded work): :solution refused, skipped steps counted on screen and marked in the menu.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/progress/progress.js';
import { type Harness, KEY, progressAt, QUEUE_STEPS, startHarness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.cleanup();
  h = undefined;
});

const queue = (p: Progress) => p.lessons['lists-as-queues']?.steps ?? {};
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('the records of each step', () => {
  it('counts commands, hints and solutions until a step passes, and records when it was done', async () => {
    const started = Date.now();
    h = await startHarness({ progress: progressAt('lists-as-queues', QUEUE_STEPS, 'lpush') });
    await h.waitFor('▶ Task: Jobs arrive');
    await h.run('LLEN problems');
    await h.waitFor('(integer) 0');
    await h.run('RPUSH problems two-sum');
    await h.waitFor('(integer) 1');
    await h.run(':hint');
    await h.waitFor('Hint 1/2');
    // Saved while the step is not done: counts, no state.
    const trying = await h.saved((p) => queue(p).lpush?.hints === 1 && queue(p).lpush?.attempts === 2);
    expect(queue(trying).lpush).toEqual({ attempts: 2, hints: 1, solutions: 0 });
    await h.run(':hint');
    await h.waitFor('Hint 2/2');
    await h.run(':solution');
    await h.waitFor('Solution');
    await h.run('DEL problems');
    await h.waitFor('(integer) 1');
    await h.run('LPUSH problems two-sum fizzbuzz anagram');
    await h.waitFor('✓ Well done');
    // Once passed, more commands and another look at the solution count nothing.
    await h.run('LLEN problems');
    await h.waitFor(/LLEN problems\n\(integer\) 3/);
    await h.run(':solution');
    const passed = await h.saved((p) => queue(p).lpush?.state === 'passed');
    const lpush = queue(passed).lpush;
    expect(lpush).toMatchObject({ state: 'passed', strict: false, attempts: 4, hints: 2, solutions: 1 });
    expect(lpush?.when).toMatch(ISO);
    expect(Date.parse(lpush?.when as string)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(lpush?.when as string)).toBeLessThanOrEqual(Date.now());

    // The next step, skipped without a try.
    await h.press(KEY.enter);
    await h.waitFor('▶ Task: Show every element of problems');
    await h.run(':skip');
    await h.waitFor('▶ Task: Take the job that arrived first');
    const skipped = await h.saved((p) => queue(p).lrange?.state === 'skipped');
    expect(queue(skipped).lrange).toMatchObject({ state: 'skipped', strict: false, attempts: 0, hints: 0, solutions: 0 });
    expect(queue(skipped).lrange?.when).toMatch(ISO);
    // The screen marks it: skipped, not passed.
    expect(h.frame()).toMatch(/2 \/ \d+ steps/);
    await h.run(':menu');
    await h.waitFor(/Lists as queues.*2\/8 · 1 skipped/);

    // What was waiting is written on quit (q in the menu); the file is format 2.
    await h.press('q');
    await h.parts.exited;
    const file = JSON.parse(fs.readFileSync(path.join(h.dir, 'progress.json'), 'utf8')) as Progress;
    expect(file.format).toBe(2);
    expect(file.current).toBeUndefined();
    expect(queue(file).lpush?.attempts).toBe(4);
  });

  it('counts quiz answers as attempts', async () => {
    h = await startHarness({ progress: progressAt('lists-as-queues', QUEUE_STEPS, 'queue-quiz') });
    await h.waitFor('What happens?');
    await h.press('2');
    await h.waitFor('Not quite.');
    await h.press('3');
    await h.waitFor(/✗ 3\./);
    await h.press('1');
    await h.waitFor('Right!');
    const saved = await h.saved((p) => queue(p)['queue-quiz']?.state === 'passed');
    expect(queue(saved)['queue-quiz']).toMatchObject({ state: 'passed', attempts: 3, hints: 0, solutions: 0 });
  });

  it('reads a format 1 progress file and goes on where it stopped, keeping every step', async () => {
    const old = { format: 1, current: { lesson: 'lists-as-queues', step: 'rpop' }, lessons: { 'lists-as-queues': { steps: { lpush: 'passed', lrange: 'skipped' }, at: 'rpop' } } };
    h = await startHarness({ progressText: JSON.stringify(old) });
    await h.waitFor('▶ Task: Take the job that arrived first');
    expect(h.frame()).not.toContain('could not be read');
    await h.run('RPOP problems');
    await h.waitFor('✓ Well done');
    const saved = await h.saved((p) => queue(p).rpop?.state === 'passed');
    expect(saved.format).toBe(2);
    expect(queue(saved).lpush).toEqual({ state: 'passed', attempts: 0, hints: 0, solutions: 0 });
    expect(queue(saved).lrange).toEqual({ state: 'skipped', attempts: 0, hints: 0, solutions: 0 });
    expect(queue(saved).rpop).toMatchObject({ state: 'passed', attempts: 1, strict: false });
  });
});

describe('strict mode', () => {
  it('refuses :solution, still gives hints, and counts skips where the learner sees them', async () => {
    h = await startHarness({ strict: true, progress: progressAt('lists-as-queues', QUEUE_STEPS, 'lpush') });
    const first = await h.waitFor('▶ Task: Jobs arrive');
    // The lesson screen says strict mode is on, and how many steps were skipped.
    expect(first).toMatch(/strict · 0 skipped/);
    expect(first).toContain('strict mode: no :solution');
    await h.run(':hint');
    await h.waitFor('Hint 1/2');
    await h.run(':hint');
    await h.waitFor('Hint 2/2');
    await h.run(':hint');
    await h.waitFor(/That was the last hint \(strict mode: no\s+:solution/);
    await h.run(':solution');
    await h.waitFor(/Strict mode is on \(graded work\): :solution is not\s+available/);
    expect(h.frame()).not.toContain('Solution (type it');
    const refused = await h.saved((p) => queue(p).lpush?.hints === 2);
    expect(queue(refused).lpush?.solutions).toBe(0);

    await h.run(':skip');
    await h.waitFor('▶ Task: Show every element of problems');
    await h.waitFor('Skipped. Strict mode: 1 step skipped in your record.');
    expect(h.frame()).toMatch(/strict · 1 skipped/);
    await h.run('LRANGE problems 0 -1');
    await h.waitFor('✓ Well done');
    const saved = await h.saved((p) => queue(p).lrange?.state === 'passed');
    expect(queue(saved).lpush).toMatchObject({ state: 'skipped', strict: true, hints: 2, solutions: 0 });
    expect(queue(saved).lrange).toMatchObject({ state: 'passed', strict: true, attempts: 1 });

    // :help says so too.
    await h.run(':help');
    await h.waitFor(/Strict mode is on \(graded work\): :solution is not available/);
    expect(h.frame()).toMatch(/:solution\s+not available in strict mode/);
    await h.press('x');
    // The menu: strict mode said, the skipped step marked apart from the passed ones.
    await h.run(':menu');
    const menu = await h.waitFor(/Lists as queues.*2\/8 · 1 skipped/);
    expect(menu).toContain('Strict mode (graded work)');
    expect(menu).toMatch(/Lists as queues +█*▒+░* 2\/8 · 1 skipped/);
    expect(menu).toContain('(1 of them skipped)');
  });

  it('is off by default: :solution shows the answer after two hints', async () => {
    h = await startHarness({ progress: progressAt('lists-as-queues', QUEUE_STEPS, 'lpush') });
    const first = await h.waitFor('▶ Task: Jobs arrive');
    expect(first).not.toContain('strict');
    await h.run(':hint');
    await h.run(':hint');
    await h.run(':solution');
    await h.waitFor('Solution (type it');
  });
});
