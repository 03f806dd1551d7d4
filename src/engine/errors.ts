/**
 * Every error text the engine answers with, word for word as Redis 7.0 sends it. Commands throw a
 * RedisError; the dispatcher turns it into an error reply in one place.
 */
export class RedisError extends Error {
  /** The full error line as sent, code first: `ERR syntax error`, `WRONGTYPE Operation …`. */
  constructor(readonly reply: string) {
    super(reply);
  }
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const SYNTAX = 'ERR syntax error';
export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const NO_SUCH_KEY = 'ERR no such key';
export const INDEX_OUT_OF_RANGE = 'ERR index out of range';
export const OVERFLOW = 'ERR increment or decrement would overflow';
export const INCR_NAN_OR_INF = 'ERR increment would produce NaN or Infinity';
export const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
export const NOT_IN_MULTI_EXEC = 'ERR EXEC without MULTI';
export const NOT_IN_MULTI_DISCARD = 'ERR DISCARD without MULTI';
export const NESTED_MULTI = 'ERR MULTI calls can not be nested';
export const WATCH_IN_MULTI = 'ERR WATCH inside MULTI is not allowed';
export const DB_INDEX_OUT_OF_RANGE = 'ERR DB index is out of range';
export const TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
export const TIMEOUT_NEGATIVE = 'ERR timeout is negative';
export const TIMEOUT_OUT_OF_RANGE = 'ERR timeout is out of range';
export const NOT_ALLOWED_IN_MULTI = 'ERR Command not allowed inside a transaction';
export const BUSYKEY = 'BUSYKEY Target key name already exists.';
export const SAME_OBJECT = 'ERR source and destination objects are the same';

export function wrongArity(fullName: string): string {
  return `ERR wrong number of arguments for '${fullName}' command`;
}

export function invalidExpire(commandName: string): string {
  return `ERR invalid expire time in '${commandName}' command`;
}

/** As commandCheckExistence: at most 128 bytes of each argument, until 128 bytes are listed. */
export function unknownCommand(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${(argv[i] as string).slice(0, 128 - args.length)}' `;
  }
  return noNewlines(`ERR unknown command '${(argv[0] as string).slice(0, 128)}', with args beginning with: ${args}`);
}

export function unknownSubcommand(container: string, sub: string): string {
  return noNewlines(`ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`);
}

/** An error reply may not contain a newline (it would break the protocol), so Redis maps them to spaces. */
export function noNewlines(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}
export const HASH_VALUE_NOT_INTEGER = 'ERR hash value is not an integer';
export const HASH_VALUE_NOT_FLOAT = 'ERR hash value is not a float';
export const VALUE_NAN_OR_INFINITY = 'ERR value is NaN or Infinity';
export const VALUE_OUT_OF_RANGE = 'ERR value is out of range';
export const NUMKEYS_NOT_POSITIVE = 'ERR numkeys should be greater than 0';
export const NUMKEYS_OVER_ARGS = "ERR Number of keys can't be greater than number of args";
export const LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

// Keys, expiry, databases, OBJECT (db.c, expire.c, object.c).
export const INVALID_FIRST_DB_INDEX = 'ERR invalid first DB index';
export const INVALID_SECOND_DB_INDEX = 'ERR invalid second DB index';
export const EXPIRE_NX_AND_XX_GT_LT = 'ERR NX and XX, GT or LT options at the same time are not compatible';
export const EXPIRE_GT_AND_LT = 'ERR GT and LT options at the same time are not compatible';
export const LFU_NOT_SELECTED = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
export const LFU_SELECTED = 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

export function unsupportedOption(option: string): string {
  return noNewlines(`ERR Unsupported option ${option}`);
}

// Strings and bitmaps (t_string.c, bitops.c).
export const STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
export const OFFSET_OUT_OF_RANGE = 'ERR offset is out of range';
export const DECREMENT_OVERFLOW = 'ERR decrement would overflow';
export const LCS_NOT_STRINGS = 'ERR The specified keys must contain string values';
export const LCS_BOTH_LEN_AND_IDX = 'ERR If you want both the length and indexes, please just use IDX.';
export const LCS_TOO_MUCH_MEMORY = 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len';
export const BIT_OFFSET_NOT_INTEGER = 'ERR bit offset is not an integer or out of range';
export const BIT_NOT_INTEGER = 'ERR bit is not an integer or out of range';
export const BIT_ARGUMENT = 'ERR The bit argument must be 1 or 0.';
export const BITOP_NOT_ONE_KEY = 'ERR BITOP NOT must be called with a single source key.';
export const BITFIELD_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
export const BITFIELD_OVERFLOW_TYPE = 'ERR Invalid OVERFLOW type specified';
export const BITFIELD_RO_ONLY_GET = 'ERR BITFIELD_RO only supports the GET subcommand';

