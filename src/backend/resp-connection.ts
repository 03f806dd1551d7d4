/**
 * One connection to a real Redis server for a lesson (the learner's, a setup's, an actor's),
 * spoken to in RESP directly (src/resp/decode.ts) so that every reply keeps its exact type: a
 * status `OK` and a bulk "OK" differ, a null array is a null array, and subscription
 * confirmations arrive as on the bundled engine (the last one answers the command, the earlier
 * ones are pushed).
 *
 * Why not ioredis here, when it is the client everywhere else: ioredis 5 builds its parser
 * (redis-parser 3) itself with returnBuffers, which hands a status reply and a bulk string over as
 * the same Buffer and both null forms as the same null, and it offers no hook to replace the
 * parser; in subscriber mode it answers subscription confirmations itself. The lessons need all
 * three distinctions, so the lesson connections read RESP themselves (connection, TLS and AUTH
 * come from the same Endpoint the ioredis admin connection uses).
 *
 * Every command passes the connection's rules first (guard.ts): a refused one never reaches the
 * server. Commands that ran are reported (the record of keys), those queued in MULTI once EXEC
 * ran them.
 *
 * A server may close a connection that stays idle (its `timeout`, often set on managed services)
 * or restart. A connection that holds nothing but its database then opens again by itself at the
 * next command; one that held more (subscriptions, a transaction, WATCH, RESP3, CLIENT settings,
 * another user) ends, and its next command says what was lost.
 */
import type net from 'node:net';
import { parseReply } from '../resp/decode.js';
import { encode } from '../resp/encode.js';
import { error, type Reply } from '../resp/reply.js';
import type { BackendClient } from './backend.js';
import { ConnectError, describeEndpoint, type Endpoint, explainConnectError, openSocket } from './endpoint.js';
import type { Enforcement } from './guard.js';

export interface ConnectionRules {
  /** What to send for a command, or why it is refused. */
  enforce(argv: readonly string[]): Enforcement;
  /** A command ran and did not answer an error (for the record of keys it wrote). */
  ran?(argv: readonly string[]): void;
}

export interface RespConnectionOptions {
  readonly rules: ConnectionRules;
  /** Opens another connection (CLIENT UNBLOCK for interrupt()). */
  readonly side?: () => Promise<BackendClient>;
  readonly timeoutMs?: number;
}

const SUBSCRIBING = /^[ps]?(un)?subscribe$/;

/**
 * An unknown command sent in place of a refused one inside MULTI: the server marks the
 * transaction as failed, so EXEC answers EXECABORT as it would after any command it refused.
 */
const ABORTS_TRANSACTION = 'REDISLINGS-REFUSED';

interface Pending {
  readonly argv: readonly string[];
  readonly resolve: (r: Reply) => void;
  readonly reject: (e: Error) => void;
  /** Subscription confirmations still expected for this command. */
  confirmations: number;
  /** Its confirmations are not pushed to listeners (interrupt()'s UNSUBSCRIBE). */
  readonly quiet: boolean;
  /** The reply the caller gets instead of the server's (a refusal inside MULTI). */
  readonly instead?: Reply;
}

export class RespConnection implements BackendClient {
  private socket: net.Socket | undefined;
  private buffer = '';
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(reply: Reply) => void>();
  /** Channels and patterns this connection is subscribed to, from the confirmations. */
  private readonly channels = new Set<string>();
  private readonly patterns = new Set<string>();
  private readonly shardChannels = new Set<string>();
  /** HELLO 3 switched the connection to RESP3, where messages arrive as pushes. */
  private resp3 = false;
  private inMulti = false;
  private queued: (readonly string[])[] = [];
  private watching = false;
  /** CLIENT SETNAME, TRACKING…, or AUTH as another user: state a new connection would not have. */
  private clientState: string | undefined;
  /** The database the connection is in (a private server lets the learner SELECT another). */
  private currentDb: number;
  /** CLIENT ID, for CLIENT UNBLOCK (0 when the server would not tell). */
  private id = 0;
  /** Ended for good: close(), or lost while holding state. */
  private closedWith: Error | undefined;
  /** Lost while holding nothing: the next command opens it again. */
  private lost: Error | undefined;
  private reopening: Promise<void> | undefined;
  private readonly where: string;
  /** Called once when the connection ends for good, with why if it failed. */
  onClosed: ((error?: Error) => void) | undefined;

