/**
 * OBJECT (object.c): a look at how a value is stored. ENCODING by Redis' rules for the value,
 * IDLETIME from its access time, REFCOUNT as Redis reports it, FREQ only under an LFU policy.
 * The key is looked up without touching its access time, so asking does not change the answer.
 */
import { array, bulk, integer, NIL, simple, type Reply } from '../resp/reply.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import { LFU_NOT_SELECTED, LFU_SELECTED, RedisError } from './errors.js';
import { lookupReadNoTouch } from './expire.js';
import { helpReply } from './subcommands.js';
import type { RedisObject } from './keyspace.js';
import { StringValue } from './types/string.js';

/** Integers 0..9999 are shared objects in Redis (OBJ_SHARED_INTEGERS). */
const OBJ_SHARED_INTEGERS = 10000;
/** The refcount Redis reports for a shared object (OBJ_SHARED_REFCOUNT, INT_MAX). */
const OBJ_SHARED_REFCOUNT = 2147483647;
/** The counter a new key starts with under an LFU policy (LFU_INIT_VAL). */
const LFU_INIT_VAL = 5;
/** lfu-decay-time's default: the counter drops by one per this many idle minutes. */
const LFU_DECAY_TIME = 1;

/**
 * Copies made by COPY, with the string they held then. Redis' dupStringObject gives an int-encoded
 * copy its own object (refcount 1) even when the original is a shared integer; once the copy's
 * value changes, the command that changed it decides again.
 */
const unsharedCopies = new WeakMap<RedisObject, string>();

export function noteCopy(copy: RedisObject): void {
  if (copy instanceof StringValue) unsharedCopies.set(copy, copy.value);
}

/**
 * Whether the value is one of Redis' shared integers: a string holding 0..9999 that was stored
 * with tryObjectEncoding (SET, INCR…) while maxmemory allows sharing (no maxmemory, or a policy
 * that is neither LRU nor LFU).
 */
function isSharedInteger(c: Client, value: RedisObject): boolean {
  if (!(value instanceof StringValue) || value.encoding() !== 'int') return false;
  if (unsharedCopies.get(value) === value.value) return false;
  const n = Number(value.value);
  if (n < 0 || n >= OBJ_SHARED_INTEGERS) return false;
  const maxmemory = c.engine.config.get('maxmemory') ?? '0';
  return maxmemory === '0' || !/lru|lfu/.test(maxmemoryPolicy(c));
}

function maxmemoryPolicy(c: Client): string {
  return c.engine.config.get('maxmemory-policy') ?? 'noeviction';
}

function lfuPolicy(c: Client): boolean {
  return maxmemoryPolicy(c).includes('lfu');
}

function lookup(c: Client, argv: readonly string[]): RedisObject | undefined {
  return lookupReadNoTouch(c.db, argv[2] as string);
}

/** OBJECT ENCODING key */
function encoding(c: Client, argv: readonly string[]): Reply {
  const value = lookup(c, argv);
  return value ? bulk(value.encoding()) : NIL;
}

/** OBJECT REFCOUNT key */
function refcount(c: Client, argv: readonly string[]): Reply {
  const value = lookup(c, argv);
  if (!value) return NIL;
  return integer(isSharedInteger(c, value) ? OBJ_SHARED_REFCOUNT : 1);
}

/**
 * OBJECT IDLETIME key: whole seconds between the LRU clock now and at the last access. Redis' LRU
 * clock counts seconds, so this is the difference of the two times truncated to seconds.
 */
function idletime(c: Client, argv: readonly string[]): Reply {
  const value = lookup(c, argv);
  if (!value) return NIL;
  if (lfuPolicy(c)) throw new RedisError(LFU_SELECTED);
  return integer(Math.max(0, c.engine.lruClock - value.lru));
}

/**
 * OBJECT FREQ key: Redis' logarithmic access counter, which exists only under an LFU policy. The
 * engine does not count accesses, so under LFU this is LFUDecrAndReturn of the counter a key
 * starts with, decayed by the minutes since its last access: Redis' answer for a key not read
 * since it was written.
 */
function freq(c: Client, argv: readonly string[]): Reply {
  const value = lookup(c, argv);
  if (!value) return NIL;
  if (!lfuPolicy(c)) throw new RedisError(LFU_NOT_SELECTED);
  const idleMinutes = Math.floor(c.engine.time / 60000) - Math.floor(value.lru / 60);
  return integer(Math.max(0, LFU_INIT_VAL - Math.floor(idleMinutes / LFU_DECAY_TIME)));
}

/** OBJECT HELP */
function help(): Reply {
  return helpReply('OBJECT', [
    'ENCODING <key>',
    '    Return the kind of internal representation used in order to store the value',
    '    associated with a <key>.',
    'FREQ <key>',
    '    Return the access frequency index of the <key>. The returned integer is',
    '    proportional to the logarithm of the recent access frequency of the key.',
    'IDLETIME <key>',
    '    Return the idle time of the <key>, that is the approximated number of',
    '    seconds elapsed since the last access to the key.',
    'REFCOUNT <key>',
    '    Return the number of references of the value associated with the specified',
    '    <key>.',
  ]);
}

export const commands: Handlers = {
  'object|encoding': encoding,
  'object|refcount': refcount,
  'object|idletime': idletime,
  'object|freq': freq,
  'object|help': help,
};
