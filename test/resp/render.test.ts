/**
 * The redis-cli renderer. First, replies of every RESP2 and RESP3 shape rendered in the standard
 * and raw forms, compared with what redis-cli 7.0.15 printed for them (the command each output
 * was taken from is given). Then, against a real redis-server: the replies of many commands,
 * read from a socket and rendered by us, compared with redis-cli's output for the same commands.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asProtocol } from '../../src/resp/encode.js';
import { quote, renderRaw, renderReply, renderVerbatim } from '../../src/resp/render.js';
import {
  array, boolean, bulk, double, error, integer, map, NIL, NIL_ARRAY, set, simple, verbatim, type Reply,
} from '../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { respClient, type RespClient } from '../helpers/resp-client.js';

const ints = (...n: number[]) => n.map((i) => integer(i));
const bulks = (...s: string[]) => s.map((v) => bulk(v));

describe('renderReply and renderRaw, as redis-cli 7.0.15 printed them', () => {
  it('prints a RESP3 map with # indexes, and raw as "key value" lines', () => {
    // redis-cli -3 --no-raw DEBUG PROTOCOL map / redis-cli -3 DEBUG PROTOCOL map
    const r = map([[integer(0), boolean(false)], [integer(1), boolean(true)], [integer(2), boolean(false)]]);
    expect(renderReply(r)).toBe('1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n3# (integer) 2 => (false)\n');
    expect(renderRaw(r)).toBe('0 (false)\n1 (true)\n2 (false)\n');
  });

  it('prints a RESP3 set with ~ indexes', () => {
    // redis-cli -3 --no-raw DEBUG PROTOCOL set
    expect(renderReply(set(ints(0, 1, 2)))).toBe('1~ (integer) 0\n2~ (integer) 1\n3~ (integer) 2\n');
  });

  it('prints a verbatim string as its text, in both forms', () => {
    // redis-cli -3 [--no-raw] DEBUG PROTOCOL verbatim
    const r = verbatim('This is a verbatim\nstring');
    expect(renderReply(r)).toBe('This is a verbatim\nstring\n');
    expect(renderRaw(r)).toBe('This is a verbatim\nstring\n');
  });

  it('prints booleans, nil and doubles', () => {
    // redis-cli -3 --no-raw DEBUG PROTOCOL true / false / null / double; redis-cli -3 DEBUG PROTOCOL false / null
    expect(renderReply(boolean(true))).toBe('(true)\n');
    expect(renderRaw(boolean(false))).toBe('(false)\n');
    expect(renderReply(NIL)).toBe('(nil)\n');
    expect(renderReply(NIL_ARRAY)).toBe('(nil)\n');
    expect(renderRaw(NIL)).toBe('\n');
    expect(renderReply(double(3.141))).toBe('(double) 3.141\n');
    // redis-cli --no-raw DEBUG PROTOCOL double: a RESP2 client gets the double as a bulk string.
    expect(renderReply(asProtocol(double(3.141), 2))).toBe('"3.141"\n');
  });

  it('pads the indexes of an array of ten or more', () => {
    // redis-cli --no-raw LRANGE l 0 -1, with l = 1..12
    const r = array(bulks(...Array.from({ length: 12 }, (_, i) => String(i + 1))));
    expect(renderReply(r)).toBe(
      ' 1) "1"\n 2) "2"\n 3) "3"\n 4) "4"\n 5) "5"\n 6) "6"\n 7) "7"\n 8) "8"\n 9) "9"\n10) "10"\n11) "11"\n12) "12"\n');
  });

  it('indents nested arrays under a padded index', () => {
    // redis-cli --no-raw EVAL "local t={} for i=1,11 do t[i]={i,{'a','b'}} end return t" 0 (and without --no-raw)
    const r = array(Array.from({ length: 11 }, (_, i) => array([integer(i + 1), array(bulks('a', 'b'))])));
    let expected = '';
    for (let i = 1; i <= 11; i++) {
      expected += `${String(i).padStart(2)}) 1) (integer) ${i}\n    2) 1) "a"\n       2) "b"\n`;
    }
    expect(renderReply(r)).toBe(expected);
    expect(renderRaw(r)).toBe(Array.from({ length: 11 }, (_, i) => `${i + 1}\na\nb`).join('\n') + '\n');
  });

  it('prints empty aggregates by their type', () => {
    // redis-cli --no-raw LRANGE nokey 0 -1; redis-cli -3 --no-raw SMEMBERS nokey; redis-cli -3 --no-raw HGETALL nokey
    expect(renderReply(array([]))).toBe('(empty array)\n');
    expect(renderReply(set([]))).toBe('(empty set)\n');
    expect(renderReply(map([]))).toBe('(empty hash)\n');
    // redis-cli --no-raw EVAL "return {1,{2,{3,{}}},'x'}" 0
    const nested = array([integer(1), array([integer(2), array([integer(3), array([])])]), bulk('x')]);
    expect(renderReply(nested)).toBe('1) (integer) 1\n2) 1) (integer) 2\n   2) 1) (integer) 3\n      2) (empty array)\n3) "x"\n');
  });

  it('puts a multi-line map value on the next line, aligned', () => {
    // redis-cli -3 --no-raw EVAL "redis.setresp(3); return {map={k={1,2,3}}}" 0
    expect(renderReply(map([[bulk('k'), array(ints(1, 2, 3))]]))).toBe(
      '1# "k" => \n   1) (integer) 1\n   2) (integer) 2\n   3) (integer) 3\n');
    // redis-cli -3 --no-raw EVAL "redis.setresp(3); return {map={k={1}}}" 0
    expect(renderReply(map([[bulk('k'), array(ints(1))]]))).toBe('1# "k" => 1) (integer) 1\n');
    // redis-cli -3 --no-raw EVAL "redis.setresp(3); return {map={k={map={x=1}}}}" 0
    expect(renderReply(map([[bulk('k'), map([[bulk('x'), integer(1)]])]]))).toBe('1# "k" => 1# "x" => (integer) 1\n');
  });

  it('folds a map for a RESP2 client into a flat array', () => {
    // redis-cli --no-raw HGETALL h; redis-cli -3 --no-raw HGETALL h; redis-cli -3 HGETALL h (h = a 1 b 2)
    const r = map([[bulk('a'), bulk('1')], [bulk('b'), bulk('2')]]);
    expect(renderReply(asProtocol(r, 2))).toBe('1) "a"\n2) "1"\n3) "b"\n4) "2"\n');
    expect(renderReply(r)).toBe('1# "a" => "1"\n2# "b" => "2"\n');
    expect(renderRaw(r)).toBe('a 1\nb 2\n');
  });

  it('prints errors with (error) and, raw, followed by an empty line', () => {
    // redis-cli --no-raw EVAL "return {err='My Error'}" 0, and without --no-raw
    expect(renderReply(error('My Error'))).toBe('(error) My Error\n');
    expect(renderRaw(error('My Error'))).toBe('My Error\n\n');
  });

  it('quotes strings with C escapes (sdscatrepr)', () => {
    expect(quote('a"b\\c\n\r\t\x07\x08\x00\x7f\xff é')).toBe('"a\\"b\\\\c\\n\\r\\t\\a\\b\\x00\\x7f\\xff \\xe9"');
    expect(renderReply(simple('OK'))).toBe('OK\n');
    expect(renderReply(integer(-5n * 10n ** 18n))).toBe('(integer) -5000000000000000000\n');
  });

  it('uses -d and -D in raw output, and no delimiter for INFO-like replies', () => {
    expect(renderRaw(array(bulks('a', 'b')), ',', '|')).toBe('a,b|');
    expect(renderVerbatim(bulk('# Server\r\nredis_version:7.0.15\r\n'))).toBe('# Server\r\nredis_version:7.0.15\r\n');
  });
});

/** Commands whose replies cover the shapes; run after SETUP on a server with DEBUG enabled. */
const SETUP = [
  ['SET', 's', 'hello world'], ['SET', 'bin', '\x00\xff\r\n"\\\x07'], ['SET', 'empty', ''],
  ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['SADD', 'st', '3', '1', '2'],
  ['RPUSH', 'l', ...Array.from({ length: 12 }, (_, i) => String(i + 1))],
  ['ZADD', 'z', ...Array.from({ length: 11 }, (_, i) => [String(i + 0.5), `m${i}`]).flat()],
  ['XADD', 'x', '1-1', 'f', 'v'], ['XADD', 'x', '1-2', 'f', 'v', 'g', 'w'], ['SET', 'n', '10'],
];

