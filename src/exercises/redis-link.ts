/**
 * The verifier's own connection to Redis, spoken in RESP (src/resp/decode.ts), so that it works
 * the same on the bundled server and a real redis-server and keeps replies' exact types. It never
 * blocks: the verifier polls, the learner's program blocks.
 *
 * Strings are one char per byte, as everywhere in redislings; `text()` decodes what a program
 * wrote as UTF-8.
 */
import net from 'node:net';
import { parseReply } from '../resp/decode.js';
import { encode } from '../resp/encode.js';
import type { Reply } from '../resp/reply.js';

export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
}

/** redis://[[user]:password@]host[:port][/db], as node-redis and ioredis read REDIS_URL. */
export function parseRedisUrl(url: string): RedisAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // new URL only says "Invalid URL"; ours names the form expected.
    throw new Error(`not a Redis URL: ${url} (expected redis://host:port)`);
  }
  if (u.protocol === 'rediss:') throw new Error(`${url}: TLS (rediss://) is not supported; use redis://host:port`);
  if (u.protocol !== 'redis:') throw new Error(`not a Redis URL: ${url} (expected redis://host:port)`);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new Error(`bad database number in ${url}`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: u.port === '' ? 6379 : Number(u.port),
    username: u.username === '' ? undefined : decodeURIComponent(u.username),
    password: u.password === '' ? undefined : decodeURIComponent(u.password),
    db,
  };
}

export class RedisLink {
  private buffer = '';
  private readonly waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private closed: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (data) => {
      this.buffer += data.toString('latin1');
      for (;;) {
        const parsed = parseReply(this.buffer);
        if (!parsed) break;
        this.buffer = this.buffer.slice(parsed.end);
        this.waiting.shift()?.resolve(parsed.reply);
      }
    });
    const fail = (e: Error) => {
      this.closed ??= e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the connection to Redis closed')));
  }

  static async open(address: RedisAddress, timeoutMs = 3000): Promise<RedisLink> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(address.port, address.host);
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`no answer from ${address.host}:${address.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('connect', () => { clearTimeout(timer); s.removeAllListeners('error'); resolve(s); });
      s.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const link = new RedisLink(socket);
    if (address.password !== undefined) {
      const auth = address.username === undefined ? ['AUTH', address.password] : ['AUTH', address.username, address.password];
      await link.ok(...auth);
    }
    if (address.db !== 0) await link.ok('SELECT', String(address.db));
    return link;
  }

  call(...argv: string[]): Promise<Reply> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      const command: Reply = { kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) };
      this.socket.write(Buffer.from(encode(command, 2), 'latin1'));
    });
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

  close(): void {
    this.socket.destroy();
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
