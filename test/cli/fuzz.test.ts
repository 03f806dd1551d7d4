/**
 * 10,000 random input lines through `redislings cli` (random bytes, random quoting, commands of
 * the table with random arguments and options taken from their syntax): the cli must end with
 * exit code 0 and print no stack trace, whatever it is fed.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../src/engine/command-table.js';
import { CLI } from '../differential/harness.js';
import { prng } from '../helpers/prng.js';

/**
 * Commands left out: those that wait (blocking pops, SUBSCRIBE's reading mode) would stop the
 * run until Ctrl-C, and QUIT/EXIT would end it early.
 */
// SAVE and BGSAVE write dump.rdb into the data directory (the working directory, until the cli
// is given one): not something a fuzzed session may do to the tree it runs in.
const EXCLUDED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'quit', 'exit', 'monitor', 'sync', 'psync', 'shutdown', 'connect', 'save', 'bgsave']);
const COMMANDS = COMMAND_TABLE.filter((c) => !c.flags.includes('blocking') && !EXCLUDED.has(c.container ?? c.name));

const VALUES = [
  '0', '1', '2', '3', '-1', '-2', '10', '100', '-100', '1000', '1.5', '-0.5', '0.0', 'inf', '-inf', '+inf', 'nan',
  '9223372036854775808', '-9223372036854775809', '1e3', '0x10', '', ' ', 'abc', 'k', 'k1', 'k2', 'key', 'field',
  'member', '*', 'k*', '[a', '(1', '-', '+', 'a b', '\x00', '\xff\xfe', 'caf\xc3\xa9',
];

function randomLine(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const quoteArg = (a: string) => {
    const r = random();
    if (r < 0.6 && a !== '' && !/[\s"'\\\x00]/.test(a)) return a;
    if (r < 0.85) return '"' + [...a].map((c) => (/["\\]/.test(c) ? '\\' + c : c < ' ' || c > '~' ? '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0') : c)).join('') + '"';
    return "'" + a.replace(/'/g, "\\'") + "'";
  };
  const kind = random();
  if (kind < 0.15) {
    // Random bytes, newline excluded (it ends the line).
    let s = '';
    const n = Math.floor(random() * 40);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(random() * 256);
      s += c === 10 ? ' ' : String.fromCharCode(c);
    }
    return s;
  }
  if (kind < 0.25) {
    // Random quoting and escapes.
    let s = '';
    const n = Math.floor(random() * 12);
    for (let i = 0; i < n; i++) s += pick(['"', "'", '\\', '\\x', '\\x4', '\\x41', '\\n', ' ', '\t', '\r', 'a', 'ECHO', 'SET', '"x"y', "'", '3 ']);
    return s;
  }
  if (kind < 0.28) return pick(['help', 'help set', 'help @string', 'help config get', '? get', ':set hints', ':set nohints', ':set x', 'restart', 'clear', '', '   ', '0 PING', '-1 PING', '"" PING']);
  const spec = pick(COMMANDS);
  const words = spec.name.split('|');
  const options = spec.syntax.split(/[\s[\]|.]+/).filter((w) => /^[A-Z][A-Z_-]+$/.test(w));
  const argc = Math.floor(random() * 7);
  const args: string[] = [];
  for (let i = 0; i < argc; i++) args.push(random() < 0.3 && options.length > 0 ? pick(options) : pick(VALUES));
  const prefix = random() < 0.05 ? `${1 + Math.floor(random() * 3)} ` : '';
  const name = words.map((w) => (random() < 0.5 ? w.toUpperCase() : w)).join(' ');
  return prefix + name + (args.length ? ' ' + args.map(quoteArg).join(' ') : '');
}

function run(lines: readonly string[], extra: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const input = Buffer.from(lines.join('\n') + '\n', 'latin1');
  const r = spawnSync(process.execPath, [CLI, 'cli', ...extra], { input, maxBuffer: 512 << 20, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1') };
}

describe('random input', () => {
  for (const [seed, extra] of [[1, []], [2, ['--no-raw']]] as const) {
    it(`survives 10,000 random lines (${extra.length ? extra.join(' ') : 'raw'})`, () => {
      const random = prng(seed);
      const lines = Array.from({ length: 10_000 }, () => randomLine(random));
      // A few very long lines too.
      lines.splice(5000, 0, 'ECHO ' + 'x'.repeat(200_000), '"' + 'y'.repeat(100_000), 'SET big ' + 'z'.repeat(300_000));
      // The last line proves that every line before it was read and run (DISCARD ends a MULTI).
      lines.push('DISCARD', 'ECHO @@fuzz-end@@');
      const r = run(lines, extra);
      expect(r.stdout.slice(-20)).toMatch(/@@fuzz-end@@"?\n$/);
      expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(r.stderr).not.toMatch(/TypeError|RangeError|ReferenceError|SyntaxError|Unhandled|node:internal/);
      const internal = r.stdout.split('\n').filter((l) => l.includes('redislings internal error'));
      expect(internal, 'engine bugs reported as internal errors').toEqual([]);
      expect(r.status).toBe(0);
    }, 180_000);
  }
});
