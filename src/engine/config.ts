/**
 * The configuration (config.c): every parameter of Redis 7.0 with its name, alias, default, value
 * format and validation, so CONFIG GET and CONFIG SET answer exactly as Redis does, and typed
 * getters (`config.number('hash-max-listpack-entries')`) for the parts of the engine that honour a
 * parameter.
 *
 * Like Redis, a parameter is one of a few kinds (yes/no, string, enum, number, or special with its
 * own parser), and CONFIG SET of several pairs is all or nothing: every value is set, then the
 * apply hooks run (the code that acts on a change, e.g. clamping hz or starting the AOF); if one
 * fails, every value goes back. Hooks are registered with `onApply` by whoever honours the
 * parameter (persistence, the TCP server).
 *
 * Values are stored in the form Redis stores them (a number as a 64-bit integer of the C type's
 * signedness, an enum as its flag value), so what CONFIG GET prints comes out of the same
 * conversions as in Redis: a memory size is printed as a plain byte count, a percentage as `10%`.
 */
import { toDouble } from './args.js';

/** What CONFIG SET reports for one parameter: an error, a changed value, or the same value. */
type SetResult = { error: string } | 'changed' | 'unchanged';

interface Param {
  /** The name it is registered under (for an alias, the alias). */
  readonly name: string;
  /** For an alias, the primary name; for a primary, its alias if any. */
  readonly alias?: string;
  readonly isAlias: boolean;
  readonly flags: number;
  readonly kind: Kind;
}

/** The parameter's behaviour, shared by a primary name and its alias. */
interface Kind {
  /** The primary name: values are stored under it. */
  readonly name: string;
  readonly defaultValue: Value;
  /** Parses the words of a CONFIG SET value (split on spaces for MULTI_ARG parameters). */
  parse(args: readonly string[], current: Value): { error: string } | { value: Value; changed: boolean };
  format(value: Value): string;
  /** A numeric parameter's value as a JS number (unsigned C types read as unsigned). */
  toNumber?(value: Value): number;
  /** How CONFIG REWRITE writes the value, where it differs from CONFIG GET's text (see rewriteEntries). */
  readonly rewriteAs?: 'quoted' | 'memory';
}

type Value = boolean | bigint | string | readonly string[] | readonly (readonly [bigint, number])[] | readonly number[] | ObufLimits;

interface ObufLimit { hard: bigint; soft: bigint; seconds: number }
type ObufLimits = { readonly normal: ObufLimit; readonly slave: ObufLimit; readonly pubsub: ObufLimit };

// Flags, as in config.c.
const MODIFIABLE = 0;
const IMMUTABLE = 1 << 0;
const SENSITIVE = 1 << 1;
const HIDDEN = 1 << 4;
const PROTECTED = 1 << 5;
const DENY_LOADING = 1 << 6;
const MULTI_ARG = 1 << 8;

// Numeric flags.
const INTEGER = 0;
const MEMORY = 1 << 0;
const PERCENT = 1 << 1;
const OCTAL = 1 << 2;

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = 18446744073709551615n;
const SSIZE_MAX = LONG_MAX;

/** The C type a number is stored in: bounds of unsigned types are checked as unsigned. */
type NumericType = 'int' | 'uint' | 'long' | 'ulong' | 'longlong' | 'ulonglong' | 'size_t' | 'ssize_t' | 'off_t' | 'time_t';
const UNSIGNED_CHECKED = new Set<NumericType>(['ulonglong', 'uint', 'size_t']);

/** Longest error text Redis builds for a parameter (LOADBUF_SIZE - 1). */
const LOADBUF_LIMIT = 255;

// ---------------------------------------------------------------------------------------------
// The kinds of parameter.

function yesNo(s: string): boolean | undefined {
  const l = s.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : undefined;
}

function boolKind(name: string, defaultValue: boolean): Kind {
  return {
    name,
    defaultValue,
    parse([arg], current) {
      const v = yesNo(arg as string);
      if (v === undefined) return { error: "argument must be 'yes' or 'no'" };
      return { value: v, changed: v !== current };
    },
    format: (v) => (v ? 'yes' : 'no'),
  };
}

function stringKind(name: string, defaultValue: string, validate?: (s: string) => string | undefined): Kind {
  return {
    name,
    defaultValue,
    rewriteAs: 'quoted',
    parse([arg], current) {
      const error = validate?.(arg as string);
      if (error) return { error };
      return { value: arg as string, changed: arg !== current };
    },
    format: (v) => v as string,
  };
}

type EnumTable = readonly (readonly [string, number])[];

function enumKind(name: string, table: EnumTable, defaultValue: number, multi = false, validate?: (v: number) => string | undefined): Kind {
  return {
    name,
    defaultValue: BigInt(defaultValue),
    parse(args, current) {
      const value = enumValue(table, args, multi);
      if (value === undefined) {
        const text = `argument(s) must be one of the following: ${table.map(([n]) => n).join(', ')}`;
        return { error: text.slice(0, LOADBUF_LIMIT) };
      }
      const error = validate?.(value);
      if (error) return { error };
      return { value: BigInt(value), changed: BigInt(value) !== current };
    },
    format: (v) => enumName(table, Number(v), multi),
  };
}

/** configEnumGetValue: every word must name an entry (case-insensitively); flags are or-ed. */
function enumValue(table: EnumTable, args: readonly string[], bitflags: boolean): number | undefined {
  if (args.length === 0 || (!bitflags && args.length !== 1)) return undefined;
  let values = 0;
  for (const arg of args) {
    let matched = false;
    for (const [n, v] of table) {
      if (n === arg.toLowerCase()) {
        values |= v;
        matched = true;
      }
    }
    if (!matched) return undefined;
  }
  return values;
}

/** configEnumGetName: the first exact match, else (for flags) the names of the set bits. */
function enumName(table: EnumTable, value: number, bitflags: boolean): string {
  const names: string[] = [];
  let unmatched = value;
  for (const [n, v] of table) {
    if (v === value) return n;
    if (bitflags && v !== 0 && v === (unmatched & v)) {
      names.push(n);
      unmatched &= ~v;
    }
  }
  return names.length === 0 || unmatched !== 0 ? 'unknown' : names.join(' ');
}

interface NumericSpec {
  readonly type: NumericType;
  readonly lower: bigint;
  readonly upper: bigint;
  readonly defaultValue: bigint;
  readonly numFlags: number;
}

