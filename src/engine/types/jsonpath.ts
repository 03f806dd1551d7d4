/**
 * JSONPath as RedisJSON 2 understands it (json_path/src/grammar.pest and json_path.rs of
 * RedisJSON 2.6): `$` followed by `.name`, `['name', "other"]`, `[0, -1]`, `[start:end:step]`,
 * `*`, `..` (recursive descent) and filters `[?(@.price < 10 && @.tag =~ "^a")]`.
 *
 * A query is compiled once into a list of selectors, then evaluated against a document into
 * the matched values, each with its concrete path (object keys and array indices) so that
 * commands can change the document in place. Evaluation follows RedisJSON's order: `..` first
 * applies the rest of the query to the node itself, then to each descendant depth first.
 */
/**
 * A JSON value: integers are bigints (serde_json keeps i64/u64 exact), other numbers are floats
 * (JS numbers), objects are Maps (insertion order, as RedisJSON keeps it).
 */
export type Json = null | boolean | bigint | number | string | Json[] | JsonObject;
export type JsonObject = Map<string, Json>;

/** Deep equality; an integer equals a float of the same value. */
export function jsonEquals(a: Json, b: Json): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEquals(v, b[i] as Json));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !jsonEquals(v, b.get(k) as Json)) return false;
    return true;
  }
  return a === b;
}

export type PathStep = string | number;

/** One selector of a compiled query. */
export type Selector =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'keys'; readonly names: readonly string[] }
  | { readonly kind: 'all' }
  | { readonly kind: 'scan' }
  | { readonly kind: 'indexes'; readonly indexes: readonly number[] }
  | { readonly kind: 'range'; readonly start?: number; readonly end?: number; readonly step: number }
  | { readonly kind: 'filter'; readonly filter: Filter };

type Term =
  | { readonly kind: 'number'; readonly value: bigint | number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'query'; readonly fromRoot: boolean; readonly selectors: readonly Selector[] };

type Op = '<' | '<=' | '>' | '>=' | '==' | '!=' | '=~';

/** A filter: single comparisons (or nested filters) joined left to right by && and ||. */
interface Filter {
  readonly first: Condition;
  readonly rest: readonly { readonly relation: '&&' | '||'; readonly condition: Condition }[];
}
type Condition =
  | { readonly kind: 'single'; readonly left: Term; readonly op?: Op; readonly right?: Term }
  | { readonly kind: 'group'; readonly filter: Filter };

export interface Match {
  readonly value: Json;
  readonly path: readonly PathStep[];
}

/** A JSONPath that does not compile; the text is what RedisJSON answers (without ERR). */
export class JsonPathError extends Error {}

