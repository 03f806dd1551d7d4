/**
 * The verifier's own connection to Redis: a RespConnection (src/backend/resp-connection.ts, the
 * lesson connections' RESP client) reached by the URL the learner's program is given, so that it
 * works the same on the bundled server and a real redis-server (TLS, passwords and all) and keeps
 * replies' exact types. It never blocks: the verifier polls, the learner's program blocks.
 *
 * Strings are one char per byte, as everywhere in redislings; `text()` decodes what a program
 * wrote as UTF-8.
 */
import { endpointFromUrl } from '../backend/endpoint.js';
import { RespConnection } from '../backend/resp-connection.js';
import type { Reply } from '../resp/reply.js';

export class RedisLink {
  private constructor(private readonly connection: RespConnection) {}

  /**
   * Connects to `url` (redis://[user:password@]host:port[/db] or rediss://, read as ioredis and
   * node-redis read REDIS_URL), authenticated and in its database. A ConnectError says why not.
   */
  static async open(url: string, timeoutMs = 3000): Promise<RedisLink> {
    const endpoint = await endpointFromUrl(url);
    // The verifier's commands are its own: nothing is refused or rewritten on the way.
    const connection = await RespConnection.open(endpoint, endpoint.db ?? 0, { rules: { enforce: (argv) => ({ send: argv }) }, timeoutMs });
    return new RedisLink(connection);
  }

  call(...argv: string[]): Promise<Reply> {
    return this.connection.execute(argv);
  }

  /** A command whose error reply is a failure of the verifier itself (not the learner's). */
  async must(...argv: string[]): Promise<Reply> {
    const reply = await this.call(...argv);
    if (reply.kind === 'error') throw new Error(`${argv[0]} failed: ${reply.message}`);
    return reply;
  }

  async ok(...argv: string[]): Promise<void> {
    await this.must(...argv);
  }

  async integer(...argv: string[]): Promise<number> {
    const reply = await this.must(...argv);
    if (reply.kind !== 'integer') throw new Error(`${argv[0]}: expected an integer reply, got ${reply.kind}`);
    return Number(reply.value);
  }

  /** A bulk or status reply as UTF-8 text; undefined for nil. */
  async text(...argv: string[]): Promise<string | undefined> {
    return replyText(await this.must(...argv));
  }

  /** An array of strings (LRANGE, KEYS…) as UTF-8 texts. */
  async texts(...argv: string[]): Promise<string[]> {
    const reply = await this.must(...argv);
    if (reply.kind === 'null') return [];
    if (reply.kind !== 'array' && reply.kind !== 'set') throw new Error(`${argv[0]}: expected an array reply, got ${reply.kind}`);
    return reply.items.map((item) => replyText(item) ?? '');
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

export function replyText(reply: Reply): string | undefined {
  switch (reply.kind) {
    case 'bulk': case 'simple': case 'verbatim': return Buffer.from(reply.value, 'latin1').toString('utf8');
    case 'integer': return String(reply.value);
    case 'null': return undefined;
    default: throw new Error(`expected a string reply, got ${reply.kind}`);
  }
}

/** One CLIENT LIST line as fields. */
export type ClientInfo = ReadonlyMap<string, string>;

export function parseClientList(text: string): ClientInfo[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const fields = new Map<string, string>();
    for (const pair of line.trim().split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return fields;
  });
}

/** INFO commandstats as calls per command (`rpop`, `client|list`…). */
export function parseCommandCalls(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) calls.set(m[1] as string, Number(m[2]));
  }
  return calls;
}
