/**
 * JSON documents as RedisJSON 2 (2.6) keeps them: one JSON value per key (TYPE `ReJSON-RL`), read
 * and changed through JSONPath (`$…`, answers an array per path) or legacy paths (`.a.b`, `a[0]`,
 * answers a single value and errors where JSONPath answers nil). Behaviour and error texts follow
 * redis_json/src/commands.rs, key_value.rs and ivalue_manager.rs of RedisJSON 2.6, and the
 * examples of its docs/commands/*.md.
 *
 * Errors that RedisJSON raises through the module API without an error code reach the client
 * without `ERR` (Redis' RM_ReplyWithError sends the text as is): a JSON parse error of a value
 * ("expected value at line 1 column 1"), a JSONPath that does not compile, a key of another type
 * ("Existing key has wrong Redis type"), and "Couldn't parse as integer".
 */
import {
  array, bulk, double, integer, NIL, OK, simple, toBytes, type Reply,
} from '../../resp/reply.js';
import type { Client } from '../client.js';
import type { Handler, Handlers } from '../commands.js';
import { RedisError, wrongArity } from '../errors.js';
import { RedisObject } from '../keyspace.js';
import {
  compileJsonPath, evaluate, isStaticPath, type Json, type JsonObject, JsonPathError, type Match, type PathStep,
} from './jsonpath.js';

// ---- error texts (RedisJSON's own words) ----
const WRONG_REDIS_TYPE = 'Existing key has wrong Redis type';
const NOT_INTEGER_ARG = "Couldn't parse as integer";
const NONEXISTENT_KEY = "ERR could not perform this operation on a key that doesn't exist";
const NEW_AT_ROOT = 'ERR new objects must be created at the root';
const WRONG_STATIC_PATH = 'Err wrong static path';
const ARRAY_INDEX_OUT_OF_RANGE = 'ERR array index out of range';
const INDEX_OUT_OF_BOUNDS = 'ERR index out of bounds';
const NOT_A_NUMBER = 'result is not a number';
const BAD_INPUT_NUMBER = 'bad input number';
const WRONG_FORMAT = 'ERR wrong format';
const WRONG_REPLY_FORMAT = 'ERR wrong reply format';
const FORMAT_ON_RESP2 = 'ERR FORMAT argument is not supported on RESP2';
const NOT_UTF8 = "Couldn't parse as UTF-8 string";

function pathMissing(path: string): string {
  return `ERR Path '${path}' does not exist`;
}
function pathMissingOr(path: string, or: string): string {
  return `ERR Path '${path}' does not exist or ${or}`;
}
function expectedType(expected: string, found: string): string {
  return `WRONGTYPE wrong type of path value - expected ${expected} but found ${found}`;
}

// ---- parsing JSON text, with serde_json's error messages ----

/** serde_json's default nesting limit. */
const RECURSION_LIMIT = 128;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

class JsonSyntaxError extends Error {}

class JsonParser {
  private i = 0;
  private depth = RECURSION_LIMIT;

  constructor(private readonly s: string) {}

  parse(): Json {
    const value = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('trailing characters', this.i);
    return value;
  }

  /** serde reports the line and the column of the offending character (the end for EOF). */
  private fail(message: string, at: number): never {
    const upTo = this.s.slice(0, Math.min(at + 1, this.s.length));
    const lines = upTo.split('\n');
    const column = (lines[lines.length - 1] as string).length;
    throw new JsonSyntaxError(`${message} at line ${lines.length} column ${column}`);
  }

  private eof(what: string): never {
    return this.fail(`EOF while parsing ${what}`, this.s.length);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \n\t\r'.includes(this.s[this.i] as string)) this.i++;
  }

  private value(): Json {
    this.ws();
    const ch = this.s[this.i];
    if (ch === undefined) return this.eof('a value');
    if (ch === '{' || ch === '[') {
      if (--this.depth === 0) this.fail('recursion limit exceeded', this.i);
      const v = ch === '{' ? this.object() : this.array();
      this.depth++;
      return v;
    }
    if (ch === '"') return this.string();
    if (ch === 't') return this.ident('true', true);
    if (ch === 'f') return this.ident('false', false);
    if (ch === 'n') return this.ident('null', null);
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    return this.fail('expected value', this.i);
  }

  private ident<T extends Json>(word: string, value: T): T {
    for (let k = 1; k < word.length; k++) {
      const c = this.s[this.i + k];
      if (c === undefined) this.eof('a value');
      if (c !== word[k]) this.fail('expected ident', this.i + k);
    }
    this.i += word.length;
    return value;
  }