function numericKind(name: string, spec: NumericSpec): Kind {
  return {
    name,
    defaultValue: spec.defaultValue,
    rewriteAs: spec.numFlags & MEMORY ? 'memory' : undefined,
    parse([arg], current) {
      const parsed = parseNumeric(spec, arg as string);
      if (typeof parsed === 'string') return { error: parsed };
      const error = boundaryCheck(spec, parsed);
      if (error) return { error };
      const value = storeAs(spec.type, parsed);
      return { value, changed: value !== current };
    },
    format: (v) => formatNumeric(spec, v as bigint),
    toNumber: (v) => Number(UNSIGNED_CHECKED.has(spec.type) ? BigInt.asUintN(64, v as bigint) : (v as bigint)),
  };
}

/** numericParseString: a memory size, a percentage, an octal number or a plain integer, per flags. */
function parseNumeric(spec: NumericSpec, s: string): bigint | string {
  if (spec.numFlags & MEMORY) {
    const v = memToULL(s);
    if (v !== undefined) return BigInt.asIntN(64, v);
  }
  if (spec.numFlags & PERCENT && s.length > 1 && s.endsWith('%')) {
    const n = string2ll(s.slice(0, -1));
    if (n !== undefined && n >= 0n) return -n;
  }
  if (spec.numFlags & OCTAL) {
    // strtoll(s, &end, 8) must consume everything (no digits at all is 0, as in C).
    const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]*)$/.exec(s);
    if (m && (m[2] !== '' || s === '')) {
      const v = BigInt(`0o${m[2] || '0'}`) * (m[1] === '-' ? -1n : 1n);
      if (v >= -(2n ** 63n) && v <= LLONG_MAX) return v;
    }
  }
  if (spec.numFlags === INTEGER) {
    const n = string2ll(s);
    if (n !== undefined) return n;
  }
  if (spec.numFlags & MEMORY && spec.numFlags & PERCENT) return 'argument must be a memory or percent value';
  if (spec.numFlags & MEMORY) return 'argument must be a memory value';
  if (spec.numFlags & OCTAL) return "argument couldn't be parsed as an octal number";
  return "argument couldn't be parsed into an integer";
}

function boundaryCheck(spec: NumericSpec, ll: bigint): string | undefined {
  if (UNSIGNED_CHECKED.has(spec.type)) {
    const ull = BigInt.asUintN(64, ll);
    const lower = BigInt.asUintN(64, spec.lower);
    const upper = BigInt.asUintN(64, spec.upper);
    if (ull > upper || ull < lower) {
      const fmt = (v: bigint) => (spec.numFlags & OCTAL ? v.toString(8) : v.toString());
      return `argument must be between ${fmt(lower)} and ${fmt(upper)} inclusive`;
    }
    return undefined;
  }
  if (spec.numFlags & PERCENT && ll < 0n) {
    if (ll < spec.lower) return `percentage argument must be less or equal to ${-spec.lower}`;
    return undefined;
  }
  if (ll > spec.upper || ll < spec.lower) {
    return `argument must be between ${spec.lower} and ${spec.upper} inclusive`;
  }
  return undefined;
}

/** The value as the C variable holds it, read back as a long long (GET_NUMERIC_TYPE). */
function storeAs(type: NumericType, ll: bigint): bigint {
  switch (type) {
    case 'int': return BigInt.asIntN(32, ll);
    case 'uint': return BigInt.asUintN(32, ll);
    default: return ll;
  }
}

function formatNumeric(spec: NumericSpec, v: bigint): string {
  if (spec.numFlags & PERCENT && v < 0n) return `${-v}%`;
  if (spec.numFlags & MEMORY) return BigInt.asUintN(64, v).toString();
  if (spec.numFlags & OCTAL) return BigInt.asUintN(64, v).toString(8);
  return v.toString();
}

/** string2ll: strict base-10 64-bit integer (no spaces, no '+', no leading zeros). */
function string2ll(s: string): bigint | undefined {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < -(2n ** 63n) || v > LLONG_MAX ? undefined : v;
}

/**
 * memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb, any case). As in C, no digits
 * means 0, a value beyond 64 bits saturates (strtoull) and the product wraps around.
 */
export function memToULL(s: string): bigint | undefined {
  const m = /^([0-9]*)(.*)$/s.exec(s) as RegExpExecArray;
  const digits = m[1] as string;
  const unit = (m[2] as string).toLowerCase();
  if (s.startsWith('-')) return undefined;
  const MUL: Record<string, bigint> = {
    '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n,
  };
  const mul = MUL[unit];
  if (mul === undefined || digits.length >= 128) return undefined;
  let val = digits === '' ? 0n : BigInt(digits);
  if (val > ULLONG_MAX) val = ULLONG_MAX;
  return BigInt.asUintN(64, val * mul);
}

/** C's strtoll: leading spaces, a sign, digits; what is left over, and saturation on overflow. */
function strtoll(s: string): { value: bigint; rest: string } {
  const m = /^([ \t\n\v\f\r]*)([+-]?)([0-9]+)(.*)$/s.exec(s);
  if (!m) return { value: 0n, rest: s };
  let v = BigInt(m[3] as string) * (m[2] === '-' ? -1n : 1n);
  if (v > LLONG_MAX) v = LLONG_MAX;
  if (v < -(2n ** 63n)) v = -(2n ** 63n);
  return { value: v, rest: m[4] as string };
}

// ---------------------------------------------------------------------------------------------
// Special parameters, each with its own parser as in config.c.

const saveKind: Kind = {
  name: 'save',
  defaultValue: [[3600n, 1], [300n, 100], [60n, 10000]],
  parse(args) {
    if (args.length % 2 === 1) return { error: 'Invalid save parameters' };
    const params: [bigint, number][] = [];
    for (let j = 0; j < args.length; j += 2) {
      const seconds = strtoll(args[j] as string);
      const changes = strtoll(args[j + 1] as string);
      if (seconds.rest !== '' || seconds.value < 1n || changes.rest !== '' || changes.value < 0n) {
        return { error: 'Invalid save parameters' };
      }
      params.push([seconds.value, Number(BigInt.asIntN(32, changes.value))]);
    }
    return { value: params, changed: true };
  },
  format: (v) => (v as readonly (readonly [bigint, number])[]).map(([s, c]) => `${s} ${c}`).join(' '),
};

const CLIENT_CLASSES = ['normal', 'slave', 'pubsub'] as const;

