/**
 * JSON replies as `redislings cli --no-raw` prints them: JSON.RESP exactly as RedisJSON's
 * docs/commands/json.resp.md shows it, and module errors without an error code.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../differential/harness.js';

function cli(script: string): string {
  const r = spawnSync(process.execPath, [CLI, 'cli', '--no-raw'], { input: script });
  return r.stdout.toString('utf8');
}

describe('redislings cli with JSON', () => {
  it('renders JSON replies as redis-cli does', () => {
    const out = cli([
      `JSON.SET item:2 $ '{"name":"Wireless earbuds","description":"Wireless Bluetooth in-ear headphones","connection":{"wireless":true,"type":"Bluetooth"},"price":64.99,"stock":17,"colors":["black","white"], "max_level":[80, 100, 120]}'`,
      'JSON.RESP item:2',
      'JSON.GET item:2 $..colors',
      'JSON.ARRAPPEND item:2 $.colors \'"blue"\'',
      'JSON.GET item:2 .nope',
      'JSON.SET item:2 $ x',
      'JSON.OBJKEYS item:2 $..connection',
    ].join('\n') + '\n');
    expect(out).toBe([
      'OK',
      // json.resp.md, word for word (the price is RM_ReplyWithDouble's %.17g).
      ' 1) {',
      ' 2) "name"',
      ' 3) "Wireless earbuds"',
      ' 4) "description"',
      ' 5) "Wireless Bluetooth in-ear headphones"',
      ' 6) "connection"',
      ' 7) 1) {',
      '    2) "wireless"',
      '    3) true',
      '    4) "type"',
      '    5) "Bluetooth"',
      ' 8) "price"',
      ' 9) "64.989999999999995"',
      '10) "stock"',
      '11) (integer) 17',
      '12) "colors"',
      '13) 1) [',
      '    2) "black"',
      '    3) "white"',
      '14) "max_level"',
      '15) 1) [',
      '    2) (integer) 80',
      '    3) (integer) 100',
      '    4) (integer) 120',
      '"[[\\"black\\",\\"white\\"]]"',
      '1) (integer) 3',
      "(error) ERR Path '$.nope' does not exist",
      '(error) expected value at line 1 column 1',
      '1) 1) "wireless"',
      '   2) "type"',
      '',
    ].join('\n'));
  });
});
