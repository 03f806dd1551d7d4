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

export const NOAUTH = 'NOAUTH Authentication required.';
export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
