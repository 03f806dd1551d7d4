/**
 * redis-cli's help (redis-cli.c: cliInitHelp, cliOutputHelp, completionCallback, hintsCallback).
 *
 * redis-cli builds its help table at startup from the server's COMMAND DOCS: every command and
 * subcommand with its argument line, summary, version and group, sorted by name, plus one entry
 * per group (`@string`) for completion. We do the same from the engine's COMMAND DOCS when it
 * has one, otherwise from the COMMAND DOCS replies recorded from Redis 7.0 (command-docs.json),
 * limited to the commands of our command table, so that `help` shows what the engine knows.
 */
import fs from 'node:fs';
import { COMMAND_TABLE } from '../engine/command-table.js';
import type { Reply } from '../resp/reply.js';
import { splitArgs } from './split-args.js';

/** The version redis-cli prints in its generic help; we reproduce redis-cli 7.0's text. */
export const REDIS_CLI_VERSION = '7.0.15';

/** struct commandDocs: what `help <command>` prints. */
export interface CommandDocs {
  readonly name: string;
  readonly params: string;
  readonly summary?: string;
  readonly since?: string;
  readonly group?: string;
}

/** helpEntry: a command (`CONFIG GET`, split in argv) or a group (`@string`). */
export interface HelpEntry {
  readonly type: 'command' | 'group';
  readonly argv: readonly string[];
  readonly full: string;
  readonly docs?: CommandDocs;
}

/** C's strcasecmp/strncasecmp fold only ASCII letters (redis-cli runs in the C locale). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
const asciiUpper = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const equalsIgnoreCase = (a: string, b: string) => a.length === b.length && asciiLower(a) === asciiLower(b);
/** C's isspace in the C locale. */
export const isCSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** The fields of a map reply, or of the flat array a RESP2 client gets instead. */
function pairs(reply: Reply | undefined): [Reply, Reply][] {
  if (!reply) return [];
  if (reply.kind === 'map') return reply.entries.map(([k, v]) => [k, v]);
  if (reply.kind !== 'array') return [];
  const out: [Reply, Reply][] = [];
  for (let i = 0; i + 1 < reply.items.length; i += 2) out.push([reply.items[i] as Reply, reply.items[i + 1] as Reply]);
  return out;
}

function text(reply: Reply | undefined): string | undefined {
  return reply?.kind === 'bulk' || reply?.kind === 'simple' || reply?.kind === 'verbatim' ? reply.value : undefined;
}

function items(reply: Reply | undefined): readonly Reply[] {
  return reply?.kind === 'array' || reply?.kind === 'set' ? reply.items : [];
}

/** sdscat_orempty: an empty name or token shows as "". */
const orEmpty = (value: string) => (value === '' ? '""' : value);

/** cliConcatArguments */
function concatArguments(args: readonly Reply[], separator: string): string {
  return args.map(addArgument).join(separator);
}

/** cliAddArgument: one argument of COMMAND DOCS as redis-cli writes it: `[EX seconds|PX milliseconds]`. */
function addArgument(arg: Reply): string {
  let name = '';
  let type = '';
  let token = '';
  let optional = false;
  let multiple = false;
  let multipleToken = false;
  let nested: readonly Reply[] = [];
  for (const [k, v] of pairs(arg)) {
    switch (text(k)) {
      case 'name': name = text(v) ?? ''; break;
      case 'token': token = orEmpty(text(v) ?? ''); break;
      case 'type': type = text(v) ?? ''; break;
      case 'arguments': nested = items(v); break;
      case 'flags':
        for (const flag of items(v)) {
          const f = text(flag);
          if (f === 'optional') optional = true;
          else if (f === 'multiple') multiple = true;
          else if (f === 'multiple_token') multipleToken = true;
        }
        break;
    }
  }
  let repeat = '';
  if (['key', 'string', 'integer', 'double', 'pattern', 'unix-time', 'token'].includes(type)) repeat = orEmpty(name);
  else if (type === 'oneof') repeat = concatArguments(nested, '|');
  else if (type === 'block') repeat = concatArguments(nested, ' ');
  if (token !== '' && type !== 'pure-token') token += ' ';
  let out = optional ? '[' : '';
  out += token + repeat;
  if (multiple) out += ' [' + (multipleToken ? token : '') + repeat + ' ...]';
  return optional ? out + ']' : out;
}

/** cliInitCommandHelpEntry: the entry of a command and, after it, those of its subcommands. */
function commandEntries(command: string, sub: string | undefined, specs: Reply, groups: Set<string>, keep: (name: string) => boolean): HelpEntry[] {
  const argv = sub === undefined ? [asciiUpper(command)] : [asciiUpper(command), asciiUpper(sub.slice(sub.indexOf('|') + 1))];
  const full = argv.join(' ');
  let params = '';
  let summary: string | undefined;
  let since: string | undefined;
  let group: string | undefined;
  const subEntries: HelpEntry[] = [];
  for (const [k, v] of pairs(specs)) {
    switch (text(k)) {
      case 'summary': summary = text(v); break;
      case 'since': since = text(v); break;
      case 'group':
        group = text(v);
        if (group !== undefined) groups.add(group);
        break;
      case 'arguments': params += concatArguments(items(v), ' '); break;
      case 'subcommands':
        for (const [name, subSpecs] of pairs(v)) {
          const subName = text(name);
          if (subName !== undefined && keep(subName)) subEntries.push(...commandEntries(command, subName, subSpecs, groups, keep));
        }
        break;
    }
  }
  return [{ type: 'command', argv, full, docs: { name: full, params, summary, since, group } }, ...subEntries];
}

