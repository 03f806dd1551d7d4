/**
 * One connection's state: its selected database, protocol, transaction, watched keys, blocking
 * wait and subscriptions. The keyspace is the engine's and shared by all clients.
 */
import type { Reply } from '../resp/reply.js';
import type { Protocol } from '../resp/encode.js';
import type { BlockedState } from './blocking.js';
import type { CommandSpec } from './commands.js';
import type { Engine } from './engine.js';
import type { Database } from './keyspace.js';
import type { WatchedKey } from './multi.js';

export interface QueuedCommand {
  readonly spec: CommandSpec;
  readonly argv: readonly string[];
}

export interface ClientOptions {
  /** Where pub/sub messages (and other out-of-band replies) go. */
  readonly onPush?: (reply: Reply) => void;
  /** Shown by CLIENT LIST / INFO: `addr`, `laddr`, and the connection's file descriptor. */
  readonly addr?: string;
  readonly laddr?: string;
  readonly fd?: number;
  /** Called once the client is closed, by itself or by another (CLIENT KILL): a socket follows. */
  readonly onClose?: () => void;
}

export class Client {
  db: Database;
  name = '';
  resp: Protocol = 2;
  /** The queued commands while in MULTI, else null. */
  multi: QueuedCommand[] | null = null;
  /** A command failed to queue: EXEC must abort (CLIENT_DIRTY_EXEC). */
  multiDirty = false;
  /** A WATCHed key changed: EXEC must fail (CLIENT_DIRTY_CAS). */
  watchDirty = false;
  /** Keys this client WATCHes (see multi.ts). */
  readonly watched: WatchedKey[] = [];
  /** True while EXEC runs this client's queue (blocking commands then do not block). */
  inExec = false;
  blocked: BlockedState | null = null;
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  closed = false;
  /** Set by CLIENT NO-EVICT; kept for CLIENT INFO/LIST. */
  noEvict = false;
  authenticated = false;

  constructor(
    readonly engine: Engine,
    readonly id: number,
    readonly options: ClientOptions = {},
  ) {
    this.db = engine.databases[0] as Database;
    this.createdAt = engine.time;
    this.lastInteraction = engine.time;
  }

  /** Runs one command (argv[0] is its name). A blocked command answers with a promise. */
  execute(argv: readonly string[]): Reply | Promise<Reply> {
    return this.engine.execute(this, argv);
  }

  /** Subscribed to anything (RESP2 then allows only the pub/sub commands). */
  get inPubSub(): boolean {
    return this.channels.size + this.patterns.size > 0;
  }

  push(reply: Reply): void {
    this.options.onPush?.(reply);
  }

  /** Disconnects: stops any blocking wait, unsubscribes, forgets watched keys. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.disconnect(this);
    this.options.onClose?.();
  }
}
