/**
 * Reading an RDB file (rdbLoadRioWithLoadingCtx and rdbLoadObject): the header, the opcodes,
 * and each key's value, rebuilt with the engine's own value classes under the engine's encoding
 * limits (as Redis converts a loaded value that is over them). Every encoding Redis 7.0 loads is
 * read: quicklists of listpacks or ziplists, plain and ziplist lists, intsets, zipmaps, ziplists
 * and listpacks of hashes and sorted sets, text and binary scores, streams, module values.
 *
 * Parsing reports what it finds to a visitor, so that loading into an engine (rdb.ts) and
 * checking a file (check-rdb.ts) share the one reader.
 */
import { strtod } from '../args.js';
import type { EncodingLimits } from '../config.js';
import { RedisError } from '../errors.js';
import type { RedisObject } from '../keyspace.js';
import { HashValue } from '../types/hash.js';
import { JsonValue, parseJson } from '../types/json.js';
import { ListValue } from '../types/list.js';
import { SetValue } from '../types/set.js';
import { StringValue } from '../types/string.js';
import { type ZEntry, ZSetValue } from '../types/zset.js';
import { crc64 } from './crc64.js';
import { readIntset } from './intset.js';
import { entryString, ListpackError, type ListpackEntry, readListpack } from './listpack.js';
import { RdbError, RdbReader } from './rdb-reader.js';
import { loadStream } from './rdb-stream.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RDB_MODULE_OPCODE_DOUBLE, RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT, RDB_MODULE_OPCODE_SINT, RDB_MODULE_OPCODE_STRING, RDB_MODULE_OPCODE_UINT,
  RDB_OPCODE_AUX, RDB_OPCODE_EOF, RDB_OPCODE_EXPIRETIME, RDB_OPCODE_EXPIRETIME_MS, RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, RDB_OPCODE_IDLE, RDB_OPCODE_MODULE_AUX, RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_MODULE,
  RDB_TYPE_MODULE_2, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING, RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_ZSET_ZIPLIST, RDB_VERSION,
  REJSON_TYPE_NAME, isObjectType, moduleTypeName,
} from './rdb-types.js';
import { readZiplist, readZipmap } from './ziplist.js';

/** What parsing needs to know of the engine the values are for. */
export interface LoadContext {
  readonly databases: number;
  readonly limits: EncodingLimits;
  /**
   * redis-check-rdb's mode: module values and aux data of modules we do not know are skipped
   * over (their opcodes still checked) instead of refusing the file.
   */
  readonly checkMode?: boolean;
}

export interface RdbVisitor {
  /**
   * One key as read from the file (positional, to allocate nothing per key): its database, name,
   * value (undefined: an empty value, which Redis skips), absolute expiry in ms, LRU idle seconds
   * stored with it, RDB type, the offset where its record starts, and the exact expiry when it
   * is beyond 2^53 ms (where the double is only a rounding).
   */
  key(
    db: number, key: string, value: RedisObject | undefined, expireAt: number | undefined, idle: number | undefined,
    rdbType: number, offset: number, exactExpireAt: bigint | undefined,
  ): void;
  /** Offsets given to these are where the item ends, as redis-check-rdb prints them. */
  aux?(key: string, value: string, offset: number): void;
  selectDb?(db: number, offset: number): void;
  moduleAux?(name: string, offset: number): void;
  functionLibrary?(offset: number): void;
  /** 'disabled': the file was saved without a checksum (stored as 0). */
  checksum?(status: 'ok' | 'disabled', offset: number): void;
}

