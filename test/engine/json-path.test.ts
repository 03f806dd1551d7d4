/**
 * JSONPath as RedisJSON 2 evaluates it (json_path/src/json_path.rs and grammar.pest of RedisJSON
 * 2.6): each row is a path, the document it runs on, and the values selected, in RedisJSON's
 * order (`..` applies the rest to the node itself first, then to each descendant depth first).
 */
import { describe, expect, it } from 'vitest';
import { compileJsonPath, evaluate, isStaticPath } from '../../src/engine/types/jsonpath.js';
import { parseJson, serialize } from '../../src/engine/types/json.js';

const STORE = '{"store":{"book":[{"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},{"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},{"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},{"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}],"bicycle":{"color":"red","price":19.95}},"limit":10}';
const ARR = '[0,1,2,3,4,5,6,7,8,9]';
const NESTED = '{"a":1,"b":{"a":2,"c":{"a":3}},"d":[{"a":4},{"e":5}]}';

/** [path, document, selected values as compact JSON] */
const TABLE: [string, string, string][] = [
  ['$', '{"a":1}', '[{"a":1}]'],
  ['$.a', '{"a":1}', '[1]'],
  ['$.zz', '{"a":1}', '[]'],
  ["$['a']", '{"a":1}', '[1]'],
  ['$["a"]', '{"a":1}', '[1]'],
  ["$['a b','c']", '{"a b":1,"c":2,"d":3}', '[1,2]'],
  ["$['it\\'s']", '{"it\'s":7}', '[7]'],
  ['$.a.b', '{"a":{"b":[1]}}', '[[1]]'],
  ['$.*', '{"a":1,"b":[2]}', '[1,[2]]'],
  ['$[*]', '[0,1,2,3,4]', '[0,1,2,3,4]'],
  ['$[0]', ARR, '[0]'],
  ['$[-1]', ARR, '[9]'],
  ['$[1,3,-2]', ARR, '[1,3,8]'],
  ['$[10]', ARR, '[]'],
  // calc_abs_index clamps a negative index at 0: [-20] on ten elements is the first.
  ['$[-20]', ARR, '[0]'],
  ['$[2:5]', ARR, '[2,3,4]'],
  ['$[:3]', ARR, '[0,1,2]'],
  ['$[7:]', ARR, '[7,8,9]'],
  ['$[-3:]', ARR, '[7,8,9]'],
  ['$[:-8]', ARR, '[0,1]'],
  ['$[::3]', ARR, '[0,3,6,9]'],
  ['$[1:8:2]', ARR, '[1,3,5,7]'],
  ['$[5:2]', ARR, '[]'],
  ['$[ 1 , 2 ]', ARR, '[1,2]'],
  ['$..a', NESTED, '[1,2,3,4]'],
  ['$..*', '{"a":{"b":1},"c":[2]}', '[{"b":1},[2],1,2]'],
  ['$..[0]', '{"a":[1,[2,3]],"b":[4]}', '[1,2,4]'],
  ['$.d[*].a', NESTED, '[4]'],
  ['$.store.book[*].author', STORE, '["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]'],
  ['$..author', STORE, '["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]'],
  ['$.store.*', STORE, `[${serialize((parseJson(STORE) as Map<string, Map<string, unknown>>).get('store')?.get('book') as never)},{"color":"red","price":19.95}]`],
  ['$.store..price', STORE, '[8.95,12.99,8.99,22.99,19.95]'],
  ['$..book[2].title', STORE, '["Moby Dick"]'],
  ['$..book[-1:].title', STORE, '["The Lord of the Rings"]'],
  ['$..book[0,1].title', STORE, '["Sayings of the Century","Sword of Honour"]'],
  ['$..book[?(@.isbn)].title', STORE, '["Moby Dick","The Lord of the Rings"]'],
  ['$..book[?(@.price<10)].title', STORE, '["Sayings of the Century","Moby Dick"]'],
  ['$..book[?(@.price <= 8.99)].price', STORE, '[8.95,8.99]'],
  ['$..book[?(@.price > $.limit)].price', STORE, '[12.99,22.99]'],
  ['$..book[?(@.category == "fiction" && @.price < 20)].title', STORE, '["Sword of Honour","Moby Dick"]'],
  ['$..book[?(@.price < 9 || @.author == "J. R. R. Tolkien")].price', STORE, '[8.95,8.99,22.99]'],
  ['$..book[?((@.price < 9 || @.price > 20) && @.isbn)].price', STORE, '[8.99,22.99]'],
  ['$..book[?(@.category != "fiction")].author', STORE, '["Nigel Rees"]'],
  ["$..book[?(@.author =~ 'M.*')].title", STORE, '["Moby Dick"]'],
  ['$..book[?(@.author =~ "^(?!J)")].price', STORE, '[8.95,12.99,8.99]'],
  ['$[?(@ > 7)]', ARR, '[8,9]'],
  ['$[?(@ == 3)]', ARR, '[3]'],
  ['$[?(@ == 3.0)]', ARR, '[3]'],
  ['$[?(@.a == true)].b', '[{"a":true,"b":1},{"a":false,"b":2},{"a":"true","b":3}]', '[1]'],
  ['$[?(@.a == null)].b', '[{"a":null,"b":1},{"b":2}]', '[1]'],
  ['$[?(@.a > false)].b', '[{"a":true,"b":1},{"a":false,"b":2}]', '[1]'],
  ['$[?(@.a == @.b)].a', '[{"a":1,"b":1},{"a":1,"b":2},{"a":[1],"b":[1]}]', '[1,[1]]'],
  ['$[?(@.s =~ @.re)].s', '[{"s":"abc","re":"b"},{"s":"abc","re":"^b"}]', '["abc"]'],
  ['$[?(@.a < "b")].a', '[{"a":"a"},{"a":"c"},{"a":1}]', '["a"]'],
  // A filter on an object tests its members; on a scalar it selects nothing.
  ['$.o[?(@ > 1)]', '{"o":{"x":1,"y":2,"z":3},"n":5}', '[2,3]'],
  ['$.n[?(@ > 1)]', '{"o":{"x":1,"y":2,"z":3},"n":5}', '[]'],
  // A comparison with several nodes succeeds if any of them does (RFC 9535 NodeList).
  ['$[?(@.*>2)]', '[[1,2],[3],{"a":5}]', '[[3],{"a":5}]'],
  ['$[?(@.x)]', '[{"x":null},{"y":1}]', '[{"x":null}]'],
];

