/**
 * Seeded random command sequences over a small key space, in the spirit of fakeredis' state
 * machine test: many commands of every type hitting the same few keys, so that types collide
 * (WRONGTYPE), collections grow, shrink and vanish, and options combine in ways no hand-written
 * script thinks of. Only commands whose reply Redis defines are generated (no SPOP, RANDOMKEY,
 * TIME, TTL drift…); replies whose order Redis leaves open are compared sorted (`@sort `).
 */
import { prng } from '../helpers/prng.js';

type Gen = (r: Rand) => string;

class Rand {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  key(): string {
    return this.pick(KEYS);
  }
  keys(min = 1, max = 3): string {
    return Array.from({ length: this.int(min, max) }, () => this.key()).join(' ');
  }
  member(): string {
    return this.pick(MEMBERS);
  }
  value(): string {
    return this.pick(VALUES);
  }
  num(): string {
    return String(this.int(-5, 10));
  }
  score(): string {
    return this.pick(SCORES);
  }
}

const KEYS = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
const MEMBERS = ['a', 'b', 'c', 'd', 'e', '1', '2', '3', '10', '-1'];
const VALUES = ['x', 'hello', '1', '42', '-7', '3.5', '""', 'abc', '9223372036854775807', '0'];
const SCORES = ['0', '1', '2', '1.5', '-1', '10', '+inf', '-inf', '3', '2.25', 'nan', 'x'];
const RANGES = ['0 -1', '0 0', '1 2', '-2 -1', '5 10', '-100 100', '2 1'];
const SCORE_RANGES = ['-inf +inf', '0 2', '(1 3', '1 (2', '(0 (10', '2 1', 'x 1'];
const LEX_RANGES = ['- +', '[a [c', '(a +', '- (c', '[b [b', 'a c'];

