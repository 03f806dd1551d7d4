/**
 * RedisJSON 2 documents. No RedisJSON module runs here, so each expectation is taken from
 * RedisJSON 2.6's docs/commands/*.md (the example cited above it) or, where the docs show none,
 * from its sources (redis_json/src/commands.rs, key_value.rs, ivalue_manager.rs; the function is
 * named in the comment).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { Client } from '../../src/engine/client.js';
import { formatFloat, serializeFormatted, parseJson } from '../../src/engine/types/json.js';
import type { Reply } from '../../src/resp/reply.js';

type Plain = string | number | null | { error: string } | Plain[];

/** A reply as plain data: bulk and simple strings as strings, integers and doubles as numbers. */
function plain(r: Reply): Plain {
  switch (r.kind) {
    case 'bulk': case 'simple': return Buffer.from(r.value, 'latin1').toString('utf8');
    case 'integer': return Number(r.value);
    case 'double': return r.value;
    case 'null': return null;
    case 'error': return { error: r.message };
    case 'array': case 'set': case 'push': return r.items.map(plain);
    default: throw new Error(`unexpected reply ${r.kind}`);
  }
}

let engine: Engine;
let c: Client;
beforeEach(() => {
  engine = new Engine({ activeExpiry: false });
  c = engine.connect();
});
afterEach(() => engine.close());

async function run(...argv: string[]): Promise<Plain> {
  return plain(await c.execute(argv));
}
const err = (error: string) => ({ error });

const ITEM1 = '{"name":"Noise-cancelling Bluetooth headphones","description":"Wireless Bluetooth headphones with noise-cancelling technology","connection":{"wireless":true,"type":"Bluetooth"},"price":99.98,"stock":25,"colors":["black","silver"]}';
const ITEM2 = '{"name":"Wireless earbuds","description":"Wireless Bluetooth in-ear headphones","connection":{"wireless":true,"type":"Bluetooth"},"price":64.99,"stock":17,"colors":["black","white"], "max_level":[80, 100, 120]}';

