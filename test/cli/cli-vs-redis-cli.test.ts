/**
 * `redislings cli` against `redis-cli` on a real server, as processes: the raw output of a piped
 * script (stdout not a terminal), one-shot commands given on the command line, and `help` for
 * every command and group of our table. Redis knows more commands than our table; in `help`
 * output its entries for those are left out before comparing.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelpTable } from '../../src/cli/help.js';
import { COMMAND_TABLE } from '../../src/engine/command-table.js';
import { CLI } from '../differential/harness.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function redisCli(port: number, args: readonly string[], input = ''): Result {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { input: Buffer.from(input, 'latin1'), maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1') };
}

function ours(args: readonly string[], input = ''): Result {
  const r = spawnSync(process.execPath, [CLI, 'cli', ...args], { input: Buffer.from(input, 'latin1'), maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1') };
}

/** A script of the commands this branch's engine has, in every shape of reply it gives. */
const SCRIPT = [
  'PING', 'PING "hello world"', 'ECHO ""', 'ECHO "\\x00\\xff\\r\\n"', 'SET k v', 'GET k', 'GET nokey', 'SET k2 "a b"',
  'EXISTS k k2 nokey', 'TYPE k', 'TYPE nokey', 'DEL k nokey', 'GET', 'NOSUCH a b', 'SELECT 3', 'SET k3 v3', 'GET k3',
  'SELECT 0', 'GET k3', 'MULTI', ...Array.from({ length: 12 }, (_, i) => `ECHO e${i}`), 'GET k2', 'EXEC', 'MULTI',
  'GET', 'EXEC', 'DISCARD', 'WATCH k2', 'UNWATCH', '3 ECHO x', '0 ECHO x', '"unbalanced', 'ECHO "a"b', '',
  '   ', ':set hints', ':set what', ':what', 'restart', 'help get', 'help', 'help @nosuchgroup', 'SET "" ""',
  'GET ""', 'ECHO caf\xc3\xa9', '2 SET k v',
].join('\n') + '\n';

/** Drops the entries of a `help` output whose command is not in our table. */
function onlyOurCommands(output: string, known: ReadonlySet<string>): string {
  return output.replace(/\r\n {2}\x1b\[1m([^\x1b]*)\x1b\[0m[^]*?(?=\r\n {2}\x1b\[1m|\r\n$)/g, (entry, name: string) =>
    known.has(name.toLowerCase().replace(' ', '|')) ? entry : '');
}

const available = realRedisAvailable('redislings cli against redis-cli');

describe.runIf(available)('redislings cli against redis-cli', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const fresh = () => redisCli(server.port, ['FLUSHALL']);

  it('prints raw output when stdout is not a terminal, as redis-cli does', () => {
    for (const flags of [[], ['--raw'], ['-n', '2'], ['-d', ',', '-D', '|']]) {
      fresh();
      const expected = redisCli(server.port, flags, SCRIPT);
      const actual = ours(flags, SCRIPT);
      expect(actual.stdout, `flags ${flags.join(' ')}`).toBe(expected.stdout);
      expect(actual.status).toBe(expected.status);
    }
  });

  it('runs a one-shot command from the command line as redis-cli does', () => {
    const cases: string[][] = [
      ['PING'], ['--no-raw', 'PING'], ['ECHO', 'hello world'], ['--no-raw', 'ECHO', 'caf\xc3\xa9'], ['GET', 'nokey'],
      ['--no-raw', 'GET', 'nokey'], ['SET', 'k', 'v'], ['DEL', 'a', 'b'], ['--no-raw', 'EXISTS', 'a'], ['NOSUCH', '-x', '--raw'],
      ['--no-raw', 'ECHO'], ['-r', '3', 'ECHO', 'x'], ['-r', '0', 'PING'], ['--no-raw', '-r', '2', 'TYPE', 'k'],
      ['-n', '99', 'PING'], ['-n', 'abc', 'PING'], ['-n', '3', 'SELECT', '4'], ['-D', '|', 'PING'], ['-e', 'NOSUCH'],
      ['-e', 'PING'], ['--no-raw', '-e', 'GET'], ['-z'], ['-n'], ['-2', '-3', 'PING'], ['help'], ['help', 'get'],
      ['HELP', 'SET'], ['?', 'del'], ['help', 'nosuch'], ['--show-pushes', 'no', 'PING'], ['-i', '0.01', '-r', '2', 'PING'],
    ];
    for (const args of cases) {
      fresh();
      const expected = redisCli(server.port, args);
      const actual = ours(args);
      expect(actual.stdout, args.join(' ')).toBe(expected.stdout);
      expect(actual.stderr, args.join(' ')).toBe(expected.stderr);
      expect(actual.status, args.join(' ')).toBe(expected.status);
    }
    expect(ours(['-x', 'ECHO'], 'from\nstdin').stdout).toBe(redisCli(server.port, ['-x', 'ECHO'], 'from\nstdin').stdout);
  });

  it('prints help for every command and group of the table as redis-cli does', () => {
    const known = new Set(COMMAND_TABLE.map((c) => c.name));
    const topics = [
      ...COMMAND_TABLE.map((c) => c.name.replace('|', ' ')),
      ...HelpTable.bundled().entries.filter((e) => e.type === 'group').map((e) => e.full),
      'config', 'CLIENT', 'nosuch', 'get nosuch', '@nosuch', 'Set',
    ];
    const input = topics.map((t, i) => `help ${t}\nECHO @@help-${i}@@`).join('\n') + '\n';
    const expected = redisCli(server.port, [], input).stdout.split(/@@help-\d+@@\n/);
    const actual = ours([], input).stdout.split(/@@help-\d+@@\n/);
    expect(actual).toHaveLength(topics.length + 1);
    topics.forEach((topic, i) => {
      expect(actual[i], `help ${topic}`).toBe(onlyOurCommands(expected[i] as string, known));
    });
    // The filter must not hide everything: most topics are answered in full.
    const untouched = topics.filter((_, i) => expected[i] === actual[i]).length;
    expect(untouched).toBeGreaterThan(COMMAND_TABLE.length - 10);
  });
});