  private constructor(
    private readonly endpoint: Endpoint,
    private readonly db: number,
    private readonly options: RespConnectionOptions,
  ) {
    this.currentDb = db;
    this.where = describeEndpoint(endpoint);
  }

  /** Connects, authenticates and selects `db`; a ConnectError says what went wrong. */
  static async open(endpoint: Endpoint, db: number, options: RespConnectionOptions): Promise<RespConnection> {
    const c = new RespConnection(endpoint, db, options);
    await c.establish();
    return c;
  }

  /** A new socket, authenticated, in the connection's database. */
  private async establish(): Promise<void> {
    const socket = await openSocket(this.endpoint, this.options.timeoutMs);
    this.socket = socket;
    this.lost = undefined;
    this.buffer = '';
    let opened = false;
    const endpoint = this.endpoint;
    socket.on('data', (data) => {
      if (socket === this.socket) this.receive(data.toString('latin1'));
    });
    // While connecting, what went wrong is explained (a TLS port, a password); afterwards the
    // server went away (it restarted, closed an idle connection, the network dropped).
    socket.on('error', (e) => this.dropped(socket, opened
      ? new ConnectError('lost', `the connection to ${this.where} was lost: ${e.message}`, e)
      : explainConnectError(e, endpoint)));
    const closed = () => this.dropped(socket, opened
      ? new ConnectError('lost', `the connection to ${this.where} was closed`)
      : explainConnectError(new Error('closed'), endpoint));
    socket.on('end', closed);
    socket.on('close', closed);
    try {
      if (endpoint.password !== undefined) {
        const auth = await this.raw(endpoint.username ? ['AUTH', endpoint.username, endpoint.password] : ['AUTH', endpoint.password]);
        if (auth.kind === 'error') throw explainConnectError(new Error(auth.message), endpoint);
      }
      const id = await this.raw(['CLIENT', 'ID']);
      // NOAUTH: a password is needed; other errors (CLIENT forbidden by ACL) only cost interrupt().
      if (id.kind === 'error' && id.message.startsWith('NOAUTH')) throw explainConnectError(new Error(id.message), endpoint);
      this.id = id.kind === 'integer' ? Number(id.value) : 0;
      if (this.currentDb !== 0) {
        const selected = await this.raw(['SELECT', String(this.currentDb)]);
        if (selected.kind === 'error') throw selectError(selected.message, this.currentDb, endpoint);
      }
    } catch (e) {
      socket.destroy();
      this.socket = undefined;
      throw e instanceof ConnectError ? e : explainConnectError(e, endpoint);
    }
    opened = true;
  }

  /** True once the connection has ended for good. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  async execute(argv: readonly string[]): Promise<Reply> {
    if (this.lost && !this.closedWith) {
      const lost = this.lost;
      this.reopening ??= this.establish().then(
        () => { this.reopening = undefined; },
        (e: unknown) => {
          this.reopening = undefined;
          this.lost = lost;
          throw new ConnectError('lost', `${lost.message}, and it cannot be opened again: ${e instanceof Error ? e.message : String(e)}`, e);
        },
      );
      await this.reopening;
    }
    const rule = this.options.rules.enforce(argv);
    if ('refuse' in rule) {
      const refusal = error(`ERR ${rule.refuse}`);
      if (!this.inMulti) return refusal;
      return this.send([ABORTS_TRANSACTION], { instead: refusal });
    }
    const reply = await this.send(rule.send, { argv });
    if (rule.reselect) {
      // RESET leaves the connection in database 0: back to the lesson's before anything else runs.
      const selected = await this.raw(['SELECT', String(this.db)]);
      if (selected.kind === 'error') throw selectError(selected.message, this.db, this.endpoint);
      this.currentDb = this.db;
    }
    return reply;
  }

  onPush(listener: (reply: Reply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async interrupt(): Promise<void> {
    if (this.pending.length > 0 && this.options.side && this.id !== 0) {
      // CLIENT UNBLOCK from another connection answers the blocked command as a timeout would.
      const other = await this.options.side();
      try {
        await other.execute(['CLIENT', 'UNBLOCK', String(this.id), 'TIMEOUT']);
      } finally {
        await other.close();
      }
    }
    if (this.channels.size > 0) await this.send(['UNSUBSCRIBE'], { quiet: true });
    if (this.patterns.size > 0) await this.send(['PUNSUBSCRIBE'], { quiet: true });
    if (this.shardChannels.size > 0) await this.send(['SUNSUBSCRIBE'], { quiet: true });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.end(undefined);
    if (!socket || socket.destroyed) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.end();
    socket.destroySoon();
    await closed;
  }

  /** A command of the connection's own (AUTH, SELECT), past the rules. */
  private raw(argv: readonly string[]): Promise<Reply> {
    return this.send(argv, { quiet: true });
  }

