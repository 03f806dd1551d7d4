/**
 * The command table: Redis' own metadata for each command (command-table.ts, generated from
 * COMMAND INFO/DOCS) joined with the function that runs it. The dispatcher reads only this.
 * Each module exports its handlers by lower-case name (`config|get` for a subcommand).
 */
import type { Reply } from '../resp/reply.js';
import type { BlockRequest } from './blocking.js';
import type { Client } from './client.js';
import type { CommandMeta } from './command-meta.js';
import { COMMAND_TABLE } from './command-table.js';
import { commands as connection } from './connection.js';
import { commands as expire } from './expire.js';
import { JSON_COMMAND_TABLE } from './json-command-table.js';
import { commands as keys } from './keys.js';
import { commands as multi } from './multi.js';
import { commands as pubsub } from './pubsub.js';
import { commands as aof } from './persistence/aof.js';
import { commands as configFile } from './persistence/config-file.js';
import { commands as dump } from './persistence/dump.js';
import { commands as snapshot } from './persistence/snapshot.js';
import { commands as server } from './server-commands.js';
import { commands as shutdown } from './shutdown.js';
import { commands as bitmap } from './types/bitmap.js';
import { commands as geo } from './types/geo.js';
import { commands as hash } from './types/hash.js';
import { commands as json } from './types/json.js';
import { commands as list } from './types/list.js';
import { commands as set } from './types/set.js';
import { commands as stream } from './types/stream.js';
import { commands as string } from './types/string.js';
import { commands as zset } from './types/zset.js';

/** Runs a command. argv[0] is the command name as typed; arity is already checked. */
export type Handler = (client: Client, argv: readonly string[]) => Reply | BlockRequest;
export type Handlers = Readonly<Record<string, Handler>>;

export interface CommandSpec extends CommandMeta {
  readonly handler: Handler;
  /** For a container (CONFIG, CLIENT, OBJECT…): its subcommands by lower-case name. */
  readonly subcommands?: ReadonlyMap<string, CommandSpec>;
  /** A small number unique to this command: its slot in per-command tables (Stats). */
  readonly id: number;
  /** The flags the dispatcher tests on every command, read once here. */
  readonly noAuth: boolean;
  readonly noMulti: boolean;
  /** CMD_TOUCHES_ARBITRARY_KEYS (not in COMMAND INFO): the keys it expires on its way propagate unwrapped. */
  readonly touchesArbitraryKeys: boolean;
}

/** The commands Redis 7.0 flags CMD_TOUCHES_ARBITRARY_KEYS. */
const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);

const HANDLERS: Handlers = {
  ...connection, ...server, ...shutdown, ...keys, ...expire, ...multi, ...pubsub,
  ...string, ...bitmap, ...list, ...hash, ...set, ...zset, ...geo, ...stream, ...json,
  ...snapshot, ...dump, ...aof, ...configFile,
};

/** Redis' own commands, then the RedisJSON commands the engine answers as the module would. */
const TABLE: readonly CommandMeta[] = [...COMMAND_TABLE, ...JSON_COMMAND_TABLE];

let nextId = 0;

/**
 * One object shape for every command: the dispatcher reads the same fields of every spec, and
 * objects that all look alike keep those reads fast (specs spread from table entries with and
 * without `container` would each get their own shape).
 */
function spec(meta: CommandMeta, handler: Handler, subcommands?: ReadonlyMap<string, CommandSpec>): CommandSpec {
  return {
    name: meta.name,
    container: meta.container,
    arity: meta.arity,
    flags: meta.flags,
    keys: meta.keys,
    group: meta.group,
    since: meta.since,
    syntax: meta.syntax,
    summary: meta.summary,
    complexity: meta.complexity,
    handler,
    subcommands,
    id: nextId++,
    noAuth: meta.flags.includes('no_auth'),
    noMulti: meta.flags.includes('no_multi'),
    touchesArbitraryKeys: TOUCHES_ARBITRARY_KEYS.has(meta.name),
  };
}

/** How many command specs there are (ids run from 0 to this − 1). */
export function commandCount(): number {
  return nextId;
}

function build(): Map<string, CommandSpec> {
  const top = new Map<string, CommandSpec>();
  const subs = new Map<string, Map<string, CommandSpec>>();
  for (const meta of TABLE) {
    if (!meta.container) continue;
    const handler = HANDLERS[meta.name];
    if (!handler) continue;
    let m = subs.get(meta.container);
    if (!m) subs.set(meta.container, (m = new Map()));
    m.set(meta.name.slice(meta.container.length + 1), spec(meta, handler));
  }
  for (const meta of TABLE) {
    if (meta.container) continue;
    const subcommands = subs.get(meta.name);
    const handler = HANDLERS[meta.name] ?? (subcommands ? containerWithoutSubcommand : undefined);
    if (!handler) continue;
    top.set(meta.name, spec(meta, handler, subcommands));
  }
  for (const name of Object.keys(HANDLERS)) {
    const [container, sub] = name.split('|') as [string, string | undefined];
    const known = sub === undefined ? top.has(name) : subs.get(container)?.has(sub);
    if (!known) throw new Error(`command table: ${name} has a handler but no entry`);
  }
  return top;
}

// A container is never run itself: with no subcommand its arity (-2) fails first.
function containerWithoutSubcommand(): Reply {
  throw new Error('a container command was dispatched without a subcommand');
}

/**
 * Every command the engine implements, by lower-case name. A table entry without a handler is
 * left out (test/engine/commands.test.ts insists there are none); a handler without an entry is
 * a mistake caught here.
 */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = build();

// Most commands arrive all in lower or all in upper case: finding those without lower-casing saves
// an allocation on every command.
const BY_NAME = new Map<string, CommandSpec>([...COMMANDS].flatMap(([n, s]) => [[n, s], [n.toUpperCase(), s]]));

/** The command or subcommand argv names; undefined if unknown. */
export function lookupCommand(argv: readonly string[]): CommandSpec | undefined {
  const name = argv[0] as string;
  const base = BY_NAME.get(name) ?? COMMANDS.get(name.toLowerCase());
  if (!base?.subcommands || argv.length < 2) return base;
  return base.subcommands.get((argv[1] as string).toLowerCase());
}

/** True when argv names a container command (CONFIG, CLIENT…) with a subcommand it does not have. */
export function isContainer(name: string): boolean {
  return COMMANDS.get(name.toLowerCase())?.subcommands !== undefined;
}