/** Parses a whole RDB file; returns how many bytes it took (an AOF may continue after them). */
export function parseRdb(data: Buffer, file: string, ctx: LoadContext, visitor: RdbVisitor): number {
  const r = new RdbReader(data, file);
  if (data.length < 9 || data.toString('latin1', 0, 5) !== 'REDIS') r.fail('Wrong signature trying to load DB from file', 0);
  const versionText = data.toString('latin1', 5, 9);
  const version = /^[0-9]{4}$/.test(versionText) ? Number(versionText) : -1;
  if (version < 1 || version > RDB_VERSION) r.fail(`Can't handle RDB format version ${versionText}`, 5);
  r.pos = 9;
  let db = 0;
  let expireAt: number | undefined;
  let idle: number | undefined;
  let exactExpireAt: bigint | undefined;
  for (;;) {
    const at = r.pos;
    const type = r.byte();
    if (type === RDB_OPCODE_EXPIRETIME) {
      expireAt = r.seconds() * 1000;
      exactExpireAt = undefined;
      continue;
    }
    if (type === RDB_OPCODE_EXPIRETIME_MS) {
      const exact = r.millisExact();
      expireAt = Number(exact);
      exactExpireAt = Number.isSafeInteger(expireAt) ? undefined : exact;
      continue;
    }
    if (type === RDB_OPCODE_FREQ) {
      r.byte();
      continue;
    }
    if (type === RDB_OPCODE_IDLE) {
      idle = r.len();
      continue;
    }
    if (type === RDB_OPCODE_EOF) break;
    if (type === RDB_OPCODE_SELECTDB) {
      db = r.len();
      if (db >= ctx.databases) {
        r.fail(`Data file was created with a Redis server configured to handle more than ${ctx.databases} databases`, at);
      }
      visitor.selectDb?.(db, r.pos);
      continue;
    }
    if (type === RDB_OPCODE_RESIZEDB) {
      r.len();
      r.len();
      continue;
    }
    if (type === RDB_OPCODE_AUX) {
      const key = r.string();
      const value = r.string();
      visitor.aux?.(key, value, r.pos);
      continue;
    }
    if (type === RDB_OPCODE_MODULE_AUX) {
      const id = r.len64();
      const whenOpcode = r.len();
      r.len();
      if (whenOpcode !== RDB_MODULE_OPCODE_UINT) r.fail('bad when_opcode', at);
      const name = moduleTypeName(id);
      if (!ctx.checkMode) r.fail(`The RDB file contains AUX module data I can't load: no matching module '${name}'`, at);
      skipModuleValue(r, name);
      visitor.moduleAux?.(name, r.pos);
      continue;
    }
    if (type === RDB_OPCODE_FUNCTION || type === RDB_OPCODE_FUNCTION2) {
      if (!ctx.checkMode) r.fail('The RDB file contains a function library, which redislings does not support', at);
      if (type === RDB_OPCODE_FUNCTION) {
        // 7.0 release candidates: name, engine, optional description, code.
        r.string();
        r.string();
        if (r.len() === 1) r.string();
      }
      r.string();
      visitor.functionLibrary?.(r.pos);
      continue;
    }
    if (!isObjectType(type)) r.fail(`Unknown RDB encoding type ${type}`, at);
    const key = r.string();
    let value: RedisObject | undefined;
    try {
      value = loadObject(r, type, ctx);
    } catch (e) {
      if (e instanceof RdbError && !e.key) throw new RdbError(e.file, e.offset, e.reason, { name: key, rdbType: type });
      throw e;
    }
    visitor.key(db, key, value, expireAt, idle, type, at, exactExpireAt);
    expireAt = undefined;
    exactExpireAt = undefined;
    idle = undefined;
  }
  if (version >= 5) {
    const at = r.pos;
    const stored = r.bytes(8);
    const lo = stored.readUInt32LE(0);
    const hi = stored.readUInt32LE(4);
    if (lo === 0 && hi === 0) {
      visitor.checksum?.('disabled', r.pos);
    } else {
      const expected = crc64(data, 0, at);
      const got = (BigInt(hi) << 32n) | BigInt(lo);
      // Reported where reading stopped, after the checksum, in redis-check-rdb's words.
      if (expected !== got) r.fail('RDB CRC error');
      visitor.checksum?.('ok', r.pos);
    }
  }
  return r.pos;
}

