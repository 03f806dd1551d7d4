/**
 * Differential testing: the same command script through `redislings cli --no-raw` (the bundled
 * engine) and `redis-cli --no-raw` (a real redis-server), compared reply by reply.
 *
 * Script files (corpus/*.redis): one command per line as typed at redis-cli; blank lines and
 * lines starting with `#` are ignored; a line starting with `@sort ` is compared with its output
 * lines sorted and element numbers removed (for replies whose order Redis does not define, like
 * KEYS). Each script starts on an empty server in db 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

export interface Step {
  readonly line: number;
  readonly command: string;
  readonly sort: boolean;
}

export interface Difference {
  readonly line: number;
  readonly command: string;
  readonly redis: string;
  readonly ours: string;
}

export function parseScript(text: string): Step[] {
  const steps: Step[] = [];
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const sort = trimmed.startsWith('@sort ');
    steps.push({ line: i + 1, command: sort ? trimmed.slice(6) : raw.replace(/\r$/, ''), sort });
  });
  return steps;
}

const marker = (i: number) => `@@redislings-step-${i}@@`;

/** The input fed to both: each command followed by an ECHO of a marker that splits the output. */
function input(steps: readonly Step[]): Buffer {
  const lines = steps.flatMap((s, i) => [s.command, `ECHO ${marker(i)}`]);
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

function split(output: string, count: number): string[] {
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const m = `"${marker(i)}"\n`;
    const end = output.indexOf(m, at);
    if (end < 0) {
      parts.push(output.slice(at));
      at = output.length;
      continue;
    }
    parts.push(output.slice(at, end));
    at = end + m.length;
  }
  return parts;
}

/**
 * redis-cli prints "(1.02s)" after slow commands; the exact figure differs from run to run. A
 * sorted reply drops redis-cli's item numbers ("1) ", nested "2) 1) "), which follow the order.
 */
function normalize(text: string, sort: boolean): string {
  const lines = text.split('\n').map((l) => (/^\(\d+\.\d\ds\)$/.test(l) ? '(time)' : l));
  // Unordered replies: the element numbers redis-cli prints ("1) ", "2) 1) ") follow the order,
  // so they go before sorting.
  if (sort) return lines.map((l) => l.replace(/^(\s*\d+\) )+/, '')).sort().join('\n');
  return lines.join('\n');
}

export function runRedisCli(port: number, data: Buffer, extra: string[] = []): string {
  const r = spawnSync('redis-cli', ['-p', String(port), '--no-raw', ...extra], { input: data, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`redis-cli exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout.toString('latin1');
}

export function runOurCli(data: Buffer, extra: string[] = []): string {
  const r = spawnSync(process.execPath, [CLI, 'cli', '--no-raw', ...extra], { input: data, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`redislings cli exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout.toString('latin1');
}

/** Runs a script on both and returns every step whose output differs. */
export function compareScript(port: number, steps: readonly Step[]): Difference[] {
  // A fresh start: no keys, default configuration for what scripts may change.
  runRedisCli(port, Buffer.from('FLUSHALL\nCONFIG RESETSTAT\n'));
  const data = input(steps);
  const redis = split(runRedisCli(port, data), steps.length);
  const ours = split(runOurCli(data), steps.length);
  const diffs: Difference[] = [];
  steps.forEach((s, i) => {
    const a = normalize(redis[i] ?? '', s.sort);
    const b = normalize(ours[i] ?? '', s.sort);
    if (a !== b) diffs.push({ line: s.line, command: s.command, redis: a, ours: b });
  });
  return diffs;
}

export function formatDifferences(file: string, diffs: readonly Difference[]): string {
  return diffs
    .map((d) => `${file}:${d.line}: ${d.command}\n  redis-server:\n${indent(d.redis)}\n  redislings:\n${indent(d.ours)}`)
    .join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((l) => '    ' + l).join('\n');
}

export function corpusFiles(): string[] {
  const dir = path.join(ROOT, 'test/differential/corpus');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.redis')).sort().map((f) => path.join(dir, f));
}
