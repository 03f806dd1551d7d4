/**
 * The RDB format's constants (rdb.h): the version, the value types and the opcodes. These are
 * fixed on disk, whatever the in-memory encodings become.
 */

/** The RDB version Redis 7.0 writes; it loads versions 1 up to this one. */
export const RDB_VERSION = 10;

// Length prefixes: the top two bits of the first byte.
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

// Special string encodings (after an RDB_ENCVAL prefix).
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

// Value types.
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

/** rdbIsObjectType */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

/** Names of the value types, as redis-check-rdb prints them (rdb_type_string). */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'string', 1: 'list-linked', 2: 'set-hashtable', 3: 'zset-v1', 4: 'hash-hashtable', 5: 'zset-v2',
  6: 'module-value', 7: 'module-value', 9: 'hash-zipmap', 10: 'list-ziplist', 11: 'set-intset',
  12: 'zset-ziplist', 13: 'hash-ziplist', 14: 'quicklist', 15: 'stream', 16: 'hash-listpack',
  17: 'zset-listpack', 18: 'quicklist-v2', 19: 'stream-v2',
};

// Opcodes.
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

// Module value sub-opcodes (RDB_TYPE_MODULE_2).
export const RDB_MODULE_OPCODE_EOF = 0;
export const RDB_MODULE_OPCODE_SINT = 1;
export const RDB_MODULE_OPCODE_UINT = 2;
export const RDB_MODULE_OPCODE_FLOAT = 3;
export const RDB_MODULE_OPCODE_DOUBLE = 4;
export const RDB_MODULE_OPCODE_STRING = 5;

// quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2).
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** moduleTypeEncodeId's alphabet: each of a module type's 9 name characters becomes 6 bits. */
const MODULE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeEncodeId: a module type's 9-character name and encoding version as a 64-bit id. */
export function moduleTypeId(name: string, encver: number): bigint {
  let id = 0n;
  for (const ch of name) id = (id << 6n) | BigInt(MODULE_NAME_CHARSET.indexOf(ch));
  return (id << 10n) | BigInt(encver);
}

/** moduleTypeNameByID: the name part of a module type id. */
export function moduleTypeName(id: bigint): string {
  let name = '';
  let rest = id >> 10n;
  for (let i = 0; i < 9; i++) {
    name = (MODULE_NAME_CHARSET[Number(rest & 63n)] as string) + name;
    rest >>= 6n;
  }
  return name;
}

/**
 * RedisJSON's module type ("ReJSON-RL", encoding version 3): its value is one module string,
 * the document serialized as JSON. redis-server without the RedisJSON module cannot load such a
 * value (it stops with "no matching module type"); redis-check-rdb accepts it, and our engine
 * round-trips it.
 */
export const REJSON_TYPE_NAME = 'ReJSON-RL';
export const REJSON_ENCVER = 3;