describe('JSON.SET and JSON.GET', () => {
  it('replaces, adds and sets every match (json.set.md examples)', async () => {
    expect(await run('JSON.SET', 'doc', '$', '{"a":2}')).toBe('OK');
    expect(await run('JSON.SET', 'doc', '$.a', '3')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"a":3}]');
    expect(await run('JSON.SET', 'doc', '$', '{"a":2}')).toBe('OK');
    expect(await run('JSON.SET', 'doc', '$.b', '8')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"a":2,"b":8}]');
    expect(await run('JSON.SET', 'doc', '$', '{"f1": {"a":1}, "f2":{"a":2}}')).toBe('OK');
    expect(await run('JSON.SET', 'doc', '$..a', '3')).toBe('OK');
    expect(await run('JSON.GET', 'doc')).toBe('{"f1":{"a":3},"f2":{"a":3}}');
  });

  it('creates keys only at the root, and honours NX and XX (json_set in commands.rs)', async () => {
    expect(await run('JSON.SET', 'new', '$.a', '1')).toEqual(err('ERR new objects must be created at the root'));
    expect(await run('JSON.SET', 'new', '.', '1', 'XX')).toBeNull();
    expect(await run('JSON.SET', 'new', '.', '{"a":1}', 'NX')).toBe('OK');
    expect(await run('JSON.SET', 'new', '$', '{"a":2}', 'NX')).toBeNull();
    expect(await run('JSON.SET', 'new', '$.a', '5', 'NX')).toBeNull();
    expect(await run('JSON.SET', 'new', '$.b', '5', 'XX')).toBeNull();
    expect(await run('JSON.SET', 'new', '$.b', '5', 'NX')).toBe('OK');
    expect(await run('JSON.SET', 'new', '$.a', '7', 'XX')).toBe('OK');
    expect(await run('JSON.GET', 'new')).toBe('{"a":7,"b":5}');
    expect(await run('JSON.SET', 'new', '$.a', '7', 'NX', 'XX')).toEqual(err('ERR syntax error'));
    expect(await run('JSON.SET', 'new', '$.a', '7', 'FOO')).toEqual(err('ERR syntax error'));
  });

  it('adds only the last key of an existing object, and no array element (find_add_paths)', async () => {
    await run('JSON.SET', 'doc', '$', '{"arr":[1,2]}');
    expect(await run('JSON.SET', 'doc', '$.x.y', '1')).toBeNull();
    expect(await run('JSON.SET', 'doc', '$.arr[5]', '1')).toEqual(err('ERR array index out of range'));
    expect(await run('JSON.SET', 'doc', '$.arr[1]', '9')).toBe('OK');
    expect(await run('JSON.SET', 'doc', '$..nope', '1')).toEqual(err('Err wrong static path'));
    expect(await run('JSON.SET', 'doc', 'arr[0]', '"z"')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '.arr')).toBe('["z",9]');
  });

  it('answers a JSON parse error as serde_json words it, without ERR', async () => {
    expect(await run('JSON.SET', 'k', '$', 'foo')).toEqual(err('expected ident at line 1 column 2'));
    expect(await run('JSON.SET', 'k', '$', 'x')).toEqual(err('expected value at line 1 column 1'));
    expect(await run('JSON.SET', 'k', '$', '')).toEqual(err('EOF while parsing a value at line 1 column 0'));
    expect(await run('JSON.SET', 'k', '$', '123abc')).toEqual(err('trailing characters at line 1 column 4'));
    expect(await run('JSON.SET', 'k', '$', '[1,2')).toEqual(err('EOF while parsing a list at line 1 column 4'));
    expect(await run('JSON.SET', 'k', '$', '{"a" 1}')).toEqual(err('expected `:` at line 1 column 6'));
    expect(await run('JSON.SET', 'k', '$', '{a:1}')).toEqual(err('key must be a string at line 1 column 2'));
    expect(await run('JSON.SET', 'k', '$', '[1,]')).toEqual(err('trailing comma at line 1 column 4'));
    expect(await run('JSON.SET', 'k', '$', '[1 2]')).toEqual(err('expected `,` or `]` at line 1 column 4'));
    expect(await run('JSON.SET', 'k', '$', '01')).toEqual(err('invalid number at line 1 column 2'));
    expect(await run('JSON.SET', 'k', '$', '1e400')).toEqual(err('number out of range at line 1 column 5'));
    expect(await run('JSON.SET', 'k', '$', '"a\nb"')).toEqual(err('control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0'));
    expect(await run('JSON.SET', 'k', '$', '['.repeat(129))).toEqual(err('recursion limit exceeded at line 1 column 128'));
    expect(await run('EXISTS', 'k')).toBe(0);
  });

  it('reads several paths into one object (json.get.md example)', async () => {
    expect(await run('JSON.SET', 'doc', '$', '{"a":2, "b": 3, "nested": {"a": 4, "b": null}}')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$..b')).toBe('[3,null]');
    // RedisJSON builds this object in a hash map, so its member order varies; compare as JSON.
    expect(JSON.parse(await run('JSON.GET', 'doc', '..a', '$..b') as string)).toEqual({ '$..b': [3, null], '..a': [2, 4] });
    expect(await run('JSON.GET', 'doc', '.a', '.b')).toBe('{".a":2,".b":3}');
    expect(await run('JSON.GET', 'doc', '.a', '.zz')).toEqual(err("ERR Path '.zz' does not exist"));
    expect(await run('JSON.GET', 'doc', '$.a', '$.zz')).toBe('{"$.a":[2],"$.zz":[]}');
  });

  it('answers legacy paths with one value and an error for a missing path (to_json_single)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":{"b":[1,"x",true]}}');
    expect(await run('JSON.GET', 'doc', '.a.b')).toBe('[1,"x",true]');
    expect(await run('JSON.GET', 'doc', 'a.b[1]')).toBe('"x"');
    expect(await run('JSON.GET', 'doc', '.a.b[-1]')).toBe('true');
    expect(await run('JSON.GET', 'doc', '.')).toBe('{"a":{"b":[1,"x",true]}}');
    expect(await run('JSON.GET', 'doc', '.nope')).toEqual(err("ERR Path '$.nope' does not exist"));
    expect(await run('JSON.GET', 'doc', '$.nope')).toBe('[]');
    expect(await run('JSON.GET', 'missing')).toBeNull();
  });

  it('formats with INDENT, NEWLINE and SPACE as RedisJSON formatter.rs does', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":[1,{}],"b":{"c":[]}}');
    expect(await run('JSON.GET', 'doc', 'INDENT', '\t', 'NEWLINE', '\n', 'SPACE', ' ', '.')).toBe('{\n\t"a": [\n\t\t1,\n\t\t{}\n\t],\n\t"b": {\n\t\t"c": []\n\t}\n}');
    expect(await run('JSON.GET', 'doc', 'SPACE', ' ', '$.b')).toBe('[{"c": []}]');
    // INDENT alone still indents: new_line writes the indent whether or not there is a NEWLINE.
    expect(await run('JSON.GET', 'doc', 'indent', '--', '$.a')).toBe('[--[----1,----{}--]]');
    expect(await run('JSON.GET', 'doc', 'NEWLINE', '|', 'INDENT', '.', '$.a')).toBe('[|.[|..1,|..{}|.]|]');
    expect(await run('JSON.GET', 'doc', 'INDENT')).toEqual(err("ERR wrong number of arguments for 'json.get' command"));
  });

  it('keeps integers and prints floats as serde_json does', async () => {
    await run('JSON.SET', 'n', '$', '[1, 1.0, 3.5, 1e2, -0.0, 1e20, 1.5e-7, 0.0001, 12345678901234567890, 123456789012345678901]');
    expect(await run('JSON.GET', 'n')).toBe('[1,1.0,3.5,100.0,-0.0,1e20,1.5e-7,0.0001,12345678901234567890,1.2345678901234568e20]');
    expect(await run('JSON.TYPE', 'n', '$[*]')).toEqual(['integer', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'integer', 'number']);
  });

  it('keeps UTF-8 text, escapes control characters and counts bytes', async () => {
    await run('JSON.SET', 's', '$', Buffer.from('{"k":"caf\u00e9 \\u0001\\/"}', 'utf8').toString('latin1'));
    expect(await run('JSON.GET', 's', '.k')).toBe('"caf\u00e9 \\u0001/"');
    expect(await run('JSON.STRLEN', 's', '.k')).toBe(8);
    expect(await run('JSON.SET', 's', '$', '"\xff"')).toEqual(err("Couldn't parse as UTF-8 string"));
  });
});

