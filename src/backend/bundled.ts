/**
 * The bundled engine as a Backend: every connection is an engine Client in this process, so a
 * command answers synchronously (a blocked one through the engine's promise) and reset() is a new
 * Engine, the cheapest fresh state there is.
 */
import { Engine } from '../engine/engine.js';
import type { Client } from '../engine/client.js';
import type { Clock } from '../engine/clock.js';
import type { Reply } from '../resp/reply.js';
import { type Backend, type BackendClient, type Capability, MissingCapability } from './backend.js';

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
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['json', 'clients']);
  private readonly clock: Clock & { advance(ms: number): void };
  private current: Engine;

  constructor(options: BundledOptions = {}) {
    this.clock = options.clock ?? new ShiftedClock();
    this.current = new Engine({ clock: this.clock });
  }

  /** The engine behind the backend now (a new one after reset()); for the app's keyspace panel. */
  get engine(): Engine {
    return this.current;
  }

  async connect(): Promise<BackendClient> {
    return new BundledClient(this.current);
  }

  async reset(): Promise<void> {
    this.current.close();
    this.current = new Engine({ clock: this.clock });
  }

  async advanceTime(ms: number): Promise<boolean> {
    this.clock.advance(ms);
    this.current.updateTime();
    return true;
  }

  async crash(): Promise<void> {
    throw new MissingCapability('persistence', this.description);
  }

  async restart(): Promise<void> {
    throw new MissingCapability('persistence', this.description);
  }

  async close(): Promise<void> {
    this.current.close();
  }
}

class BundledClient implements BackendClient {
  private readonly listeners = new Set<(reply: Reply) => void>();
  private readonly client: Client;

  constructor(engine: Engine) {
    this.client = engine.connect({ onPush: (reply) => this.listeners.forEach((l) => l(reply)) });
  }

  async execute(argv: readonly string[]): Promise<Reply> {
    return this.client.execute(argv);
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
