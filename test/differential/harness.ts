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
/**
 * The command as it ships (package.json's bin: the esbuild bundle), so that the comparison with
 * redis-server also covers what bundling does to the engine (it once reordered an import cycle
 * and lost CONFIG, INFO and COMMAND).
 */
export const CLI = path.join(ROOT, 'dist/redislings.js');

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
export function input(steps: readonly Step[]): Buffer {
  const lines = steps.flatMap((s, i) => [s.command, `ECHO ${marker(i)}`]);
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

/**
 * Cuts the output at each marker. A marker queued in a transaction that was discarded never
 * prints: its step gets no output of its own and the search goes on for the next one. Markers
 * count only at the start of a line (inside an EXEC reply they are numbered items).
 */
export function split(output: string, count: number): string[] {
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const m = `"${marker(i)}"\n`;
    let end = output.indexOf(m, at);
    while (end > 0 && output[end - 1] !== '\n') end = output.indexOf(m, end + 1);
    if (end < 0) {
      parts.push('');
      continue;
    }
    parts.push(output.slice(at, end));
    at = end + m.length;
  }
  parts[count - 1] = (parts[count - 1] ?? '') + output.slice(at);
  return parts;
}

/**
 * redis-cli prints "(1.02s)" after slow commands; the exact figure differs from run to run. A
 * sorted reply drops redis-cli's item numbers ("1) ", nested "2) 1) "), which follow the order.
 */
export function normalize(text: string, sort: boolean): string {
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
    .map((d) => {
      const [redis, ours] = around(d.redis, d.ours);
      return `${file}:${d.line}: ${d.command}\n  redis-server:\n${indent(redis)}\n  redislings:\n${indent(ours)}`;
    })
    .join('\n');
}

/**
 * Long outputs (a whole transaction shows as one step, since the markers inside MULTI are queued)
 * are cut to a few lines around the first line that differs.
 */
function around(a: string, b: string, context = 4): [string, string] {
  const la = a.split('\n');
  const lb = b.split('\n');
  if (la.length <= 2 * context + 4 && lb.length <= 2 * context + 4) return [a, b];
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  const from = Math.max(0, i - context);
  const cut = (lines: string[]) =>
    (from > 0 ? `… (${from} equal lines)\n` : '') + lines.slice(from, i + context + 1).join('\n') +
    (lines.length > i + context + 1 ? `\n… (${lines.length - i - context - 1} more lines)` : '');
  return [cut(la), cut(lb)];
}

function indent(text: string): string {
  return text.split('\n').map((l) => '    ' + l).join('\n');
}

export function corpusFiles(): string[] {
  const dir = path.join(ROOT, 'test/differential/corpus');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.redis')).sort().map((f) => path.join(dir, f));
}