/** Checks a listpack/ziplist/intset blob with `read`, turning its faults into an RdbError at the blob. */
function packed<T>(r: RdbReader, what: string, read: (b: Buffer) => T): T {
  const at = r.pos;
  const blob = r.blob();
  try {
    return read(blob);
  } catch (e) {
    if (e instanceof ListpackError) r.fail(`${what} integrity check failed: ${e.message}`, at);
    throw e;
  }
}

function setLimit(ctx: LoadContext): number {
  return Math.min(ctx.limits.setMaxIntsetEntries, 1 << 30);
}

/** rdbLoadObject: a value of `type`, or undefined for an empty one (skipped, as Redis does). */
export function loadObject(r: RdbReader, type: number, ctx: LoadContext): RedisObject | undefined {
  const at = r.pos;
  switch (type) {
    case RDB_TYPE_STRING:
      return new StringValue(r.string());
    case RDB_TYPE_LIST: {
      const n = r.len();
      if (n === 0) return undefined;
      const list = new ListValue();
      for (let i = 0; i < n; i++) list.push(r.string(), 'tail');
      return list;
    }
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = r.len();
      const list = new ListValue();
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          const cat = r.pos;
          container = r.len();
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            r.fail('Quicklist integrity check failed.', cat);
          }
        }
        const blobAt = r.pos;
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          const element = r.string();
          if (element.length === 0) r.fail('Quicklist node is empty', blobAt);
          list.push(element, 'tail');
          continue;
        }
        const elements = type === RDB_TYPE_LIST_QUICKLIST_2
          ? packed(r, 'Listpack', readListpack)
          : packed(r, 'Ziplist', readZiplist);
        for (const e of elements) list.push(entryString(e), 'tail');
      }
      return list.length === 0 ? undefined : list;
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const elements = packed(r, 'List ziplist', readZiplist);
      if (elements.length === 0) return undefined;
      const list = new ListValue();
      for (const e of elements) list.push(entryString(e), 'tail');
      return list;
    }
    case RDB_TYPE_SET: {
      const n = r.len();
      if (n === 0) return undefined;
      const set = new SetValue();
      const limit = setLimit(ctx);
      for (let i = 0; i < n; i++) {
        const mat = r.pos;
        if (!set.add(r.string(), limit)) r.fail('Duplicate set members detected', mat);
      }
      return set;
    }
    case RDB_TYPE_SET_INTSET: {
      const members = packed(r, 'Intset', readIntset);
      return new SetValue(members, setLimit(ctx));
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = r.len();
      if (n === 0) return undefined;
      const entries: ZEntry[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const mat = r.pos;
        const member = r.string();
        const score = type === RDB_TYPE_ZSET_2 ? r.binaryDouble() : r.textDouble();
        if (Number.isNaN(score)) r.fail('Zset with NAN score detected', mat);
        if (seen.has(member)) r.fail('Duplicate zset fields detected', mat);
        seen.add(member);
        entries.push({ member, score });
      }
      return ZSetValue.fromEntries(entries, ctx.limits);
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK: {
      const items = type === RDB_TYPE_ZSET_LISTPACK
        ? packed(r, 'Zset listpack', readListpack)
        : packed(r, 'Zset ziplist', readZiplist);
      if (items.length % 2 !== 0) r.fail('Zset listpack integrity check failed: odd number of elements', at);
      if (items.length === 0) return undefined;
      const entries: ZEntry[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < items.length; i += 2) {
        const member = entryString(items[i] as ListpackEntry);
        const score = listpackScore(r, items[i + 1] as ListpackEntry, at);
        if (seen.has(member)) r.fail('Zset listpack integrity check failed: duplicate members', at);
        seen.add(member);
        entries.push({ member, score });
      }
      return ZSetValue.fromEntries(entries, ctx.limits);
    }
    case RDB_TYPE_HASH: {
      const n = r.len();
      if (n === 0) return undefined;
      const hash = new HashValue();
      for (let i = 0; i < n; i++) {
        const fat = r.pos;
        const field = r.string();
        const value = r.string();
        if (!hash.set(field, value, ctx.limits)) r.fail('Duplicate hash fields detected', fat);
      }
      return hash;
    }
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: {
      const items: readonly ListpackEntry[] = type === RDB_TYPE_HASH_LISTPACK
        ? packed(r, 'Hash listpack', readListpack)
        : type === RDB_TYPE_HASH_ZIPLIST
          ? packed(r, 'Hash ziplist', readZiplist)
          : packed(r, 'Zipmap', readZipmap);
      if (items.length % 2 !== 0) r.fail('Hash listpack integrity check failed: odd number of elements', at);
      if (items.length === 0) return undefined;
      const hash = new HashValue();
      for (let i = 0; i < items.length; i += 2) {
        const field = entryString(items[i] as ListpackEntry);
        if (!hash.set(field, entryString(items[i + 1] as ListpackEntry), ctx.limits)) {
          r.fail('Hash with dup elements', at);
        }
      }
      return hash;
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return loadStream(r, type);
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2:
      return loadModuleValue(r, type, ctx);
    default:
      return r.fail(`Unknown RDB encoding type ${type}`, at);
  }
}