const obufKind: Kind = {
  name: 'client-output-buffer-limit',
  defaultValue: {
    normal: { hard: 0n, soft: 0n, seconds: 0 },
    slave: { hard: 268435456n, soft: 67108864n, seconds: 60 },
    pubsub: { hard: 33554432n, soft: 8388608n, seconds: 60 },
  },
  parse(args, current) {
    if (args.length % 4) return { error: 'Wrong number of arguments in buffer limit configuration.' };
    const next = { ...(current as ObufLimits) };
    for (let j = 0; j < args.length; j += 4) {
      const cls = clientClass(args[j] as string);
      if (cls === undefined || cls === 'master') {
        return { error: 'Invalid client class specified in buffer limit configuration.' };
      }
      const hard = memToULL(args[j + 1] as string);
      const soft = memToULL(args[j + 2] as string);
      const secs = strtoll(args[j + 3] as string);
      const seconds = Number(BigInt.asIntN(32, secs.value));
      if (hard === undefined || soft === undefined || seconds < 0 || secs.rest !== '') {
        return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      }
      next[cls] = { hard, soft, seconds };
    }
    return { value: next, changed: true };
  },
  format(v) {
    const limits = v as ObufLimits;
    return CLIENT_CLASSES.map((c) => `${c} ${limits[c].hard} ${limits[c].soft} ${limits[c].seconds}`).join(' ');
  },
};

/** getClientTypeByName */
export function clientClass(name: string): 'normal' | 'slave' | 'pubsub' | 'master' | undefined {
  switch (name.toLowerCase()) {
    case 'normal': return 'normal';
    case 'slave': case 'replica': return 'slave';
    case 'pubsub': return 'pubsub';
    case 'master': return 'master';
    default: return undefined;
  }
}

const oomValuesKind: Kind = {
  name: 'oom-score-adj-values',
  defaultValue: [0, 200, 800],
  parse(args, current) {
    if (args.length !== 3) return { error: 'wrong number of arguments' };
    const values: number[] = [];
    for (const arg of args) {
      const v = strtoll(arg);
      if (v.rest !== '' || v.value < -2000n || v.value > 2000n) {
        return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
      }
      values.push(Number(v.value));
    }
    const prev = current as readonly number[];
    return { value: values, changed: values.some((v, i) => v !== prev[i]) };
  },
  format: (v) => (v as readonly number[]).join(' '),
};

/** Keyspace notification classes (notify.c), in the order keyspaceEventsFlagsToString writes them. */
export const NOTIFY = {
  KEYSPACE: 1 << 0, KEYEVENT: 1 << 1, GENERIC: 1 << 2, STRING: 1 << 3, LIST: 1 << 4, SET: 1 << 5,
  HASH: 1 << 6, ZSET: 1 << 7, EXPIRED: 1 << 8, EVICTED: 1 << 9, STREAM: 1 << 10, KEY_MISS: 1 << 11,
  MODULE: 1 << 13, NEW: 1 << 14,
} as const;
const NOTIFY_ALL = NOTIFY.GENERIC | NOTIFY.STRING | NOTIFY.LIST | NOTIFY.SET | NOTIFY.HASH | NOTIFY.ZSET |
  NOTIFY.EXPIRED | NOTIFY.EVICTED | NOTIFY.STREAM | NOTIFY.MODULE;
const NOTIFY_CHARS: readonly (readonly [string, number])[] = [
  ['A', NOTIFY_ALL], ['g', NOTIFY.GENERIC], ['$', NOTIFY.STRING], ['l', NOTIFY.LIST], ['s', NOTIFY.SET],
  ['h', NOTIFY.HASH], ['z', NOTIFY.ZSET], ['x', NOTIFY.EXPIRED], ['e', NOTIFY.EVICTED], ['K', NOTIFY.KEYSPACE],
  ['E', NOTIFY.KEYEVENT], ['t', NOTIFY.STREAM], ['m', NOTIFY.KEY_MISS], ['d', NOTIFY.MODULE], ['n', NOTIFY.NEW],
];

const notifyKind: Kind = {
  name: 'notify-keyspace-events',
  defaultValue: 0n,
  parse([arg]) {
    let flags = 0;
    for (const ch of arg as string) {
      const entry = NOTIFY_CHARS.find(([c]) => c === ch);
      if (!entry) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
      flags |= entry[1];
    }
    return { value: BigInt(flags), changed: true };
  },
  format(v) {
    const flags = Number(v);
    let out = '';
    if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
      out += 'A';
    } else {
      for (const [ch, bit] of [['g', NOTIFY.GENERIC], ['$', NOTIFY.STRING], ['l', NOTIFY.LIST], ['s', NOTIFY.SET],
        ['h', NOTIFY.HASH], ['z', NOTIFY.ZSET], ['x', NOTIFY.EXPIRED], ['e', NOTIFY.EVICTED], ['t', NOTIFY.STREAM],
        ['d', NOTIFY.MODULE], ['n', NOTIFY.NEW]] as const) {
        if (flags & bit) out += ch;
      }
    }
    if (flags & NOTIFY.KEYSPACE) out += 'K';
    if (flags & NOTIFY.KEYEVENT) out += 'E';
    if (flags & NOTIFY.KEY_MISS) out += 'm';
    return out;
  },
};

/** Most addresses `bind` takes (CONFIG_BINDADDR_MAX). */
const BINDADDR_MAX = 16;

const bindKind: Kind = {
  name: 'bind',
  defaultValue: ['*', '-::*'],
  parse(args) {
    if (args.length > BINDADDR_MAX) return { error: 'Too many bind addresses specified.' };
    return { value: args.length === 1 && args[0] === '' ? [] : [...args], changed: true };
  },
  format: (v) => (v as readonly string[]).join(' '),
};

const replicaofKind: Kind = {
  name: 'replicaof',
  defaultValue: '',
  parse(args) {
    if (args.length !== 2) return { error: 'wrong number of arguments' };
    const [host, port] = args as [string, string];
    if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') return { value: '', changed: true };
    const p = strtoll(port);
    if (p.value < 0n || p.value > 65535n || p.rest !== '') return { error: 'Invalid master port' };
    return { value: `${host} ${p.value}`, changed: true };
  },
  format: (v) => v as string,
};

