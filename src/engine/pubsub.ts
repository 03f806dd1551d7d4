/**
 * Pub/sub (pubsub.c): channels and patterns, each with its subscribers in subscription order.
 * Messages go to a client through its push callback; a RESP2 subscriber sees them as arrays, a
 * RESP3 one as push replies (the encoder folds a push into an array for RESP2).
 *
 * How a command with several replies answers. Redis answers SUBSCRIBE a b c with three replies,
 * one per channel (and UNSUBSCRIBE / PSUBSCRIBE / PUNSUBSCRIBE likewise). A handler returns one
 * reply, so these commands send every reply but the last through `client.push` while they run,
 * and return the last one. Everything runs synchronously, so a caller that writes pushes as they
 * arrive and then the returned reply (the RESP server, `redislings cli`) writes them in Redis'
 * order. A client without a push callback sees only the last confirmation.
 */
import { array, bulk, bulkArray, integer, NIL, push, type Reply } from '../resp/reply.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import { NOTIFY } from './config.js';
import type { Engine } from './engine.js';
import { globMatch } from './glob.js';
import { helpReply, subcommandSyntaxError } from './subcommands.js';

export class PubSub {
  /** Channel → subscribers, in the order they subscribed. */
  readonly channels = new Map<string, Set<Client>>();
  /** Pattern → subscribers, in the order they subscribed. */
  readonly patterns = new Map<string, Set<Client>>();

  /** pubsubSubscribeChannel: true if the client was not subscribed to it yet. */
  subscribe(client: Client, channel: string): boolean {
    if (client.channels.has(channel)) return false;
    client.channels.add(channel);
    addTo(this.channels, channel, client);
    return true;
  }

  /** pubsubUnsubscribeChannel: true if the client was subscribed to it. */
  unsubscribe(client: Client, channel: string): boolean {
    if (!client.channels.delete(channel)) return false;
    removeFrom(this.channels, channel, client);
    return true;
  }

  psubscribe(client: Client, pattern: string): boolean {
    if (client.patterns.has(pattern)) return false;
    client.patterns.add(pattern);
    addTo(this.patterns, pattern, client);
    return true;
  }

  punsubscribe(client: Client, pattern: string): boolean {
    if (!client.patterns.delete(pattern)) return false;
    removeFrom(this.patterns, pattern, client);
    return true;
  }

  /**
   * Delivers a message: first to the channel's subscribers, then to the subscribers of every
   * matching pattern; returns how many deliveries were made (a client subscribed both ways, or to
   * two matching patterns, counts, and receives, each time).
   */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers) {
      for (const c of subscribers) {
        c.push(push([bulk('message'), bulk(channel), bulk(message)]));
        receivers++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        c.push(push([bulk('pmessage'), bulk(pattern), bulk(channel), bulk(message)]));
        receivers++;
      }
    }
    return receivers;
  }

  /** Drops every subscription of a client, without telling it (disconnection, RESET). */
  unsubscribeAll(client: Client): void {
    for (const channel of [...client.channels]) this.unsubscribe(client, channel);
    for (const pattern of [...client.patterns]) this.punsubscribe(client, pattern);
  }
}

function addTo(registry: Map<string, Set<Client>>, name: string, client: Client): void {
  const subs = registry.get(name);
  if (subs) subs.add(client);
  else registry.set(name, new Set([client]));
}

function removeFrom(registry: Map<string, Set<Client>>, name: string, client: Client): void {
  const subs = registry.get(name);
  subs?.delete(client);
  // An entry without subscribers goes, so that PUBSUB CHANNELS lists only live channels.
  if (subs?.size === 0) registry.delete(name);
}

/**
 * notifyKeyspaceEvent (notify.c): when `notify-keyspace-events` enables the class `type` (a NOTIFY
 * flag from config.ts), publishes `event` on __keyspace@<db>__:<key> and `key` on
 * __keyevent@<db>__:<event>, each if K or E is on. For the commands to call where Redis does.
 */
export function notifyKeyspaceEvent(engine: Engine, type: number, event: string, key: string, dbid: number): void {
  const flags = engine.config.notifyKeyspaceEvents();
  if (!(flags & type)) return;
  if (flags & NOTIFY.KEYSPACE) engine.pubsub.publish(`__keyspace@${dbid}__:${key}`, event);
  if (flags & NOTIFY.KEYEVENT) engine.pubsub.publish(`__keyevent@${dbid}__:${event}`, key);
}

/** clientSubscriptionsCount: channels plus patterns. */
function subscriptionCount(c: Client): number {
  return c.channels.size + c.patterns.size;
}