// Lists (t_list.c) and blocking timeouts (timeout.c).
export const RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
export const COUNT_NEGATIVE = "ERR COUNT can't be negative";
export const MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
export const COUNT_NOT_POSITIVE = 'ERR count should be greater than 0';
export const TIMEOUT_NOT_INTEGER = 'ERR timeout is not an integer or out of range';

// Sorted sets (t_zset.c).
export const ZADD_XX_AND_NX = 'ERR XX and NX options at the same time are not compatible';
export const ZADD_GT_LT_NX = 'ERR GT, LT, and/or NX options at the same time are not compatible';
export const ZADD_INCR_SINGLE_PAIR = 'ERR INCR option supports a single increment-element pair';
export const ZSET_NAN_SCORE = 'ERR resulting score is not a number (NaN)';
export const ZSET_MIN_MAX_NOT_FLOAT = 'ERR min or max is not a float';
export const ZSET_MIN_MAX_NOT_LEX = 'ERR min or max not valid string range item';
export const ZRANGE_LIMIT_NEEDS_BY = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
export const ZRANGE_BYLEX_WITHSCORES = 'ERR syntax error, WITHSCORES not supported in combination with BYLEX';
export const ZSET_WEIGHT_NOT_FLOAT = 'ERR weight value is not a float';
export const ZPOP_COUNT_NOT_POSITIVE = 'ERR value is out of range, must be positive';

export function zsetNeedsInputKey(fullName: string): string {
  return `ERR at least 1 input key is needed for '${fullName}' command`;
}

// Connection and authentication (networking.c, acl.c).
export const NOAUTH = 'NOAUTH Authentication required.';
export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

// Streams (t_stream.c, blocked.c).
export const XADD_ID_ZERO = 'ERR The ID specified in XADD must be greater than 0-0';
export const XADD_ID_TOO_SMALL = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
export const XADD_TOO_LARGE = 'ERR Elements are too large to be stored';
export const XADD_EXHAUSTED = 'ERR The stream has exhausted the last possible ID, unable to add more items';
export const XTRIM_MAXLEN_NEGATIVE = 'ERR The MAXLEN argument must be >= 0.';
export const XTRIM_LIMIT_NEGATIVE = 'ERR The LIMIT argument must be >= 0.';
export const XTRIM_MAXLEN_AND_MINID = 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible';
export const XTRIM_LIMIT_WITHOUT_STRATEGY = 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy';
export const XTRIM_NEEDS_STRATEGY = 'ERR syntax error, XTRIM must be called with a trimming strategy';
export const XTRIM_LIMIT_WITHOUT_APPROX = 'ERR syntax error, LIMIT cannot be used without the special ~ option';
export const XRANGE_INVALID_START = 'ERR invalid start ID for the interval';
export const XRANGE_INVALID_END = 'ERR invalid end ID for the interval';
export const XREAD_UNBALANCED = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
export const XREAD_GROUP_ONLY_XREADGROUP = 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.';
export const XREAD_NOACK_ONLY_XREADGROUP = 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.';
export const XREADGROUP_MISSING_GROUP = 'ERR Missing GROUP option for XREADGROUP';
export const XREADGROUP_DOLLAR = 'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.';
export const XREAD_GT_ONLY_XREADGROUP = 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.';
export const XREADGROUP_GROUP_DESTROYED = 'NOGROUP the consumer group this client was blocked on no longer exists';
export const XREADGROUP_KEY_DELETED = 'UNBLOCKED the stream key no longer exists';
export const XGROUP_KEY_MUST_EXIST = 'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.';
export const XGROUP_ENTRIESREAD_INVALID = 'ERR value for ENTRIESREAD must be positive or -1';
export const BUSYGROUP = 'BUSYGROUP Consumer Group name already exists';
export const XSETID_ENTRIES_ADDED_NEGATIVE = 'ERR entries_added must be positive';
export const XSETID_SMALLER_THAN_MAX_DELETED = 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id';
export const XSETID_SMALLER_THAN_TOP = 'ERR The ID specified in XSETID is smaller than the target stream top item';
export const XSETID_ENTRIES_ADDED_TOO_SMALL = 'ERR The entries_added specified in XSETID is smaller than the target stream length';
export const XCLAIM_INVALID_MIN_IDLE = 'ERR Invalid min-idle-time argument for XCLAIM';
export const XCLAIM_INVALID_IDLE = 'ERR Invalid IDLE option argument for XCLAIM';
export const XCLAIM_INVALID_TIME = 'ERR Invalid TIME option argument for XCLAIM';
export const XCLAIM_INVALID_RETRYCOUNT = 'ERR Invalid RETRYCOUNT option argument for XCLAIM';
export const XAUTOCLAIM_INVALID_MIN_IDLE = 'ERR Invalid min-idle-time argument for XAUTOCLAIM';
export const XAUTOCLAIM_COUNT = 'ERR COUNT must be > 0';
// SHUTDOWN (db.c shutdownCommand, server.c).
export const SHUTDOWN_NOT_IN_PROGRESS = 'ERR No shutdown in progress.';
export const SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';
// Geospatial commands (geo.c).
export const GEO_UNSUPPORTED_UNIT = 'ERR unsupported unit provided. please use M, KM, FT, MI';
export const GEO_NEED_NUMERIC_RADIUS = 'ERR need numeric radius';
export const GEO_RADIUS_NEGATIVE = 'ERR radius cannot be negative';
export const GEO_NEED_NUMERIC_WIDTH = 'ERR need numeric width';
export const GEO_NEED_NUMERIC_HEIGHT = 'ERR need numeric height';
export const GEO_HEIGHT_OR_WIDTH_NEGATIVE = 'ERR height or width cannot be negative';
export const GEO_COULD_NOT_DECODE_MEMBER = 'ERR could not decode requested zset member';
export const GEO_COUNT_NOT_POSITIVE = 'ERR COUNT must be > 0';
export const GEO_ANY_NEEDS_COUNT = 'ERR the ANY argument requires COUNT argument';