const percentilesKind: Kind = {
  name: 'latency-tracking-info-percentiles',
  defaultValue: [50, 99, 99.9],
  parse(args) {
    const values: number[] = [];
    for (const arg of args.length === 1 && args[0] === '' ? [] : args) {
      const v = toDouble(arg);
      if (v === undefined || /^\s|\s$/.test(arg)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
      if (v > 100 || v < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
      values.push(v);
    }
    return { value: values, changed: true };
  },
  format: (v) => (v as readonly number[]).map((p) => trimDouble(p.toFixed(6))).join(' '),
};

/** trimDoubleString: "99.900000" → "99.9", "50.000000" → "50". */
function trimDouble(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const dirKind: Kind = {
  name: 'dir',
  defaultValue: process.cwd(),
  rewriteAs: 'quoted',
  parse(args) {
    if (args.length !== 1) return { error: 'wrong number of arguments' };
    return { value: args[0] as string, changed: true };
  },
  format: (v) => v as string,
};

// ---------------------------------------------------------------------------------------------
// Validators of string parameters.

function isBaseName(s: string): boolean {
  return !s.includes('/') && !s.includes('\\');
}

function validDbFilename(s: string): string | undefined {
  return isBaseName(s) ? undefined : "dbfilename can't be a path, just a filename";
}

function validAofFilename(s: string): string | undefined {
  if (s === '') return "appendfilename can't be empty";
  return isBaseName(s) ? undefined : "appendfilename can't be a path, just a filename";
}

function validAofDirname(s: string): string | undefined {
  if (s === '') return "appenddirname can't be empty";
  return isBaseName(s) ? undefined : "appenddirname can't be a path, just a dirname";
}

function validHostname(s: string): string | undefined {
  if (s.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(s)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return undefined;
}

const PROC_TITLE_VARIABLES = new Set(['title', 'listen-addr', 'server-mode', 'config-file', 'port', 'tls-port', 'unixsocket']);

/** validateProcTitleTemplate: known {variables}, `{{` for a brace, and not empty once expanded. */
function validProcTitle(template: string): string | undefined {
  const invalid = 'template format is invalid or contains unknown variables';
  let out = '';
  for (let p = 0; p < template.length;) {
    const sv = template.indexOf('{', p);
    if (sv < 0) {
      out += template.slice(p);
      break;
    }
    out += template.slice(p, sv);
    if (sv + 1 >= template.length) return invalid;
    if (template[sv + 1] === '{') {
      out += '{';
      p = sv + 2;
      continue;
    }
    const ev = template.indexOf('}', sv + 1);
    if (ev < 0) return invalid;
    const name = template.slice(sv + 1, ev);
    if (!PROC_TITLE_VARIABLES.has(name)) return invalid;
    // {listen-addr} always expands to something; the others may be empty.
    if (name === 'listen-addr' || name === 'port' || name === 'tls-port' || name === 'config-file') out += 'x';
    p = ev + 1;
  }
  // sdstrim(res, " "): only spaces are trimmed.
  return out.replace(/^ +| +$/g, '') === '' ? invalid : undefined;
}

function validShutdownFlags(v: number): string | undefined {
  return v & 1 && v & 2 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : undefined;
}

// ---------------------------------------------------------------------------------------------
// The table, in config.c's order.

const MAXMEMORY_POLICIES: EnumTable = [
  ['volatile-lru', 0], ['volatile-lfu', 1], ['volatile-random', 2], ['volatile-ttl', 3],
  ['allkeys-lru', 4], ['allkeys-lfu', 5], ['allkeys-random', 6], ['noeviction', 7],
];
const SYSLOG_FACILITIES: EnumTable = [
  ['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152], ['local4', 160],
  ['local5', 168], ['local6', 176], ['local7', 184],
];
const LOGLEVELS: EnumTable = [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]];
const SUPERVISED: EnumTable = [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]];
const FSYNC: EnumTable = [['everysec', 2], ['always', 1], ['no', 0]];
const SHUTDOWN_ON_SIG: EnumTable = [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]];
const DISKLESS_LOAD: EnumTable = [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]];
const TLS_AUTH: EnumTable = [['no', 0], ['yes', 1], ['optional', 2]];
const OOM_SCORE_ADJ: EnumTable = [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]];
const ACL_PUBSUB: EnumTable = [['allchannels', 8], ['resetchannels', 0]];
const SANITIZE: EnumTable = [['no', 0], ['yes', 1], ['clients', 2]];
const PROTECTED_ACTION: EnumTable = [['no', 0], ['yes', 1], ['local', 2]];
const ENDPOINT_TYPE: EnumTable = [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]];
const PROPAGATION_ERROR: EnumTable = [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]];

interface Entry { readonly name: string; readonly alias?: string; readonly flags: number; readonly kind: Kind }

function bool(name: string, alias: string | undefined, flags: number, def: boolean): Entry {
  return { name, alias, flags, kind: boolKind(name, def) };
}
function str(name: string, alias: string | undefined, flags: number, def: string, validate?: (s: string) => string | undefined): Entry {
  return { name, alias, flags, kind: stringKind(name, def, validate) };
}
function enm(name: string, alias: string | undefined, flags: number, table: EnumTable, def: number, validate?: (v: number) => string | undefined): Entry {
  return { name, alias, flags, kind: enumKind(name, table, def, (flags & MULTI_ARG) !== 0, validate) };
}
function num(name: string, alias: string | undefined, flags: number, type: NumericType, lower: bigint, upper: bigint, def: bigint, numFlags = INTEGER): Entry {
  return { name, alias, flags, kind: numericKind(name, { type, lower, upper, defaultValue: def, numFlags }) };
}
function special(kind: Kind, alias: string | undefined, flags: number): Entry {
  return { name: kind.name, alias, flags, kind };
}