describe('keys', () => {
  it('is of type ReJSON-RL, encoding raw, and COPY copies deeply', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":[1]}');
    expect(await run('TYPE', 'doc')).toBe('ReJSON-RL');
    expect(await run('OBJECT', 'ENCODING', 'doc')).toBe('raw');
    expect(await run('COPY', 'doc', 'copy')).toBe(1);
    await run('JSON.ARRAPPEND', 'copy', '$.a', '2');
    expect(await run('JSON.GET', 'doc')).toBe('{"a":[1]}');
    expect(await run('JSON.GET', 'copy')).toBe('{"a":[1,2]}');
  });

  it('refuses keys of another type with the module error (verify_type in redis-module-rs)', async () => {
    await run('SET', 's', 'v');
    const wrong = err('Existing key has wrong Redis type');
    for (const argv of [['JSON.GET', 's'], ['JSON.SET', 's', '$', '1'], ['JSON.DEL', 's'], ['JSON.TYPE', 's'],
      ['JSON.ARRLEN', 's', '$'], ['JSON.STRLEN', 's', '$'], ['JSON.OBJLEN', 's', '$'], ['JSON.NUMINCRBY', 's', '$', '1'],
      ['JSON.ARRAPPEND', 's', '$', '1'], ['JSON.MERGE', 's', '$', '{}'], ['JSON.TOGGLE', 's', '$'], ['JSON.CLEAR', 's']]) {
      expect(await run(...argv)).toEqual(wrong);
    }
    // JSON.MGET answers nil for such a key (json_mget maps every failure to nil).
    expect(await run('JSON.MGET', 's', '$')).toEqual([null]);
  });

  it("checks its arguments itself, with the module's arity error", async () => {
    const arity = (n: string) => err(`ERR wrong number of arguments for '${n}' command`);
    expect(await run('JSON.SET', 'k', '$')).toEqual(arity('json.set'));
    expect(await run('json.get')).toEqual(arity('json.get'));
    expect(await run('JSON.MGET', 'k')).toEqual(arity('json.mget'));
    expect(await run('JSON.ARRAPPEND', 'k', '$')).toEqual(arity('json.arrappend'));
    expect(await run('JSON.NUMINCRBY', 'k', '$')).toEqual(arity('json.numincrby'));
    expect(await run('JSON.MSET', 'k', '$', '1', 'j')).toEqual(arity('json.mset'));
    expect(await run('JSON.ARRINDEX', 'k', '$', '1', '0', '0', '0')).toEqual(arity('json.arrindex'));
  });

  it('signals a write to WATCH', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":1}');
    const other = engine.connect();
    await other.execute(['WATCH', 'doc']);
    await run('JSON.NUMINCRBY', 'doc', '$.a', '1');
    await other.execute(['MULTI']);
    await other.execute(['PING']);
    expect(await other.execute(['EXEC'])).toEqual({ kind: 'null', array: true });
  });

  it('keeps the TTL when the root of an existing document is replaced', async () => {
    await run('JSON.SET', 'doc', '$', '1');
    await run('EXPIRE', 'doc', '100');
    await run('JSON.SET', 'doc', '.', '2');
    expect(await run('TTL', 'doc')).toBe(100);
  });
});