const LITERAL_CHAR = /[A-Za-z0-9\-_`~+#%$^/:]/;

class Parser {
  pos = 0;
  /** The furthest position reached, where the error is reported (as pest does). */
  furthest = 0;

  constructor(readonly text: string) {}

  fail(): never {
    const at = Math.max(this.furthest, this.pos);
    const shown = at >= this.text.length
      ? `"${this.text} <<<<----"`
      : `"${this.text.slice(0, at)} ---->>>> ${this.text.slice(at)}"`;
    throw new JsonPathError(`Error occurred on position ${at}, ${shown}, expected one of the following: ${EXPECTED}.`);
  }

  private mark(): void {
    if (this.pos > this.furthest) this.furthest = this.pos;
  }

  skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  /** Consumes `s` (after optional spaces) if it comes next. */
  eat(s: string): boolean {
    const save = this.pos;
    this.skipSpaces();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      this.mark();
      return true;
    }
    this.pos = save;
    return false;
  }

  /** Backtracking: runs `f`, restoring the position when it yields undefined. */
  attempt<T>(f: () => T | undefined): T | undefined {
    const save = this.pos;
    const result = f();
    if (result === undefined) this.pos = save;
    return result;
  }

  literal(): string | undefined {
    this.skipSpaces();
    const start = this.pos;
    while (this.pos < this.text.length && LITERAL_CHAR.test(this.text[this.pos] as string)) this.pos++;
    this.mark();
    return this.pos > start ? this.text.slice(start, this.pos) : undefined;
  }

  /** grammar `number`: an optional minus, then 0 or a digit string without a leading zero. */
  number(): number | undefined {
    this.skipSpaces();
    const m = /^-?(?:[1-9][0-9]*|[0-9])/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    this.mark();
    return Number(m[0]);
  }

  posNumber(): number | undefined {
    this.skipSpaces();
    const m = /^[1-9][0-9]*/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    this.mark();
    return Number(m[0]);
  }

  /** A quoted string: '…' or "…", with \\ and an escaped quote of the same kind. */
  quoted(): string | undefined {
    this.skipSpaces();
    const quote = this.text[this.pos];
    if (quote !== "'" && quote !== '"') return undefined;
    let i = this.pos + 1;
    let value = '';
    while (i < this.text.length) {
      const ch = this.text[i] as string;
      if (ch === quote) {
        this.pos = i + 1;
        this.mark();
        return value;
      }
      if (ch === '\\') {
        const next = this.text[i + 1];
        if (next !== '\\' && next !== quote) return undefined;
        value += next;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    return undefined;
  }

  /** root = (element | first_element) element* */
  selectors(allowFirst: boolean): Selector[] {
    const out: Selector[] = [];
    if (allowFirst) {
      const first = this.attempt(() => this.element()) ?? this.attempt(() => this.firstElement());
      if (!first) return out;
      out.push(...first);
    }
    for (;;) {
      const next = this.attempt(() => this.element());
      if (!next) return out;
      out.push(...next);
    }
  }

  private firstElement(): Selector[] | undefined {
    if (this.eat('*')) return [{ kind: 'all' }];
    const name = this.literal();
    return name === undefined ? undefined : [{ kind: 'key', name }];
  }

  private element(): Selector[] | undefined {
    if (this.eat('..')) {
      if (this.eat('*')) return [{ kind: 'scan' }, { kind: 'all' }];
      if (this.eat('[')) {
        const inner = this.bracket();
        if (inner && this.eat(']')) return [{ kind: 'scan' }, inner];
        return undefined;
      }
      const name = this.literal();
      return name === undefined ? undefined : [{ kind: 'scan' }, { kind: 'key', name }];
    }
    const save = this.pos;
    if (this.eat('.')) {
      const name = this.literal();
      if (name !== undefined) return [{ kind: 'key', name }];
      if (this.eat('*')) return [{ kind: 'all' }];
      if (this.eat('[')) {
        const inner = this.bracket();
        if (inner && this.eat(']')) return [inner];
      }
      this.pos = save;
      return undefined;
    }
    if (this.eat('[')) {
      const inner = this.bracket();
      if (inner && this.eat(']')) return [inner];
    }
    return undefined;
  }

  /** bracket = numbers_range | numbers_list | string_list | all | "?" filter */
  private bracket(): Selector | undefined {
    return this.attempt(() => this.range())
      ?? this.attempt(() => this.numbersList())
      ?? this.attempt(() => this.stringList())
      ?? this.attempt(() => (this.eat('*') ? { kind: 'all' as const } : undefined))
      ?? this.attempt(() => {
        if (!this.eat('?')) return undefined;
        const filter = this.filter();
        return filter ? { kind: 'filter' as const, filter } : undefined;
      });
  }

  private step(): number | undefined | null {
    // ((":" pos_number) | ":")? — null when absent or a lone colon (step 1).
    const save = this.pos;
    if (this.eat(':')) {
      const n = this.attempt(() => this.posNumber());
      if (n !== undefined) return n;
      return null;
    }
    this.pos = save;
    return null;
  }

  private range(): Selector | undefined {
    const full = this.attempt(() => {
      const start = this.number();
      if (start === undefined || !this.eat(':')) return undefined;
      const end = this.number();
      if (end === undefined) return undefined;
      return { kind: 'range' as const, start, end, step: this.step() ?? 1 };
    });
    if (full) return full;
    const right = this.attempt(() => {
      if (!this.eat(':')) return undefined;
      const end = this.number();
      if (end === undefined) return undefined;
      return { kind: 'range' as const, end, step: this.step() ?? 1 };
    });
    if (right) return right;
    const all = this.attempt(() => (this.eat(':') ? { kind: 'range' as const, step: this.step() ?? 1 } : undefined));
    if (all) return all;
    return this.attempt(() => {
      const start = this.number();
      if (start === undefined || !this.eat(':')) return undefined;
      return { kind: 'range' as const, start, step: this.step() ?? 1 };
    });
  }

  private numbersList(): Selector | undefined {
    const first = this.number();
    if (first === undefined) return undefined;
    const indexes = [first];
    for (;;) {
      const next = this.attempt(() => (this.eat(',') ? this.number() : undefined));
      if (next === undefined) return { kind: 'indexes', indexes };
      indexes.push(next);
    }
  }

  private stringList(): Selector | undefined {
    const first = this.quoted();
    if (first === undefined) return undefined;
    const names = [first];
    for (;;) {
      const next = this.attempt(() => (this.eat(',') ? this.quoted() : undefined));
      if (next === undefined) return { kind: 'keys', names };
      names.push(next);
    }
  }

  /** filter = inner_filter (("&&" | "||") inner_filter)* */
  private filter(): Filter | undefined {
    const first = this.condition();
    if (!first) return undefined;
    const rest: { relation: '&&' | '||'; condition: Condition }[] = [];
    for (;;) {
      const next = this.attempt(() => {
        const relation = this.eat('&&') ? '&&' as const : this.eat('||') ? '||' as const : undefined;
        if (!relation) return undefined;
        const condition = this.condition();
        return condition ? { relation, condition } : undefined;
      });
      if (!next) return { first, rest };
      rest.push(next);
    }
  }

  /** inner_filter = single_filter | "(" filter ")" */
  private condition(): Condition | undefined {
    const single = this.attempt(() => this.singleFilter());
    if (single) return single;
    return this.attempt(() => {
      if (!this.eat('(')) return undefined;
      const filter = this.filter();
      if (!filter || !this.eat(')')) return undefined;
      return { kind: 'group' as const, filter };
    });
  }

  private singleFilter(): Condition | undefined {
    const left = this.term();
    if (!left) return undefined;
    const withOp = this.attempt(() => {
      const op = (['>=', '>', '<=', '<', '==', '!=', '=~'] as const).find((o) => this.eat(o));
      if (!op) return undefined;
      const right = this.term();
      return right ? { kind: 'single' as const, left, op, right } : undefined;
    });
    return withOp ?? { kind: 'single', left };
  }

  private term(): Term | undefined {
    this.skipSpaces();
    const ch = this.text[this.pos];
    if (ch === '@' || ch === '$') {
      this.pos++;
      this.mark();
      return { kind: 'query', fromRoot: ch === '$', selectors: this.selectors(true) };
    }
    const decimal = this.attempt(() => {
      this.skipSpaces();
      const m = /^-?(?:[1-9][0-9]*|[0-9])(?:\.[0-9]+)?/.exec(this.text.slice(this.pos));
      if (!m) return undefined;
      this.pos += m[0].length;
      this.mark();
      const int = m[0].includes('.') ? undefined : BigInt(m[0]);
      return { kind: 'number' as const, value: int ?? Number(m[0]) };
    });
    if (decimal) return decimal;
    const s = this.attempt(() => this.quoted());
    if (s !== undefined) return { kind: 'string', value: s };
    if (this.eat('true')) return { kind: 'bool', value: true };
    if (this.eat('false')) return { kind: 'bool', value: false };
    if (this.eat('null')) return { kind: 'null' };
    return undefined;
  }
}

const EXPECTED = "'..', '[', '.'";

/** Compiles a JSONPath (it must start with `$`); throws JsonPathError as RedisJSON words it. */
export function compileJsonPath(text: string): Selector[] {
  const p = new Parser(text);
  if (!text.startsWith('$')) p.fail();
  p.pos = 1;
  p.furthest = 1;
  const selectors = p.selectors(true);
  if (p.pos !== text.length) p.fail();
  return selectors;
}

/** Static: promised at most one result (only names and single indices), as Query::is_static. */
export function isStaticPath(selectors: readonly Selector[]): boolean {
  return selectors.every((s) => s.kind === 'key'
    || (s.kind === 'keys' && s.names.length === 1)
    || (s.kind === 'indexes' && s.indexes.length === 1));
}

/** Every value the query selects in `root`, in RedisJSON's order, with its concrete path. */
export function evaluate(selectors: readonly Selector[], root: Json): Match[] {
  const results: Match[] = [];
  calc(selectors, 0, root, [], root, results);
  return results;
}

function children(node: Json): [PathStep, Json][] {
  if (Array.isArray(node)) return node.map((v, i) => [i, v]);
  if (node instanceof Map) return [...node];
  return [];
}

/** calc_abs_index: a negative index counts from the end, clamped to the array. */
function absIndex(i: number, n: number): number {
  return i >= 0 ? Math.min(i, n) : Math.max(i + n, 0);
}

function calc(sel: readonly Selector[], at: number, node: Json, path: PathStep[], root: Json, out: Match[]): void {
  const s = sel[at];
  if (s === undefined) {
    out.push({ value: node, path });
    return;
  }
  const next = at + 1;
  switch (s.kind) {
    case 'scan':
      calc(sel, next, node, path, root, out);
      fullScan(sel, next, node, path, root, out);
      return;
    case 'all':
      for (const [k, v] of children(node)) calc(sel, next, v, [...path, k], root, out);
      return;
    case 'key':
      if (node instanceof Map && node.has(s.name)) calc(sel, next, node.get(s.name) as Json, [...path, s.name], root, out);
      return;
    case 'keys':
      if (!(node instanceof Map)) return;
      for (const name of s.names) {
        if (node.has(name)) calc(sel, next, node.get(name) as Json, [...path, name], root, out);
      }
      return;
    case 'indexes':
      if (!Array.isArray(node)) return;
      for (const raw of s.indexes) {
        const i = absIndex(raw, node.length);
        if (i < node.length) calc(sel, next, node[i] as Json, [...path, i], root, out);
      }
      return;
    case 'range': {
      if (!Array.isArray(node)) return;
      const n = node.length;
      const start = s.start === undefined ? 0 : absIndex(s.start, n);
      const end = s.end === undefined ? n : absIndex(s.end, n);
      for (let i = start; i < end; i += s.step) calc(sel, next, node[i] as Json, [...path, i], root, out);
      return;
    }
    case 'filter':
      // A filter looks into the members of an array or an object; on a scalar it selects nothing.
      for (const [k, v] of children(node)) {
        if (evalFilter(s.filter, v, root)) calc(sel, next, v, [...path, k], root, out);
      }
  }
}

function fullScan(sel: readonly Selector[], at: number, node: Json, path: PathStep[], root: Json, out: Match[]): void {
  for (const [k, v] of children(node)) {
    const childPath = [...path, k];
    calc(sel, at, v, childPath, root, out);
    fullScan(sel, at, v, childPath, root, out);
  }
}

// ---- filters (TermEvaluationResult in json_path.rs) ----

type Value =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'node'; readonly value: Json }
  | { readonly kind: 'nodes'; readonly values: readonly Json[] }
  | { readonly kind: 'invalid' };

function evalFilter(filter: Filter, node: Json, root: Json): boolean {
  let result = evalCondition(filter.first, node, root);
  for (let i = 0; i < filter.rest.length; i++) {
    const { relation, condition } = filter.rest[i] as Filter['rest'][number];
    if (relation === '&&') {
      if (result) result = evalCondition(condition, node, root);
    } else {
      if (result) break;
      return evalFilter({ first: condition, rest: filter.rest.slice(i + 1) }, node, root);
    }
  }
  return result;
}

function evalCondition(c: Condition, node: Json, root: Json): boolean {
  if (c.kind === 'group') return evalFilter(c.filter, node, root);
  const left = evalTerm(c.left, node, root);
  if (!c.op || !c.right) return left.kind !== 'invalid';
  const right = evalTerm(c.right, node, root);
  switch (c.op) {
    case '>': return ordMatches(left, right, (o) => o > 0);
    case '>=': return ordMatches(left, right, (o) => o >= 0);
    case '<': return ordMatches(left, right, (o) => o < 0);
    case '<=': return ordMatches(left, right, (o) => o <= 0);
    case '==': return eq(left, right);
    case '!=': return !eq(left, right);
    case '=~': return re(left, right);
  }
}

function evalTerm(t: Term, node: Json, root: Json): Value {
  switch (t.kind) {
    case 'number': return typeof t.value === 'bigint' ? { kind: 'int', value: t.value } : { kind: 'float', value: t.value };
    case 'string': return { kind: 'str', value: t.value };
    case 'bool': return { kind: 'bool', value: t.value };
    case 'null': return { kind: 'null' };
    case 'query': {
      // `$` inside a filter is the document's root, `@` the member being tested.
      const start = t.fromRoot ? root : node;
      if (t.selectors.length === 0) return { kind: 'node', value: start };
      const results: Match[] = [];
      calc(t.selectors, 0, start, [], root, results);
      const found = results.map((m) => m.value);
      if (found.length === 0) return { kind: 'invalid' };
      if (found.length === 1) return { kind: 'node', value: found[0] as Json };
      return { kind: 'nodes', values: found };
    }
  }
}

/** A scalar document value as a filter value; arrays and objects are not comparable. */
function scalar(v: Json): Value | undefined {
  if (v === null) return { kind: 'null' };
  if (typeof v === 'bigint') return { kind: 'int', value: v };
  if (typeof v === 'number') return { kind: 'float', value: v };
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  return undefined;
}

function sign(a: number | bigint, b: number | bigint): number {
  return a > b ? 1 : a < b ? -1 : 0;
}

function cmp(a: Value, b: Value): number | undefined {
  if (a.kind === 'node') {
    const s = scalar(a.value);
    return s ? cmp(s, b) : undefined;
  }
  if (b.kind === 'node') {
    const s = scalar(b.value);
    return s ? cmp(a, s) : undefined;
  }
  if ((a.kind === 'int' || a.kind === 'float') && (b.kind === 'int' || b.kind === 'float')) {
    if (a.kind === 'int' && b.kind === 'int') return sign(a.value, b.value);
    return sign(Number(a.value), Number(b.value));
  }
  if (a.kind === 'str' && b.kind === 'str') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'bool' && b.kind === 'bool') return sign(Number(a.value), Number(b.value));
  if (a.kind === 'null' && b.kind === 'null') return 0;
  return undefined;
}

function ordMatches(a: Value, b: Value, pred: (o: number) => boolean): boolean {
  if (a.kind === 'nodes') return a.values.some((v) => ordMatches({ kind: 'node', value: v }, b, pred));
  if (b.kind === 'nodes') return b.values.some((v) => ordMatches(a, { kind: 'node', value: v }, pred));
  const o = cmp(a, b);
  return o !== undefined && pred(o);
}

function eq(a: Value, b: Value): boolean {
  if (a.kind === 'nodes') return a.values.some((v) => eq({ kind: 'node', value: v }, b));
  if (b.kind === 'nodes') return b.values.some((v) => eq(a, { kind: 'node', value: v }));
  if (a.kind === 'node' && b.kind === 'node') return jsonEquals(a.value, b.value);
  return cmp(a, b) === 0;
}

function reMatch(pattern: string, s: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch (e) {
    // An invalid regex matches nothing, as Regex::new(..).map_or(false, ..) in json_path.rs.
    if (e instanceof SyntaxError) return false;
    throw e;
  }
  return regex.test(s);
}

function re(a: Value, b: Value): boolean {
  if (a.kind === 'nodes') return a.values.some((v) => re({ kind: 'node', value: v }, b));
  if (b.kind === 'nodes') return b.values.some((v) => re(a, { kind: 'node', value: v }));
  if (a.kind !== 'node' || typeof a.value !== 'string') return false;
  if (b.kind === 'str') return reMatch(b.value, a.value);
  if (b.kind === 'node' && typeof b.value === 'string') return reMatch(b.value, a.value);
  return false;
}