const QUERIES: string[][] = [
  ['GET', 's'], ['GET', 'bin'], ['GET', 'empty'], ['GET', 'nokey'], ['TTL', 'nokey'], ['OBJECT', 'ENCODING', 'n'], ['PING'],
  ['HGETALL', 'h'], ['HGETALL', 'nokey'], ['HMGET', 'h', 'a', 'nofield', 'c'], ['SMEMBERS', 'st'], ['SMEMBERS', 'nokey'],
  ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'nokey', '0', '-1'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
  ['ZSCORE', 'z', 'm3'], ['ZSCORE', 'z', 'nomember'], ['ZPOPMIN', 'nokey'], ['XRANGE', 'x', '-', '+'],
  ['XINFO', 'STREAM', 'x'], ['CONFIG', 'GET', 'maxmemory*'], ['COMMAND', 'DOCS', 'set'], ['COMMAND', 'DOCS', 'client'],
  ['COMMAND', 'INFO', 'get', 'zadd'], ['SCAN', '0', 'MATCH', 's*', 'COUNT', '1000'], ['BLPOP', 'nokey', '0.01'],
  ['DEBUG', 'PROTOCOL', 'map'], ['DEBUG', 'PROTOCOL', 'set'], ['DEBUG', 'PROTOCOL', 'double'], ['DEBUG', 'PROTOCOL', 'true'],
  ['DEBUG', 'PROTOCOL', 'false'], ['DEBUG', 'PROTOCOL', 'null'], ['DEBUG', 'PROTOCOL', 'array'], ['DEBUG', 'PROTOCOL', 'verbatim'],
  ['EVAL', "local t={} for i=1,11 do t[i]={i,{'a','b',{}}} end return t", '0'],
  ['EVAL', "redis.setresp(3); return {map={k={1,2,3}}}", '0'], ['EVAL', "redis.setresp(3); return {map={k={1}}}", '0'],
  ['EVAL', "redis.setresp(3); return {double=3.5}", '0'], ['EVAL', "redis.setresp(3); return {double=0.1}", '0'],
  ['EVAL', "return {1,{2,{3,{}}},'x'}", '0'], ['EVAL', "return {err='My Error'}", '0'], ['NOSUCHCOMMAND', 'a'],
];