/** Generators per area, weighted by how many there are. */
const GENERATORS: Gen[] = [
  // strings
  (r) => `SET ${r.key()} ${r.value()}`,
  (r) => `SET ${r.key()} ${r.value()} ${r.pick(['NX', 'XX', 'GET', 'NX GET', 'XX GET', 'KEEPTTL', 'EX 1000', 'PX 100000', 'EX 0', 'EX x', 'NX XX'])}`,
  (r) => `GET ${r.key()}`,
  (r) => `GETDEL ${r.key()}`,
  (r) => `GETEX ${r.key()} ${r.pick(['', 'PERSIST', 'EX 500', 'PX 0'])}`,
  (r) => `MSET ${r.key()} ${r.value()} ${r.key()} ${r.value()}`,
  (r) => `MSETNX ${r.key()} ${r.value()} ${r.key()} ${r.value()}`,
  (r) => `MGET ${r.keys()}`,
  (r) => `SETNX ${r.key()} ${r.value()}`,
  (r) => `APPEND ${r.key()} ${r.value()}`,
  (r) => `STRLEN ${r.key()}`,
  (r) => `GETRANGE ${r.key()} ${r.pick(RANGES)}`,
  (r) => `SETRANGE ${r.key()} ${r.int(0, 8)} ${r.value()}`,
  (r) => `${r.pick(['INCR', 'DECR'])} ${r.key()}`,
  (r) => `${r.pick(['INCRBY', 'DECRBY'])} ${r.key()} ${r.pick(['1', '-3', '100', 'x', '9223372036854775807'])}`,
  (r) => `INCRBYFLOAT ${r.key()} ${r.pick(['0.1', '-1.5', '3', '1e3', 'x', '2.5e-2'])}`,
  // bitmaps
  (r) => `SETBIT ${r.key()} ${r.int(0, 40)} ${r.int(0, 1)}`,
  (r) => `GETBIT ${r.key()} ${r.int(0, 40)}`,
  (r) => `BITCOUNT ${r.key()} ${r.pick(['', '0 -1', '1 2', '0 10 BIT', '-1 -1 BYTE'])}`,
  (r) => `BITPOS ${r.key()} ${r.int(0, 1)} ${r.pick(['', '0', '1 -1', '0 -1 BIT'])}`,
  (r) => `BITOP ${r.pick(['AND', 'OR', 'XOR'])} ${r.key()} ${r.keys()}`,
  // lists
  (r) => `${r.pick(['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'])} ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `${r.pick(['LPOP', 'RPOP'])} ${r.key()}${r.pick(['', ' 2', ' 0'])}`,
  (r) => `LRANGE ${r.key()} ${r.pick(RANGES)}`,
  (r) => `LLEN ${r.key()}`,
  (r) => `LINDEX ${r.key()} ${r.int(-3, 3)}`,
  (r) => `LSET ${r.key()} ${r.int(-2, 2)} ${r.member()}`,
  (r) => `LINSERT ${r.key()} ${r.pick(['BEFORE', 'AFTER'])} ${r.member()} ${r.member()}`,
  (r) => `LREM ${r.key()} ${r.int(-2, 2)} ${r.member()}`,
  (r) => `LTRIM ${r.key()} ${r.pick(RANGES)}`,
  (r) => `LPOS ${r.key()} ${r.member()} ${r.pick(['', 'RANK 2', 'COUNT 0', 'RANK -1 COUNT 2', 'MAXLEN 2'])}`,
  (r) => `LMOVE ${r.key()} ${r.key()} ${r.pick(['LEFT', 'RIGHT'])} ${r.pick(['LEFT', 'RIGHT'])}`,
  (r) => `RPOPLPUSH ${r.key()} ${r.key()}`,
  (r) => `LMPOP ${r.int(1, 2)} ${r.key()} ${r.key()} ${r.pick(['LEFT', 'RIGHT'])}${r.pick(['', ' COUNT 2'])}`,
  (r) => `${r.pick(['BLPOP', 'BRPOP'])} ${r.key()} ${r.key()} 0.01`,
  // hashes
  (r) => `HSET ${r.key()} ${r.member()} ${r.value()} ${r.member()} ${r.value()}`,
  (r) => `HSETNX ${r.key()} ${r.member()} ${r.value()}`,
  (r) => `HGET ${r.key()} ${r.member()}`,
  (r) => `HMGET ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `HGETALL ${r.key()}`,
  (r) => `HDEL ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `${r.pick(['HLEN', 'HKEYS', 'HVALS'])} ${r.key()}`,
  (r) => `HEXISTS ${r.key()} ${r.member()}`,
  (r) => `HINCRBY ${r.key()} ${r.member()} ${r.pick(['1', '-2', 'x', '9223372036854775807'])}`,
  (r) => `HINCRBYFLOAT ${r.key()} ${r.member()} ${r.pick(['0.5', '-1', '1e2', 'x'])}`,
  (r) => `HSTRLEN ${r.key()} ${r.member()}`,
  // sets
  (r) => `SADD ${r.key()} ${r.member()} ${r.member()} ${r.member()}`,
  (r) => `SREM ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `@sort SMEMBERS ${r.key()}`,
  (r) => `SISMEMBER ${r.key()} ${r.member()}`,
  (r) => `SMISMEMBER ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `SCARD ${r.key()}`,
  (r) => `SMOVE ${r.key()} ${r.key()} ${r.member()}`,
  (r) => `@sort ${r.pick(['SINTER', 'SUNION', 'SDIFF'])} ${r.keys()}`,
  (r) => `${r.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'])} ${r.key()} ${r.keys()}`,
  (r) => `SINTERCARD ${r.int(1, 2)} ${r.key()} ${r.key()}${r.pick(['', ' LIMIT 1'])}`,
  // sorted sets
  (r) => `ZADD ${r.key()} ${r.pick(['', 'NX ', 'XX ', 'GT ', 'LT ', 'CH ', 'XX CH ', 'INCR '])}${r.score()} ${r.member()}`,
  (r) => `ZADD ${r.key()} ${r.score()} ${r.member()} ${r.score()} ${r.member()}`,
  (r) => `ZINCRBY ${r.key()} ${r.score()} ${r.member()}`,
  (r) => `ZSCORE ${r.key()} ${r.member()}`,
  (r) => `ZMSCORE ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `${r.pick(['ZRANK', 'ZREVRANK'])} ${r.key()} ${r.member()}`,
  (r) => `ZCARD ${r.key()}`,
  (r) => `ZCOUNT ${r.key()} ${r.pick(SCORE_RANGES)}`,
  (r) => `ZLEXCOUNT ${r.key()} ${r.pick(LEX_RANGES)}`,
  (r) => `ZRANGE ${r.key()} ${r.pick(RANGES)}${r.pick(['', ' WITHSCORES', ' REV', ' REV WITHSCORES'])}`,
  (r) => `ZRANGE ${r.key()} ${r.pick(SCORE_RANGES)} BYSCORE${r.pick(['', ' LIMIT 0 2', ' WITHSCORES', ' REV'])}`,
  (r) => `ZRANGEBYSCORE ${r.key()} ${r.pick(SCORE_RANGES)}${r.pick(['', ' WITHSCORES', ' LIMIT 1 1'])}`,
  (r) => `ZRANGEBYLEX ${r.key()} ${r.pick(LEX_RANGES)}`,
  (r) => `ZREM ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `ZREMRANGEBYRANK ${r.key()} ${r.pick(RANGES)}`,
  (r) => `ZREMRANGEBYSCORE ${r.key()} ${r.pick(SCORE_RANGES)}`,
  (r) => `${r.pick(['ZPOPMIN', 'ZPOPMAX'])} ${r.key()}${r.pick(['', ' 2'])}`,
  (r) => `${r.pick(['ZUNIONSTORE', 'ZINTERSTORE'])} ${r.key()} 2 ${r.key()} ${r.key()}${r.pick(['', ' WEIGHTS 2 3', ' AGGREGATE MAX', ' AGGREGATE MIN'])}`,
  (r) => `ZDIFFSTORE ${r.key()} 2 ${r.key()} ${r.key()}`,
  (r) => `${r.pick(['ZUNION', 'ZINTER', 'ZDIFF'])} 2 ${r.key()} ${r.key()}${r.pick(['', ' WITHSCORES'])}`,
  (r) => `ZRANGESTORE ${r.key()} ${r.key()} ${r.pick(RANGES)}`,
  // streams (explicit IDs: `*` would differ between the two servers)
  (r) => `XADD ${r.key()} ${r.int(0, 30)}-${r.int(0, 3)} ${r.member()} ${r.value()}`,
  (r) => `XADD ${r.key()} ${r.pick(['MAXLEN 3 ', 'MAXLEN ~ 2 ', 'MINID 5 ', 'NOMKSTREAM ', ''])}${r.int(0, 30)}-${r.int(1, 3)} f ${r.value()}`,
  (r) => `XLEN ${r.key()}`,
  (r) => `${r.pick(['XRANGE', 'XREVRANGE'])} ${r.key()} ${r.pick(['- +', '+ -', '5 20', '(3 +', '- + COUNT 2', '10-1 10-3'])}`,
  (r) => `XDEL ${r.key()} ${r.int(0, 30)}-${r.int(0, 3)}`,
  (r) => `XTRIM ${r.key()} ${r.pick(['MAXLEN 2', 'MINID 10', 'MAXLEN ~ 1', 'MAXLEN x'])}`,
  (r) => `XREAD COUNT 2 STREAMS ${r.key()} ${r.pick(['0', '10-0', '$'])}`,
  // geospatial
  (r) => `GEOADD ${r.key()} ${r.pick(['', 'NX ', 'XX ', 'CH '])}${r.pick(['13.361389 38.115556', '15.087269 37.502669', '2.3522 48.8566', '-0.1276 51.5072', '200 10'])} ${r.member()}`,
  (r) => `GEODIST ${r.key()} ${r.member()} ${r.member()} ${r.pick(['m', 'km', 'mi', 'ft'])}`,
  (r) => `GEOPOS ${r.key()} ${r.member()} ${r.member()}`,
  (r) => `GEOHASH ${r.key()} ${r.member()}`,
  (r) => `GEOSEARCH ${r.key()} FROMLONLAT 15 37 BYRADIUS ${r.pick(['200', '2000'])} km ${r.pick(['ASC', 'DESC'])}${r.pick(['', ' WITHDIST', ' WITHCOORD', ' COUNT 1'])}`,
  // keys and expiry
  (r) => `DEL ${r.keys()}`,
  (r) => `EXISTS ${r.keys()}`,
  (r) => `TYPE ${r.key()}`,
  (r) => `@sort KEYS ${r.pick(['*', 'k[1-3]', 'k?', '*5', 'x*'])}`,
  (r) => `RENAME ${r.key()} ${r.key()}`,
  (r) => `RENAMENX ${r.key()} ${r.key()}`,
  (r) => `COPY ${r.key()} ${r.key()}${r.pick(['', ' REPLACE'])}`,
  // GT and LT compare against an absolute time: a relative EXPIRE given twice would compare equal
  // or not depending on whether the two ran in the same millisecond, which differs between runs.
  (r) => `EXPIRE ${r.key()} ${r.pick(['1000', '2000'])}${r.pick(['', ' NX', ' XX'])}`,
  (r) => `EXPIREAT ${r.key()} ${r.pick(['4102444800', '4133980800'])}${r.pick(['', ' NX', ' XX', ' GT', ' LT'])}`,
  (r) => `PERSIST ${r.key()}`,
  (r) => `OBJECT ENCODING ${r.key()}`,
  () => 'DBSIZE',
  // transactions
  () => 'MULTI',
  () => 'EXEC',
  () => 'DISCARD',
  (r) => `WATCH ${r.key()}`,
];

/** A script of `count` random commands for the given seed. */
export function randomScript(seed: number, count: number): string {
  const r = new Rand(prng(seed));
  const lines: string[] = [];
  let inMulti = false;
  while (lines.length < count) {
    const line = r.pick(GENERATORS)(r).trimEnd();
    // Inside MULTI the reply comes back within EXEC's array, where it cannot be sorted.
    if (inMulti && line.startsWith('@sort ')) continue;
    if (line === 'MULTI') inMulti = true;
    if (line === 'EXEC' || line === 'DISCARD') inMulti = false;
    lines.push(line);
  }
  // A transaction left open at the end would swallow nothing, but close it for clarity.
  lines.push('DISCARD');
  return lines.join('\n') + '\n';
}