/** extractLongLatOrReply, the coordinates printed with %f. */
export function geoInvalidPair(longitude: string, latitude: string): string {
  return `ERR invalid longitude,latitude pair ${longitude},${latitude}`;
}

export function geoStoreNotCompatible(what: string): string {
  return `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`;
}

export function geoExactlyOneCenter(command: string): string {
  return noNewlines(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${command}`);
}

export function geoExactlyOneShape(command: string): string {
  return noNewlines(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${command}`);
}

/**
 * SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a negative count build that many replies; Redis
 * does (and a huge count takes the server down). The bundled engine runs inside the learner's
 * session, so it refuses counts beyond this instead.
 */
export const MAX_RANDOM_REPEATED = 1_000_000;
export const RANDOM_COUNT_TOO_LARGE = `ERR count is too large for the bundled engine (at most ${MAX_RANDOM_REPEATED} repeated members)`;

// --- RDB snapshots (rdb.c saveCommand, bgsaveCommand) ---
export const BGSAVE_IN_PROGRESS = 'ERR Background save already in progress';
export const BGSAVE_CHILD_ACTIVE = "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
/** shared.err: what SAVE and BGSAVE answer when the snapshot could not be written. */
export const SAVE_FAILED = 'ERR';
// --- DUMP / RESTORE (cluster.c) ---
export const DUMP_PAYLOAD_INVALID = 'ERR DUMP payload version or checksum are wrong';
export const RESTORE_BAD_DATA = 'ERR Bad data format';
export const RESTORE_INVALID_TTL = 'ERR Invalid TTL value, must be >= 0';
export const RESTORE_INVALID_IDLETIME = 'ERR Invalid IDLETIME value, must be >= 0';
export const RESTORE_INVALID_FREQ = 'ERR Invalid FREQ value, must be >= 0 and <= 255';
/** shared.bgsaveerr: writes (and PING) refused after a failed BGSAVE, with stop-writes-on-bgsave-error yes. */
export const MISCONF_RDB = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
// --- AOF (aof.c) and the data directory ---
/** Not a Redis text: redislings' engine after crash() (a real server that crashed answers nothing). */
export const SERVER_DOWN = 'ERR redislings: the server has crashed and is down until it restarts';
export const AOF_REWRITE_IN_PROGRESS = 'ERR Background append only file rewriting already in progress';
export const AOF_REWRITE_FAILED = "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
/** writeCommandsGetDiskErrorMessage for the AOF: `strerror` of the last write error follows. */
export function misconfAof(why: string): string {
  return noNewlines(`MISCONF Errors writing to the AOF file: ${why}`);
}
export const NO_CONFIG_FILE = 'ERR The server is running without a config file';
export function configRewriteFailed(why: string): string {
  return noNewlines(`ERR Rewriting config file: ${why}`);
}
