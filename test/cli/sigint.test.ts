/**
 * Ctrl-C (SIGINT) sent to a real `redislings cli` process, as redis-cli handles it: reading
 * pub/sub messages stops and the next lines run; during any other command piped input exits
 * with 1; a one-shot command is killed. The fixture publishes a message on "ch" every 200 ms.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/fake-waiting-commands.mjs');

interface Ended {
  readonly stdout: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Runs the cli, sends SIGINT once stdout contains `waitFor` (and `after` more ms), resolves at exit. */
function interrupt(args: string[], input: string | undefined, waitFor: RegExp, after = 0): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    let sent = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no ${waitFor} in: ${stdout}`)); }, 10_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1');
      if (!sent && waitFor.test(stdout)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), after);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, code, signal });
    });
    if (input === undefined) child.stdin.end();
    else child.stdin.end(input);
  });
}

describe('Ctrl-C', () => {
  it('stops reading pub/sub messages, reconnects, and goes on with the next lines', async () => {
    const r = await interrupt(['--no-raw', '-n', '2'], 'SUBSCRIBE ch other\nPING\nSET k v\nGET k\n', /tick"\n.*\n.*tick"\n/s);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(
      '^Reading messages\\.\\.\\. \\(press Ctrl-C to quit\\)\\n' +
      '1\\) "subscribe"\\n2\\) "ch"\\n3\\) \\(integer\\) 1\\n1\\) "subscribe"\\n2\\) "other"\\n3\\) \\(integer\\) 2\\n' +
      '(1\\) "message"\\n2\\) "ch"\\n3\\) "tick"\\n)+' +
      '(\\(\\d+\\.\\d\\ds\\)\\n)?PONG\\nOK\\n"v"\\n$'));
  });

  it('exits with 1 during another command of piped input, as redis-cli', async () => {
    const r = await interrupt([], 'PING\nBLPOP q 0\nPING\n', /PONG\n/, 200);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('PONG\n');
  });

  it('kills a one-shot command', async () => {
    const r = await interrupt(['SUBSCRIBE', 'ch'], undefined, /tick\n/);
    expect(r.signal).toBe('SIGINT');
    expect(r.stdout).toMatch(/^subscribe\nch\n1\n(message\nch\ntick\n)+$/);
  });
});
