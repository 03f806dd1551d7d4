/**
 * Strings (t_string.c). A string value is bytes; OBJECT ENCODING reports int, embstr or raw by
 * Redis' rules.
 */
import { bulkOrNil, OK, type Reply } from '../../resp/reply.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import { RedisObject } from '../keyspace.js';

/** Longest string Redis stores as embstr (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_SIZE_LIMIT = 44;

export class StringValue extends RedisObject {
  get type() {
    return 'string' as const;
  }
  constructor(public value: string) {
    super();
  }
  encoding(): string {
    if (this.value.length <= 20 && /^(0|-?[1-9][0-9]*)$/.test(this.value)) {
      const n = BigInt(this.value);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return 'int';
    }
    return this.value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }
  duplicate(): StringValue {
    return new StringValue(this.value);
  }
}

/** GET key */
function get(c: Client, argv: readonly string[]): Reply {
  return bulkOrNil(c.db.readAs(argv[1] as string, StringValue)?.value);
}

/** SET key value (options come with the strings work) */
function set(c: Client, argv: readonly string[]): Reply {
  c.db.setKey(argv[1] as string, new StringValue(argv[2] as string));
  return OK;
}

export const commands: Handlers = { get, set };
