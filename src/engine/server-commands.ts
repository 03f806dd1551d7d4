/**
 * Server commands (server.c, config.c): TIME, INFO, CONFIG and COMMAND. COMMAND's INFO and DOCS
 * answer with Redis' own replies, stored in command-docs.json when the command table was
 * generated; that file is large, so it is read the first time it is needed, not at startup.
 */
import { createRequire } from 'node:module';
import { array, bulk, bulkArray, integer, map, NIL, OK, set, simple, verbatim, type Reply } from '../resp/reply.js';
import { is } from './args.js';
import type { Client } from './client.js';
import type { CommandMeta } from './command-meta.js';
import type { CommandSpec, Handlers } from './commands.js';
import { ConfigError } from './config.js';
import { RedisError, SYNTAX } from './errors.js';
import { globMatch } from './glob.js';
import { infoText } from './info.js';
import { helpReply, subcommandSyntaxError } from './subcommands.js';

/** TIME: the engine clock as [seconds, microseconds], both bulk strings. */
function time(c: Client): Reply {
  const ms = c.engine.time;
  return bulkArray([String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)]);
}

/** INFO [section [section ...]] */
function info(c: Client, argv: readonly string[]): Reply {
  return verbatim(infoText(c.engine, argv.slice(1)));
}

// ---------------------------------------------------------------------------------------------
// CONFIG

/** CONFIG GET parameter [parameter ...]: each a name or a glob over the names (aliases too). */
function configGet(c: Client, argv: readonly string[]): Reply {
  const found = new Map<string, { name: string; value: string }>();
  for (let i = 2; i < argv.length; i++) {
    for (const entry of c.engine.config.lookup(argv[i] as string, (p, name) => globMatch(p, name, true))) {
      const key = entry.name.toLowerCase();
      if (!found.has(key)) found.set(key, entry);
    }
  }
  return map([...found.values()].map(({ name, value }) => [bulk(name), bulk(value)] as const));
}

/** CONFIG SET parameter value [parameter value ...]: all or nothing. */
function configSet(c: Client, argv: readonly string[]): Reply {
  if (argv.length % 2 === 1) throw new RedisError(SYNTAX);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i] as string, argv[i + 1] as string]);
  try {
    c.engine.config.set(pairs, { loading: c.engine.loading });
  } catch (e) {
    if (e instanceof ConfigError) throw new RedisError(e.message);
    throw e;
  }
  return OK;
}

/** CONFIG RESETSTAT */
function configResetstat(c: Client): Reply {
  c.engine.stats.reset();
  return OK;
}

/** CONFIG HELP */
function configHelp(_c: Client, argv: readonly string[]): Reply {
  return helpReply(argv[0] as string, [
    'GET <pattern>',
    '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>',
    '    Set the configuration <directive> to <value>.',
    'RESETSTAT',
    '    Reset statistics reported by the INFO command.',
    'REWRITE',
    '    Rewrite the configuration file.',
  ]);
}

// ---------------------------------------------------------------------------------------------
// COMMAND

interface StoredCommand {
  readonly info: Reply;
  readonly docs: Reply;
}

let stored: Readonly<Record<string, StoredCommand>> | undefined;

/** Redis' COMMAND INFO and COMMAND DOCS replies for every command in the table, read once. */
function storedReplies(): Readonly<Record<string, StoredCommand>> {
  if (!stored) {
    const require = createRequire(import.meta.url);
    const raw = require('./command-docs.json') as Record<string, StoredCommand>;
    stored = Object.fromEntries(Object.entries(raw).map(([name, r]) => [name, { info: typedInfo(r.info), docs: r.docs }]));
  }
  return stored;
}

/**
 * COMMAND INFO's entry with Redis' RESP3 types (addReplyCommandInfo): flags, categories, tips
 * and key specs are sets, each key spec a map. The stored replies were read over RESP2, where
 * those are plain arrays; a RESP2 client gets them folded back to exactly that.
 */
function typedInfo(info: Reply): Reply {
  if (info.kind !== 'array' || info.items.length !== 10) return info;
  const it = info.items;
  const subs = itemsOf(it[9]);
  return array([
    it[0] as Reply, it[1] as Reply, asSet(it[2]), it[3] as Reply, it[4] as Reply, it[5] as Reply,
    asSet(it[6]), asSet(it[7]),
    set(itemsOf(it[8]).map((spec) => asMap(spec, (k, v) => (k === 'flags' ? asSet(v) : k === 'notes' ? v : asMap(v, (_, w) => asMap(w)))))),
    subs.length === 0 ? set([]) : array(subs.map(typedInfo)),
  ]);
}

function asSet(reply: Reply | undefined): Reply {
  return reply?.kind === 'array' ? set(reply.items) : (reply ?? set([]));
}