const M = MODIFIABLE;
const I = IMMUTABLE;
const TABLE: readonly Entry[] = [
  bool('rdbchecksum', undefined, I, true),
  bool('daemonize', undefined, I, false),
  bool('io-threads-do-reads', undefined, I, false),
  bool('always-show-logo', undefined, I, false),
  bool('protected-mode', undefined, M, true),
  bool('rdbcompression', undefined, M, true),
  bool('rdb-del-sync-files', undefined, M, false),
  bool('activerehashing', undefined, M, true),
  bool('stop-writes-on-bgsave-error', undefined, M, true),
  bool('set-proc-title', undefined, I, true),
  bool('dynamic-hz', undefined, M, true),
  bool('lazyfree-lazy-eviction', undefined, M, false),
  bool('lazyfree-lazy-expire', undefined, M, false),
  bool('lazyfree-lazy-server-del', undefined, M, false),
  bool('lazyfree-lazy-user-del', undefined, M, false),
  bool('lazyfree-lazy-user-flush', undefined, M, false),
  bool('repl-disable-tcp-nodelay', undefined, M, false),
  bool('repl-diskless-sync', undefined, M, true),
  bool('aof-rewrite-incremental-fsync', undefined, M, true),
  bool('no-appendfsync-on-rewrite', undefined, M, false),
  bool('cluster-require-full-coverage', undefined, M, true),
  bool('rdb-save-incremental-fsync', undefined, M, true),
  bool('aof-load-truncated', undefined, M, true),
  bool('aof-use-rdb-preamble', undefined, M, true),
  bool('aof-timestamp-enabled', undefined, M, false),
  bool('cluster-replica-no-failover', 'cluster-slave-no-failover', M, false),
  bool('replica-lazy-flush', 'slave-lazy-flush', M, false),
  bool('replica-serve-stale-data', 'slave-serve-stale-data', M, true),
  bool('replica-read-only', 'slave-read-only', M, true),
  bool('replica-ignore-maxmemory', 'slave-ignore-maxmemory', M, true),
  bool('jemalloc-bg-thread', undefined, M, true),
  bool('activedefrag', undefined, M, false),
  bool('syslog-enabled', undefined, I, false),
  bool('cluster-enabled', undefined, I, false),
  bool('appendonly', undefined, M | DENY_LOADING, false),
  bool('cluster-allow-reads-when-down', undefined, M, false),
  bool('cluster-allow-pubsubshard-when-down', undefined, M, true),
  bool('crash-log-enabled', undefined, M, true),
  bool('crash-memcheck-enabled', undefined, M, true),
  bool('use-exit-on-panic', undefined, M | HIDDEN, false),
  bool('disable-thp', undefined, I, true),
  bool('cluster-allow-replica-migration', undefined, M, true),
  bool('replica-announced', undefined, M, true),
  bool('latency-tracking', undefined, M, true),
  bool('aof-disable-auto-gc', undefined, M, false),
  bool('replica-ignore-disk-write-errors', undefined, M, false),

  str('aclfile', undefined, I, ''),
  str('unixsocket', undefined, I, ''),
  str('pidfile', undefined, I, ''),
  str('replica-announce-ip', 'slave-announce-ip', M, ''),
  str('masteruser', undefined, M | SENSITIVE, ''),
  str('cluster-announce-ip', undefined, M, ''),
  str('cluster-config-file', undefined, I, 'nodes.conf'),
  str('cluster-announce-hostname', undefined, M, '', validHostname),
  str('syslog-ident', undefined, I, 'redis'),
  str('dbfilename', undefined, M | PROTECTED, 'dump.rdb', validDbFilename),
  str('appendfilename', undefined, I, 'appendonly.aof', validAofFilename),
  str('appenddirname', undefined, I, 'appendonlydir', validAofDirname),
  str('server_cpulist', undefined, I, ''),
  str('bio_cpulist', undefined, I, ''),
  str('aof_rewrite_cpulist', undefined, I, ''),
  str('bgsave_cpulist', undefined, I, ''),
  str('ignore-warnings', undefined, M, ''),
  str('proc-title-template', undefined, M, '{title} {listen-addr} {server-mode}', validProcTitle),
  str('bind-source-addr', undefined, M, ''),
  str('logfile', undefined, I, ''),
  str('masterauth', undefined, M | SENSITIVE, ''),
  str('requirepass', undefined, M | SENSITIVE, ''),

  enm('supervised', undefined, I, SUPERVISED, 0),
  enm('syslog-facility', undefined, I, SYSLOG_FACILITIES, 128),
  enm('repl-diskless-load', undefined, M | DENY_LOADING, DISKLESS_LOAD, 0),
  enm('loglevel', undefined, M, LOGLEVELS, 2),
  enm('maxmemory-policy', undefined, M, MAXMEMORY_POLICIES, 7),
  enm('appendfsync', undefined, M, FSYNC, 2),
  enm('oom-score-adj', undefined, M, OOM_SCORE_ADJ, 0),
  enm('acl-pubsub-default', undefined, M, ACL_PUBSUB, 0),
  enm('sanitize-dump-payload', undefined, M, SANITIZE, 0),
  enm('enable-protected-configs', undefined, I, PROTECTED_ACTION, 0),
  enm('enable-debug-command', undefined, I, PROTECTED_ACTION, 0),
  enm('enable-module-command', undefined, I, PROTECTED_ACTION, 0),
  enm('cluster-preferred-endpoint-type', undefined, M, ENDPOINT_TYPE, 0),
  enm('propagation-error-behavior', undefined, M, PROPAGATION_ERROR, 0),
  enm('shutdown-on-sigint', undefined, M | MULTI_ARG, SHUTDOWN_ON_SIG, 0, validShutdownFlags),
  enm('shutdown-on-sigterm', undefined, M | MULTI_ARG, SHUTDOWN_ON_SIG, 0, validShutdownFlags),

  num('databases', undefined, I, 'int', 1n, INT_MAX, 16n),
  num('port', undefined, M, 'int', 0n, 65535n, 6379n),
  num('io-threads', undefined, I, 'int', 1n, 128n, 1n),
  num('auto-aof-rewrite-percentage', undefined, M, 'int', 0n, INT_MAX, 100n),
  num('cluster-replica-validity-factor', 'cluster-slave-validity-factor', M, 'int', 0n, INT_MAX, 10n),
  num('list-max-listpack-size', 'list-max-ziplist-size', M, 'int', INT_MIN, INT_MAX, -2n),
  num('tcp-keepalive', undefined, M, 'int', 0n, INT_MAX, 300n),
  num('cluster-migration-barrier', undefined, M, 'int', 0n, INT_MAX, 1n),
  num('active-defrag-cycle-min', undefined, M, 'int', 1n, 99n, 1n),
  num('active-defrag-cycle-max', undefined, M, 'int', 1n, 99n, 25n),
  num('active-defrag-threshold-lower', undefined, M, 'int', 0n, 1000n, 10n),
  num('active-defrag-threshold-upper', undefined, M, 'int', 0n, 1000n, 100n),
  num('lfu-log-factor', undefined, M, 'int', 0n, INT_MAX, 10n),
  num('lfu-decay-time', undefined, M, 'int', 0n, INT_MAX, 1n),
  num('replica-priority', 'slave-priority', M, 'int', 0n, INT_MAX, 100n),
  num('repl-diskless-sync-delay', undefined, M, 'int', 0n, INT_MAX, 5n),
  num('maxmemory-samples', undefined, M, 'int', 1n, INT_MAX, 5n),
  num('maxmemory-eviction-tenacity', undefined, M, 'int', 0n, 100n, 10n),
  num('timeout', undefined, M, 'int', 0n, INT_MAX, 0n),
  num('replica-announce-port', 'slave-announce-port', M, 'int', 0n, 65535n, 0n),
  num('tcp-backlog', undefined, I, 'int', 0n, INT_MAX, 511n),
  num('cluster-port', undefined, I, 'int', 0n, 65535n, 0n),
  num('cluster-announce-bus-port', undefined, M, 'int', 0n, 65535n, 0n),
  num('cluster-announce-port', undefined, M, 'int', 0n, 65535n, 0n),
  num('cluster-announce-tls-port', undefined, M, 'int', 0n, 65535n, 0n),
  num('repl-timeout', undefined, M, 'int', 1n, INT_MAX, 60n),
  num('repl-ping-replica-period', 'repl-ping-slave-period', M, 'int', 1n, INT_MAX, 10n),
  num('list-compress-depth', undefined, M, 'int', 0n, INT_MAX, 0n),
  num('rdb-key-save-delay', undefined, M | HIDDEN, 'int', INT_MIN, INT_MAX, 0n),
  num('key-load-delay', undefined, M | HIDDEN, 'int', INT_MIN, INT_MAX, 0n),
  num('active-expire-effort', undefined, M, 'int', 1n, 10n, 1n),
  num('hz', undefined, M, 'int', 0n, INT_MAX, 10n),
  num('min-replicas-to-write', 'min-slaves-to-write', M, 'int', 0n, INT_MAX, 0n),
  num('min-replicas-max-lag', 'min-slaves-max-lag', M, 'int', 0n, INT_MAX, 10n),
  num('watchdog-period', undefined, M | HIDDEN, 'int', 0n, INT_MAX, 0n),
  num('shutdown-timeout', undefined, M, 'int', 0n, INT_MAX, 10n),
  num('repl-diskless-sync-max-replicas', undefined, M, 'int', 0n, INT_MAX, 0n),

  num('maxclients', undefined, M, 'uint', 1n, UINT_MAX, 10000n),
  num('unixsocketperm', undefined, I, 'uint', 0n, 0o777n, 0n, OCTAL),
  num('socket-mark-id', undefined, I, 'uint', 0n, UINT_MAX, 0n),

  num('active-defrag-max-scan-fields', undefined, M, 'ulong', 1n, LONG_MAX, 1000n),
  num('slowlog-max-len', undefined, M, 'ulong', 0n, LONG_MAX, 128n),
  num('acllog-max-len', undefined, M, 'ulong', 0n, LONG_MAX, 128n),

  num('busy-reply-threshold', 'lua-time-limit', M, 'longlong', 0n, LONG_MAX, 5000n),
  num('cluster-node-timeout', undefined, M, 'longlong', 0n, LLONG_MAX, 15000n),
  num('slowlog-log-slower-than', undefined, M, 'longlong', -1n, LLONG_MAX, 10000n),
  num('latency-monitor-threshold', undefined, M, 'longlong', 0n, LLONG_MAX, 0n),
  num('proto-max-bulk-len', undefined, M, 'longlong', 1024n * 1024n, LONG_MAX, 512n * 1024n * 1024n, MEMORY),
  num('stream-node-max-entries', undefined, M, 'longlong', 0n, LLONG_MAX, 100n),
  num('repl-backlog-size', undefined, M, 'longlong', 1n, LLONG_MAX, 1024n * 1024n, MEMORY),

  num('maxmemory', undefined, M, 'ulonglong', 0n, ULLONG_MAX, 0n, MEMORY),
  num('cluster-link-sendbuf-limit', undefined, M, 'ulonglong', 0n, ULLONG_MAX, 0n, MEMORY),

  num('hash-max-listpack-entries', 'hash-max-ziplist-entries', M, 'size_t', 0n, LONG_MAX, 512n),
  num('set-max-intset-entries', undefined, M, 'size_t', 0n, LONG_MAX, 512n),
  num('zset-max-listpack-entries', 'zset-max-ziplist-entries', M, 'size_t', 0n, LONG_MAX, 128n),
  num('active-defrag-ignore-bytes', undefined, M, 'size_t', 1n, LLONG_MAX, 100n << 20n, MEMORY),
  num('hash-max-listpack-value', 'hash-max-ziplist-value', M, 'size_t', 0n, LONG_MAX, 64n, MEMORY),
  num('stream-node-max-bytes', undefined, M, 'size_t', 0n, LONG_MAX, 4096n, MEMORY),
  num('zset-max-listpack-value', 'zset-max-ziplist-value', M, 'size_t', 0n, LONG_MAX, 64n, MEMORY),
  num('hll-sparse-max-bytes', undefined, M, 'size_t', 0n, LONG_MAX, 3000n, MEMORY),
  num('tracking-table-max-keys', undefined, M, 'size_t', 0n, LONG_MAX, 1000000n),
  num('client-query-buffer-limit', undefined, M, 'size_t', 1024n * 1024n, LONG_MAX, 1024n * 1024n * 1024n, MEMORY),
  num('maxmemory-clients', undefined, M, 'ssize_t', -100n, SSIZE_MAX, 0n, MEMORY | PERCENT),

  num('repl-backlog-ttl', undefined, M, 'time_t', 0n, LONG_MAX, 3600n),
  num('auto-aof-rewrite-min-size', undefined, M, 'off_t', 0n, LLONG_MAX, 64n * 1024n * 1024n, MEMORY),
  num('loading-process-events-interval-bytes', undefined, M | HIDDEN, 'off_t', 1024n, INT_MAX, 2n * 1024n * 1024n),

  // The reference Redis is built with TLS, so its parameters exist (and do nothing here).
  num('tls-port', undefined, M, 'int', 0n, 65535n, 0n),
  num('tls-session-cache-size', undefined, M, 'int', 0n, INT_MAX, 20n * 1024n),
  num('tls-session-cache-timeout', undefined, M, 'int', 0n, INT_MAX, 300n),
  bool('tls-cluster', undefined, M, false),
  bool('tls-replication', undefined, M, false),
  enm('tls-auth-clients', undefined, M, TLS_AUTH, 1),
  bool('tls-prefer-server-ciphers', undefined, M, false),
  bool('tls-session-caching', undefined, M, true),
  str('tls-cert-file', undefined, M, ''),
  str('tls-key-file', undefined, M, ''),
  str('tls-key-file-pass', undefined, M, ''),
  str('tls-client-cert-file', undefined, M, ''),
  str('tls-client-key-file', undefined, M, ''),
  str('tls-client-key-file-pass', undefined, M, ''),
  str('tls-dh-params-file', undefined, M, ''),
  str('tls-ca-cert-file', undefined, M, ''),
  str('tls-ca-cert-dir', undefined, M, ''),
  str('tls-protocols', undefined, M, ''),
  str('tls-ciphers', undefined, M, ''),
  str('tls-ciphersuites', undefined, M, ''),

  special(dirKind, undefined, M | PROTECTED | DENY_LOADING),
  special(saveKind, undefined, M | MULTI_ARG),
  special(obufKind, undefined, M | MULTI_ARG),
  special(oomValuesKind, undefined, M | MULTI_ARG),
  special(notifyKind, undefined, M),
  special(bindKind, undefined, M | MULTI_ARG),
  special(replicaofKind, 'slaveof', I | MULTI_ARG),
  special(percentilesKind, undefined, M | MULTI_ARG),
];

