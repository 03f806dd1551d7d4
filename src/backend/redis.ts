/**
 * A real Redis server as a Backend, spoken to in RESP directly (src/resp/decode.ts), so every
 * reply keeps its exact type: a status `OK` and a bulk "OK" differ, a null array is a null array,
 * and subscription confirmations arrive as they do on the bundled engine (the last one answers
 * the command, the earlier ones are pushed). Client libraries such as ioredis turn replies into JS
 * values and lose exactly those distinctions.
 *
 * The connection works in one logical database (`db`). reset() empties it and puts back any
 * configuration a lesson changed. Crashing and restarting need a server this process controls:
 * pass `process` (a private server, as the tests start one), which also grants `persistence`.
 */
import net from 'node:net';
import { parseReply } from '../resp/decode.js';
import { encode } from '../resp/encode.js';
import type { Reply } from '../resp/reply.js';
import { type Backend, type BackendClient, type Capability, MissingCapability } from './backend.js';

/** Control of a server process this program started. */
export interface ServerProcess {
  /** Kill -9, then start again on the same port and directory. */
  crash(): Promise<void>;
  /** SHUTDOWN (saving if snapshots are configured), then start again. */
  restart(): Promise<void>;
  /** Removes the AOF and RDB files, for a lesson's fresh start (the server is running). */
  wipeFiles?(): Promise<void>;
}

export interface RedisServerOptions {
  readonly host?: string;
  readonly port: number;
  /** The database lessons run in (default 15: never the default database of an application). */
  readonly db?: number;
  readonly process?: ServerProcess;
}

/** Configuration lessons may change, put back by reset(). */
const RESET_CONFIG = ['appendonly', 'save', 'appendfsync', 'notify-keyspace-events', 'maxmemory', 'maxmemory-policy'];

export class RedisServerBackend implements Backend {
  readonly description: string;
  readonly capabilities: ReadonlySet<Capability>;
  private readonly host: string;
  private readonly db: number;
  private initialConfig: Map<string, string> | undefined;
  private readonly clients = new Set<RespConnection>();

  private constructor(private readonly options: RedisServerOptions, version: string, modules: string[]) {
    this.host = options.host ?? '127.0.0.1';
    this.db = options.db ?? 15;
    this.description = `redis ${version} at ${this.host}:${options.port}`;
    const caps: Capability[] = ['clients'];
    if (modules.includes('rejson') || modules.includes('ReJSON')) caps.push('json');
    if (options.process) caps.push('persistence');
    this.capabilities = new Set(caps);
  }

  /** Connects once to learn the server's version and modules. */
  static async open(options: RedisServerOptions): Promise<RedisServerBackend> {
    const probe = await RespConnection.open(options.host ?? '127.0.0.1', options.port, 0);
    try {
      const info = await probe.execute(['INFO', 'server']);
      const version = info.kind === 'bulk' || info.kind === 'verbatim' ? /redis_version:(\S+)/.exec(info.value)?.[1] ?? '?' : '?';
      const list = await probe.execute(['MODULE', 'LIST']);
      const modules = list.kind === 'array'
        ? list.items.flatMap((m) => (m.kind === 'array' && m.items[1]?.kind === 'bulk' ? [m.items[1].value] : []))
        : [];
      return new RedisServerBackend(options, version, modules);
    } finally {
      await probe.close();
    }
  }

  async connect(): Promise<BackendClient> {
    const c = await RespConnection.open(this.host, this.options.port, this.db, () => this.connect());
    this.clients.add(c);
    c.onClosed = () => this.clients.delete(c);
    return c;
  }

  async reset(): Promise<void> {
    for (const c of [...this.clients]) await c.close();
    const admin = await RespConnection.open(this.host, this.options.port, this.db);
    try {
      if (!this.initialConfig) this.initialConfig = await readConfig(admin);
      else {
        const now = await readConfig(admin);
        for (const [name, value] of this.initialConfig) {
          if (now.get(name) !== value) await expectOk(admin, ['CONFIG', 'SET', name, value]);
        }
      }
      await expectOk(admin, ['FLUSHDB']);
      if (this.options.process) {
        // A private server: the whole of it is the lesson's, files included.
        await expectOk(admin, ['FLUSHALL']);
        await this.options.process.wipeFiles?.();
      }
    } finally {
      await admin.close();
    }
  }

  async advanceTime(): Promise<boolean> {
    return false;
  }

  async crash(): Promise<void> {
    if (!this.options.process) throw new MissingCapability('persistence', this.description);
    await this.dropClients();
    await this.options.process.crash();
  }

  async restart(): Promise<void> {
    if (!this.options.process) throw new MissingCapability('persistence', this.description);
    await this.dropClients();
    await this.options.process.restart();
  }

  async close(): Promise<void> {
    await this.dropClients();
  }

  private async dropClients(): Promise<void> {
    await Promise.all([...this.clients].map((c) => c.close()));
  }
}