  private send(argv: readonly string[], how: { argv?: readonly string[]; quiet?: boolean; instead?: Reply }): Promise<Reply> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const socket = this.socket;
    if (this.lost || !socket) return Promise.reject(this.lost ?? new ConnectError('lost', `the connection to ${this.where} is not open`));
    return new Promise((resolve, reject) => {
      const name = argv[0]?.toLowerCase() ?? '';
      let confirmations = 0;
      if (SUBSCRIBING.test(name) && !this.inMulti) {
        // UNSUBSCRIBE without channels confirms each channel left, or once when there was none.
        const all = name === 'unsubscribe' ? this.channels.size : name === 'punsubscribe' ? this.patterns.size
          : name === 'sunsubscribe' ? this.shardChannels.size : 0;
        confirmations = argv.length > 1 ? argv.length - 1 : Math.max(1, all);
      }
      this.pending.push({ argv: how.argv ?? [], resolve, reject, confirmations, quiet: how.quiet ?? false, instead: how.instead });
      const command: Reply = { kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) };
      socket.write(Buffer.from(encode(command, 2), 'latin1'));
    });
  }

  /** What a new connection would not have, in words; undefined when it holds nothing. */
  private heldState(): string | undefined {
    if (this.channels.size + this.patterns.size + this.shardChannels.size > 0) return 'its subscriptions';
    if (this.inMulti) return 'the transaction in progress';
    if (this.watching) return 'the keys it watched';
    if (this.resp3) return 'RESP3 (HELLO 3)';
    return this.clientState;
  }

  /** A socket ended by the server or the network: waiting commands fail, the rest as it can. */
  private dropped(socket: net.Socket, why: Error): void {
    if (socket !== this.socket || this.closedWith) return;
    this.socket = undefined;
    for (const p of this.pending.splice(0)) p.reject(why);
    const held = this.heldState();
    if (held === undefined) {
      this.lost = why;
      return;
    }
    this.end(new ConnectError('lost', `${why.message}, and ${held} ended with it`, why));
  }

  /** The connection ended for good: `why` for a failure, undefined for close(). */
  private end(why: Error | undefined): void {
    if (this.closedWith) return;
    this.closedWith = why ?? new ConnectError('lost', 'the connection was closed');
    this.socket = undefined;
    for (const p of this.pending.splice(0)) p.reject(this.closedWith);
    this.onClosed?.(why);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let at = 0;
    for (;;) {
      let parsed;
      try {
        parsed = parseReply(this.buffer, at);
      } catch (e) {
        const socket = this.socket;
        this.end(new ConnectError('protocol', `${this.where} does not speak the Redis protocol: ${e instanceof Error ? e.message : String(e)}`, e));
        socket?.destroy();
        return;
      }
      if (!parsed) break;
      at = parsed.end;
      this.dispatch(parsed.reply);
    }
    this.buffer = this.buffer.slice(at);
  }

  /**
   * Whether a reply may be a pub/sub message or confirmation. In RESP3 those are pushes. In RESP2
   * they are arrays like any other, which only a connection that is subscribed, or waits for a
   * confirmation, receives (an LRANGE answering ["message", …] is a reply).
   */
  private mayBePubsub(reply: Reply): boolean {
    if (this.resp3 || reply.kind === 'push') return reply.kind === 'push';
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0 || (this.pending[0]?.confirmations ?? 0) > 0;
  }

  private dispatch(reply: Reply): void {
    const kind = this.mayBePubsub(reply) ? pubsubKind(reply) : undefined;
    if (kind !== undefined) {
      const name = (reply as { items: readonly Reply[] }).items[1];
      if (name?.kind === 'bulk') {
        if (kind === 'subscribe') this.channels.add(name.value);
        if (kind === 'unsubscribe') this.channels.delete(name.value);
        if (kind === 'psubscribe') this.patterns.add(name.value);
        if (kind === 'punsubscribe') this.patterns.delete(name.value);
        if (kind === 'ssubscribe') this.shardChannels.add(name.value);
        if (kind === 'sunsubscribe') this.shardChannels.delete(name.value);
      }
      if (kind === 'message' || kind === 'pmessage' || kind === 'smessage') return this.emit(reply);
      const head = this.pending[0];
      if (head && head.confirmations > 0) {
        // Each channel is confirmed: the last confirmation answers the command, as on the
        // bundled engine, and the ones before it are pushed.
        head.confirmations--;
        if (head.confirmations > 0) {
          if (!head.quiet) this.emit(reply);
          return;
        }
        this.pending.shift();
        head.resolve(reply);
        return;
      }
    }
    if (reply.kind === 'push') return this.emit(reply);
    const head = this.pending.shift();
    if (!head) return;
    this.noteTransaction(head.argv, reply);
    head.resolve(head.instead ?? reply);
  }

  /**
   * Follows what a command did to the connection (MULTI, WATCH, SELECT, HELLO, CLIENT …) and
   * reports the commands that ran; those queued in MULTI count once EXEC ran them.
   */
  private noteTransaction(argv: readonly string[], reply: Reply): void {
    if (argv.length === 0) return;
    const name = argv[0]!.toLowerCase();
    if (this.inMulti) {
      if (name === 'exec' || name === 'discard' || name === 'reset') {
        const ran = name === 'exec' && reply.kind === 'array' ? this.queued : [];
        this.inMulti = false;
        this.watching = false;
        this.queued = [];
        if (name === 'reset') this.afterRun(argv, reply);
        for (const q of ran) this.afterRun(q, undefined);
      } else if (reply.kind === 'simple' && reply.value === 'QUEUED') {
        this.queued.push(argv);
      }
      return;
    }
    if (name === 'multi' && reply.kind === 'simple') {
      this.inMulti = true;
      return;
    }
    if (reply.kind !== 'error') this.afterRun(argv, reply);
  }

  /** A command that ran; `reply` is undefined for one queued in MULTI that EXEC ran. */
  private afterRun(argv: readonly string[], reply: Reply | undefined): void {
    const name = argv[0]!.toLowerCase();
    const sub = argv[1]?.toLowerCase();
    if (name === 'select') this.currentDb = Number(argv[1]);
    else if (name === 'watch') this.watching = true;
    else if (name === 'unwatch' || name === 'exec' || name === 'discard') this.watching = false;
    else if (name === 'hello') this.resp3 = reply ? reply.kind === 'map' : argv[1] === '3';
    else if (name === 'auth') this.clientState = 'its AUTH';
    else if (name === 'client' && ['setname', 'tracking', 'no-evict', 'no-touch', 'caching', 'setinfo'].includes(sub ?? '')) this.clientState = `its CLIENT ${sub?.toUpperCase()}`;
    else if (name === 'reset') {
      this.resp3 = false;
      this.watching = false;
      this.clientState = undefined;
      this.currentDb = 0;
    }
    this.options.rules.ran?.(argv);
  }

  private emit(reply: Reply): void {
    const pushed: Reply = reply.kind === 'array' ? { kind: 'push', items: reply.items } : reply;
    for (const l of this.listeners) l(pushed);
  }
}

function selectError(message: string, db: number, endpoint: Endpoint): ConnectError {
  if (/cluster/i.test(message)) {
    return new ConnectError('cluster', `${describeEndpoint(endpoint)} is a Redis Cluster node, which has only database 0: lessons need a standalone server (${message})`);
  }
  if (message.startsWith('NOPERM') || message.startsWith('NOAUTH')) return explainConnectError(new Error(message), endpoint);
  return new ConnectError('db', `database ${db} does not exist on ${describeEndpoint(endpoint)} (${message}): choose another with --db`);
}

/** The first word of a pub/sub array (message, subscribe, …), or undefined for any other reply. */
function pubsubKind(reply: Reply): string | undefined {
  if (reply.kind !== 'array' && reply.kind !== 'push') return undefined;
  const first = reply.items[0];
  if (first?.kind !== 'bulk') return undefined;
  const word = first.value.toLowerCase();
  return /^(p|s)?(un)?subscribe$|^(p|s)?message$/.test(word) ? word : undefined;
}
