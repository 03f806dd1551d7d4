/**
 * Line splitting (sdssplitargs) and the repeat count of redis-cli's repl: unit cases, then a few
 * hundred tricky lines run through `redis-cli --no-raw` on a real server and through
 * `redislings cli --no-raw`, compared line by line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repeatCount } from '../../src/cli/repl.js';
import { splitArgs } from '../../src/cli/split-args.js';
import { compareScript, formatDifferences, type Step } from '../differential/harness.js';
import { prng } from '../helpers/prng.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

describe('splitArgs', () => {
  it('splits on blanks and reads quotes and escapes', () => {
    expect(splitArgs('  SET  k\tv  ')).toEqual(['SET', 'k', 'v']);
    expect(splitArgs('"a b" \'c d\'')).toEqual(['a b', 'c d']);
    expect(splitArgs('"\\x41\\x4a\\n\\r\\t\\b\\a\\z\\""')).toEqual(['AJ\n\r\t\b\x07z"']);
    expect(splitArgs("'it\\'s' '\\n'")).toEqual(["it's", '\\n']);
    expect(splitArgs('ab"cd" ef')).toEqual(['abcd', 'ef']);
  });

  it('rejects unbalanced quotes and a closing quote followed by a letter', () => {
    expect(splitArgs('"abc')).toBeUndefined();
    expect(splitArgs("'abc")).toBeUndefined();
    expect(splitArgs('"a"b')).toBeUndefined();
    expect(splitArgs("'a'b")).toBeUndefined();
    expect(splitArgs('"a\\"')).toBeUndefined();
  });

  it('ends the line at a NUL byte, as a C string', () => {
    expect(splitArgs('ECHO a\0b')).toEqual(['ECHO', 'a']);
  });

  it('treats \\v and \\f as blanks between words but not inside one', () => {
    expect(splitArgs('\va\fb')).toEqual(['a\fb']);
    expect(splitArgs('"a"\vb')).toEqual(['a', 'b']);
  });

  it('returns no words for a blank line', () => {
    expect(splitArgs(' \t ')).toEqual([]);
  });
});

describe('repeatCount (strtol on the first word)', () => {
  it('reads whole numbers only', () => {
    expect(repeatCount('3')).toBe(3);
    expect(repeatCount('+2')).toBe(2);
    expect(repeatCount(' 2')).toBe(2);
    expect(repeatCount('-1')).toBe(-1);
    expect(repeatCount('')).toBe(0);
    expect(repeatCount('2 ')).toBeUndefined();
    expect(repeatCount('0x10')).toBeUndefined();
    expect(repeatCount('+')).toBeUndefined();
    expect(repeatCount('99999999999999999999')).toBeNaN();
  });
});

/** Lines chosen by hand for the corners of sdssplitargs and of the repeat count. */
const HANDPICKED = [
  'ECHO plain', 'ECHO "double quoted"', "ECHO 'single quoted'", 'ECHO "unbalanced', "ECHO 'unbalanced",
  'ECHO "closing"x', "ECHO 'closing'x", 'ECHO "a"\t', 'ECHO "a"\r', 'ECHO "\\x41\\x42"', 'ECHO "\\x4"',
  'ECHO "\\x4g"', 'ECHO "\\xZZ"', 'ECHO "\\xff\\x00\\x7f"', 'ECHO "\\n\\r\\t\\b\\a"', 'ECHO "\\q\\\\"',
  'ECHO "\\""', "ECHO '\\''", "ECHO '\\n'", "ECHO '\\\\'", 'ECHO "\\', 'ECHO "a\\"', 'ECHO ""', "ECHO ''",
  'ECHO a"b"', 'ECHO a\'b\'', 'ECHO a"b c"', 'ECHO "a b"c', '"ECHO" x', "'ECHO' x", 'ECHO\tx', 'ECHO \tx\t',
  'ECHO x\r', 'ECHO\rx', 'ECHO \vx', 'ECHO x\v', 'ECHO x\fy', 'ECHO \fx', 'ECHO "x"\vy', 'ECHO "x"\fy',
  '3 ECHO x', '0 ECHO', '-1 ECHO', '"" ECHO', "'' ECHO x", '+2 ECHO y', '" 2" ECHO z', "'2' ECHO z",
  '2x ECHO', '2 ECHO', '1 ECHO a b', '99999999999999999999 ECHO x', '-99999999999999999999 ECHO x',
  '0x2 ECHO x', '02 ECHO x', '2', '3 ', ' 2 ECHO x', '"2 " ECHO x', '- ECHO x', '+ ECHO x',
  'ECHO \xe9t\xe9', 'ECHO "\xe9"', 'ECHO \x01\x02', 'ECHO "\x7f"', 'ECHO caf\xc3\xa9', 'ECHO """"',
  'ECHO "" ""', "ECHO '' x", 'ECHO "a"  ', '  ECHO   spaced   ', 'PING', 'PING "hello world"',
  'ping \'x\'', 'SET "k k" "v\\x00v"', 'GET "k k"', 'GET k\\x20', 'ECHO \\x41', "ECHO '\\x41'",
  'ECHO "\'"', "ECHO '\"'", 'ECHO "a\'b"', "ECHO 'a\"b'", 'ECHO """', "ECHO '''", 'ECHO \\"x',
];

/** Random lines of the characters that matter to sdssplitargs. */
function generated(count: number): string[] {
  const random = prng(7001);
  const pieces = [
    'a', 'b', 'xy', ' ', ' ', '\t', '"', '"', "'", "'", '\\', '\\x', '\\x4', '\\x41', '\\xzz', '\\n', "\\'",
    '\\"', '\r', '\v', '\f', '\xe9', '\x01', '\x7f', '\xff', '1', '2', '-', '+', '""', "''", '"a b"',
  ];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    let line = '';
    const n = 1 + Math.floor(random() * 8);
    for (let j = 0; j < n; j++) line += pieces[Math.floor(random() * pieces.length)];
    lines.push(line);
  }
  return lines;
}

/** A generated line run as it is must not start with a large repeat count (it would run for ages). */
function harmless(line: string): boolean {
  const argv = splitArgs(line);
  const count = argv && argv.length > 1 ? repeatCount(argv[0] as string) : undefined;
  return count === undefined || Number.isNaN(count) || count <= 5;
}

const available = realRedisAvailable('split-args differential');

describe.runIf(available)('line splitting against redis-cli', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('gives the same output for hundreds of tricky lines', () => {
    const lines = [...HANDPICKED, ...generated(300).flatMap((l) => [`ECHO ${l}`, `ECHO x${l}`, `NOSUCHCOMMAND ${l}`, ...(harmless(l) ? [l] : [])])];
    const steps: Step[] = lines.map((command, i) => ({ line: i + 1, command, sort: false }));
    expect(steps.length).toBeGreaterThan(1000);
    const diffs = compareScript(server.port, steps);
    expect(diffs, formatDifferences('split-args', diffs)).toEqual([]);
  }, 120_000);
});