/** One redis-cli session for all QUERIES; its output split per query at marker ECHOes. */
function redisCliOutputs(port: number, extra: string[]): string[] {
  const lines = QUERIES.flatMap((q, i) => [q.map((a) => quote(a)).join(' '), `ECHO @@q${i}@@`]);
  const r = spawnSync('redis-cli', ['-p', String(port), ...extra], { input: Buffer.from(lines.join('\n') + '\n', 'latin1') });
  const out = r.stdout.toString('latin1');
  const parts: string[] = [];
  let at = 0;
  QUERIES.forEach((_, i) => {
    const marker = new RegExp(`"?@@q${i}@@"?\\n`);
    const m = marker.exec(out.slice(at));
    parts.push(m ? out.slice(at, at + m.index) : out.slice(at));
    at = m ? at + m.index + m[0].length : out.length;
  });
  return parts;
}

const available = realRedisAvailable('renderer against redis-cli');

describe.runIf(available)('rendering real replies like redis-cli', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer(['--enable-debug-command', 'yes']);
    const c = await respClient(server.port);
    for (const cmd of SETUP) await c.call(...cmd);
    c.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const protocol of [2, 3] as const) {
    it(`renders RESP${protocol} replies as redis-cli does, standard and raw`, async () => {
      const c: RespClient = await respClient(server.port);
      if (protocol === 3) await c.call('HELLO', '3');
      const replies: Reply[] = [];
      for (const q of QUERIES) replies.push(await c.call(...q));
      c.close();
      const flag = protocol === 3 ? ['-3'] : [];
      const standard = redisCliOutputs(server.port, [...flag, '--no-raw']);
      const raw = redisCliOutputs(server.port, flag);
      QUERIES.forEach((q, i) => {
        const reply = replies[i] as Reply;
        expect(renderReply(reply), `${q.join(' ')} (standard)`).toBe(standard[i]);
        expect(renderRaw(reply), `${q.join(' ')} (raw)`).toBe(raw[i]);
      });
    });
  }
});
