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
export const ZMPOP_NUMKEYS = 'ERR numkeys should be greater than 0';
export const ZMPOP_COUNT = 'ERR count should be greater than 0';
export const ZRANDMEMBER_OUT_OF_RANGE = 'ERR value is out of range';
export const ZPOP_COUNT_NOT_POSITIVE = 'ERR value is out of range, must be positive';

export function zsetNeedsInputKey(fullName: string): string {
  return `ERR at least 1 input key is needed for '${fullName}' command`;
}
