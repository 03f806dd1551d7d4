/**
 * The interactive prompt in a real terminal (tmux, on a private socket): the prompt's [db] and
 * (TX), the grey hint, Tab completion, Ctrl-C cancelling a blocking command, history kept across
 * runs without AUTH, Ctrl-D leaving. Skipped where tmux is missing. The fixture is the cli with
 * a publisher of test messages; BLPOP q 0 waits forever.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/fake-waiting-commands.mjs');
const SOCKET = `redislings-test-${process.pid}`;

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    // No tmux: the test is skipped (see describe.runIf below).
    return false;
  }
}

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args]).toString();
const screen = () => tmux('capture-pane', '-p', '-t', 'cli');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'cli', ...k);
const text = (s: string) => tmux('send-keys', '-t', 'cli', '-l', s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const s = screen();
    if (pattern.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${s}`);
    await sleep(50);
  }
}

describe.runIf(hasTmux())('the interactive prompt in a terminal', () => {
  let dir: string;
  let histfile: string;
  const start = () => tmux('new-session', '-d', '-s', 'cli', '-x', '200', '-y', '30',
    `HOME=${dir} REDISLINGS_HISTFILE=${histfile} ${process.execPath} ${FIXTURE}; echo EXIT=$?; sleep 30`);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-prompt-'));
    histfile = path.join(dir, 'history');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // The private server is already gone.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('edits, hints, completes, cancels a blocking command, and keeps history', async () => {
    start();
    await waitFor(/^redislings>$/m);
    text('select 2');
    keys('Enter');
    await waitFor(/^redislings\[2\]>$/m);
    text('multi');
    keys('Enter');
    await waitFor(/^redislings\[2\]\(TX\)>$/m);
    text('discard');
    keys('Enter');
    await waitFor(/^OK\nredislings\[2\]>$/m);
    text('set k');
    await waitFor(/^redislings\[2\]> set k value \[NX\|XX\] \[GET\]/m);
    keys('C-u');
    text('getr');
    keys('Tab');
    await waitFor(/^redislings\[2\]> GETRANGE key start end$/m);
    keys('C-u');
    text('blpop q 0');
    keys('Enter');
    await sleep(700);
    keys('C-c');
    await waitFor(/^\^C\(\d\.\d\ds\)\nredislings\[2\]>$/m);
    text('AUTH secret');
    keys('Enter');
    await waitFor(/^\(error\) .*\nredislings\[2\]>$/m);
    keys('C-d');
    await waitFor(/^EXIT=0$/m);
    expect(fs.readFileSync(histfile, 'utf8')).toBe('select 2\nmulti\ndiscard\nblpop q 0\n');
    expect(fs.statSync(histfile).mode & 0o777).toBe(0o600);
    tmux('kill-session', '-t', 'cli');

    start();
    await waitFor(/^redislings>$/m);
    keys('Up');
    await waitFor(/^redislings> blpop q 0/m);
    keys('Up', 'Up');
    await waitFor(/^redislings> multi/m);
    keys('C-c');
    await waitFor(/^EXIT=0$/m);
  }, 60_000);
});
