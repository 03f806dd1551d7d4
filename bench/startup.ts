/**
 * bench/startup: how long `redislings` takes to show its first frame, against `node -e 0` (the
 * least any Node program costs). Prints the median of 10 runs of each and the ratio; the target
 * is at most 4×. Run: npm run bench:startup (builds the bundle first).
 *
 * The app needs a terminal, so each run happens in a pseudo-terminal made by `script(1)`, 80×24,
 * and "first frame" means: the moment the app's first screen, with the lesson menu and the
 * progress line ("0 / 61 steps"), has come out of the terminal. The runs alternate (app, node,
 * app, …) so that a busy machine slows both alike, and `script` itself (a shell and a pty) is
 * measured alone and reported, since it is part of both figures.
 *
 * Progress and history go to a temporary directory; the lessons are the shipped ones. Also
 * printed: the very first start (no lesson cache yet) and a start that resumes in a lesson.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.BENCH_ROOT ?? '../..');
const entry = path.join(root, 'dist', 'redislings.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** The text that proves a real first frame: the header's progress, which needs the lessons. */
const FIRST_FRAME = / \d+ \/ \d+ steps/;

interface Run {
  readonly ms: number;
}

/** Runs `command` in a pty of 80×24; resolves when `until` appears in its output (or when it exits). */
function timed(command: string, env: NodeJS.ProcessEnv, until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-q', '-e', '-c', `stty cols 80 rows 24; exec ${command}`, '/dev/null'], {
      env, stdio: ['pipe', 'pipe', 'inherit'], detached: true,
    });
    let output = '';
    let done = false;
    const finish = (ms: number) => {
      if (done) return;
      done = true;
      // The whole process group: script, the shell and the app.
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
      resolve({ ms });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (!until) return;
      output += chunk.toString('utf8');
      // Ink draws styled text: compare without escape sequences.
      if (until.test(output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''))) finish(performance.now() - started);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (done) return;
      if (until) reject(new Error(`${command} exited (${code}) before its first frame:\n${output}`));
      else finish(performance.now() - started);
    });
  });
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function main(): Promise<void> {
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-bench-'));
  const env = { ...process.env, REDISLINGS_CONFIG_DIR: home, REDISLINGS_HISTFILE: '/dev/null', TERM: 'xterm-256color' };
  try {
    // The first run parses the lessons and writes their cache (what a learner's very first start
    // costs); it is reported apart. One node -e 0 warms the disk cache. Neither is counted.
    const cold = (await timed(`node ${entry}`, env, FIRST_FRAME)).ms;
    await timed('node -e 0', env);
    const app: number[] = [];
    const node: number[] = [];
    const pty: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      app.push((await timed(`node ${entry}`, env, FIRST_FRAME)).ms);
      node.push((await timed('node -e 0', env)).ms);
      pty.push((await timed('true', env)).ms);
    }
    const a = median(app);
    const n = median(node);
    const p = median(pty);
    const row = (what: string, ms: number) => `${what.padEnd(40)}${ms.toFixed(0).padStart(6)} ms`;
    process.stdout.write(`startup, median of ${RUNS} runs, each in an 80×24 pty made by script(1)\n`);
    process.stdout.write(row('redislings: first frame (menu, progress)', a) + '\n');
    process.stdout.write(row('node -e 0', n) + '\n');
    process.stdout.write(`ratio                                   ${(a / n).toFixed(2).padStart(6)}×   (target ≤ 4×)\n`);
    process.stdout.write(`without script(1)'s own ${p.toFixed(0)} ms in both: ${((a - p) / (n - p)).toFixed(2)}×\n`);
    process.stdout.write(`first start ever (lessons parsed, cache written): ${cold.toFixed(0)} ms\n`);
    // A learner who comes back lands in a lesson: its text comes from the cache too.
    fs.writeFileSync(path.join(home, 'progress.json'), JSON.stringify({
      format: 1, current: { lesson: 'lists-as-queues', step: 'brpop' }, lessons: { 'lists-as-queues': { steps: { lpush: 'passed' }, at: 'brpop' } },
    }));
    const resumed: number[] = [];
    for (let i = 0; i < RUNS; i++) resumed.push((await timed(`node ${entry}`, env, /Wait on submissions/)).ms);
    process.stdout.write(row('resuming in a lesson: first frame', median(resumed)) + `   (${(median(resumed) / n).toFixed(2)}× node -e 0)\n`);
    process.stdout.write(`runs (ms): app ${app.map((x) => x.toFixed(0)).join(' ')}; node ${node.map((x) => x.toFixed(0)).join(' ')}\n`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