/** Flat key, value pairs (RESP2's form of a map) as a map; `value` converts each value. */
function asMap(reply: Reply, value: (key: string, v: Reply) => Reply = (_, v) => v): Reply {
  if (reply.kind !== 'array') return reply;
  const entries: (readonly [Reply, Reply])[] = [];
  for (let i = 0; i + 1 < reply.items.length; i += 2) {
    const k = reply.items[i] as Reply;
    entries.push([k, value(nameOf(k) ?? '', reply.items[i + 1] as Reply)]);
  }
  return map(entries);
}

/** A command as COMMAND describes it: its table entry, and a container's subcommands if it has them. */
type DescribedCommand = CommandMeta & { readonly subcommands?: ReadonlyMap<string, unknown> };

/** lookupCommandBySds: `get`, or `config|get` for a subcommand; any case. */
function commandByName(c: Client, name: string): CommandSpec | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = c.engine.commands.get(parts[0] as string);
  if (parts.length === 1) return base;
  return base?.subcommands?.get(parts[1] as string);
}

function itemsOf(reply: Reply | undefined): readonly Reply[] {
  return reply && (reply.kind === 'array' || reply.kind === 'set') ? reply.items : [];
}

function nameOf(reply: Reply | undefined): string | undefined {
  return reply?.kind === 'bulk' || reply?.kind === 'simple' ? reply.value : undefined;
}

/**
 * COMMAND INFO's entry for a command: Redis' own, with a container's subcommands narrowed to
 * those the engine has (COMMAND and COMMAND LIST describe this engine, not all of Redis).
 */
function commandInfo(spec: DescribedCommand): Reply {
  if (spec.container) {
    const parent = storedReplies()[spec.container]?.info;
    const entry = itemsOf(itemsOf(parent)[9]).find((r) => nameOf(itemsOf(r)[0]) === spec.name);
    return entry ?? infoFromMeta(spec);
  }
  const own = storedReplies()[spec.name]?.info;
  if (!own || own.kind !== 'array') return infoFromMeta(spec);
  if (!spec.subcommands) return own;
  const subs = itemsOf(own.items[9]).filter((r) => implementsSubcommand(spec, nameOf(itemsOf(r)[0])));
  return array([...own.items.slice(0, 9), array(subs)]);
}

/** For a command added to the table without regenerating command-docs.json: what the table knows. */
function infoFromMeta(spec: DescribedCommand): Reply {
  return array([
    bulk(spec.name), integer(spec.arity), array(spec.flags.map(simple)),
    integer(spec.keys[0]), integer(spec.keys[1]), integer(spec.keys[2]),
    array([]), array([]), array([]), array([]),
  ]);
}

/** COMMAND DOCS' entry for a command, narrowed like commandInfo. */
function commandDocs(spec: CommandSpec): Reply {
  const fallback = map([
    [bulk('summary'), bulk(spec.summary)], [bulk('since'), bulk(spec.since)],
    [bulk('group'), bulk(spec.group)], [bulk('complexity'), bulk(spec.complexity)],
  ]);
  if (spec.container) {
    const parent = storedReplies()[spec.container]?.docs;
    const subs = parent?.kind === 'map' ? parent.entries.find(([k]) => nameOf(k) === 'subcommands')?.[1] : undefined;
    return (subs?.kind === 'map' ? subs.entries.find(([k]) => nameOf(k) === spec.name)?.[1] : undefined) ?? fallback;
  }
  const own = storedReplies()[spec.name]?.docs;
  if (!own || own.kind !== 'map') return fallback;
  if (!spec.subcommands) return own;
  return map(own.entries.map(([k, v]) => {
    if (nameOf(k) !== 'subcommands' || v.kind !== 'map') return [k, v] as const;
    return [k, map(v.entries.filter(([name]) => implementsSubcommand(spec, nameOf(name))))] as const;
  }));
}

/** Whether a container implements the subcommand Redis names `config|get`. */
function implementsSubcommand(spec: DescribedCommand, fullName: string | undefined): boolean {
  const sub = fullName?.toLowerCase().split('|')[1];
  return sub !== undefined && spec.subcommands?.has(sub) === true;
}

/** Every command and subcommand the engine has, containers before their subcommands. */
function allCommands(c: Client): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of c.engine.commands.values()) {
    out.push(spec);
    if (spec.subcommands) out.push(...spec.subcommands.values());
  }
  return out;
}

/** COMMAND: COMMAND INFO of every command. */
function command(c: Client): Reply {
  return array([...c.engine.commands.values()].map(commandInfo));
}

/** COMMAND COUNT: the commands this engine implements (Redis counts its own). */
function commandCount(c: Client): Reply {
  return integer(c.engine.commands.size);
}