describe('JSONPath', () => {
  it.each(TABLE)('%s on %s selects %s', (path, doc, expected) => {
    const found = evaluate(compileJsonPath(path), parseJson(doc)).map((m) => m.value);
    expect(serialize(found)).toBe(expected);
  });

  it('reports the concrete path of each match', () => {
    const found = evaluate(compileJsonPath('$..a'), parseJson(NESTED)).map((m) => m.path);
    expect(found).toEqual([['a'], ['b', 'a'], ['b', 'c', 'a'], ['d', 0, 'a']]);
  });

  it('tells static paths (names and single indices) from the rest (Query::is_static)', () => {
    expect(isStaticPath(compileJsonPath("$.a['b'][0]"))).toBe(true);
    expect(isStaticPath(compileJsonPath('$.a[0,1]'))).toBe(false);
    expect(isStaticPath(compileJsonPath('$..a'))).toBe(false);
    expect(isStaticPath(compileJsonPath('$.*'))).toBe(false);
  });

  it.each(['$.', '$[', '$.a[', '$..', "$['a", '$[?(@.a <)]', '$.a b', '$[1:2:0]', '$[01]', '$a.[', '$.é'])('refuses %s', (path) => {
    expect(() => compileJsonPath(path)).toThrow(/^Error occurred on position \d+, /);
  });
});
