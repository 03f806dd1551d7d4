/**
 * Fills a keyspace (ours or a real redis-server's) with every type in several encodings, through
 * commands: small and large strings (integers, binary, compressible), lists of one and of many
 * quicklist nodes, intsets and hash-table sets, listpack and skiplist sorted sets (geo included),
 * listpack and hash-table hashes, streams with deleted entries, consumer groups and pending
 * entries, expiries, and several databases.
 */
import type { Call } from './keyspace-dump.js';

/** A future absolute time (ms) for PEXPIREAT: a day from `now`, plus `i` ms. */
function future(now: number, i: number): string {
  return String(now + 86_400_000 + i);
}

export async function fillEveryType(call: Call, now: number): Promise<void> {
  const cmd = async (...argv: string[]) => {
    const r = await call(...argv);
    if (r.kind === 'error') throw new Error(`${argv.join(' ')}: ${r.message}`);
    return r;
  };
  await cmd('SELECT', '0');
  // Strings.
  await cmd('SET', 's:int', '12345');
  await cmd('SET', 's:neg', '-7');
  await cmd('SET', 's:int32', '-2147483648');
  await cmd('SET', 's:int64', '9223372036854775807');
  await cmd('SET', 's:lead0', '007');
  await cmd('SET', 's:minus0', '-0');
  await cmd('SET', 's:empty', '');
  await cmd('SET', 's:embstr', 'hello world');
  await cmd('SET', 's:compressible', 'a'.repeat(300));
  await cmd('SET', 's:binary', '\x00\x01\xff\xfe\r\n binary \x80\x90');
  await cmd('SET', 's:long', Array.from({ length: 500 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 95))).join(''));
  await cmd('SET', 's:ttl', 'expiring');
  await cmd('PEXPIREAT', 's:ttl', future(now, 1));
  await cmd('SETRANGE', 's:raw', '10', 'xyz');
  // Lists.
  await cmd('RPUSH', 'l:small', 'a', '1', '-2', '300', '70000', '4294967296', 'b', '');
  const big: string[] = [];
  for (let i = 0; i < 3000; i++) big.push(i % 3 === 0 ? String(i * 1000) : `element-${i}-${'x'.repeat(i % 40)}`);
  await cmd('RPUSH', 'l:big', ...big);
  await cmd('RPUSH', 'l:huge-element', 'small', 'y'.repeat(20000), 'after');
  await cmd('LPUSH', 'l:ttl', 'x', 'y');
  await cmd('PEXPIREAT', 'l:ttl', future(now, 2));
  // Sets.
  await cmd('SADD', 's:intset16', '1', '2', '3', '-5', '100');
  await cmd('SADD', 's:intset64', '1', '-9223372036854775808', '9223372036854775807', '5000000000');
  await cmd('SADD', 's:strings', 'apple', 'banana', 'cherry', '12');
  const manyInts: string[] = [];
  for (let i = 0; i < 700; i++) manyInts.push(String(i * 3));
  await cmd('SADD', 's:bigintset', ...manyInts);
  await cmd('SADD', 'set:ttl', 'a', 'b');
  await cmd('PEXPIREAT', 'set:ttl', future(now, 3));
  // Sorted sets (geo is a sorted set).
  await cmd('ZADD', 'z:small', '1', 'one', '2.5', 'two-and-a-half', '-3', 'minus', '1e300', 'huge', '0.1', 'tenth', 'inf', 'top', '-inf', 'bottom', '-0', 'zero', '4611686018427387904', 'p62');
  const zbig: string[] = [];
  for (let i = 0; i < 300; i++) zbig.push(String(i / 7), `m${i}`);
  await cmd('ZADD', 'z:big', ...zbig);
  await cmd('ZADD', 'z:longmember', '5', 'q'.repeat(100), '6', 'short');
  await cmd('GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '-122.27652', '37.805186', 'Oakland');
  await cmd('PEXPIREAT', 'z:small', future(now, 4));
  // Hashes.
  await cmd('HSET', 'h:small', 'name', 'redis', 'version', '7', 'neg', '-1', 'empty', '');
  const hbig: string[] = [];
  for (let i = 0; i < 600; i++) hbig.push(`field:${i}`, i % 2 ? String(i) : `value-${i}`);
  await cmd('HSET', 'h:big', ...hbig);
  await cmd('HSET', 'h:longvalue', 'k', 'v'.repeat(100), 'k2', 'short');
  await cmd('PEXPIREAT', 'h:small', future(now, 5));
  // Streams: entries with the master's fields and with others, deletions, groups, pending entries.
  for (let i = 1; i <= 250; i++) {
    if (i % 5 === 0) await cmd('XADD', 'x:stream', `${1000 + i}-${i}`, 'other', String(i), 'extra', `v${i}`);
    else await cmd('XADD', 'x:stream', `${1000 + i}-${i}`, 'temp', String(i * 1.5), 'city', i % 2 ? 'Rome' : 'Paris');
  }
  await cmd('XDEL', 'x:stream', '1003-3', '1100-100', '1101-101');
  await cmd('XGROUP', 'CREATE', 'x:stream', 'g1', '0');
  await cmd('XGROUP', 'CREATE', 'x:stream', 'g2', '$');
  await cmd('XGROUP', 'CREATE', 'x:stream', 'g3', '1050-50', 'ENTRIESREAD', '30');
  await cmd('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '5', 'STREAMS', 'x:stream', '>');
  await cmd('XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '3', 'STREAMS', 'x:stream', '>');
  await cmd('XACK', 'x:stream', 'g1', '1002-2');
  await cmd('XGROUP', 'CREATECONSUMER', 'x:stream', 'g2', 'idle');
  await cmd('XADD', 'x:small', '*', 'a', '1');
  await cmd('XADD', 'x:empty', 'MAXLEN', '0', '5-5', 'f', 'v');
  await cmd('XADD', 'x:ttl', '1-1', 'f', 'v');
  await cmd('PEXPIREAT', 'x:ttl', future(now, 6));
  // Other databases.
  await cmd('SELECT', '3');
  await cmd('SET', 'db3:key', 'in db 3');
  await cmd('RPUSH', 'db3:list', '1', '2');
  await cmd('PEXPIREAT', 'db3:key', future(now, 7));
  await cmd('SELECT', '15');
  await cmd('HSET', 'db15:h', 'f', 'v');
  await cmd('SELECT', '0');
}