/** COMMAND INFO [command-name ...]: nil for a name that is not a command. */
function commandInfoCommand(c: Client, argv: readonly string[]): Reply {
  if (argv.length === 2) return command(c);
  return array(argv.slice(2).map((name) => {
    const spec = commandByName(c, name);
    return spec ? commandInfo(spec) : NIL;
  }));
}

/** COMMAND DOCS [command-name ...]: a map by full name; unknown names are left out. */
function commandDocsCommand(c: Client, argv: readonly string[]): Reply {
  const specs = argv.length === 2
    ? [...c.engine.commands.values()]
    : argv.slice(2).map((name) => commandByName(c, name)).filter((s): s is CommandSpec => s !== undefined);
  return map(specs.map((spec) => [bulk(spec.name), commandDocs(spec)] as const));
}

/** The ACL categories Redis knows (ACLGetCommandCategoryFlagByName). */
const ACL_CATEGORIES = new Set([
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
]);

function categoriesOf(spec: CommandSpec): string[] {
  return itemsOf(itemsOf(commandInfo(spec))[6]).map((r) => (nameOf(r) ?? '').replace(/^@/, '').toLowerCase());
}

/** COMMAND LIST [FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern] */
function commandList(c: Client, argv: readonly string[]): Reply {
  let filter: ((spec: CommandSpec) => boolean) | undefined;
  for (let i = 2; i < argv.length; i++) {
    if (!is(argv[i], 'FILTERBY') || argv.length - 1 - i !== 2) throw new RedisError(SYNTAX);
    const kind = argv[i + 1] as string;
    const arg = argv[i + 2] as string;
    if (is(kind, 'MODULE')) {
      // No modules are loaded, so no command belongs to one.
      filter = () => false;
    } else if (is(kind, 'ACLCAT')) {
      const category = arg.toLowerCase();
      filter = ACL_CATEGORIES.has(category) ? (spec) => categoriesOf(spec).includes(category) : () => false;
    } else if (is(kind, 'PATTERN')) {
      filter = (spec) => globMatch(arg, spec.name, true);
    } else {
      throw new RedisError(SYNTAX);
    }
    i += 2;
  }
  return bulkArray(allCommands(c).filter((spec) => !filter || filter(spec)).map((spec) => spec.name));
}

interface KeySpec {
  readonly flags: readonly string[];
  readonly beginSearch: { type: string; index?: number; keyword?: string; startfrom?: number };
  readonly findKeys: { type: string; lastkey?: number; keystep?: number; limit?: number; keynumidx?: number; firstkey?: number };
}

/** A RESP3 map (or RESP2 flat pairs) as a JS object of its plain values. */
function plain(reply: Reply): unknown {
  switch (reply.kind) {
    case 'map': return Object.fromEntries(reply.entries.map(([k, v]) => [nameOf(k), plain(v)]));
    case 'array': case 'set': case 'push': return reply.items.map(plain);
    case 'integer': return Number(reply.value);
    case 'bulk': case 'simple': return reply.value;
    default: return undefined;
  }
}

function keySpecsOf(spec: DescribedCommand): KeySpec[] {
  return itemsOf(itemsOf(commandInfo(spec))[8]).map((r) => {
    const o = plain(r) as { flags: string[]; begin_search: { type: string; spec: object }; find_keys: { type: string; spec: object } };
    return {
      flags: o.flags.map((f) => f.toLowerCase()),
      beginSearch: { type: o.begin_search.type, ...o.begin_search.spec },
      findKeys: { type: o.find_keys.type, ...o.find_keys.spec },
    };
  });
}

/**
 * Commands whose keys Redis finds with a function of their own when the key specs cannot tell
 * (getkeys_proc): the store key's, key count's and first key's positions and the key step of
 * genericGetKeys, or `first` for the commands whose only key is argument 1.
 */
const GETKEYS_PROCS: Readonly<Record<string, readonly [number, number, number, number] | 'first'>> = {
  zunionstore: [1, 2, 3, 1], zinterstore: [1, 2, 3, 1], zdiffstore: [1, 2, 3, 1],
  zunion: [0, 1, 2, 1], zinter: [0, 1, 2, 1], zdiff: [0, 1, 2, 1], zintercard: [0, 1, 2, 1],
  sintercard: [0, 1, 2, 1], lmpop: [0, 1, 2, 1], zmpop: [0, 1, 2, 1],
  blmpop: [0, 2, 3, 1], bzmpop: [0, 2, 3, 1],
  eval: [0, 2, 3, 1], evalsha: [0, 2, 3, 1], fcall: [0, 2, 3, 1],
  set: 'first', bitfield: 'first', sort_ro: 'first',
};