  private number(): Json {
    const start = this.i;
    if (this.s[this.i] === '-') this.i++;
    const digit = (): boolean => this.i < this.s.length && this.s[this.i]! >= '0' && this.s[this.i]! <= '9';
    if (!digit()) return this.i >= this.s.length ? this.eof('a value') : this.fail('invalid number', this.i);
    if (this.s[this.i] === '0') {
      this.i++;
      if (digit()) this.fail('invalid number', this.i);
    } else {
      while (digit()) this.i++;
    }
    let isFloat = false;
    if (this.s[this.i] === '.') {
      isFloat = true;
      this.i++;
      if (!digit()) return this.i >= this.s.length ? this.eof('a value') : this.fail('invalid number', this.i);
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      isFloat = true;
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) return this.i >= this.s.length ? this.eof('a value') : this.fail('invalid number', this.i);
      while (digit()) this.i++;
    }
    const text = this.s.slice(start, this.i);
    if (!isFloat) {
      const n = BigInt(text);
      // Integers beyond u64 (or below i64) become floats, as serde_json parses them.
      if (n >= I64_MIN && n <= U64_MAX) return n;
    }
    const f = Number(text);
    if (!Number.isFinite(f)) this.fail('number out of range', this.i - 1);
    return f;
  }

  private string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const ch = this.s[this.i];
      if (ch === undefined) return this.eof('a string');
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch < ' ') this.fail('control character (\\u0000-\\u001F) found while parsing a string', this.i);
      if (ch !== '\\') {
        out += ch;
        this.i++;
        continue;
      }
      const esc = this.s[this.i + 1];
      if (esc === undefined) return this.eof('a string');
      const simpleEscapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc in simpleEscapes) {
        out += simpleEscapes[esc];
        this.i += 2;
      } else if (esc === 'u') {
        const hex = this.s.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          if (this.i + 6 > this.s.length && /^[0-9a-fA-F]*$/.test(hex)) return this.eof('a string');
          this.fail('invalid escape', this.i + 2 + Math.max(0, hex.search(/[^0-9a-fA-F]/)));
        }
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else {
        this.fail('invalid escape', this.i + 1);
      }
    }
  }

  private array(): Json[] {
    this.i++;
    const out: Json[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.i >= this.s.length) return this.eof('a list');
      out.push(this.value());
      this.ws();
      const ch = this.s[this.i];
      if (ch === undefined) return this.eof('a list');
      if (ch === ']') {
        this.i++;
        return out;
      }
      if (ch !== ',') this.fail('expected `,` or `]`', this.i);
      this.i++;
      this.ws();
      if (this.s[this.i] === ']') this.fail('trailing comma', this.i);
    }
  }

  private object(): JsonObject {
    this.i++;
    const out: JsonObject = new Map();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const q = this.s[this.i];
      if (q === undefined) return this.eof('an object');
      if (q !== '"') this.fail('key must be a string', this.i);
      const key = this.string();
      this.ws();
      const colon = this.s[this.i];
      if (colon === undefined) return this.eof('an object');
      if (colon !== ':') this.fail('expected `:`', this.i);
      this.i++;
      out.set(key, this.value());
      this.ws();
      const ch = this.s[this.i];
      if (ch === undefined) return this.eof('an object');
      if (ch === '}') {
        this.i++;
        return out;
      }
      if (ch !== ',') this.fail('expected `,` or `}`', this.i);
      this.i++;
      this.ws();
      if (this.s[this.i] === '}') this.fail('trailing comma', this.i);
    }
  }
}

/** The bytes of an argument as text; RedisJSON refuses arguments that are not UTF-8. */
function argText(bytes: string): string {
  const buf = Buffer.from(bytes, 'latin1');
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) throw new RedisError(NOT_UTF8);
  return text;
}

/** Parses a JSON argument; `prefix` is 'ERR ' where RedisJSON's error goes through Redis' error type. */
export function parseJson(bytes: string, prefix = ''): Json {
  try {
    return new JsonParser(argText(bytes)).parse();
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new RedisError(prefix + e.message);
    throw e;
  }
}

// ---- serializing, as serde_json prints ----

/** A float as serde_json prints it (ryu): `3.5`, `1.0`, `1e20`, `1.5e-7`, `0.0001`. */
export function formatFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const length = digits.length;
  const kk = Number(exp) + 1;
  let s: string;
  if (length <= kk && kk <= 16) s = `${digits}${'0'.repeat(kk - length)}.0`;
  else if (kk > 0 && kk <= 16) s = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) s = `0.${'0'.repeat(-kk)}${digits}`;
  else if (length === 1) s = `${digits}e${kk - 1}`;
  else s = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return x < 0 ? `-${s}` : s;
}

function scalarText(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'string') return JSON.stringify(v);
  throw new Error('not a scalar');
}

/** JSON.GET's INDENT / NEWLINE / SPACE. */
export interface JsonFormat {
  indent?: string;
  newline?: string;
  space?: string;
}