/** Every registered name (primaries and aliases), lower case → parameter, in table order. */
const PARAMS: ReadonlyMap<string, Param> = (() => {
  const m = new Map<string, Param>();
  for (const e of TABLE) {
    m.set(e.name, { name: e.name, alias: e.alias, isAlias: false, flags: e.flags, kind: e.kind });
    if (e.alias) m.set(e.alias, { name: e.alias, alias: e.name, isAlias: true, flags: e.flags, kind: e.kind });
  }
  return m;
})();

/** Runs after a parameter changed; returns an error text to undo the whole CONFIG SET. */
export type ApplyHook = (config: Config) => string | undefined;

export interface SetOptions {
  /** The data set is being loaded: parameters marked DENY_LOADING answer LOADING. */
  readonly loading?: boolean;
}

/** CONFIG SET's failure, with Redis' reply text (`ERR ...` or `LOADING ...`). */
export class ConfigError extends Error {}

/**
 * The thresholds at which hashes, sets and sorted sets leave their compact encodings, as plain
 * numbers. A command reads this object once (it is rebuilt after a change, never mutated), so
 * the data types compare sizes with numbers instead of looking parameters up per element.
 */
export interface EncodingLimits {
  /** hash-max-listpack-entries (alias hash-max-ziplist-entries) */
  readonly hashMaxListpackEntries: number;
  /** hash-max-listpack-value (alias hash-max-ziplist-value), in bytes */
  readonly hashMaxListpackValue: number;
  /** set-max-intset-entries */
  readonly setMaxIntsetEntries: number;
  /** zset-max-listpack-entries (alias zset-max-ziplist-entries) */
  readonly zsetMaxListpackEntries: number;
  /** zset-max-listpack-value (alias zset-max-ziplist-value), in bytes */
  readonly zsetMaxListpackValue: number;
  /** stream-node-max-entries */
  readonly streamNodeMaxEntries: number;
  /** stream-node-max-bytes */
  readonly streamNodeMaxBytes: number;
}

