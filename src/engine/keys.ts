/**
 * Commands on keys of any type (db.c): DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, COPY, MOVE, …
 */
import { integer, simple, type Reply } from '../resp/reply.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';

/** DEL key [key ...] — and UNLINK, which frees memory lazily in Redis but is the same to a client. */
function del(c: Client, argv: readonly string[]): Reply {
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i] as string;
    c.db.expireIfNeeded(key);
    if (c.db.delete(key)) {
      c.db.signalModifiedKey(key);
      deleted++;
    }
  }
  return integer(deleted);
}

/** EXISTS key [key ...]: counts a key given twice twice. */
function exists(c: Client, argv: readonly string[]): Reply {
  let count = 0;
  for (let i = 1; i < argv.length; i++) if (c.db.exists(argv[i] as string)) count++;
  return integer(count);
}

/** TYPE key */
function type(c: Client, argv: readonly string[]): Reply {
  const value = c.db.lookupRead(argv[1] as string);
  return simple(value ? value.type : 'none');
}

export const commands: Handlers = { del, unlink: del, exists, type };
