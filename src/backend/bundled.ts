/**
 * The bundled engine as a Backend: every connection is an engine Client in this process, so a
 * command answers synchronously (a blocked one through the engine's promise) and reset() is a new
 * Engine, the cheapest fresh state there is. The engine works in a private data directory, so a
 * SAVE in a lesson never writes dump.rdb where the learner started the app.
 */
import fs from 'node:fs';
import type { Client } from '../engine/client.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { asProtocol } from '../resp/encode.js';
import type { Reply } from '../resp/reply.js';
import type { Backend, BackendClient, Capability } from './backend.js';
import { keptSettings, makeDataDirectory, startEngine, stopEngine, waitForBackgroundWork, wipeDataDirectory } from './bundled-disk.js';

/**
 * The system clock plus an offset that only grows: advanceTime() moves it, so a replayed "wait
 * 5 s" is instant and keys still expire exactly as they would have.
 */
export class ShiftedClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface BundledOptions {
  /** Defaults to a ShiftedClock over the system clock. */
  readonly clock?: Clock & { advance(ms: number): void };
}

export class BundledBackend implements Backend {
  readonly description = 'bundled engine';
  /** Everything: JSON is built in, crash() and restart() work on the engine's AOF and snapshots. */
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['json', 'persistence', 'clients']);
  private readonly clock: Clock & { advance(ms: number): void };
  /** The engine's own data directory (dump.rdb…), made on first use, removed by close(). */
  private dir: string | undefined;
  private current: Engine;

  constructor(options: BundledOptions = {}) {
    this.clock = options.clock ?? new ShiftedClock();
    this.current = startEngine(this.clock, this.dataDirectory());
  }

  /** The engine behind the backend now (a new one after reset()); for the app's keyspace panel. */
  get engine(): Engine {
    return this.current;
  }

  async connect(): Promise<BackendClient> {
    return new BundledClient(this.current);
  }

  async reset(): Promise<void> {
    await stopEngine(this.current, 'crash');
    wipeDataDirectory(this.dataDirectory());
    this.current = startEngine(this.clock, this.dataDirectory());
  }

  async advanceTime(ms: number): Promise<boolean> {
    this.clock.advance(ms);
    // A real server would have finished a snapshot or an AOF rewrite of lesson-sized data in the
    // time skipped; their file work runs on real time, so it is waited for here.
    await waitForBackgroundWork(this.current);
    this.current.updateTime();
    return true;
  }

  async crash(): Promise<void> {
    await this.replaceEngine('crash');
  }

  async restart(): Promise<void> {
    await this.replaceEngine('shutdown');
  }

  async close(): Promise<void> {
    await stopEngine(this.current, 'crash');
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /** The old engine stops; a new one starts with its settings and loads what it left on disk. */
  private async replaceEngine(how: 'crash' | 'shutdown'): Promise<void> {
    const settings = keptSettings(this.current);
    await stopEngine(this.current, how);
    this.current = startEngine(this.clock, this.dataDirectory(), settings);
  }

  private dataDirectory(): string {
    this.dir ??= makeDataDirectory();
    return this.dir;
  }
}

class BundledClient implements BackendClient {
  private readonly listeners = new Set<(reply: Reply) => void>();
  private readonly client: Client;

  constructor(engine: Engine) {
    this.client = engine.connect({ onPush: (reply) => this.listeners.forEach((l) => l(reply)) });
  }

  /**
   * The reply as a client of this protocol receives it, as from a real server: in RESP2 a score
   * is a bulk string ("2.5", not (double) 2.5), a map a flat array. A subscription confirmation
   * stays a push, as the real backend reports it.
   */
  async execute(argv: readonly string[]): Promise<Reply> {
    const reply = await this.client.execute(argv);
    return reply.kind === 'push' ? reply : asProtocol(reply, this.client.resp);
  }

  onPush(listener: (reply: Reply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async interrupt(): Promise<void> {
    const { engine, blocked } = this.client;
    if (blocked) engine.unblock(this.client, blocked.request.timeoutReply);
    engine.pubsub.unsubscribeAll(this.client);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
