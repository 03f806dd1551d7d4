/**
 * Replies are typed values until the last moment: the engine returns them, the RESP encoder turns
 * them into bytes, and the redis-cli renderer turns them into text. Nothing is pre-formatted.
 *
 * Every Redis string (bulk strings, keys, values) is a JS string holding one char per byte
 * (latin1), so binary data survives and lengths are byte lengths, exactly as in Redis.
 */
export type Reply =
  | SimpleReply
  | ErrorReply
  | IntegerReply
  | BulkReply
  | NullReply
  | ArrayReply
  | MapReply
  | SetReply
  | PushReply
  | DoubleReply
  | BooleanReply
  | VerbatimReply
  | BigNumberReply;

export interface SimpleReply { readonly kind: 'simple'; readonly value: string }
export interface ErrorReply { readonly kind: 'error'; readonly message: string }
export interface IntegerReply { readonly kind: 'integer'; readonly value: number | bigint }
export interface BulkReply { readonly kind: 'bulk'; readonly value: string }
/**
 * `array: true` is RESP2's null array (`*-1`), which Redis uses for a few replies (a timed-out
 * BLPOP, an aborted EXEC). redis-cli prints both nulls as (nil); RESP3 has one null.
 */
export interface NullReply { readonly kind: 'null'; readonly array?: boolean }
export interface ArrayReply { readonly kind: 'array'; readonly items: readonly Reply[] }
/** RESP3 map; in RESP2 it goes out as a flat array of key, value, key, value. */
export interface MapReply { readonly kind: 'map'; readonly entries: readonly (readonly [Reply, Reply])[] }
/** RESP3 set; in RESP2 an array. */
export interface SetReply { readonly kind: 'set'; readonly items: readonly Reply[] }
/** RESP3 push (pub/sub messages); in RESP2 an array. */
export interface PushReply { readonly kind: 'push'; readonly items: readonly Reply[] }
/**
 * RESP3 double; in RESP2 a bulk string of the same text. The text is %.17g unless `text` gives
 * another (addReplyHumanLongDouble's "%.17Lf" without trailing zeros, for GEOPOS).
 */
export interface DoubleReply { readonly kind: 'double'; readonly value: number; readonly text?: string }
export interface BooleanReply { readonly kind: 'boolean'; readonly value: boolean }
export interface VerbatimReply { readonly kind: 'verbatim'; readonly format: string; readonly value: string }
export interface BigNumberReply { readonly kind: 'bignum'; readonly value: string }

// Constructors, so that command bodies read like Redis' addReply* calls.
export const OK: SimpleReply = Object.freeze({ kind: 'simple', value: 'OK' });
export const QUEUED: SimpleReply = Object.freeze({ kind: 'simple', value: 'QUEUED' });
export const NIL: NullReply = Object.freeze({ kind: 'null' });
export const NIL_ARRAY: NullReply = Object.freeze({ kind: 'null', array: true });
export const EMPTY_ARRAY: ArrayReply = Object.freeze({ kind: 'array', items: [] });
const SMALL_INTS: IntegerReply[] = Array.from({ length: 1024 }, (_, i) => Object.freeze({ kind: 'integer', value: i }));
export const ZERO = SMALL_INTS[0] as IntegerReply;
export const ONE = SMALL_INTS[1] as IntegerReply;

export function simple(value: string): SimpleReply {
  return { kind: 'simple', value };
}
export function error(message: string): ErrorReply {
  return { kind: 'error', message };
}
export function integer(value: number | bigint): IntegerReply {
  if (typeof value === 'number' && value >= 0 && value < 1024 && Number.isInteger(value)) {
    return SMALL_INTS[value] as IntegerReply;
  }
  return { kind: 'integer', value };
}
export function bulk(value: string): BulkReply {
  return { kind: 'bulk', value };
}
/** A bulk string, or nil when the value is absent. */
export function bulkOrNil(value: string | undefined | null): BulkReply | NullReply {
  return value === undefined || value === null ? NIL : { kind: 'bulk', value };
}
export function array(items: readonly Reply[]): ArrayReply {
  return { kind: 'array', items };
}
export function bulkArray(values: Iterable<string>): ArrayReply {
  const items: Reply[] = [];
  for (const v of values) items.push({ kind: 'bulk', value: v });
  return { kind: 'array', items };
}
export function map(entries: readonly (readonly [Reply, Reply])[]): MapReply {
  return { kind: 'map', entries };
}
export function set(items: readonly Reply[]): SetReply {
  return { kind: 'set', items };
}
export function push(items: readonly Reply[]): PushReply {
  return { kind: 'push', items };
}
export function double(value: number): DoubleReply {
  return { kind: 'double', value };
}
export function boolean(value: boolean): BooleanReply {
  return { kind: 'boolean', value };
}
export function verbatim(value: string, format = 'txt'): VerbatimReply {
  return { kind: 'verbatim', format, value };
}

/** Converts a JS (UTF-16) string of text to the engine's one-char-per-byte form. */
export function toBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
/** Converts the engine's one-char-per-byte form back to text, for display. */
export function fromBytes(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