/** A confirmation as Redis writes it: kind, channel (nil for "none"), the count after it. */
function confirmation(kind: string, name: string | undefined, c: Client): Reply {
  return push([bulk(kind), name === undefined ? NIL : bulk(name), integer(subscriptionCount(c))]);
}

/** Sends all replies but the last as pushes and returns the last (see the file comment). */
export function inSequence(c: Client, replies: readonly Reply[]): Reply {
  for (let i = 0; i < replies.length - 1; i++) c.push(replies[i] as Reply);
  return replies[replies.length - 1] as Reply;
}

/** SUBSCRIBE channel [channel ...] */
function subscribe(c: Client, argv: readonly string[]): Reply {
  const replies: Reply[] = [];
  for (let i = 1; i < argv.length; i++) {
    c.engine.pubsub.subscribe(c, argv[i] as string);
    replies.push(confirmation('subscribe', argv[i], c));
  }
  return inSequence(c, replies);
}

/** UNSUBSCRIBE [channel [channel ...]]: with no channel, from all of them. */
function unsubscribe(c: Client, argv: readonly string[]): Reply {
  const pubsub = c.engine.pubsub;
  const replies: Reply[] = [];
  const channels = argv.length > 1 ? argv.slice(1) : [...c.channels];
  for (const channel of channels) {
    pubsub.unsubscribe(c, channel);
    replies.push(confirmation('unsubscribe', channel, c));
  }
  // Subscribed to nothing: Redis still answers, with a nil channel.
  if (replies.length === 0) replies.push(confirmation('unsubscribe', undefined, c));
  return inSequence(c, replies);
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribe(c: Client, argv: readonly string[]): Reply {
  const replies: Reply[] = [];
  for (let i = 1; i < argv.length; i++) {
    c.engine.pubsub.psubscribe(c, argv[i] as string);
    replies.push(confirmation('psubscribe', argv[i], c));
  }
  return inSequence(c, replies);
}

/** PUNSUBSCRIBE [pattern [pattern ...]]: with no pattern, from all of them. */
function punsubscribe(c: Client, argv: readonly string[]): Reply {
  const pubsub = c.engine.pubsub;
  const replies: Reply[] = [];
  const patterns = argv.length > 1 ? argv.slice(1) : [...c.patterns];
  for (const pattern of patterns) {
    pubsub.punsubscribe(c, pattern);
    replies.push(confirmation('punsubscribe', pattern, c));
  }
  if (replies.length === 0) replies.push(confirmation('punsubscribe', undefined, c));
  return inSequence(c, replies);
}

/** PUBLISH channel message */
function publish(c: Client, argv: readonly string[]): Reply {
  return integer(c.engine.pubsub.publish(argv[1] as string, argv[2] as string));
}

/** PUBSUB CHANNELS [pattern] */
function pubsubChannels(c: Client, argv: readonly string[]): Reply {
  if (argv.length > 3) return subcommandSyntaxError(argv);
  const pattern = argv[2];
  const names: string[] = [];
  for (const channel of c.engine.pubsub.channels.keys()) {
    if (pattern === undefined || globMatch(pattern, channel)) names.push(channel);
  }
  return bulkArray(names);
}

/** PUBSUB NUMSUB [channel [channel ...]] */
function pubsubNumsub(c: Client, argv: readonly string[]): Reply {
  const items: Reply[] = [];
  for (let i = 2; i < argv.length; i++) {
    items.push(bulk(argv[i] as string), integer(c.engine.pubsub.channels.get(argv[i] as string)?.size ?? 0));
  }
  return array(items);
}

/** PUBSUB NUMPAT: how many patterns have subscribers (not how many subscriptions). */
function pubsubNumpat(c: Client): Reply {
  return integer(c.engine.pubsub.patterns.size);
}

/** PUBSUB HELP */
function pubsubHelp(_c: Client, argv: readonly string[]): Reply {
  return helpReply(argv[0] as string, [
    'CHANNELS [<pattern>]',
    "    Return the currently active channels matching a <pattern> (default: '*').",
    'NUMPAT',
    '    Return number of subscriptions to patterns.',
    'NUMSUB [<channel> ...]',
    '    Return the number of subscribers for the specified channels, excluding',
    '    pattern subscriptions(default: no channels).',
    'SHARDCHANNELS [<pattern>]',
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    'SHARDNUMSUB [<shardchannel> ...]',
    '    Return the number of subscribers for the specified shard level channel(s)',
  ]);
}

export const commands: Handlers = {
  subscribe, unsubscribe, psubscribe, punsubscribe, publish,
  'pubsub|channels': pubsubChannels,
  'pubsub|numsub': pubsubNumsub,
  'pubsub|numpat': pubsubNumpat,
  'pubsub|help': pubsubHelp,
};