/** zzlGetScore: an integer element, or a string read with strtod. */
function listpackScore(r: RdbReader, e: ListpackEntry, at: number): number {
  if (typeof e !== 'string') return Number(e);
  const v = strtod(e);
  if (v === undefined || Number.isNaN(v.value)) r.fail(`Zset listpack integrity check failed: invalid score '${e}'`, at);
  return v.value;
}

/**
 * A module value: the module type id, then (RDB_TYPE_MODULE_2) typed fields up to an EOF
 * opcode. Only RedisJSON's type is known (the JSON text in one string field).
 */
function loadModuleValue(r: RdbReader, type: number, ctx: LoadContext): RedisObject | undefined {
  const at = r.pos;
  const id = r.len64();
  const name = moduleTypeName(id);
  const encver = Number(id & 1023n);
  if (type === RDB_TYPE_MODULE_2 && name === REJSON_TYPE_NAME && (encver === 2 || encver === 3)) {
    const fields = readModuleFields(r, name);
    const text = fields[0];
    if (typeof text !== 'string') r.fail(`The RDB file contains module data for the module type '${name}' without its JSON text`, at);
    try {
      return new JsonValue(parseJson(text));
    } catch (e) {
      if (e instanceof RedisError) r.fail(`The RDB file contains module data for the module type '${name}' that is not valid JSON: ${e.reply}`, at);
      throw e;
    }
  }
  if (ctx.checkMode && type === RDB_TYPE_MODULE_2) {
    readModuleFields(r, name);
    return undefined;
  }
  return r.fail(`The RDB file contains module data I can't load: no matching module type '${name}'`, at);
}

function skipModuleValue(r: RdbReader, name: string): void {
  readModuleFields(r, name);
}

/** The fields of a module value (rdbLoadCheckModuleValue): integers, floats, doubles, strings, up to EOF. */
function readModuleFields(r: RdbReader, name: string): (string | number | bigint)[] {
  const out: (string | number | bigint)[] = [];
  for (;;) {
    const at = r.pos;
    const opcode = r.len();
    if (opcode === RDB_MODULE_OPCODE_EOF) return out;
    if (opcode === RDB_MODULE_OPCODE_SINT || opcode === RDB_MODULE_OPCODE_UINT) out.push(r.len64());
    else if (opcode === RDB_MODULE_OPCODE_STRING) out.push(r.string());
    else if (opcode === RDB_MODULE_OPCODE_FLOAT) out.push(r.binaryFloat());
    else if (opcode === RDB_MODULE_OPCODE_DOUBLE) out.push(r.binaryDouble());
    else r.fail(`Unknown module opcode ${opcode} in a value of module ${name}`, at);
  }
}