describe('JSON.DEL, JSON.FORGET, JSON.CLEAR, JSON.TOGGLE, JSON.MERGE, JSON.MSET, JSON.MGET', () => {
  it('deletes every match (json.del.md example)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a": 1, "nested": {"a": 2, "b": 3}}');
    expect(await run('JSON.DEL', 'doc', '$..a')).toBe(2);
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"nested":{"b":3}}]');
    expect(await run('JSON.FORGET', 'doc', '.nested.b')).toBe(1);
    expect(await run('JSON.DEL', 'doc', '.nope')).toBe(0);
    expect(await run('JSON.DEL', 'doc')).toBe(1);
    expect(await run('EXISTS', 'doc')).toBe(0);
    expect(await run('JSON.DEL', 'doc')).toBe(0);
  });

  it('deletes array elements from the highest index down (prepare_paths_for_updating)', async () => {
    await run('JSON.SET', 'a', '$', '[0,1,2,3,4,5]');
    expect(await run('JSON.DEL', 'a', '$[1,3,5]')).toBe(3);
    expect(await run('JSON.GET', 'a')).toBe('[0,2,4]');
    await run('JSON.SET', 'b', '$', '{"x":{"x":{"x":1}}}');
    expect(await run('JSON.DEL', 'b', '$..x')).toBe(1);
    expect(await run('JSON.GET', 'b')).toBe('{}');
  });

  it('clears containers and numbers (json.clear.md example)', async () => {
    await run('JSON.SET', 'doc', '$', '{"obj":{"a":1, "b":2}, "arr":[1,2,3], "str": "foo", "bool": true, "int": 42, "float": 3.14}');
    expect(await run('JSON.CLEAR', 'doc', '$.*')).toBe(4);
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"obj":{},"arr":[],"str":"foo","bool":true,"int":0,"float":0}]');
    expect(await run('JSON.CLEAR', 'doc', '$.*')).toBe(0);
    expect(await run('JSON.CLEAR', 'doc')).toBe(1);
    expect(await run('JSON.GET', 'doc')).toBe('{}');
    expect(await run('JSON.CLEAR', 'nokey')).toEqual(err("ERR could not perform this operation on a key that doesn't exist"));
  });

  it('toggles booleans (json.toggle.md example) and legacy paths answer "true"/"false"', async () => {
    await run('JSON.SET', 'doc', '$', '{"bool": true}');
    expect(await run('JSON.TOGGLE', 'doc', '$.bool')).toEqual([0]);
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"bool":false}]');
    expect(await run('JSON.TOGGLE', 'doc', '$.bool')).toEqual([1]);
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"bool":true}]');
    expect(await run('JSON.TOGGLE', 'doc', '.bool')).toBe('false');
    expect(await run('JSON.TOGGLE', 'doc', '$.*')).toEqual([1]);
    expect(await run('JSON.TOGGLE', 'doc', '$.nope')).toEqual([]);
    expect(await run('JSON.TOGGLE', 'doc', '.nope')).toEqual(err("ERR Path '$.nope' does not exist or not a bool"));
  });

  it('merges (json.merge.md examples)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":2}');
    expect(await run('JSON.MERGE', 'doc', '$.b', '8')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"a":2,"b":8}]');
    await run('JSON.SET', 'doc', '$', '{"a":2}');
    expect(await run('JSON.MERGE', 'doc', '$.a', '3')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"a":3}]');
    await run('JSON.SET', 'doc', '$', '{"a":2}');
    expect(await run('JSON.MERGE', 'doc', '$.a', 'null')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{}]');
    await run('JSON.SET', 'doc', '$', '{"a":[2,4,6,8]}');
    expect(await run('JSON.MERGE', 'doc', '$.a', '[10,12]')).toBe('OK');
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"a":[10,12]}]');
    await run('JSON.SET', 'doc', '$', '{"f1": {"a":1}, "f2":{"a":2}}');
    expect(await run('JSON.GET', 'doc')).toBe('{"f1":{"a":1},"f2":{"a":2}}');
    expect(await run('JSON.MERGE', 'doc', '$', '{"f1": null, "f2":{"a":3, "b":4}, "f3":[2,4,6]}')).toBe('OK');
    expect(await run('JSON.GET', 'doc')).toBe('{"f2":{"a":3,"b":4},"f3":[2,4,6]}');
    expect(await run('JSON.MERGE', 'new', '$.a', '{}')).toEqual(err('ERR new objects must be created at the root'));
    expect(await run('JSON.MERGE', 'new', '$', '{"a":1}')).toBe('OK');
  });

  it('sets several keys, all or nothing (json.mset.md)', async () => {
    expect(await run('JSON.MSET', 'doc1', '$', '{"a":2}', 'doc3', '$', '{"f1": {"a":1}, "f2":{"a":2}}')).toBe('OK');
    expect(await run('JSON.GET', 'doc1', '$')).toBe('[{"a":2}]');
    expect(await run('JSON.MSET', 'doc3', '$..a', '3', 'doc1', '$.b', '1')).toBe('OK');
    expect(await run('JSON.GET', 'doc3')).toBe('{"f1":{"a":3},"f2":{"a":3}}');
    expect(await run('JSON.MSET', 'doc1', '$', '5', 'doc2', '$.f.a', '3')).toEqual(err('ERR new objects must be created at the root'));
    expect(await run('JSON.MSET', 'doc1', '$', '5', 'doc2', '$', '[')).toEqual(err('EOF while parsing a list at line 1 column 1'));
    expect(await run('JSON.GET', 'doc1')).toBe('{"a":2,"b":1}');
  });

  it('reads one path from several keys (json.mget.md example)', async () => {
    await run('JSON.SET', 'doc1', '$', '{"a":1, "b": 2, "nested": {"a": 3}, "c": null}');
    await run('JSON.SET', 'doc2', '$', '{"a":4, "b": 5, "nested": {"a": 6}, "c": null}');
    expect(await run('JSON.MGET', 'doc1', 'doc2', '$..a')).toEqual(['[1,3]', '[4,6]']);
    expect(await run('JSON.MGET', 'doc1', 'nokey', 'doc2', '.b')).toEqual(['2', null, '5']);
    expect(await run('JSON.MGET', 'doc1', '.zz')).toEqual([null]);
    expect(await run('JSON.MGET', 'doc1', '$[')).toEqual([null]);
  });
});