async function readConfig(c: RespConnection): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of RESET_CONFIG) {
    const r = await c.execute(['CONFIG', 'GET', name]);
    const items = r.kind === 'array' ? r.items : r.kind === 'map' ? r.entries.flat() : [];
    const value = items[1];
    if (value?.kind === 'bulk') out.set(name, value.value);
  }
  return out;
}

async function expectOk(c: RespConnection, argv: string[]): Promise<void> {
  const r = await c.execute(argv);
  if (r.kind === 'error') throw new Error(`${argv.join(' ')}: ${r.message}`);
}

const SUBSCRIBING = /^p?(un)?subscribe$/;

interface Pending {
  readonly resolve: (r: Reply) => void;
  readonly reject: (e: Error) => void;
  /** Subscription confirmations still expected for this command. */
  confirmations: number;
  readonly quiet: boolean;
}

/** One RESP connection: commands answered in order, pushes (pub/sub) told apart from replies. */
class RespConnection implements BackendClient {
  private buffer = '';
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(reply: Reply) => void>();
  /** Channels and patterns this connection is subscribed to, from the confirmations. */
  private readonly channels = new Set<string>();
  private readonly patterns = new Set<string>();
  private closed = false;
  /** CLIENT ID, for CLIENT UNBLOCK. */
  private id = 0;
  onClosed: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket, private readonly side?: () => Promise<BackendClient>) {}

  static open(host: string, port: number, db: number, side?: () => Promise<BackendClient>): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const c = new RespConnection(socket, side);
        socket.on('data', (data) => c.receive(data.toString('latin1')));
        socket.on('error', (e) => c.fail(e));
        socket.on('close', () => c.fail(new Error('connection closed')));
        void (async () => {
          const id = await c.execute(['CLIENT', 'ID']);
          if (db !== 0) await expectOk(c, ['SELECT', String(db)]);
          c.id = id.kind === 'integer' ? Number(id.value) : 0;
          resolve(c);
        })().catch(reject);
      });
    });
  }

  execute(argv: readonly string[]): Promise<Reply> {
    return this.send(argv, false);
  }

  /** Sends a command; the confirmations of a quiet one are not pushed to listeners. */
  private send(argv: readonly string[], quiet: boolean): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const name = argv[0]?.toLowerCase() ?? '';
      let confirmations = 0;
      if (SUBSCRIBING.test(name)) {
        // UNSUBSCRIBE without channels confirms each channel left, or once when there was none.
        const all = name === 'unsubscribe' ? this.channels.size : name === 'punsubscribe' ? this.patterns.size : 0;
        confirmations = argv.length > 1 ? argv.length - 1 : Math.max(1, all);
      }
      this.pending.push({ resolve, reject, confirmations, quiet });
      const command: Reply = { kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) };
      this.socket.write(Buffer.from(encode(command, 2), 'latin1'));
    });
  }

  onPush(listener: (reply: Reply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async interrupt(): Promise<void> {
    if (this.pending.length > 0 && this.side) {
      // CLIENT UNBLOCK from another connection answers the blocked command as a timeout would.
      const other = await this.side();
      try {
        await other.execute(['CLIENT', 'UNBLOCK', String(this.id), 'TIMEOUT']);
      } finally {
        await other.close();
      }
    }
    if (this.channels.size + this.patterns.size > 0) {
      await this.send(['UNSUBSCRIBE'], true);
      await this.send(['PUNSUBSCRIBE'], true);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      this.socket.destroySoon();
    });
  }

  private fail(e: Error): void {
    this.closed = true;
    for (const p of this.pending.splice(0)) p.reject(e);
    this.onClosed?.();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const parsed = parseReply(this.buffer);
      if (!parsed) return;
      this.buffer = this.buffer.slice(parsed.end);
      this.dispatch(parsed.reply);
    }
  }

  private dispatch(reply: Reply): void {
    const kind = confirmationKind(reply);
    if (kind !== undefined) {
      const name = (reply as { items: readonly Reply[] }).items[1];
      if (name?.kind === 'bulk') {
        if (kind === 'subscribe') this.channels.add(name.value);
        if (kind === 'unsubscribe') this.channels.delete(name.value);
        if (kind === 'psubscribe') this.patterns.add(name.value);
        if (kind === 'punsubscribe') this.patterns.delete(name.value);
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
    this.pending.shift()?.resolve(reply);
  }

  private emit(reply: Reply): void {
    const pushed: Reply = reply.kind === 'array' ? { kind: 'push', items: reply.items } : reply;
    for (const l of this.listeners) l(pushed);
  }
}

/** The first word of a pub/sub array (message, subscribe, …), or undefined for any other reply. */
function confirmationKind(reply: Reply): string | undefined {
  if (reply.kind !== 'array' && reply.kind !== 'push') return undefined;
  const first = reply.items[0];
  if (first?.kind !== 'bulk') return undefined;
  const word = first.value.toLowerCase();
  return /^(p|s)?(un)?subscribe$|^(p|s)?message$/.test(word) ? word : undefined;
}
