/**
 * `redislings list | head -1`: a reader that goes away early ends the command quietly, with its
 * exit code, instead of an unhandled EPIPE and a stack trace on the learner's screen.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { CLI } from '../differential/harness.js';

it('ends quietly when the reader of its output goes away', async () => {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-epipe-'));
  try {
    const node = spawn(process.execPath, [CLI, 'list'], { env: { ...process.env, REDISLINGS_CONFIG_DIR: config }, stdio: ['ignore', 'pipe', 'pipe'] });
    let nodeErr = '';
    node.stderr.on('data', (d: Buffer) => { nodeErr += d.toString(); });
    // The reader is gone before the first line is written: every write meets EPIPE.
    node.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => node.on('close', resolve));
    expect(nodeErr).toBe('');
    expect(code).toBe(0);
  } finally {
    fs.rmSync(config, { recursive: true, force: true });
  }
});