describe('JSON.TYPE, JSON.RESP', () => {
  it('names types (json.type.md example)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":2, "nested": {"a": true}, "foo": "bar"}');
    expect(await run('JSON.TYPE', 'doc', '$..foo')).toEqual(['string']);
    expect(await run('JSON.TYPE', 'doc', '$..a')).toEqual(['integer', 'boolean']);
    expect(await run('JSON.TYPE', 'doc', '$..dummy')).toEqual([]);
    expect(await run('JSON.TYPE', 'doc')).toBe('object');
    expect(await run('JSON.TYPE', 'doc', '.nested.a')).toBe('boolean');
    expect(await run('JSON.TYPE', 'doc', '.dummy')).toBeNull();
    expect(await run('JSON.TYPE', 'nokey')).toBeNull();
  });

  it('answers the document in RESP (json.resp.md example)', async () => {
    await run('JSON.SET', 'item:2', '$', ITEM2);
    expect(await run('JSON.RESP', 'item:2')).toEqual(['{', 'name', 'Wireless earbuds', 'description', 'Wireless Bluetooth in-ear headphones',
      'connection', ['{', 'wireless', 'true', 'type', 'Bluetooth'], 'price', 64.99, 'stock', 17,
      'colors', ['[', 'black', 'white'], 'max_level', ['[', 80, 100, 120]]);
    expect(await run('JSON.RESP', 'item:2', '$.colors')).toEqual([['[', 'black', 'white']]);
    expect(await run('JSON.RESP', 'item:2', '.nope')).toEqual(err("ERR Path '$.nope' does not exist"));
    expect(await c.execute(['JSON.RESP', 'item:2', '.price'])).toEqual({ kind: 'double', value: 64.99 });
  });
});

describe('numbers', () => {
  it('increments and multiplies every number (json.numincrby.md, json.nummultby.md)', async () => {
    await run('JSON.SET', 'doc', '.', '{"a":"b","b":[{"a":2}, {"a":5}, {"a":"c"}]}');
    expect(await run('JSON.NUMINCRBY', 'doc', '$.a', '2')).toBe('[null]');
    expect(await run('JSON.NUMINCRBY', 'doc', '$..a', '2')).toBe('[null,4,7,null]');
    await run('JSON.SET', 'doc', '.', '{"a":"b","b":[{"a":2}, {"a":5}, {"a":"c"}]}');
    expect(await run('JSON.NUMMULTBY', 'doc', '$.a', '2')).toBe('[null]');
    expect(await run('JSON.NUMMULTBY', 'doc', '$..a', '2')).toBe('[null,4,10,null]');
  });

  it('keeps integers integers and floats floats (do_num_op)', async () => {
    await run('JSON.SET', 'n', '$', '{"i":1,"f":1.5}');
    expect(await run('JSON.NUMINCRBY', 'n', '.i', '2')).toBe('3');
    expect(await run('JSON.NUMINCRBY', 'n', '.i', '0.5')).toBe('3.5');
    expect(await run('JSON.NUMINCRBY', 'n', '.f', '1.5')).toBe('3.0');
    expect(await run('JSON.NUMMULTBY', 'n', '.f', '1e20')).toBe('3e20');
    expect(await run('JSON.NUMINCRBY', 'n', '$.i', '9223372036854775807')).toBe('[9.223372036854776e18]');
    await run('JSON.SET', 'w', '$', '9223372036854775807');
    expect(await run('JSON.NUMINCRBY', 'w', '.', '1')).toBe('-9223372036854775808');
    expect(await run('JSON.NUMMULTBY', 'n', '.f', '1e308')).toEqual(err('result is not a number'));
    expect(await run('JSON.NUMINCRBY', 'n', '.f', '"a"')).toEqual(err('bad input number'));
    expect(await run('JSON.NUMINCRBY', 'n', '.f', 'x')).toEqual(err('ERR expected value at line 1 column 1'));
    expect(await run('JSON.NUMINCRBY', 'n', '.nope', '1')).toEqual(err("ERR Path '$.nope' does not exist or does not contains a number"));
    expect(await run('JSON.NUMINCRBY', 'nokey', '.', '1')).toEqual(err("ERR could not perform this operation on a key that doesn't exist"));
    expect(await run('JSON.NUMPOWBY', 'w', '.', '0')).toBe('1');
  });

  it('answers RESP3 clients with numbers (json_num_op)', async () => {
    await run('JSON.SET', 'n', '$', '{"i":1,"f":1.5,"s":"x"}');
    await c.execute(['HELLO', '3']);
    expect(await c.execute(['JSON.NUMINCRBY', 'n', '$.*', '1'])).toEqual({ kind: 'array', items: [{ kind: 'integer', value: 2 }, { kind: 'double', value: 2.5 }, { kind: 'null' }] });
    expect(await run('JSON.TYPE', 'n', '.i')).toEqual(['integer']);
  });
});

