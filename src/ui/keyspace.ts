/**
 * Reading the lesson's keyspace for the panel: each key's type, size, TTL and a glimpse of its
 * contents.
 *
 * On the bundled engine the panel reads the database directly, without running commands: a
 * command would count as a keyspace hit, refresh the key's idle time (OBJECT IDLETIME) and show
 * in INFO's command stats, and the learner would see the panel's traffic in what they study. An
 * expired key is left out without being deleted (Redis deletes it when it is next touched or by its
 * expiry cycle, and so does the engine). On another backend the panel has its own connection
 * and asks with commands, as any client would.
 */
import type { BackendClient } from '../backend/backend.js';
import type { Engine } from '../engine/engine.js';
import { quote } from '../resp/render.js';
import { fromBytes, type Reply } from '../resp/reply.js';
import type { KeyInfo } from './state/types.js';

/** The panel shows at most this many keys (a lesson has a handful; a learner may add thousands). */
export const PANEL_MAX_KEYS = 200;

export interface KeyspaceReader {
  read(): Promise<KeyInfo[]>;
  close(): Promise<void>;
}

const PREVIEW_CHARS = 40;

function previewString(bytes: string): string {
  const cut = bytes.length > PREVIEW_CHARS ? bytes.slice(0, PREVIEW_CHARS) : bytes;
  return fromBytes(quote(cut)) + (cut.length < bytes.length ? '…' : '');
}

function previewList(elements: readonly string[], length: number): string {
  const shown = elements.map((e) => fromBytes(/^[\x21-\x7e]+$/.test(e) ? e : quote(e)));
  return `[${shown.join(' ')}${length > elements.length ? ' …' : ''}]`;
}

/** Sizes and contents as the engine's values expose them; properties checked before use. */
interface Inspectable {
  readonly type: string;
  readonly length?: unknown;
  readonly size?: unknown;
  readonly value?: unknown;
  get?(index: number): unknown;
}

function inspect(key: string, value: Inspectable, ttlMs: number | undefined): KeyInfo {
  const size = typeof value.length === 'number' ? value.length : typeof value.size === 'number' ? value.size : undefined;
  let preview: string | undefined;
  if (value.type === 'string' && typeof value.value === 'string') preview = previewString(value.value);
  if (value.type === 'list' && size !== undefined && typeof value.get === 'function') {
    const elements: string[] = [];
    for (let i = 0; i < Math.min(size, 4); i++) {
      const e = value.get(i);
      if (typeof e === 'string') elements.push(e);
    }
    preview = previewList(elements, size);
  }
  return {
    key: fromBytes(key),
    type: value.type,
    ...(size === undefined ? {} : { size }),
    ...(ttlMs === undefined ? {} : { ttlMs }),
    ...(preview === undefined ? {} : { preview }),
  };
}

const byKey = (a: KeyInfo, b: KeyInfo) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The bundled engine's database 0 (the lesson database), read in place. `engine()` follows resets. */
export function engineKeyspace(engine: () => Engine, db = 0): KeyspaceReader {
  return {
    async read() {
      const e = engine();
      const database = e.databases[db];
      if (!database) return [];
      const now = e.clock.now();
      const keys: KeyInfo[] = [];
      for (const [key, value] of database.dict) {
        const at = database.expires.get(key);
        if (at !== undefined && at <= now) continue;
        keys.push(inspect(key, value as unknown as Inspectable, at === undefined ? undefined : at - now));
        if (keys.length >= PANEL_MAX_KEYS) break;
      }
      return keys.sort(byKey);
    },
    async close() {},
  };
}

const SIZE_COMMAND: Record<string, string> = { string: 'STRLEN', list: 'LLEN', hash: 'HLEN', set: 'SCARD', zset: 'ZCARD', stream: 'XLEN' };

const int = (r: Reply): number | undefined => (r.kind === 'integer' ? Number(r.value) : undefined);

/** Any backend, through a connection of the panel's own: SCAN, then TYPE, PTTL and a size per key. */
export function commandKeyspace(connect: () => Promise<BackendClient>): KeyspaceReader {
  let client: Promise<BackendClient> | undefined;

  const describeKey = async (c: BackendClient, name: string): Promise<KeyInfo | undefined> => {
    const [type, pttl] = await Promise.all([c.execute(['TYPE', name]), c.execute(['PTTL', name])]);
    const typeName = type.kind === 'simple' ? type.value : 'none';
    if (typeName === 'none') return undefined;
    const sizeCommand = SIZE_COMMAND[typeName];
    const size = sizeCommand ? int(await c.execute([sizeCommand, name])) : undefined;
    let preview: string | undefined;
    if (typeName === 'string') {
      const head = await c.execute(['GETRANGE', name, '0', String(PREVIEW_CHARS)]);
      if (head.kind === 'bulk') preview = previewString(head.value);
    } else if (typeName === 'list') {
      const head = await c.execute(['LRANGE', name, '0', '3']);
      if (head.kind === 'array') preview = previewList(head.items.flatMap((r) => (r.kind === 'bulk' ? [r.value] : [])), size ?? 0);
    }
    const ttl = int(pttl);
    return {
      key: fromBytes(name), type: typeName,
      ...(size === undefined ? {} : { size }),
      ...(ttl !== undefined && ttl >= 0 ? { ttlMs: ttl } : {}),
      ...(preview === undefined ? {} : { preview }),
    };
  };

  const read = async (): Promise<KeyInfo[]> => {
    client ??= connect();
    const c = await client;
    const names: string[] = [];
    let cursor = '0';
    do {
      const page = await c.execute(['SCAN', cursor, 'COUNT', '100']);
      if (page.kind !== 'array' || page.items.length !== 2) break;
      const [next, batch] = page.items as [Reply, Reply];
      cursor = next.kind === 'bulk' ? next.value : '0';
      if (batch.kind === 'array') for (const k of batch.items) if (k.kind === 'bulk') names.push(k.value);
    } while (cursor !== '0' && names.length < PANEL_MAX_KEYS);
    const keys = await Promise.all(names.slice(0, PANEL_MAX_KEYS).map((name) => describeKey(c, name)));
    return keys.filter((k): k is KeyInfo => k !== undefined).sort(byKey);
  };

  return {
    async read() {
      try {
        return await read();
      } catch (e) {
        // A lesson's reset closes the backend's connections: connect again, once.
        if (!(e instanceof Error)) throw e;
        client = undefined;
        return read();
      }
    },
    async close() {
      if (client) await (await client).close();
      client = undefined;
    },
  };
}
