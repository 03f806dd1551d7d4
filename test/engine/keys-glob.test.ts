/**
 * Redis' glob rules (glob.ts, a port of util.c stringmatchlen), checked through KEYS. Each row is
 * a pattern and the keys a real Redis 7.0.15 listed for it, sorted, from this key set (taken with
 * KEYS over ioredis, the keys written as bytes). Quirks pinned here: `*` alone also lists the
 * empty key (KEYS' all-keys shortcut) though `**` does not; an unclosed `[` class runs to the end
 * of the pattern; backwards ranges (`[c-a]`); a backslash escapes anything, also inside a class;
 * ranges over bytes ≥ 0x80 compare signed chars (`[a-\xff]` holds 0x00-0x61 and 0xff).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/resp/reply.js';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import { globMatch } from '../../src/engine/glob.js';

const KEYS = [
  'hello', 'hallo', 'hxllo', 'hllo', 'heeeello', 'h*llo', 'h?llo', 'h[a]llo', 'a', 'b', 'ab', 'abc',
  'aXc', 'a-c', 'a]c', 'a^c', 'a\\c', '', '-', ']', '[', '^', '*', '?', '\\', 'foo bar', 'Foo', 'FOO',
  'x\x00y', '\x80', '\xff', 'caf\xe9', 'a\xffb', 'ZZZ', 'zzz', '0', '9', 'a0', 'a9', '[abc', 'a[b', '_', '`',
];

const REDIS_KEYS: readonly (readonly [string, readonly string[]])[] = [
  ['*', ['', '*', '-', '0', '9', '?', 'FOO', 'Foo', 'ZZZ', '[', '[abc', '\\', ']', '^', '_', '`', 'a', 'a-c', 'a0', 'a9', 'aXc', 'a[b', 'a\\c', 'a]c', 'a^c', 'ab', 'abc', 'a\xffb', 'b', 'caf\xe9', 'foo bar', 'h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'x\x00y', 'zzz', '\x80', '\xff']],
  ['?', ['*', '-', '0', '9', '?', '[', '\\', ']', '^', '_', '`', 'a', 'b', '\x80', '\xff']],
  ['??', ['a0', 'a9', 'ab']],
  ['???', ['FOO', 'Foo', 'ZZZ', 'a-c', 'aXc', 'a[b', 'a\\c', 'a]c', 'a^c', 'abc', 'a\xffb', 'x\x00y', 'zzz']],
  ['h?llo', ['h*llo', 'h?llo', 'hallo', 'hello', 'hxllo']],
  ['h*llo', ['h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['h[ae]llo', ['hallo', 'hello']],
  ['h[^e]llo', ['h*llo', 'h?llo', 'hallo', 'hxllo']],
  ['h[a-b]llo', ['hallo']],
  ['h[b-a]llo', ['hallo']],
  ['h\\*llo', ['h*llo']],
  ['h\\?llo', ['h?llo']],
  ['h[\\]]llo', []],
  ['[', []],
  ['[a', ['a']],
  ['a[', []],
  ['[a-', ['-', 'a']],
  ['[a-c', ['a', 'b']],
  ['[a-c]', ['a', 'b']],
  ['[c-a]', ['a', 'b']],
  ['[^a-c]', ['*', '-', '0', '9', '?', '[', '\\', ']', '^', '_', '`', '\x80', '\xff']],
  ['[]]', []],
  ['[-]', ['-']],
  ['[a-]', [']', '^', '_', '`', 'a']],
  ['[]a]', []],
  ['[\\]]', [']']],
  ['[\\-]', ['-']],
  ['[!a]', ['a']],
  ['*[', []],
  ['**', ['*', '-', '0', '9', '?', 'FOO', 'Foo', 'ZZZ', '[', '[abc', '\\', ']', '^', '_', '`', 'a', 'a-c', 'a0', 'a9', 'aXc', 'a[b', 'a\\c', 'a]c', 'a^c', 'ab', 'abc', 'a\xffb', 'b', 'caf\xe9', 'foo bar', 'h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'x\x00y', 'zzz', '\x80', '\xff']],
  ['***a', ['a']],
  ['*?*', ['*', '-', '0', '9', '?', 'FOO', 'Foo', 'ZZZ', '[', '[abc', '\\', ']', '^', '_', '`', 'a', 'a-c', 'a0', 'a9', 'aXc', 'a[b', 'a\\c', 'a]c', 'a^c', 'ab', 'abc', 'a\xffb', 'b', 'caf\xe9', 'foo bar', 'h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'x\x00y', 'zzz', '\x80', '\xff']],
  ['?*?', ['FOO', 'Foo', 'ZZZ', '[abc', 'a-c', 'a0', 'a9', 'aXc', 'a[b', 'a\\c', 'a]c', 'a^c', 'ab', 'abc', 'a\xffb', 'caf\xe9', 'foo bar', 'h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'x\x00y', 'zzz']],
  ['[^a-z]*', ['*', '-', '0', '9', '?', 'FOO', 'Foo', 'ZZZ', '[', '[abc', '\\', ']', '^', '_', '`', '\x80', '\xff']],
  ['f[o-o]o', []],
  ['F*', ['FOO', 'Foo']],
  ['f*', ['foo bar']],
  ['*o', ['Foo', 'h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['\\', ['\\']],
  ['\\\\', ['\\']],
  ['a\\', []],
  ['[\\', ['\\']],
  ['a[b-', ['ab']],
  ['*c', ['[abc', 'a-c', 'aXc', 'a\\c', 'a]c', 'a^c', 'abc']],
  ['a*c', ['a-c', 'aXc', 'a\\c', 'a]c', 'a^c', 'abc']],
  ['a?c', ['a-c', 'aXc', 'a\\c', 'a]c', 'a^c', 'abc']],
  ['a[]c', []],
  ['a[^]c', ['a-c', 'aXc', 'a\\c', 'a]c', 'a^c', 'abc']],
  ['[^]', ['*', '-', '0', '9', '?', '[', '\\', ']', '^', '_', '`', 'a', 'b', '\x80', '\xff']],
  ['[^', ['*', '-', '0', '9', '?', '[', '\\', ']', '^', '_', '`', 'a', 'b', '\x80', '\xff']],
  ['x?y', ['x\x00y']],
  ['x*y', ['x\x00y']],
  ['[\x80-\xff]', ['\x80', '\xff']],
  ['[a-\xff]', ['*', '-', '0', '9', '?', '[', '\\', ']', '^', '_', '`', 'a', '\xff']],
  ['[\x00-a]', ['*', '-', '0', '9', '?', '[', '\\', ']', '^', '_', '`', 'a']],
  ['*\xe9', ['caf\xe9']],
  ['caf?', ['caf\xe9']],
  ['a[\xff]b', ['a\xffb']],
  ['[Z-a]', ['[', '\\', ']', '^', '_', '`', 'a']],
  ['[9-0]', ['0', '9']],
  ['[0-9]*', ['0', '9']],
  ['a[0-9]', ['a0', 'a9']],
  ['*[', []],
  ['[[]*', ['[', '[abc']],
  ['[[]abc', ['[abc']],
  ['a[[]b', ['a[b']],
  ['*\\', ['\\']],
  ['a\\\\c', ['a\\c']],
  ['[a-c-e]', ['-', 'a', 'b']],
  ['[ac-]', [']', '^', '_', '`', 'a', 'b']],
  ['h*l*o', ['h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['*l*l*', ['h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']],
  ['*\x00*', ['x\x00y']],
  ['x[\x00]y', ['x\x00y']],
  ['[^\x00-\x7f]', ['\x80', '\xff']],
  ['[A-Z]*', ['FOO', 'Foo', 'ZZZ']],
  ['[a-z]*', ['a', 'a-c', 'a0', 'a9', 'aXc', 'a[b', 'a\\c', 'a]c', 'a^c', 'ab', 'abc', 'a\xffb', 'b', 'caf\xe9', 'foo bar', 'h*llo', 'h?llo', 'h[a]llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo', 'x\x00y', 'zzz']],
  ['[^]]', []],
];

function names(reply: Reply): string[] {
  if (reply.kind !== 'array') throw new Error(`not an array: ${JSON.stringify(reply)}`);
  return reply.items.map((item) => (item.kind === 'bulk' ? item.value : '?')).sort();
}

describe('KEYS pattern matching, as a real Redis answers', () => {
  let engine: Engine;
  let c: Client;
  beforeEach(async () => {
    engine = new Engine({ activeExpiry: false });
    c = engine.connect();
    for (const key of KEYS) await c.execute(['SET', key, 'v']);
  });
  afterEach(() => engine.close());

  for (const [pattern, expected] of REDIS_KEYS) {
    it(`KEYS ${JSON.stringify(pattern)}`, async () => {
      expect(names(await c.execute(['KEYS', pattern]))).toEqual([...expected].sort());
    });
  }
});

describe('globMatch', () => {
  it('stops early on patterns that would backtrack exponentially', () => {
    const start = performance.now();
    expect(globMatch('a*'.repeat(30) + 'b', 'a'.repeat(60))).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('ignores case of letters only when asked (CONFIG GET uses nocase)', () => {
    expect(globMatch('HE*O', 'hello')).toBe(false);
    expect(globMatch('HE*O', 'hello', true)).toBe(true);
    expect(globMatch('[A-C]x', 'bx', true)).toBe(true);
    expect(globMatch('caf\xc9', 'caf\xe9', true)).toBe(false);
  });
});