/** sdscatrepr: a string as a double-quoted C literal (CONFIG REWRITE writes string values so). */
export function quoteRepr(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '\\' || c === '"') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\x07') out += '\\a';
    else if (c === '\b') out += '\\b';
    else if (code >= 32 && code < 127) out += c;
    else out += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** rewriteConfigFormatMemory: bytes as gb, mb or kb when they divide exactly. */
function formatMemory(bytes: bigint): string {
  const units: [bigint, string][] = [[1024n ** 3n, 'gb'], [1024n ** 2n, 'mb'], [1024n, 'kb']];
  for (const [size, unit] of units) if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** One parameter as CONFIG REWRITE writes it. */
export interface RewriteEntry {
  readonly name: string;
  /** Its lines in the configuration file (several for `save`). */
  readonly lines: readonly string[];
  /** Written even where the file does not mention it yet: its value is not the default (`save` and `dir` always). */
  readonly force: boolean;
}

export class Config {
  private readonly values = new Map<string, Value>();
  /** setStartup's settings in order, replayed by resetToStartup (a configuration file is read again instead). */
  private readonly startupLog: [string, string][] = [];
  private readonly applyHooks = new Map<string, ApplyHook[]>();
  /** Built from `values` when first asked for after a change (any change drops it). */
  private limits: EncodingLimits | undefined;

  constructor() {
    for (const e of TABLE) this.values.set(e.name, e.kind.defaultValue);
    // updateHZ: hz is a hint; values outside 1..500 are accepted but capped.
    this.onApply('hz', (config) => {
      const hz = config.values.get('hz') as bigint;
      if (hz < 1n) config.values.set('hz', 1n);
      if (hz > 500n) config.values.set('hz', 500n);
      return undefined;
    });
  }

  /** CONFIG GET's text for one parameter (any case, alias or primary); undefined if none. */
  get(name: string): string | undefined {
    const p = PARAMS.get(name.toLowerCase());
    return p ? p.kind.format(this.values.get(p.kind.name) as Value) : undefined;
  }

  /** A numeric parameter as a JS number (memory sizes in bytes, percentages negative as stored). */
  number(name: string): number {
    const kind = this.param(name).kind;
    if (!kind.toNumber) throw new Error(`config: ${name} is not a number`);
    return kind.toNumber(this.values.get(kind.name) as Value);
  }

  /** The encoding thresholds of the data types, as they are now (see EncodingLimits). */
  get encodingLimits(): EncodingLimits {
    this.limits ??= Object.freeze({
      hashMaxListpackEntries: this.number('hash-max-listpack-entries'),
      hashMaxListpackValue: this.number('hash-max-listpack-value'),
      setMaxIntsetEntries: this.number('set-max-intset-entries'),
      zsetMaxListpackEntries: this.number('zset-max-listpack-entries'),
      zsetMaxListpackValue: this.number('zset-max-listpack-value'),
      streamNodeMaxEntries: this.number('stream-node-max-entries'),
      streamNodeMaxBytes: this.number('stream-node-max-bytes'),
    });
    return this.limits;
  }

  /** A yes/no parameter. */
  bool(name: string): boolean {
    const v = this.raw(name);
    if (typeof v !== 'boolean') throw new Error(`config: ${name} is not yes/no`);
    return v;
  }

  /** Any parameter's text, as CONFIG GET shows it (enum names, strings, lists). */
  string(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw new Error(`config: no parameter ${name}`);
    return v;
  }

  /** `save`'s points: after `seconds` if at least `changes` writes happened. */
  saveParams(): readonly { seconds: number; changes: number }[] {
    return (this.raw('save') as readonly (readonly [bigint, number])[]).map(([s, c]) => ({ seconds: Number(s), changes: c }));
  }

  /** `bind`'s addresses. */
  bindAddresses(): readonly string[] {
    return this.raw('bind') as readonly string[];
  }

  /** The keyspace notification classes enabled (flags of NOTIFY). */
  notifyKeyspaceEvents(): number {
    return Number(this.raw('notify-keyspace-events'));
  }

  /** Registers code that acts on a change of `name` (run after CONFIG SET, as Redis' apply). */
  onApply(name: string, hook: ApplyHook): void {
    const primary = this.param(name).kind.name;
    const hooks = this.applyHooks.get(primary);
    if (hooks) hooks.push(hook);
    else this.applyHooks.set(primary, [hook]);
  }

  /**
   * Sets a parameter at startup, as a configuration file or a command-line flag does: immutable
   * and protected parameters are allowed, and apply hooks do not run. Throws on a bad value.
   */
  setStartup(name: string, value: string, remember = true): void {
    const p = this.param(name);
    const result = p.kind.parse(splitArgs(p, value), this.values.get(p.kind.name) as Value);
    if ('error' in result) throw new ConfigError(`${name}: ${result.error}`);
    this.values.set(p.kind.name, result.value);
    this.limits = undefined;
    if (remember) this.startupLog.push([name, value]);
  }

  /** True when `name` (any case, or an alias) is a parameter. */
  has(name: string): boolean {
    return PARAMS.has(name.toLowerCase());
  }

  /**
   * The configuration of a fresh start, for a restart: every parameter back to its default,
   * then `applyFile` (a configuration file read again), then every remembered setStartup (the
   * command line and what the host set) in its order. Apply hooks do not run.
   */
  resetToStartup(applyFile: () => void): void {
    for (const e of TABLE) this.values.set(e.name, e.kind.defaultValue);
    this.limits = undefined;
    applyFile();
    for (const [name, value] of this.startupLog) this.setStartup(name, value, false);
  }

  /** CONFIG REWRITE's lines, parameter by parameter (primary names only), as rewriteConfig writes them. */
  rewriteEntries(): RewriteEntry[] {
    const entries: RewriteEntry[] = [];
    for (const e of TABLE) {
      const value = this.values.get(e.name) as Value;
      if (e.name === 'save') {
        const points = value as readonly (readonly [bigint, number])[];
        const lines = points.length === 0 ? ['save ""'] : points.map(([sec, changes]) => `save ${sec} ${changes}`);
        entries.push({ name: e.name, lines, force: true });
        continue;
      }
      const text = e.kind.format(value);
      const force = e.name === 'dir' || text !== e.kind.format(e.kind.defaultValue);
      let shown = text;
      if (e.kind.rewriteAs === 'quoted') shown = quoteRepr(text);
      else if (e.kind.rewriteAs === 'memory') shown = formatMemory(BigInt.asUintN(64, value as bigint));
      else if (shown === '') shown = '""';
      entries.push({ name: e.name, lines: [`${e.name} ${shown}`], force });
    }
    return entries;
  }

  /** The primary name of a parameter or alias (lower case), for a configuration file line. */
  primaryName(name: string): string | undefined {
    const p = PARAMS.get(name.toLowerCase());
    return p?.kind.name;
  }

  /** The names CONFIG GET matches for one argument: itself if a parameter, else every visible name the glob matches. */
  lookup(pattern: string, match: (pattern: string, name: string) => boolean): { name: string; value: string }[] {
    if (!/[[*?]/.test(pattern)) {
      const v = this.get(pattern);
      return v === undefined ? [] : [{ name: pattern, value: v }];
    }
    const found: { name: string; value: string }[] = [];
    for (const [name, p] of PARAMS) {
      if (p.flags & HIDDEN || !match(pattern, name)) continue;
      found.push({ name, value: p.kind.format(this.values.get(p.kind.name) as Value) });
    }
    return found;
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing, with Redis' checks in Redis' order.
   * Throws ConfigError with the reply text.
   */
  set(pairs: readonly (readonly [string, string])[], options: SetOptions = {}): void {
    const params = this.checkNames(pairs, options);
    const old = params.map((p) => this.values.get(p.kind.name) as Value);
    const changed: Param[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i] as Param;
      const result = p.kind.parse(splitArgs(p, (pairs[i] as readonly [string, string])[1]), this.values.get(p.kind.name) as Value);
      if ('error' in result) {
        this.restore(params, old, i + 1);
        throw new ConfigError(`ERR CONFIG SET failed (possibly related to argument '${p.name}') - ${result.error}`);
      }
      this.values.set(p.kind.name, result.value);
      this.limits = undefined;
      if (result.changed) changed.push(p);
    }
    // Each parameter's hooks run once, after every value is in place.
    const applied = new Set<string>();
    for (const p of changed) {
      if (applied.has(p.kind.name)) continue;
      applied.add(p.kind.name);
      for (const hook of this.applyHooks.get(p.kind.name) ?? []) {
        const error = hook(this);
        if (error !== undefined) {
          this.restore(params, old, params.length);
          for (const name of applied) for (const h of this.applyHooks.get(name) ?? []) h(this);
          throw new ConfigError(`ERR CONFIG SET failed (possibly related to argument '${p.name}') - ${error}`);
        }
      }
    }
  }

  private checkNames(pairs: readonly (readonly [string, string])[], options: SetOptions): Param[] {
    const params: Param[] = [];
    let unknown: string | undefined;
    let failure: string | undefined;
    let loading = false;
    for (const [name] of pairs) {
      const p = PARAMS.get(name.toLowerCase());
      if (!p) {
        if (unknown === undefined && failure === undefined && !loading) unknown = name;
        continue;
      }
      if (unknown !== undefined || failure !== undefined || loading) continue;
      if (p.flags & IMMUTABLE || p.flags & PROTECTED) {
        // enable-protected-configs is immutable and "no": protected parameters are read-only too.
        const why = p.flags & IMMUTABLE ? "can't set immutable config" : "can't set protected config";
        failure = `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
        continue;
      }
      if (options.loading && p.flags & DENY_LOADING) {
        loading = true;
        continue;
      }
      // The same registered name twice (a primary and its alias count as different).
      if (params.includes(p)) failure = `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
      params.push(p);
    }
    if (loading) throw new ConfigError('LOADING Redis is loading the dataset in memory');
    if (unknown !== undefined) throw new ConfigError(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`);
    if (failure !== undefined) throw new ConfigError(failure);
    return params;
  }

  private restore(params: readonly Param[], old: readonly Value[], count: number): void {
    for (let i = 0; i < count; i++) this.values.set((params[i] as Param).kind.name, old[i] as Value);
    this.limits = undefined;
  }

  private param(name: string): Param {
    const p = PARAMS.get(name.toLowerCase());
    if (!p) throw new Error(`config: no parameter ${name}`);
    return p;
  }

  private raw(name: string): Value {
    return this.values.get(this.param(name).kind.name) as Value;
  }
}

/** A MULTI_ARG parameter's value is split on single spaces (sdssplitlen: "" is no words). */
function splitArgs(p: Param, value: string): string[] {
  if (!(p.flags & MULTI_ARG)) return [value];
  return value === '' ? [] : value.split(' ');
}