/** getKeysUsingKeySpecs: the key positions, or undefined where a spec cannot be followed. */
function keysBySpecs(specs: readonly KeySpec[], argv: readonly string[], arity: number): number[] | undefined {
  const keys: number[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    const bs = spec.beginSearch;
    if (bs.type === 'index') {
      first = bs.index ?? 0;
    } else if (bs.type === 'keyword') {
      const from = bs.startfrom ?? 0;
      const start = from > 0 ? from : argv.length + from;
      const end = from > 0 ? argv.length - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argv.length || i < 1) break;
        if ((argv[i] as string).toLowerCase() === (bs.keyword ?? '').toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    } else {
      return undefined;
    }
    let last: number;
    let step: number;
    const fk = spec.findKeys;
    if (fk.type === 'range') {
      step = fk.keystep ?? 1;
      const lastkey = fk.lastkey ?? 0;
      if (lastkey >= 0) last = first + lastkey;
      else if (!fk.limit) last = argv.length + lastkey;
      else last = first + (Math.trunc((argv.length - first) / fk.limit) + lastkey);
    } else if (fk.type === 'keynum') {
      step = fk.keystep ?? 1;
      if ((fk.keynumidx ?? 0) >= argv.length) return undefined;
      const numkeys = /^(0|-?[1-9][0-9]*)$/.test(argv[first + (fk.keynumidx ?? 0)] ?? '') ? Number(argv[first + (fk.keynumidx ?? 0)]) : NaN;
      if (!Number.isSafeInteger(numkeys) || numkeys < 0) return undefined;
      first += fk.firstkey ?? 0;
      last = first + numkeys - 1;
    } else {
      return undefined;
    }
    if (last >= argv.length || last < first || first >= argv.length) return undefined;
    for (let i = first; i <= last; i += step) {
      if (i >= argv.length || i < first) {
        if (arity < 0) continue;
        return undefined;
      }
      keys.push(i);
    }
    if (spec.flags.includes('incomplete')) return undefined;
  }
  return keys;
}

/** genericGetKeys: atoi of the key count; no keys when it is out of range. */
function keysByProc(proc: readonly [number, number, number, number] | 'first', argv: readonly string[]): number[] {
  if (proc === 'first') return [1];
  const [store, countAt, firstKey, step] = proc;
  const num = atoi(argv[countAt] ?? '');
  if (num < 1 || num > Math.trunc((argv.length - firstKey) / step)) return [];
  const keys = Array.from({ length: num }, (_, i) => firstKey + i * step);
  if (store) keys.push(store);
  return keys;
}

/** C's atoi: leading spaces, a sign, digits; 0 if none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  return m ? Number.parseInt(m[1] as string, 10) | 0 : 0;
}

/**
 * The keys of a full command line (getKeysSubcommandImpl): by the command's key specs, or where
 * they cannot tell, by the command's own rule as Redis does. Throws Redis' errors.
 */
export function commandKeys(spec: DescribedCommand, args: readonly string[]): string[] {
  const specs = keySpecsOf(spec);
  const proc = GETKEYS_PROCS[spec.name];
  const hasKeySpec = specs.some((s) => !s.flags.includes('not_key'));
  if (!proc && !hasKeySpec) throw new RedisError('ERR The command has no key arguments');
  if ((spec.arity > 0 && spec.arity !== args.length) || args.length < -spec.arity) {
    throw new RedisError('ERR Invalid number of arguments specified for command');
  }
  const variableFlags = specs.some((s) => s.flags.includes('variable_flags'));
  let keys = hasKeySpec && !variableFlags ? keysBySpecs(specs, args, spec.arity) : undefined;
  if (keys === undefined) keys = proc ? keysByProc(proc, args) : [];
  if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) {
    throw new RedisError('ERR Invalid arguments specified for command');
  }
  return keys.map((i) => args[i] as string);
}

/** COMMAND GETKEYS command [arg ...] */
function commandGetkeys(c: Client, argv: readonly string[]): Reply {
  const args = argv.slice(2);
  const spec = c.engine.lookupCommand(args);
  if (!spec) throw new RedisError('ERR Invalid command specified');
  return bulkArray(commandKeys(spec, args));
}

/** COMMAND HELP */
function commandHelp(_c: Client, argv: readonly string[]): Reply {
  return helpReply(argv[0] as string, [
    '(no subcommand)',
    '    Return details about all Redis commands.',
    'COUNT',
    '    Return the total number of commands in this Redis server.',
    'LIST',
    '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]',
    '    Return details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'DOCS [<command-name> ...]',
    '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.',
    'GETKEYSANDFLAGS <full-command>',
    '    Return the keys and the access flags from a full Redis command.',
  ]);
}

export const commands: Handlers = {
  time,
  info,
  'config|get': configGet,
  'config|set': configSet,
  'config|resetstat': configResetstat,
  'config|help': configHelp,
  command,
  'command|count': commandCount,
  'command|info': commandInfoCommand,
  'command|docs': commandDocsCommand,
  'command|list': commandList,
  'command|getkeys': commandGetkeys,
  'command|help': commandHelp,
};
