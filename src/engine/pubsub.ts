/**
 * Pub/sub (pubsub.c): channels and patterns, each with its subscribers in subscription order.
 * Messages go to a client through its push callback; a RESP2 subscriber sees them as arrays, a
 * RESP3 one as push replies.
 */
import type { Client } from './client.js';
import type { Handlers } from './commands.js';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();

  /** Drops every subscription of a client that goes away. */
  unsubscribeAll(client: Client): void {
    for (const channel of client.channels) {
      const subs = this.channels.get(channel);
      subs?.delete(client);
      if (subs?.size === 0) this.channels.delete(channel);
    }
    for (const pattern of client.patterns) {
      const subs = this.patterns.get(pattern);
      subs?.delete(client);
      if (subs?.size === 0) this.patterns.delete(pattern);
    }
    client.channels.clear();
    client.patterns.clear();
  }
}

export const commands: Handlers = {};
