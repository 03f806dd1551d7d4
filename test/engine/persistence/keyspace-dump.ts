/**
 * A keyspace described key by key through commands (TYPE, PEXPIRETIME, the value read in full,
 * OBJECT ENCODING), so that the same description can be taken of our engine and of a real
 * redis-server and compared: after an RDB round trip, or after a file moves between the two.
 */
import { formatDouble } from '../../../src/resp/double.js';
import type { Reply } from '../../../src/resp/reply.js';

export type Call = (...argv: string[]) => Promise<Reply> | Reply;

export interface KeyDescription {
  readonly type: string;
  readonly expireAt: string;
  readonly value: unknown;
  readonly encoding?: string;
}

/** A reply as plain data (bigints as strings), for toEqual. */
function plain(r: Reply): unknown {
  switch (r.kind) {
    case 'array': case 'set': case 'push':
      return r.items.map(plain);
    case 'map':
      // Flat, as RESP2 sends a map.
      return r.entries.flatMap(([k, v]) => [plain(k), plain(v)]);
    case 'integer':
      return typeof r.value === 'bigint' ? r.value.toString() : r.value;
    case 'null':
      return null;
    case 'error':
      return { error: r.message };
    case 'double':
      // As RESP2 sends it (a bulk string), which is what redis-server answers the dump with.
      return r.text ?? formatDouble(r.value);
    case 'boolean':
      return r.value;
    case 'bignum':
      return r.value;
    default:
      return r.value;
  }
}

function strings(r: Reply): string[] {
  const items = r.kind === 'map' ? r.entries.flat() : r.kind === 'array' || r.kind === 'set' ? r.items : undefined;
  if (!items) throw new Error(`expected an array, got ${r.kind}`);
  return items.map((i) => (i.kind === 'bulk' ? i.value : String(plain(i))));
}

function pairs(items: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i] as string, items[i + 1] as string]);
  return out;
}

/** Every key of databases `dbs`, as `db:key` → description. `withEncoding` adds OBJECT ENCODING. */
export async function describeKeyspace(call: Call, dbs: readonly number[], withEncoding = false): Promise<Record<string, KeyDescription>> {
  const out: Record<string, KeyDescription> = {};
  for (const db of dbs) {
    await call('SELECT', String(db));
    const keys = strings(await call('KEYS', '*')).sort();
    for (const key of keys) {
      const type = (plain(await call('TYPE', key)) as string);
      const expireAt = String(plain(await call('PEXPIRETIME', key)));
      let value: unknown;
      switch (type) {
        case 'string': value = plain(await call('GET', key)); break;
        case 'list': value = strings(await call('LRANGE', key, '0', '-1')); break;
        case 'set': value = strings(await call('SMEMBERS', key)).sort(); break;
        case 'zset': value = strings(await call('ZRANGE', key, '0', '-1', 'WITHSCORES')); break;
        case 'hash': value = pairs(strings(await call('HGETALL', key))).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); break;
        case 'stream': value = plain(await call('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0')); break;
        case 'ReJSON-RL': value = plain(await call('JSON.GET', key)); break;
        default: throw new Error(`unexpected type ${type}`);
      }
      const encoding = withEncoding ? String(plain(await call('OBJECT', 'ENCODING', key))) : undefined;
      out[`${db}:${key}`] = encoding === undefined ? { type, expireAt, value } : { type, expireAt, value, encoding };
    }
  }
  await call('SELECT', '0');
  return out;
}