/** Compact JSON text (serde_json::to_string). */
export function serialize(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(serialize).join(',')}]`;
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, x] of v) parts.push(`${JSON.stringify(k)}:${serialize(x)}`);
    return `{${parts.join(',')}}`;
  }
  return scalarText(v);
}

/**
 * JSON text with RedisJSON's formatter (formatter.rs): a newline plus the indent repeated per level
 * before each member and before the closing bracket of a non-empty container, SPACE after a colon.
 */
export function serializeFormatted(v: Json, f: JsonFormat): string {
  if (f.indent === undefined && f.newline === undefined && f.space === undefined) return serialize(v);
  let level = 0;
  const newLine = (): string => (f.newline ?? '') + (f.indent ?? '').repeat(level);
  const write = (x: Json): string => {
    if (Array.isArray(x) || x instanceof Map) {
      const open = Array.isArray(x) ? '[' : '{';
      const close = Array.isArray(x) ? ']' : '}';
      level++;
      let out = open;
      let first = true;
      const entries: [string | undefined, Json][] = Array.isArray(x) ? x.map((y) => [undefined, y]) : [...x];
      for (const [k, y] of entries) {
        if (!first) out += ',';
        first = false;
        out += newLine();
        if (k !== undefined) out += `${JSON.stringify(k)}:${f.space ?? ''}`;
        out += write(y);
      }
      level--;
      if (entries.length > 0) out += newLine();
      return out + close;
    }
    return scalarText(x);
  };
  return write(v);
}

function deepCopy(v: Json): Json {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, deepCopy(x)]));
  return v;
}

/** RedisJSON's names for JSON.TYPE. */
function typeName(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

function isNumber(v: Json): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

/** The UTF-8 length, as Rust's str::len. */
function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// ---- the value ----

/** A JSON document stored under a key. */
export class JsonValue extends RedisObject {
  lru = 0; // see RedisObject.lru
  constructor(public root: Json) {
    super();
  }

  get type() {
    return 'ReJSON-RL' as const;
  }

  encoding(): string {
    return 'raw';
  }

  duplicate(): JsonValue {
    return new JsonValue(deepCopy(this.root));
  }
}

// ---- paths ----

/**
 * A path argument: JSONPath when it is `$` or starts with `$.` / `$[`, otherwise a legacy path,
 * which RedisJSON rewrites to JSONPath (`.` → `$`, `.a` → `$.a`, `a` → `$.a`) and answers in the
 * legacy shapes.
 */
class Path {
  readonly legacy: boolean;
  readonly fixed: string;

  constructor(readonly original: string) {
    const p = original;
    this.legacy = !(p.startsWith('$') && (p.length < 2 || p[1] === '.' || p[1] === '['));
    this.fixed = !this.legacy ? p : p === '.' ? '$' : p.startsWith('.') ? `$${p}` : `$.${p}`;
  }

  get isRoot(): boolean {
    return this.fixed === '$';
  }
}

function compile(path: string): ReturnType<typeof compileJsonPath> {
  try {
    return compileJsonPath(path);
  } catch (e) {
    if (e instanceof JsonPathError) throw new RedisError(e.message);
    throw e;
  }
}

function select(path: string, root: Json): Match[] {
  return evaluate(compile(path), root);
}

// ---- reading and changing a document at a concrete path ----

function parentOf(root: Json, path: readonly PathStep[]): Json | undefined {
  let node: Json | undefined = root;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as PathStep;
    if (typeof step === 'number') node = Array.isArray(node) ? node[step] : undefined;
    else node = node instanceof Map ? node.get(step) : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function getAt(doc: JsonValue, path: readonly PathStep[]): Json | undefined {
  if (path.length === 0) return doc.root;
  const parent = parentOf(doc.root, path);
  const last = path[path.length - 1] as PathStep;
  if (typeof last === 'number') return Array.isArray(parent) ? parent[last] : undefined;
  return parent instanceof Map ? parent.get(last) : undefined;
}

/** Replaces the value at an existing path; false when the path no longer leads anywhere. */
function setAt(doc: JsonValue, path: readonly PathStep[], value: Json): boolean {
  if (path.length === 0) {
    doc.root = value;
    return true;
  }
  const parent = parentOf(doc.root, path);
  const last = path[path.length - 1] as PathStep;
  if (typeof last === 'number' && Array.isArray(parent) && last < parent.length) {
    parent[last] = value;
    return true;
  }
  if (typeof last === 'string' && parent instanceof Map && parent.has(last)) {
    parent.set(last, value);
    return true;
  }
  return false;
}

function deleteAt(doc: JsonValue, path: readonly PathStep[]): boolean {
  const parent = parentOf(doc.root, path);
  const last = path[path.length - 1] as PathStep;
  if (typeof last === 'number' && Array.isArray(parent) && last < parent.length) {
    parent.splice(last, 1);
    return true;
  }
  if (typeof last === 'string' && parent instanceof Map) return parent.delete(last);
  return false;
}

/**
 * compare_paths_for_mutation: deeper paths first, higher array indices first, so that changing
 * one match never moves another that is still to be changed.
 */
function comparePaths(a: readonly PathStep[], b: readonly PathStep[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) return 1;
    if (i >= b.length) return -1;
    const x = a[i] as PathStep;
    const y = b[i] as PathStep;
    if (typeof x === 'string' && typeof y === 'string') {
      if (x !== y) return x < y ? -1 : 1;
    } else if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return y - x;
    } else {
      return typeof x === 'string' ? -1 : 1;
    }
  }
  return 0;
}

/** prepare_paths_for_updating: sorted for mutation, and a path inside another matched path dropped. */
function pathsForUpdate(paths: (readonly PathStep[])[]): (readonly PathStep[])[] {
  const sorted = [...paths].sort(comparePaths);
  return sorted.filter((p) => !sorted.some((q) => q.length < p.length && q.every((s, i) => s === p[i])));
}

// ---- keys ----

function readDoc(c: Client, key: string): JsonValue | undefined {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof JsonValue)) throw new RedisError(WRONG_REDIS_TYPE);
  return v;
}

/**
 * Opens a key for writing. Redis signals a module key opened for writing as modified when the
 * module closes it (moduleCloseKey), whether or not the command changed it, so the signal is
 * given here: WATCH sees every JSON write command that got as far as the key.
 */
function writeDoc(c: Client, key: string): JsonValue | undefined {
  const v = c.db.lookupWrite(key);
  c.db.signalModifiedKey(key);
  if (v === undefined) return undefined;
  if (!(v instanceof JsonValue)) throw new RedisError(WRONG_REDIS_TYPE);
  return v;
}

function mustExist(doc: JsonValue | undefined): JsonValue {
  if (!doc) throw new RedisError(NONEXISTENT_KEY);
  return doc;
}

/** A JSON text reply: RedisJSON answers UTF-8 text as a bulk string. */
function jsonBulk(text: string): Reply {
  return bulk(toBytes(text));
}

function parseI64(arg: string): number {
  if (!/^[+-]?\d+$/.test(arg)) throw new RedisError(NOT_INTEGER_ARG);
  const n = BigInt(arg);
  if (n < I64_MIN || n > I64_MAX) throw new RedisError(NOT_INTEGER_ARG);
  return Number(n);
}

function arity(argv: readonly string[], min: number, name: string): void {
  if (argv.length < min) throw new RedisError(wrongArity(name));
}

function pathArg(arg: string): Path {
  return new Path(argText(arg));
}

// ---- JSON.SET, JSON.MERGE, JSON.MSET ----

type Update = { kind: 'set'; path: readonly PathStep[] } | { kind: 'add'; path: readonly PathStep[]; key: string };

/**
 * find_paths: where SET (or MERGE) writes. Existing matches are replaced (unless NX); when there
 * are none, a static path whose last step is an object key adds that key to its parent.
 */
function findUpdates(doc: JsonValue, path: string, mode: 'none' | 'nx' | 'xx' | 'merge'): Update[] {
  const selectors = compile(path);
  if (mode !== 'nx') {
    let found = evaluate(selectors, doc.root).map((m) => m.path);
    if (mode !== 'merge') found = pathsForUpdate(found);
    if (found.length > 0) return found.map((p) => ({ kind: 'set', path: p }));
  }
  if (mode === 'xx') return [];
  if (!isStaticPath(selectors)) throw new RedisError(WRONG_STATIC_PATH);
  const last = selectors[selectors.length - 1];
  if (last === undefined) throw new RedisError('Err path must end with object key to set');
  if (last.kind === 'indexes') {
    // An index that exists with NX is a no-op; one that does not is out of range.
    if (evaluate(selectors, doc.root).length === 0) throw new RedisError(ARRAY_INDEX_OUT_OF_RANGE);
    return [];
  }
  const key = last.kind === 'key' ? last.name : last.kind === 'keys' ? (last.names[0] as string) : '';
  const parents = selectors.length === 1 ? [[]] : evaluate(selectors.slice(0, -1), doc.root).map((m) => m.path);
  return parents.map((p) => ({ kind: 'add', path: p, key }));
}

function applyUpdate(doc: JsonValue, u: Update, value: Json): boolean {
  if (u.kind === 'set') return setAt(doc, u.path, value);
  const parent = getAt(doc, u.path);
  if (!(parent instanceof Map) || parent.has(u.key)) return false;
  parent.set(u.key, value);
  return true;
}

/** RFC 7396 merge patch (ivalue_manager.rs `merge`). */
function mergePatch(target: Json, patch: Json): Json {
  if (!(patch instanceof Map)) return deepCopy(patch);
  const out: JsonObject = target instanceof Map ? target : new Map();
  for (const [k, v] of patch) {
    if (v === null) out.delete(k);
    else out.set(k, mergePatch(out.has(k) ? (out.get(k) as Json) : null, v));
  }
  return out;
}

/** JSON.SET key path value [NX | XX] */
function jsonSet(c: Client, argv: readonly string[]): Reply {
  arity(argv, 4, 'json.set');
  const path = pathArg(argv[2] as string);
  let mode: 'none' | 'nx' | 'xx' = 'none';
  for (let i = 4; i < argv.length; i++) {
    const opt = (argv[i] as string).toUpperCase();
    if (opt === 'NX' && mode === 'none') mode = 'nx';
    else if (opt === 'XX' && mode === 'none') mode = 'xx';
    else if (opt === 'FORMAT') {
      const format = argv[++i];
      if (format === undefined) throw new RedisError(wrongArity('json.set'));
      // BSON input is not supported here; JSON and STRING both read JSON text.
      if (format !== 'JSON' && format !== 'STRING') throw new RedisError(WRONG_FORMAT);
    } else throw new RedisError('ERR syntax error');
  }
  const key = argv[1] as string;
  const doc = writeDoc(c, key);
  const value = parseJson(argv[3] as string);
  if (!doc) {
    if (mode === 'xx') return NIL;
    if (!path.isRoot) throw new RedisError(NEW_AT_ROOT);
    c.db.add(key, new JsonValue(value));
    return OK;
  }
  if (path.isRoot) {
    if (mode === 'nx') return NIL;
    doc.root = value;
    return OK;
  }
  const updates = findUpdates(doc, path.fixed, mode);
  if (updates.length === 0) return NIL;
  let updated = false;
  for (const u of updates) updated = applyUpdate(doc, u, updates.length === 1 ? value : deepCopy(value));
  return updated ? OK : NIL;
}

/** JSON.MERGE key path value */
function jsonMerge(c: Client, argv: readonly string[]): Reply {
  arity(argv, 4, 'json.merge');
  const path = pathArg(argv[2] as string);
  for (let i = 4; i < argv.length; i++) {
    if ((argv[i] as string).toUpperCase() !== 'FORMAT') throw new RedisError('ERR syntax error');
    const format = argv[++i];
    if (format === undefined) throw new RedisError(wrongArity('json.merge'));
    if (format !== 'JSON' && format !== 'STRING') throw new RedisError(WRONG_FORMAT);
  }
  const key = argv[1] as string;
  const doc = writeDoc(c, key);
  const patch = parseJson(argv[3] as string);
  if (!doc) {
    if (!path.isRoot) throw new RedisError(NEW_AT_ROOT);
    c.db.add(key, new JsonValue(patch));
    return OK;
  }
  if (path.isRoot) {
    doc.root = mergePatch(doc.root, patch);
    return OK;
  }
  const updates = findUpdates(doc, path.fixed, 'merge');
  let updated = false;
  for (const u of updates) {
    if (u.kind === 'add') {
      updated = applyUpdate(doc, u, deepCopy(patch)) || updated;
      continue;
    }
    const last = u.path[u.path.length - 1];
    // A null patch deletes an existing object member (docs/commands/json.merge.md, "Delete on
    // existing value").
    if (patch === null && typeof last === 'string') updated = deleteAt(doc, u.path) || updated;
    else updated = setAt(doc, u.path, mergePatch(getAt(doc, u.path) ?? null, patch)) || updated;
  }
  return updated ? OK : NIL;
}

/** JSON.MSET key path value [key path value ...] */
function jsonMset(c: Client, argv: readonly string[]): Reply {
  if (argv.length < 4 || (argv.length - 1) % 3 !== 0) throw new RedisError(wrongArity('json.mset'));
  // Everything is checked before anything is written: MSET is all or nothing.
  const planned: { key: string; path: Path; value: Json; updates?: Update[] }[] = [];
  for (let i = 1; i < argv.length; i += 3) {
    const key = argv[i] as string;
    const doc = writeDoc(c, key);
    const path = pathArg(argv[i + 1] as string);
    let updates: Update[] | undefined;
    if (!path.isRoot) {
      if (!doc) throw new RedisError(NEW_AT_ROOT);
      updates = findUpdates(doc, path.fixed, 'none');
    }
    planned.push({ key, path, value: parseJson(argv[i + 2] as string), updates });
  }
  for (const { key, value, updates } of planned) {
    const doc = c.db.lookupWrite(key);
    if (updates === undefined) {
      if (doc instanceof JsonValue) doc.root = value;
      else c.db.setKey(key, new JsonValue(value));
    } else if (doc instanceof JsonValue) {
      for (const u of updates) applyUpdate(doc, u, deepCopy(value));
    }
  }
  return OK;
}

// ---- JSON.GET, JSON.MGET, JSON.RESP, JSON.TYPE ----

/** JSON.GET key [INDENT indent] [NEWLINE newline] [SPACE space] [path [path ...]] */
function jsonGet(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.get');
  const format: JsonFormat = {};
  const paths: Path[] = [];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string;
    const word = arg.length <= 8 ? arg.toUpperCase() : '';
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new RedisError(wrongArity('json.get'));
      return argText(v);
    };
    if (word === 'INDENT') format.indent = next();
    else if (word === 'NEWLINE') format.newline = next();
    else if (word === 'SPACE') format.space = next();
    else if (word === 'NOESCAPE') continue;
    else if (word === 'FORMAT') {
      if (c.resp === 2 && paths.length === 0) throw new RedisError(FORMAT_ON_RESP2);
      const f = next().toUpperCase();
      if (f !== 'STRING') throw new RedisError(WRONG_REPLY_FORMAT);
    } else paths.push(pathArg(arg));
  }
  if (paths.length === 0) paths.push(new Path('.'));
  const doc = readDoc(c, argv[1] as string);
  if (!doc) return NIL;
  const allLegacy = paths.every((p) => p.legacy);
  if (paths.length === 1) {
    const p = paths[0] as Path;
    const found = select(p.fixed, doc.root);
    if (p.legacy) {
      if (found.length === 0) throw new RedisError(pathMissing(p.fixed));
      return jsonBulk(serializeFormatted((found[0] as Match).value, format));
    }
    return jsonBulk(serializeFormatted(found.map((m) => m.value), format));
  }
  // Several paths: an object of path → value (legacy) or path → array of values. A path that does
  // not compile is left out; RedisJSON builds this object in a hash map, so its member order is
  // not defined there; here it is the order of the arguments.
  const out: JsonObject = new Map();
  let missing: string | undefined;
  for (const p of paths) {
    let found: Match[];
    try {
      found = evaluate(compileJsonPath(p.fixed), doc.root);
    } catch (e) {
      if (e instanceof JsonPathError) continue;
      throw e;
    }
    if (allLegacy) {
      if (found.length === 0) {
        missing ??= p.original;
        continue;
      }
      out.set(p.original, (found[0] as Match).value);
    } else {
      out.set(p.original, found.map((m) => m.value));
    }
  }
  if (missing !== undefined) throw new RedisError(pathMissing(missing));
  return jsonBulk(serializeFormatted(out, format));
}

/** JSON.MGET key [key ...] path */
function jsonMget(c: Client, argv: readonly string[]): Reply {
  arity(argv, 3, 'json.mget');
  const path = pathArg(argv[argv.length - 1] as string);
  const items: Reply[] = [];
  for (let i = 1; i < argv.length - 1; i++) {
    const v = c.db.lookupRead(argv[i] as string);
    // Every failure (no key, another type, no such path) is nil for that key.
    if (!(v instanceof JsonValue)) {
      items.push(NIL);
      continue;
    }
    let found: Match[];
    try {
      found = evaluate(compileJsonPath(path.fixed), v.root);
    } catch (e) {
      if (e instanceof JsonPathError) {
        items.push(NIL);
        continue;
      }
      throw e;
    }
    if (path.legacy) items.push(found.length === 0 ? NIL : jsonBulk(serialize((found[0] as Match).value)));
    else items.push(jsonBulk(serialize(found.map((m) => m.value))));
  }
  return array(items);
}

/** resp_serialize_inner: JSON.RESP's reply for one value. */
function toResp(v: Json): Reply {
  if (v === null) return NIL;
  if (typeof v === 'boolean') return simple(String(v));
  if (typeof v === 'bigint') return integer(Number.isSafeInteger(Number(v)) ? Number(v) : v);
  if (typeof v === 'number') return double(v);
  if (typeof v === 'string') return bulk(toBytes(v));
  if (Array.isArray(v)) return array([simple('['), ...v.map(toResp)]);
  const items: Reply[] = [simple('{')];
  for (const [k, x] of v) items.push(bulk(toBytes(k)), toResp(x));
  return array(items);
}

/** JSON.RESP key [path] */
function jsonResp(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.resp');
  const path = pathArg(argv[2] ?? '.');
  const doc = readDoc(c, argv[1] as string);
  if (!doc) return NIL;
  const found = select(path.fixed, doc.root);
  if (path.legacy) {
    if (found.length === 0) throw new RedisError(pathMissing(path.fixed));
    return toResp((found[0] as Match).value);
  }
  return array(found.map((m) => toResp(m.value)));
}

/** JSON.TYPE key [path] */
function jsonType(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.type');
  const path = pathArg(argv[2] ?? '.');
  const doc = readDoc(c, argv[1] as string);
  let reply: Reply;
  if (!doc) reply = NIL;
  else {
    const found = select(path.fixed, doc.root);
    if (path.legacy) reply = found.length === 0 ? NIL : bulk(typeName((found[0] as Match).value));
    else reply = array(found.map((m) => bulk(typeName(m.value))));
  }
  // RESP3 clients get the reply wrapped in one more array, as RedisJSON 2.6 answers them.
  return c.resp === 3 ? array([reply]) : reply;
}

// ---- JSON.DEL, JSON.CLEAR, JSON.TOGGLE ----

/** JSON.DEL key [path] (and JSON.FORGET) */
function jsonDel(name: string) {
  return (c: Client, argv: readonly string[]): Reply => {
    arity(argv, 2, name);
    const path = pathArg(argv[2] ?? '.');
    const key = argv[1] as string;
    const doc = writeDoc(c, key);
    if (!doc) return integer(0);
    if (path.isRoot) {
      c.db.delete(key);
      return integer(1);
    }
    let deleted = 0;
    for (const p of pathsForUpdate(select(path.fixed, doc.root).map((m) => m.path))) {
      if (deleteAt(doc, p)) deleted++;
    }
    return integer(deleted);
  };
}

/** JSON.CLEAR key [path] */
function jsonClear(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.clear');
  // Only the first path counts (RedisJSON reads the others and ignores them).
  const path = pathArg(argv[2] ?? '.');
  const doc = mustExist(writeDoc(c, argv[1] as string));
  let cleared = 0;
  for (const m of select(path.fixed, doc.root)) {
    const v = m.value;
    if (Array.isArray(v) && v.length > 0) v.length = 0;
    else if (v instanceof Map && v.size > 0) v.clear();
    else if ((typeof v === 'bigint' && v !== 0n) || (typeof v === 'number' && v !== 0)) setAt(doc, m.path, 0n);
    else continue;
    cleared++;
  }
  return integer(cleared);
}

/** JSON.TOGGLE key path */
function jsonToggle(c: Client, argv: readonly string[]): Reply {
  arity(argv, 3, 'json.toggle');
  const path = pathArg(argv[2] as string);
  const doc = mustExist(writeDoc(c, argv[1] as string));
  const found = select(path.fixed, doc.root);
  if (path.legacy) {
    const bools = found.filter((m) => typeof m.value === 'boolean');
    if (bools.length === 0) throw new RedisError(pathMissingOr(path.fixed, 'not a bool'));
    let last = false;
    for (const m of bools) {
      last = !(m.value as boolean);
      setAt(doc, m.path, last);
    }
    return bulk(String(last));
  }
  return array(found.map((m) => {
    if (typeof m.value !== 'boolean') return NIL;
    setAt(doc, m.path, !m.value);
    return integer(m.value ? 0 : 1);
  }));
}

// ---- numbers ----

type NumOp = 'incr' | 'mult' | 'pow';

function applyNumOp(op: NumOp, current: bigint | number, operand: bigint | number): bigint | number {
  const isLong = typeof current === 'bigint' && current >= I64_MIN && current <= I64_MAX;
  if (isLong && typeof operand === 'bigint' && operand >= I64_MIN && operand <= I64_MAX) {
    // i64 arithmetic wraps, as i64::wrapping_add / wrapping_mul do.
    if (op === 'incr') return BigInt.asIntN(64, current + operand);
    if (op === 'mult') return BigInt.asIntN(64, current * operand);
    return BigInt.asIntN(64, current ** (operand < 0n ? 0n : operand));
  }
  const a = Number(current);
  const b = Number(operand);
  const result = op === 'incr' ? a + b : op === 'mult' ? a * b : a ** b;
  if (!Number.isFinite(result)) throw new RedisError(NOT_A_NUMBER);
  return result;
}

function numberText(n: bigint | number): string {
  return typeof n === 'bigint' ? String(n) : formatFloat(n);
}

function numOp(op: NumOp, name: string) {
  return (c: Client, argv: readonly string[]): Reply => {
    if (argv.length !== 4) throw new RedisError(wrongArity(name));
    const path = pathArg(argv[2] as string);
    const doc = mustExist(writeDoc(c, argv[1] as string));
    const found = select(path.fixed, doc.root);
    const results: (bigint | number | null)[] = found.map((m) => {
      if (!isNumber(m.value)) return null;
      // The operand is read (as a JSON number) only when there is a number to change.
      const operand = parseJson(argv[3] as string, 'ERR ');
      if (!isNumber(operand)) throw new RedisError(BAD_INPUT_NUMBER);
      const result = applyNumOp(op, m.value, operand);
      setAt(doc, m.path, result);
      return result;
    });
    if (c.resp === 3) return array(results.map((r) => (r === null ? NIL : typeof r === 'bigint' ? integer(Number.isSafeInteger(Number(r)) ? Number(r) : r) : double(r))));
    if (path.legacy) {
      const numbers = results.filter((r): r is bigint | number => r !== null);
      if (numbers.length === 0) throw new RedisError(pathMissingOr(path.fixed, 'does not contains a number'));
      return bulk(numberText(numbers[numbers.length - 1] as bigint | number));
    }
    return bulk(`[${results.map((r) => (r === null ? 'null' : numberText(r))).join(',')}]`);
  };
}

// ---- strings ----

/** JSON.STRAPPEND key [path] value */
function jsonStrappend(c: Client, argv: readonly string[]): Reply {
  arity(argv, 3, 'json.strappend');
  const path = pathArg(argv.length > 3 ? (argv[2] as string) : '.');
  const raw = argv[argv.length > 3 ? 3 : 2] as string;
  const doc = mustExist(writeDoc(c, argv[1] as string));
  const found = select(path.fixed, doc.root);
  const append = (m: Match): number => {
    const suffix = parseJson(raw, 'ERR ');
    if (typeof suffix !== 'string') throw new RedisError(expectedType('string', argText(raw)));
    const value = (m.value as string) + suffix;
    setAt(doc, m.path, value);
    return utf8Length(value);
  };
  if (path.legacy) {
    const strings = found.filter((m) => typeof m.value === 'string');
    if (strings.length === 0) throw new RedisError(pathMissingOr(path.fixed, 'not a string'));
    let last = 0;
    for (const m of strings) last = append(m);
    return integer(last);
  }
  return array(found.map((m) => (typeof m.value === 'string' ? integer(append(m)) : NIL)));
}

/** JSON.STRLEN key [path] */
function jsonStrlen(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.strlen');
  const path = pathArg(argv[2] ?? '.');
  const doc = readDoc(c, argv[1] as string);
  if (path.legacy) {
    if (!doc) return NIL;
    const first = firstOrMissing(doc, path);
    if (typeof first !== 'string') throw new RedisError(expectedType('string', typeName(first)));
    return integer(utf8Length(first));
  }
  const found = select(path.fixed, mustExist(doc).root);
  return array(found.map((m) => (typeof m.value === 'string' ? integer(utf8Length(m.value)) : NIL)));
}

/** get_first: the first match of a legacy path, or "Path … does not exist". */
function firstOrMissing(doc: JsonValue, path: Path): Json {
  const found = select(path.fixed, doc.root);
  if (found.length === 0) throw new RedisError(pathMissing(path.fixed));
  return (found[0] as Match).value;
}

// ---- arrays ----

function parseValues(argv: readonly string[], from: number): Json[] {
  const values: Json[] = [];
  for (let i = from; i < argv.length; i++) values.push(parseJson(argv[i] as string));
  return values;
}

/**
 * Runs `change` on every array the path matches, deepest and highest index first so that no
 * change moves a match still to come; answers per match as JSONPath does (nil for a non-array),
 * or the last result for a legacy path (an error when no array matched).
 */
function eachArray(
  doc: JsonValue,
  path: Path,
  legacyPath: string,
  change: (arr: Json[]) => Reply,
): Reply {
  const found = select(path.fixed, doc.root);
  const order = found.map((m, i) => ({ m, i })).filter(({ m }) => Array.isArray(m.value));
  order.sort((a, b) => comparePaths(a.m.path, b.m.path));
  if (path.legacy) {
    if (order.length === 0) throw new RedisError(pathMissingOr(legacyPath, 'not an array'));
    let last: Reply = NIL;
    for (const { m } of order) last = change(m.value as Json[]);
    return last;
  }
  const replies: Reply[] = found.map(() => NIL);
  for (const { m, i } of order) replies[i] = change(m.value as Json[]);
  return array(replies);
}

/** JSON.ARRAPPEND key [path] value [value ...] */
function jsonArrappend(c: Client, argv: readonly string[]): Reply {
  arity(argv, 4, 'json.arrappend');
  const path = pathArg(argv[2] as string);
  const values = parseValues(argv, 3);
  const doc = mustExist(writeDoc(c, argv[1] as string));
  return eachArray(doc, path, path.original, (arr) => {
    for (const v of values) arr.push(deepCopy(v));
    return integer(arr.length);
  });
}

/** JSON.ARRINSERT key path index value [value ...] */
function jsonArrinsert(c: Client, argv: readonly string[]): Reply {
  arity(argv, 5, 'json.arrinsert');
  const path = pathArg(argv[2] as string);
  const index = parseI64(argv[3] as string);
  const values = parseValues(argv, 4);
  const doc = mustExist(writeDoc(c, argv[1] as string));
  return eachArray(doc, path, path.fixed, (arr) => {
    const at = index < 0 ? arr.length + index : index;
    if (at < 0 || at > arr.length) throw new RedisError(INDEX_OUT_OF_BOUNDS);
    arr.splice(at, 0, ...values.map(deepCopy));
    return integer(arr.length);
  });
}

/** normalize_arr_start_index: negative from the end (clamped at 0), beyond the end the last. */
function normalizeStart(start: number, len: number): number {
  return start < 0 ? Math.max(0, len + start) : Math.min(start, len - 1);
}

/** JSON.ARRINDEX key path value [start [stop]] */
function jsonArrindex(c: Client, argv: readonly string[]): Reply {
  if (argv.length < 4 || argv.length > 6) throw new RedisError(wrongArity('json.arrindex'));
  const path = pathArg(argv[2] as string);
  const start = argv[4] === undefined ? 0 : parseI64(argv[4]);
  const stop = argv[5] === undefined ? 0 : parseI64(argv[5]);
  const doc = readDoc(c, argv[1] as string);
  const needle = parseJson(argv[3] as string, 'ERR ');
  if (!doc) throw new RedisError(pathMissing(path.original));
  const indexIn = (arr: Json[]): number => {
    const len = arr.length;
    if (len === 0) return -1;
    // stop 0 means "to the end", for compatibility with RedisJSON 1.
    const from = normalizeStart(start, len);
    const to = stop === 0 ? len : stop < 0 ? Math.max(0, len + stop) : Math.min(stop, len);
    for (let i = from; i < to; i++) if (sameTypeEquals(arr[i] as Json, needle)) return i;
    return -1;
  };
  if (path.legacy) {
    const first = firstOrMissing(doc, path);
    if (!Array.isArray(first)) throw new RedisError(expectedType('array', typeName(first)));
    return integer(indexIn(first));
  }
  return array(select(path.fixed, doc.root).map((m) => (Array.isArray(m.value) ? integer(indexIn(m.value)) : NIL)));
}

/** KeyValue::is_equal: like equality, but an integer never equals a float. */
function sameTypeEquals(a: Json, b: Json): boolean {
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameTypeEquals(x, b[i] as Json));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameTypeEquals(v, b.get(k) as Json)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map) return false;
  return a === b;
}

/** JSON.ARRLEN key [path] */
function jsonArrlen(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.arrlen');
  const path = pathArg(argv[2] ?? '.');
  const doc = readDoc(c, argv[1] as string);
  if (!doc) {
    if (path.legacy) return NIL;
    throw new RedisError(NONEXISTENT_KEY);
  }
  const found = select(path.fixed, doc.root);
  if (path.legacy) {
    if (found.length === 0) throw new RedisError(pathMissing(path.original));
    const first = (found[0] as Match).value;
    if (!Array.isArray(first)) throw new RedisError(pathMissingOr(path.original, 'not an array'));
    return integer(first.length);
  }
  return array(found.map((m) => (Array.isArray(m.value) ? integer(m.value.length) : NIL)));
}

/** JSON.ARRPOP key [path [index]] */
function jsonArrpop(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.arrpop');
  let at = 2;
  if (argv[2] !== undefined && argv[2].toUpperCase() === 'FORMAT' && argv[3] !== undefined) {
    const f = argv[3].toUpperCase();
    if (!['STRINGS', 'EXPAND1', 'EXPAND'].includes(f)) throw new RedisError(WRONG_REPLY_FORMAT);
    if (c.resp === 2) throw new RedisError(FORMAT_ON_RESP2);
    if (f !== 'STRINGS') throw new RedisError(WRONG_REPLY_FORMAT);
    at = 4;
  }
  const path = pathArg(argv[at] ?? '.');
  // A missing index pops the last element; one that is not a number is taken as -1, as RedisJSON does.
  let index = argv[at] === undefined ? Number.MAX_SAFE_INTEGER : -1;
  if (argv[at + 1] !== undefined) {
    try {
      index = parseI64(argv[at + 1] as string);
    } catch (e) {
      if (!(e instanceof RedisError)) throw e;
    }
  }
  const doc = mustExist(writeDoc(c, argv[1] as string));
  return eachArray(doc, path, path.fixed, (arr) => {
    if (arr.length === 0) return NIL;
    const [popped] = arr.splice(normalizeStart(index, arr.length), 1);
    return jsonBulk(serialize(popped as Json));
  });
}

/** JSON.ARRTRIM key path start stop */
function jsonArrtrim(c: Client, argv: readonly string[]): Reply {
  arity(argv, 5, 'json.arrtrim');
  const path = pathArg(argv[2] as string);
  const start = parseI64(argv[3] as string);
  const stop = parseI64(argv[4] as string);
  const doc = mustExist(writeDoc(c, argv[1] as string));
  // ArrayIndex::normalize: negative from the end, clamped into the array.
  const normalize = (i: number, len: number): number => (i < 0 ? len - Math.min(len, -i) : len > 0 ? Math.min(len - 1, i) : 0);
  return eachArray(doc, path, path.fixed, (arr) => {
    const len = arr.length;
    const to = normalize(stop, len);
    const from = start < 0 || start < len ? normalize(start, len) : to + 1;
    const kept = from > to || len === 0 ? [] : arr.slice(from, to + 1);
    arr.splice(0, arr.length, ...kept);
    return integer(arr.length);
  });
}

// ---- objects ----

/** JSON.OBJKEYS key [path] */
function jsonObjkeys(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.objkeys');
  const path = pathArg(argv[2] ?? '.');
  const doc = readDoc(c, argv[1] as string);
  const keysOf = (o: JsonObject): Reply => array([...o.keys()].map((k) => bulk(toBytes(k))));
  if (path.legacy) {
    if (!doc) return NIL;
    const found = select(path.fixed, doc.root);
    if (found.length === 0) return NIL;
    const first = (found[0] as Match).value;
    if (!(first instanceof Map)) throw new RedisError(pathMissingOr(path.fixed, 'not an object'));
    return keysOf(first);
  }
  return array(select(path.fixed, mustExist(doc).root).map((m) => (m.value instanceof Map ? keysOf(m.value) : NIL)));
}

/** JSON.OBJLEN key [path] */
function jsonObjlen(c: Client, argv: readonly string[]): Reply {
  arity(argv, 2, 'json.objlen');
  const path = pathArg(argv[2] ?? '.');
  const doc = readDoc(c, argv[1] as string);
  if (path.legacy) {
    if (!doc) return NIL;
    const found = select(path.fixed, doc.root);
    if (found.length === 0) return NIL;
    const first = (found[0] as Match).value;
    if (!(first instanceof Map)) throw new RedisError(expectedType('object', typeName(first)));
    return integer(first.size);
  }
  if (!doc) throw new RedisError(pathMissingOr(path.fixed, 'not an object'));
  return array(select(path.fixed, doc.root).map((m) => (m.value instanceof Map ? integer(m.value.size) : NIL)));
}

/**
 * A JSON command that writes: RedisJSON replicates it verbatim once it has run (module commands
 * propagate themselves), so here it counts as a change whenever it succeeded. A write that turned
 * out to change nothing (NX on an existing path) is then logged too, which replays as the same
 * no-op.
 */
function write(handler: Handler): Handler {
  return (c, argv) => {
    const reply = handler(c, argv);
    c.engine.dirty++;
    return reply;
  };
}

export const commands: Handlers = {
  'json.set': write(jsonSet),
  'json.get': jsonGet,
  'json.mget': jsonMget,
  'json.mset': write(jsonMset),
  'json.merge': write(jsonMerge),
  'json.del': write(jsonDel('json.del')),
  'json.forget': write(jsonDel('json.forget')),
  'json.type': jsonType,
  'json.resp': jsonResp,
  'json.clear': write(jsonClear),
  'json.toggle': write(jsonToggle),
  'json.numincrby': write(numOp('incr', 'json.numincrby')),
  'json.nummultby': write(numOp('mult', 'json.nummultby')),
  'json.numpowby': write(numOp('pow', 'json.numpowby')),
  'json.strappend': write(jsonStrappend),
  'json.strlen': jsonStrlen,
  'json.arrappend': write(jsonArrappend),
  'json.arrindex': jsonArrindex,
  'json.arrinsert': write(jsonArrinsert),
  'json.arrlen': jsonArrlen,
  'json.arrpop': write(jsonArrpop),
  'json.arrtrim': write(jsonArrtrim),
  'json.objkeys': jsonObjkeys,
  'json.objlen': jsonObjlen,
};
