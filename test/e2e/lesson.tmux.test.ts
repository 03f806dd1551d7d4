/**
 * End to end, in a real terminal: the built command (dist/redislings.js, the bundle that `npm
 * start` and the `redislings` bin run) inside tmux on a private socket, at 80×24 and at 160×50.
 * A new learner opens "Lists as queues" from the menu and completes it by typing, including the
 * BRPOP step whose background producer pushes; quits in the middle (:quit) and lands on the
 * exact step again; finishes; quits with Ctrl+C twice; and the next start lands on the next
 * lesson's first step. Also: how long a command takes to show its reply on screen, NO_COLOR, and
 * the message without a terminal. Skipped where tmux is missing.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'dist', 'redislings.js');
const SOCKET = `redislings-e2e-${process.pid}`;

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    // No tmux: these tests are skipped (describe.runIf below).
    return false;
  }
}

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args]).toString();
/** The pane as text; without the keyspace panel (right of its │ border), so that lines read as the transcript. */
const screen = (escapes = false) => {
  const s = tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'e2e');
  return escapes ? s : s.split('\n').map((l) => l.replace(/ *│.*$/, '')).join('\n');
};
const keys = (...k: string[]) => tmux('send-keys', '-t', 'e2e', ...k);
const text = (s: string) => tmux('send-keys', '-t', 'e2e', '-l', s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Generous: on a loaded two-core CI machine a first start (lessons parsed, cache written) was seen
// to take more than 10 s once; how fast the app starts is bench/startup's business, not this test's.
async function waitFor(pattern: RegExp | string, ms = 25_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}:\n${s}`);
    await sleep(25);
  }
}

/** Types a line at the prompt and presses Enter, as a person would (two key events). */
async function type(line: string): Promise<void> {
  text(line);
  keys('Enter');
}

describe.runIf(hasTmux())('the tutorial in a terminal', () => {
  let dir: string;
  let env: string;

  beforeAll(() => {
    // npm test builds the bundle first; a lone run of this file builds it here.
    if (!fs.existsSync(BIN)) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs'), '--quiet']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-e2e-'));
    // CI=true, as .ci/run and many shells set it: Ink would draw nothing until exit if the app
    // let it believe it runs in CI; in a terminal the app must draw all the same.
    env = `CI=true REDISLINGS_CONFIG_DIR=${dir} REDISLINGS_HISTFILE=${dir}/history TERM=xterm-256color`;
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // The private server is already gone.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the app in a fresh tmux session of the given size (the progress directory stays). */
  function start(columns: number, rows: number, extraEnv = ''): void {
    try {
      tmux('kill-session', '-t', 'e2e');
    } catch {
      // No session yet.
    }
    tmux('new-session', '-d', '-s', 'e2e', '-x', String(columns), '-y', String(rows),
      `${env} ${extraEnv} ${process.execPath} ${BIN}; echo EXIT=$?; sleep 60`);
  }

  for (const [columns, rows] of [[80, 24], [160, 50]] as const) {
    it(`completes "Lists as queues" by typing, at ${columns}×${rows}, and resumes where it stopped`, async () => {
      fs.rmSync(path.join(dir, 'progress.json'), { force: true });
      start(columns, rows);
      await waitFor('Welcome!');
      const menu = screen();
      expect(menu).toMatch(/0 \/ \d+ steps · 0%/);
      for (const line of menu.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);

      // The menu: choose lesson 5 with the arrows, open it.
      keys('Down', 'Down', 'Down', 'Down');
      await waitFor(/› · +5 +Lists as queues/);
      keys('Enter');
      await waitFor('▶ Task: Jobs arrive');

      await type('LPUSH problems two-sum fizzbuzz anagram');
      await waitFor('✓ Well done');
      keys('Enter');
      await waitFor('▶ Task: Show every element of problems');
      await type('LRANGE problems 0 -1');
      await waitFor(/1\) "anagram"\n2\) "fizzbuzz"\n3\) "two-sum"/);
      await waitFor('✓ Well done');
      keys('Enter');
      await waitFor('▶ Task: Take the job that arrived first');
      await type('RPOP problems');
      await waitFor('✓ Well done');
      keys('Enter');

      // The blocking step: BRPOP waits until the producer pushes, about 2 s later.
      await waitFor('▶ Task: Wait on submissions with BRPOP');
      await type('BRPOP submissions 0');
      await waitFor('waiting for a push… (Ctrl+C stops waiting)');
      await waitFor(/producer: LPUSH submissions sub:1.*\n1\) "submissions"\n2\) "sub:1"/, 10_000);
      await waitFor('✓ Well done');
      keys('Enter');

      await waitFor('▶ Task: Move the oldest submission');
      await type('LMOVE submissions processing RIGHT LEFT');
      await waitFor('✓ Well done');
      keys('Enter');
      await waitFor('▶ Task: Remove sub:2 from processing');
      await type('LREM processing 1 sub:2');
      await waitFor('✓ Well done');

      // Quit in the middle of the lesson, start again: the step after the last one done.
      await type(':quit');
      const bye = await waitFor('EXIT=0');
      expect(bye).toMatch(/Progress saved: 6 \/ \d+ steps/);
      start(columns, rows);
      // The exercise step (a program to write): skipped here; test/ui/exercise-app.test.tsx runs one.
      await waitFor('▶ Write: reliable-worker.mjs');
      expect(screen()).toContain('Lists as queues · step 7/8');
      await type(':skip');
      await waitFor('What happens?');
      expect(screen()).toContain('Lists as queues · step 8/8');

      // The quiz, by number: a wrong answer first, then the right one.
      keys('2');
      await waitFor('Not quite.');
      keys('1');
      await waitFor('Right!');
      await waitFor('Lesson complete: Lists as queues');

      // Ctrl+C twice quits and gives the terminal back.
      keys('C-c');
      await waitFor('Press Ctrl+C again to quit');
      keys('C-c');
      const after = await waitFor('EXIT=0');
      expect(after).toMatch(/Progress saved: 8 \/ \d+ steps/);
      expect(after).not.toContain('redislings>');

      // The next start lands on the next step: the first of the next lesson.
      start(columns, rows);
      await waitFor('Streams · step 1/10');
      await waitFor('▶ Task: Append a reading');
      const saved = JSON.parse(fs.readFileSync(path.join(dir, 'progress.json'), 'utf8')) as { lessons: Record<string, { steps: Record<string, string> }> };
      expect(Object.keys(saved.lessons['lists-as-queues']?.steps ?? {})).toHaveLength(8);
      for (const line of screen().split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
      // Leave as a learner does: on a loaded machine this run may still be opening the lesson, and
      // its save of the learner's place must not land after the next run has removed the file.
      await type(':quit');
      await waitFor('EXIT=0');
    }, 120_000);
  }

  it('shows an ordinary command\'s reply within 50 ms', async () => {
    // Measured in a pty of script(1), reading the app's output as it is written: tmux's own
    // round trips (a process per send-keys and per capture) would cost more than the app.
    // The learner is in a lesson (a step of the queue lesson).
    fs.writeFileSync(path.join(dir, 'progress.json'), JSON.stringify({
      format: 1, current: { lesson: 'lists-as-queues', step: 'lrange' },
      lessons: { 'lists-as-queues': { steps: { lpush: 'passed' }, at: 'lrange' } },
    }));
    const app = spawn('script', ['-q', '-e', '-c', `stty cols 80 rows 24; exec ${process.execPath} ${BIN}`, '/dev/null'], {
      env: { ...process.env, CI: 'true', REDISLINGS_CONFIG_DIR: dir, REDISLINGS_HISTFILE: `${dir}/history`, TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'inherit'], detached: true,
    });
    let output = '';
    let waiting: { what: string; resolve: () => void } | undefined;
    app.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (waiting && output.includes(waiting.what)) waiting.resolve();
    });
    // Resolves as the output arrives (no polling to compete with the app for the CPU).
    const until = (what: string, ms = 25_000) => new Promise<void>((resolve, reject) => {
      if (output.includes(what)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no ${what} in:\n${output.slice(-2000)}`)), ms);
      waiting = { what, resolve: () => { clearTimeout(timer); waiting = undefined; resolve(); } };
    });
    try {
      await until('bundled engine');
      await sleep(300);
      // Three rounds of 15 commands; the best round's median (the machine is shared: a round
      // slowed by other work says little about the app).
      const medians: number[] = [];
      const all: number[] = [];
      let n = 0;
      for (let round = 0; round < 3; round++) {
        const times: number[] = [];
        for (let i = 0; i < 15; i++) {
          app.stdin.write('INCR e2e:latency');
          await sleep(40);
          output = '';
          const started = performance.now();
          app.stdin.write('\r');
          await until(`(integer) ${++n}`);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        medians.push(times[7] as number);
        all.push(...times);
      }
      all.sort((a, b) => a - b);
      const best = Math.min(...medians);
      console.log(`Enter to reply on screen (80×24, 3 rounds of 15 INCR): round medians ${medians.map((m) => m.toFixed(1)).join(' / ')} ms; all: median ${all[22]?.toFixed(1)}, best ${all[0]?.toFixed(1)}, worst ${all[44]?.toFixed(1)} ms`);
      expect(best).toBeLessThan(50);
    } finally {
      process.kill(-(app.pid as number), 'SIGKILL');
    }
  }, 60_000);

  it('honours NO_COLOR, and FORCE_COLOR', async () => {
    start(80, 24, 'NO_COLOR=1');
    await waitFor('redislings>');
    // No colour (SGR 30-37, 90-97, 38;…) anywhere; the cursor is a bar instead of reverse video.
    expect(screen(true)).not.toMatch(/\x1b\[[0-9;]*(3[0-8]|9[0-7])[;m]/);
    expect(screen()).toContain('redislings> ▏');
    keys('C-c', 'C-c');
    await waitFor('EXIT=0');
    start(80, 24, 'NO_COLOR=1 FORCE_COLOR=1');
    await waitFor('redislings>');
    expect(screen(true)).toMatch(/\x1b\[[0-9;]*(3[0-8]|9[0-7])[;m]/);
    keys('C-c', 'C-c');
    await waitFor('EXIT=0');
  }, 60_000);
});

describe('without a terminal', () => {
  it('explains and points to redislings cli', () => {
    if (!fs.existsSync(BIN)) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs'), '--quiet']);
    const r = spawnSync(process.execPath, [BIN], { input: 'PING\n', env: { ...process.env, REDISLINGS_CONFIG_DIR: os.tmpdir() } });
    expect(r.status).toBe(1);
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr.toString()).toContain('needs a terminal');
    expect(r.stderr.toString()).toContain('redislings cli');
  });
});