describe('strings', () => {
  it('appends and measures (json.strappend.md, json.strlen.md examples)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":"foo", "nested": {"a": "hello"}, "nested2": {"a": 31}}');
    expect(await run('JSON.STRAPPEND', 'doc', '$..a', '"baz"')).toEqual([6, 8, null]);
    expect(await run('JSON.GET', 'doc', '$')).toBe('[{"a":"foobaz","nested":{"a":"hellobaz"},"nested2":{"a":31}}]');
    await run('JSON.SET', 'doc', '$', '{"a":"foo", "nested": {"a": "hello"}, "nested2": {"a": 31}}');
    expect(await run('JSON.STRLEN', 'doc', '$..a')).toEqual([3, 5, null]);
  });

  it('answers legacy paths with one length and typed errors (str_len, json_str_append_legacy)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":"foo","n":1}');
    expect(await run('JSON.STRAPPEND', 'doc', '.a', '"bar"')).toBe(6);
    expect(await run('JSON.STRLEN', 'doc', '.a')).toBe(6);
    expect(await run('JSON.STRLEN', 'doc', '.n')).toEqual(err('WRONGTYPE wrong type of path value - expected string but found integer'));
    expect(await run('JSON.STRLEN', 'doc', '.x')).toEqual(err("ERR Path '$.x' does not exist"));
    expect(await run('JSON.STRLEN', 'nokey', '.a')).toBeNull();
    expect(await run('JSON.STRLEN', 'nokey', '$.a')).toEqual(err("ERR could not perform this operation on a key that doesn't exist"));
    expect(await run('JSON.STRAPPEND', 'doc', '.n', '"x"')).toEqual(err("ERR Path '$.n' does not exist or not a string"));
    expect(await run('JSON.STRAPPEND', 'doc', '.a', '1')).toEqual(err('WRONGTYPE wrong type of path value - expected string but found 1'));
    expect(await run('JSON.STRAPPEND', 'doc', '.a', 'x')).toEqual(err('ERR expected value at line 1 column 1'));
    await run('JSON.SET', 's', '$', '"x"');
    expect(await run('JSON.STRAPPEND', 's', '"yz"')).toBe(3);
  });
});