/** strcmp order, as redis-cli's qsort of the table. */
const byFull = (a: HelpEntry, b: HelpEntry) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0);

export class HelpTable {
  constructor(readonly entries: readonly HelpEntry[]) {}

  /**
   * cliInitHelp from a COMMAND DOCS reply (a map, or a flat array for RESP2). `keep` chooses the
   * commands and subcommands (by lower-case name, `config|get`) to include.
   */
  static fromDocs(reply: Reply, keep: (name: string) => boolean = () => true): HelpTable {
    const groups = new Set<string>();
    const entries: HelpEntry[] = [];
    for (const [name, specs] of pairs(reply)) {
      const command = text(name);
      if (command !== undefined && keep(command)) entries.push(...commandEntries(command, undefined, specs, groups, keep));
    }
    for (const group of groups) entries.push({ type: 'group', argv: ['@' + group], full: '@' + group });
    return new HelpTable(entries.sort(byFull));
  }

  /** The table from Redis' own COMMAND DOCS replies (command-docs.json), for the commands of our table. */
  static bundled(): HelpTable {
    const file = new URL('../engine/command-docs.json', import.meta.url);
    const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { docs: Reply }>;
    const known = new Set(COMMAND_TABLE.map((c) => c.name));
    const entries: [Reply, Reply][] = Object.entries(recorded).map(([name, { docs }]) => [{ kind: 'bulk', value: name }, docs]);
    return HelpTable.fromDocs({ kind: 'map', entries }, (name) => known.has(asciiLower(name)));
  }

  /** cliOutputHelp with at least one argument: `help set`, `help config get`, `help @string`. */
  output(argv: readonly string[]): string {
    const first = argv[0] as string;
    const group = first.startsWith('@') ? first.slice(1) : undefined;
    let out = '';
    for (const entry of this.entries) {
      if (entry.type !== 'command' || !entry.docs) continue;
      if (group === undefined) {
        if (argv.length <= entry.argv.length && argv.every((a, j) => equalsIgnoreCase(a, entry.argv[j] as string))) {
          out += commandHelp(entry.docs, true);
        }
      } else if (entry.docs.group !== undefined && equalsIgnoreCase(group, entry.docs.group)) {
        out += commandHelp(entry.docs, false);
      }
    }
    return out + '\r\n';
  }

  /** completionCallback: what Tab offers for the line typed so far, in table order. */
  completions(buf: string): string[] {
    let start = 0;
    let groupsToo = false;
    if (asciiLower(buf.slice(0, 5)) === 'help ') {
      start = 5;
      while (isCSpace(buf[start])) start++;
      groupsToo = true;
    }
    const typed = asciiLower(buf.slice(start));
    const out: string[] = [];
    for (const entry of this.entries) {
      if (entry.type === 'group' && !groupsToo) continue;
      if (asciiLower(entry.full.slice(0, typed.length)) === typed && entry.full.length >= typed.length) {
        out.push(buf.slice(0, start) + entry.full);
      }
    }
    return out;
  }

  /** hintsCallback: the grey argument line after what is typed, without the arguments already given. */
  hint(buf: string): string | undefined {
    const argv = splitArgs(buf);
    if (!argv || argv.length === 0) return undefined;
    const endSpace = buf.length > 0 && isCSpace(buf[buf.length - 1]);
    let best: HelpEntry | undefined;
    let matchlen = 0;
    for (const entry of this.entries) {
      if (entry.type !== 'command') continue;
      const raw = entry.argv;
      if (raw.length <= argv.length && raw.length > matchlen && raw.every((w, j) => equalsIgnoreCase(w, argv[j] as string))) {
        matchlen = raw.length;
        best = entry;
      }
    }
    if (!best?.docs) return undefined;
    let hint = best.docs.params;
    // Drop one word of the hint per argument typed, but never an optional one: from the first
    // `[` on, the hint stays whole (redis-cli cannot tell which options were given).
    let toRemove = argv.length - matchlen;
    while (toRemove > 0 && hint.length > 0) {
      if (hint[0] === '[') break;
      if (hint[0] === ' ') toRemove--;
      hint = hint.slice(1);
    }
    return endSpace ? hint : ' ' + hint;
  }
}

/** cliOutputCommandHelp */
function commandHelp(help: CommandDocs, withGroup: boolean): string {
  let out = `\r\n  \x1b[1m${help.name}\x1b[0m \x1b[90m${help.params}\x1b[0m\r\n`;
  out += `  \x1b[33msummary:\x1b[0m ${help.summary ?? '(null)'}\r\n`;
  if (help.since !== undefined) out += `  \x1b[33msince:\x1b[0m ${help.since}\r\n`;
  if (withGroup) out += `  \x1b[33mgroup:\x1b[0m ${help.group ?? '(null)'}\r\n`;
  return out;
}

/** cliOutputGenericHelp: `help` alone. */
export function genericHelp(): string {
  return (
    `redis-cli ${REDIS_CLI_VERSION}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set redis-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    'Set your preferences in ~/.redisclirc\n'
  );
}
