import { describe, expect, it } from 'vitest';
import { array, bulk, error, integer, map, NIL, NIL_ARRAY, OK, set, simple, type Reply } from '../../src/resp/reply.js';
import { describe as describeMatcher, matches, parseMatcher, type MatcherProblem } from '../../src/lessons/matcher.js';

function m(raw: unknown) {
  const problems: MatcherProblem[] = [];
  const matcher = parseMatcher(raw, problems);
  expect(problems).toEqual([]);
  return matcher!;
}
const ok = (raw: unknown, reply: Reply) => matches(m(raw), reply);

describe('matchers', () => {
  it('tell text, integers and nil apart', () => {
    expect(ok('chaitanya', bulk('chaitanya'))).toBe(true);
    expect(ok('chaitanya', bulk('Chaitanya'))).toBe(false);
    expect(ok('OK', OK)).toBe(true);
    expect(ok({ simple: 'OK' }, bulk('OK'))).toBe(false);
    expect(ok({ bulk: 'OK' }, OK)).toBe(false);
    expect(ok(5, integer(5))).toBe(true);
    expect(ok(5, bulk('5'))).toBe(false);
    expect(ok('5', integer(5))).toBe(false);
    expect(ok(null, NIL)).toBe(true);
    expect(ok(null, NIL_ARRAY)).toBe(true);
    expect(ok(null, bulk(''))).toBe(false);
    expect(ok({ error: 'WRONGTYPE' }, error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(true);
    expect(ok({ any: true }, error('ERR x'))).toBe(false);
  });

  it('compares numbers in ranges, whatever their reply type', () => {
    expect(ok({ between: [1, 10] }, integer(10))).toBe(true);
    expect(ok({ between: [1, 10] }, integer(-1))).toBe(false);
    expect(ok({ atLeast: 2 }, bulk('2.5'))).toBe(true);
    expect(ok({ atMost: 3 }, { kind: 'double', value: 3.5 })).toBe(false);
    expect(ok({ atLeast: 0 }, bulk('abc'))).toBe(false);
  });

  it('compares arrays in order, in any order, or by inclusion', () => {
    const r = array([bulk('b'), bulk('a')]);
    expect(ok(['b', 'a'], r)).toBe(true);
    expect(ok(['a', 'b'], r)).toBe(false);
    expect(ok({ unordered: ['a', 'b'] }, r)).toBe(true);
    expect(ok({ unordered: ['a', 'b'] }, set([bulk('a'), bulk('b')]))).toBe(true);
    expect(ok({ unordered: ['a', 'a'] }, r)).toBe(false);
    expect(ok({ includes: ['a'] }, r)).toBe(true);
    expect(ok({ length: 2 }, r)).toBe(true);
    expect(ok({ length: { atLeast: 3 } }, r)).toBe(false);
    expect(ok([], array([]))).toBe(true);
  });

  it('reads HGETALL as fields, from a flat RESP2 array or a RESP3 map', () => {
    const flat = array([bulk('name'), bulk('Ada'), bulk('email'), bulk('ada@example.com')]);
    const resp3 = map([[bulk('email'), bulk('ada@example.com')], [bulk('name'), bulk('Ada')]]);
    const want = { fields: { name: 'Ada', email: 'ada@example.com' } };
    expect(ok(want, flat)).toBe(true);
    expect(ok(want, resp3)).toBe(true);
    expect(ok({ fields: { name: 'Ada' } }, flat)).toBe(false);
    expect(ok({ hasFields: { name: 'Ada' } }, flat)).toBe(true);
    expect(ok(want, array([bulk('name'), bulk('Ada')]))).toBe(false);
  });

  it('compares JSON by value, not spelling', () => {
    expect(ok({ json: { id: 1, tags: ['a'] } }, bulk('{ "tags": ["a"], "id": 1 }'))).toBe(true);
    expect(ok({ json: { id: 1 } }, bulk('{"id":2}'))).toBe(false);
    expect(ok({ json: { id: 1 } }, bulk('not json'))).toBe(false);
    expect(ok([{ bulk: 'jobs' }, { json: { id: 7 } }], array([bulk('jobs'), bulk('{"id":7}')]))).toBe(true);
  });

  it('matches regular expressions, negations and alternatives', () => {
    expect(ok({ matches: '^\\d+-\\d+$' }, bulk('1700000000000-0'))).toBe(true);
    expect(ok({ matches: '^\\d+-\\d+$' }, bulk('x'))).toBe(false);
    expect(ok({ not: null }, bulk('x'))).toBe(true);
    expect(ok({ anyOf: [1, 2] }, integer(2))).toBe(true);
    expect(ok({ anyOf: [1, 2] }, integer(3))).toBe(false);
  });

  it('reports written mistakes with their path', () => {
    const problems: MatcherProblem[] = [];
    expect(parseMatcher({ fields: { name: { betwen: [1, 2] } } }, problems)).toBeUndefined();
    expect(problems[0]?.path).toEqual(['fields', 'name']);
    const more: MatcherProblem[] = [];
    parseMatcher({ between: [3, 1] }, more);
    parseMatcher(1.5, more);
    parseMatcher({ matches: '(' }, more);
    expect(more.map((p) => p.message)).toEqual([
      'expected [low, high], two numbers with low <= high',
      'expected a whole number (an integer reply); for a number as text write it in quotes, or use between',
      expect.stringContaining('expected a valid regular expression'),
    ]);
  });

  it('describes itself for feedback', () => {
    expect(describeMatcher(m('chaitanya'))).toBe('"chaitanya"');
    expect(describeMatcher(m({ between: [1, 10] }))).toBe('a number from 1 to 10');
    expect(describeMatcher(m(-2))).toBe('(integer) -2');
    expect(describeMatcher(m({ simple: 'hash' }))).toBe('hash');
    expect(describeMatcher(m(['b', 'a']))).toBe('["b", "a"] in this order');
  });

  it('keeps non-ASCII text as the engine does (one char per byte)', () => {
    expect(ok('café', bulk(Buffer.from('café').toString('latin1')))).toBe(true);
    expect(ok({ matches: '^caf.$' }, bulk(Buffer.from('café').toString('latin1')))).toBe(true);
    expect(ok('x', simple('x'))).toBe(true);
  });
});