describe('arrays', () => {
  it('appends, inserts and finds (json.arrappend.md, json.arrinsert.md, json.arrindex.md)', async () => {
    expect(await run('JSON.SET', 'item:1', '$', ITEM1)).toBe('OK');
    expect(await run('JSON.ARRAPPEND', 'item:1', '$.colors', '"blue"')).toEqual([3]);
    expect(await run('JSON.GET', 'item:1')).toBe('{"name":"Noise-cancelling Bluetooth headphones","description":"Wireless Bluetooth headphones with noise-cancelling technology","connection":{"wireless":true,"type":"Bluetooth"},"price":99.98,"stock":25,"colors":["black","silver","blue"]}');
    expect(await run('JSON.GET', 'item:1', '$.colors[*]')).toBe('["black","silver","blue"]');
    expect(await run('JSON.ARRINSERT', 'item:1', '$.colors', '2', '"yellow"', '"gold"')).toEqual([5]);
    expect(await run('JSON.GET', 'item:1', '$.colors')).toBe('[["black","silver","yellow","gold","blue"]]');
    expect(await run('JSON.ARRINDEX', 'item:1', '$..colors', '"silver"')).toEqual([1]);
  });

  it('measures (json.arrlen.md example)', async () => {
    await run('JSON.SET', 'item:2', '$', ITEM2);
    expect(await run('JSON.ARRLEN', 'item:2', '$.[*]')).toEqual([null, null, null, null, null, 2, 3]);
    expect(await run('JSON.ARRLEN', 'item:2', '$..max_level')).toEqual([3]);
    expect(await run('JSON.GET', 'item:2', '$..max_level')).toBe('[[80,100,120]]');
    expect(await run('JSON.ARRLEN', 'item:2', '.colors')).toBe(2);
    expect(await run('JSON.ARRLEN', 'item:2', '.name')).toEqual(err("ERR Path '.name' does not exist or not an array"));
    expect(await run('JSON.ARRLEN', 'item:2', '.nope')).toEqual(err("ERR Path '.nope' does not exist"));
    expect(await run('JSON.ARRLEN', 'nokey', '.colors')).toBeNull();
    expect(await run('JSON.ARRLEN', 'nokey', '$.colors')).toEqual(err("ERR could not perform this operation on a key that doesn't exist"));
  });

  it('pops and trims (json.arrpop.md, json.arrtrim.md examples)', async () => {
    const KEY = '[{"name":"Healthy headphones","description":"Wireless Bluetooth headphones with noise-cancelling technology","connection":{"wireless":true,"type":"Bluetooth"},"price":99.98,"stock":25,"colors":["black","silver"],"max_level":[60,70,80]},{"name":"Noisy headphones","description":"Wireless Bluetooth headphones with noise-cancelling technology","connection":{"wireless":true,"type":"Bluetooth"},"price":99.98,"stock":25,"colors":["black","silver"],"max_level":[80,90,100,120]}]';
    expect(await run('JSON.SET', 'key', '$', KEY)).toBe('OK');
    expect(await run('JSON.GET', 'key', '$.[1].max_level')).toBe('[[80,90,100,120]]');
    expect(await run('JSON.ARRPOP', 'key', '$.[1].max_level', '0')).toEqual(['80']);
    expect(await run('JSON.GET', 'key', '$.[1].max_level')).toBe('[[90,100,120]]');
    expect(await run('JSON.ARRINSERT', 'key', '$.[1].max_level', '0', '85')).toEqual([4]);
    expect(await run('JSON.GET', 'key', '$.[1].max_level')).toBe('[[85,90,100,120]]');
    expect(await run('JSON.ARRAPPEND', 'key', '$.[1].max_level', '140', '160', '180', '200', '220', '240', '260', '280')).toEqual([12]);
    expect(await run('JSON.GET', 'key', '$.[1].max_level')).toBe('[[85,90,100,120,140,160,180,200,220,240,260,280]]');
    expect(await run('JSON.ARRTRIM', 'key', '$.[1].max_level', '4', '8')).toEqual([5]);
    expect(await run('JSON.GET', 'key', '$.[1].max_level')).toBe('[[140,160,180,200,220]]');
  });

  it('pops by index, clamping it, and answers legacy paths with one value (arr_pop)', async () => {
    await run('JSON.SET', 'a', '$', '{"x":[1,[2],{"y":3}],"e":[],"s":"t"}');
    expect(await run('JSON.ARRPOP', 'a', '.x')).toBe('{"y":3}');
    expect(await run('JSON.ARRPOP', 'a', '.x', '99')).toBe('[2]');
    expect(await run('JSON.ARRPOP', 'a', '.e')).toBeNull();
    expect(await run('JSON.ARRPOP', 'a', '$.*')).toEqual(['1', null, null]);
    expect(await run('JSON.ARRPOP', 'a', '.s')).toEqual(err("ERR Path '$.s' does not exist or not an array"));
    expect(await run('JSON.ARRPOP', 'a')).toEqual(err("ERR Path '$' does not exist or not an array"));
    await run('JSON.SET', 'r', '$', '[1,2,3]');
    expect(await run('JSON.ARRPOP', 'r')).toBe('3');
    expect(await run('JSON.ARRPOP', 'r', '.', '-5')).toBe('1');
    expect(await run('JSON.ARRPOP', 'r', 'FORMAT', 'EXPAND')).toEqual(err('ERR FORMAT argument is not supported on RESP2'));
  });

  it('inserts at negative indices and refuses out-of-bounds ones (arr_insert)', async () => {
    await run('JSON.SET', 'a', '$', '[1,2,3]');
    expect(await run('JSON.ARRINSERT', 'a', '.', '-1', '"x"')).toBe(4);
    expect(await run('JSON.GET', 'a')).toBe('[1,2,"x",3]');
    expect(await run('JSON.ARRINSERT', 'a', '$', '4', 'null')).toEqual([5]);
    expect(await run('JSON.ARRINSERT', 'a', '$', '6', '0')).toEqual(err('ERR index out of bounds'));
    expect(await run('JSON.ARRINSERT', 'a', '$', '-7', '0')).toEqual(err('ERR index out of bounds'));
    expect(await run('JSON.ARRINSERT', 'a', '$', 'one', '0')).toEqual(err("Couldn't parse as integer"));
    expect(await run('JSON.ARRAPPEND', 'a', '$', '[')).toEqual(err('EOF while parsing a list at line 1 column 1'));
  });

  it('finds with start and stop, types compared strictly (arr_first_index_single)', async () => {
    await run('JSON.SET', 'a', '$', '[1, 2.0, "3", [4], {"5":5}, null, 1]');
    expect(await run('JSON.ARRINDEX', 'a', '$', '1')).toEqual([0]);
    expect(await run('JSON.ARRINDEX', 'a', '$', '1', '1')).toEqual([6]);
    expect(await run('JSON.ARRINDEX', 'a', '$', '1', '1', '-1')).toEqual([-1]);
    expect(await run('JSON.ARRINDEX', 'a', '$', '2')).toEqual([-1]);
    expect(await run('JSON.ARRINDEX', 'a', '$', '2.0')).toEqual([1]);
    expect(await run('JSON.ARRINDEX', 'a', '.', '[4]')).toBe(3);
    expect(await run('JSON.ARRINDEX', 'a', '.', '{"5":5}')).toBe(4);
    expect(await run('JSON.ARRINDEX', 'a', '.', 'null')).toBe(5);
    expect(await run('JSON.ARRINDEX', 'a', '$[0]', '1')).toEqual([null]);
    expect(await run('JSON.ARRINDEX', 'a', '[0]', '1')).toEqual(err('WRONGTYPE wrong type of path value - expected array but found integer'));
    expect(await run('JSON.ARRINDEX', 'nokey', '$', '1')).toEqual(err("ERR Path '$' does not exist"));
    expect(await run('JSON.ARRINDEX', 'a', '$', 'x')).toEqual(err('ERR expected value at line 1 column 1'));
  });

  it('trims with RedisJSON index rules (arr_trim)', async () => {
    const trim = async (start: string, stop: string) => {
      await run('JSON.SET', 't', '$', '[0,1,2,3,4]');
      const n = await run('JSON.ARRTRIM', 't', '.', start, stop);
      return [n, await run('JSON.GET', 't')];
    };
    expect(await trim('1', '3')).toEqual([3, '[1,2,3]']);
    expect(await trim('-2', '-1')).toEqual([2, '[3,4]']);
    expect(await trim('3', '1')).toEqual([0, '[]']);
    expect(await trim('0', '99')).toEqual([5, '[0,1,2,3,4]']);
    expect(await trim('9', '11')).toEqual([0, '[]']);
  });
});

describe('objects', () => {
  it('lists keys and counts them (json.objkeys.md, json.objlen.md examples)', async () => {
    await run('JSON.SET', 'doc', '$', '{"a":[3], "nested": {"a": {"b":2, "c": 1}}}');
    expect(await run('JSON.OBJKEYS', 'doc', '$..a')).toEqual([null, ['b', 'c']]);
    expect(await run('JSON.OBJLEN', 'doc', '$..a')).toEqual([null, 2]);
    expect(await run('JSON.OBJKEYS', 'doc')).toEqual(['a', 'nested']);
    expect(await run('JSON.OBJLEN', 'doc')).toBe(2);
    expect(await run('JSON.OBJKEYS', 'doc', '.a')).toEqual(err("ERR Path '$.a' does not exist or not an object"));
    expect(await run('JSON.OBJLEN', 'doc', '.a')).toEqual(err('WRONGTYPE wrong type of path value - expected object but found array'));
    expect(await run('JSON.OBJKEYS', 'doc', '.zz')).toBeNull();
    expect(await run('JSON.OBJLEN', 'doc', '.zz')).toBeNull();
    expect(await run('JSON.OBJLEN', 'nokey', '$')).toEqual(err("ERR Path '$' does not exist or not an object"));
    expect(await run('JSON.OBJKEYS', 'nokey', '$')).toEqual(err("ERR could not perform this operation on a key that doesn't exist"));
  });
});

describe('helpers', () => {
  it('prints floats like serde_json (ryu)', () => {
    expect([3.5, 1, 1e15, 1e16, 1e-5, 1e-6, 0.1, -2.5e-10, 123.456].map(formatFloat))
      .toEqual(['3.5', '1.0', '1000000000000000.0', '1e16', '0.00001', '1e-6', '0.1', '-2.5e-10', '123.456']);
  });

  it('formats the empty containers without newlines', () => {
    expect(serializeFormatted(parseJson('[[],{}]'), { newline: '\n', indent: ' ' })).toBe('[\n [],\n {}\n]');
  });
});
