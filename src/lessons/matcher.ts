/**
 * Expectations: what a check wants a reply to be, as data a teacher writes in YAML, and the one
 * function that judges a reply against it. They compare meaning, not spelling: HGETALL's fields
 * in any order (and as a RESP3 map just as well), SMEMBERS as a set, a JSON text by its value,
 * a TTL within a range.
 *
 * Written forms (lessons/README.md lists them for teachers):
 *   "text"  a string reply with this text      5      the integer 5       null  nil
 *   [a, b]  an array, element by element, in order
 *   { bulk | simple | integer | nil | error | between | atLeast | atMost | matches | json |
 *     ordered | unordered | includes | fields | hasFields | length | not | anyOf | any }
 */
import { formatDouble } from '../resp/double.js';
import { quote } from '../resp/render.js';
import { fromBytes, type Reply, toBytes } from '../resp/reply.js';

export type Matcher =
  | { readonly kind: 'text'; readonly value: string; readonly only?: 'bulk' | 'simple' }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'nil' }
  | { readonly kind: 'error'; readonly prefix: string }
  | { readonly kind: 'range'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'regex'; readonly pattern: RegExp }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'ordered' | 'unordered' | 'includes'; readonly items: readonly Matcher[] }
  | { readonly kind: 'fields' | 'hasFields'; readonly fields: readonly (readonly [string, Matcher])[] }
  | { readonly kind: 'length'; readonly of: Matcher }
  | { readonly kind: 'not'; readonly of: Matcher }
  | { readonly kind: 'anyOf'; readonly of: readonly Matcher[] }
  | { readonly kind: 'any' };

/** A problem in a written expectation, at a path below the expectation's own. */
export interface MatcherProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const FORMS = [
  'bulk', 'simple', 'integer', 'nil', 'error', 'between', 'atLeast', 'atMost', 'matches', 'json',
  'ordered', 'unordered', 'includes', 'fields', 'hasFields', 'length', 'not', 'anyOf', 'any',
] as const;

/** Reads a written expectation; problems are collected, and the result is undefined if any. */
export function parseMatcher(raw: unknown, problems: MatcherProblem[], path: readonly (string | number)[] = []): Matcher | undefined {
  const before = problems.length;
  const m = read(raw, path, problems);
  return problems.length === before ? m : undefined;
}

function read(raw: unknown, path: readonly (string | number)[], problems: MatcherProblem[]): Matcher {
  const fail = (message: string, at = path): Matcher => {
    problems.push({ path: at, message });
    return { kind: 'any' };
  };
  if (typeof raw === 'string') return { kind: 'text', value: toBytes(raw) };
  if (typeof raw === 'number') {
    return Number.isInteger(raw) ? { kind: 'integer', value: raw } : fail('expected a whole number (an integer reply); for a number as text write it in quotes, or use between');
  }
  if (raw === null) return { kind: 'nil' };
  if (Array.isArray(raw)) return { kind: 'ordered', items: raw.map((r, i) => read(r, [...path, i], problems)) };
  if (typeof raw !== 'object') return fail(`expected an expectation (text, a number, null, a list, or one of { ${FORMS.join(', ')} })`);
  const keys = Object.keys(raw);
  const form = keys[0];
  if (keys.length !== 1 || !(FORMS as readonly string[]).includes(form as string)) {
    return fail(`expected an object with exactly one of: ${FORMS.join(', ')}`);
  }
  const v = (raw as Record<string, unknown>)[form as string];
  const at = [...path, form as string];
  const list = (): Matcher[] => Array.isArray(v) ? v.map((r, i) => read(r, [...at, i], problems)) : (fail('expected a list', at), []);
  const num = (): number => {
    if (typeof v === 'number') return v;
    fail('expected a number', at);
    return 0;
  };
  switch (form as (typeof FORMS)[number]) {
    case 'bulk': case 'simple':
      return typeof v === 'string' ? { kind: 'text', value: toBytes(v), only: form as 'bulk' | 'simple' } : fail('expected text', at);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? { kind: 'integer', value: v } : fail('expected a whole number', at);
    case 'nil':
      return v === true ? { kind: 'nil' } : fail('expected nil: true', at);
    case 'any':
      return v === true ? { kind: 'any' } : fail('expected any: true', at);
    case 'error':
      return typeof v === 'string' && v.length > 0 ? { kind: 'error', prefix: v } : fail('expected the start of the error text, e.g. WRONGTYPE', at);
    case 'between': {
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || v[0] > v[1]) {
        return fail('expected [low, high], two numbers with low <= high', at);
      }
      return { kind: 'range', min: v[0], max: v[1] };
    }
    case 'atLeast': return { kind: 'range', min: num() };
    case 'atMost': return { kind: 'range', max: num() };
    case 'matches': {
      if (typeof v !== 'string') return fail('expected a regular expression (text)', at);
      try {
        return { kind: 'regex', pattern: new RegExp(v, 'u') };
      } catch (e) {
        return fail(`expected a valid regular expression: ${(e as Error).message}`, at);
      }
    }
    case 'json': return { kind: 'json', value: v };
    case 'ordered': case 'unordered': case 'includes':
      return { kind: form as 'ordered' | 'unordered' | 'includes', items: list() };
    case 'fields': case 'hasFields': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('expected a map of field: expectation', at);
      return {
        kind: form as 'fields' | 'hasFields',
        fields: Object.entries(v).map(([k, r]) => [toBytes(k), read(r, [...at, k], problems)] as const),
      };
    }
    case 'length': return { kind: 'length', of: read(v, at, problems) };
    case 'not': return { kind: 'not', of: read(v, at, problems) };
    case 'anyOf': {
      const of = list();
      return of.length >= 2 ? { kind: 'anyOf', of } : fail('expected a list of at least two expectations', at);
    }
  }
}

/** The text of a string-like reply (bulk, status, verbatim, a double's digits), else undefined. */
function textOf(reply: Reply): string | undefined {
  switch (reply.kind) {
    case 'bulk': case 'simple': case 'verbatim': case 'bignum': return reply.value;
    case 'double': return reply.text ?? formatDouble(reply.value);
    default: return undefined;
  }
}

function numberOf(reply: Reply): number | undefined {
  if (reply.kind === 'integer') return Number(reply.value);
  if (reply.kind === 'double') return reply.value;
  const t = textOf(reply);
  if (t === undefined || t.trim() === '' || !/^[-+0-9.eEinf]+$/.test(t)) return undefined;
  const n = Number(t === 'inf' ? Infinity : t === '-inf' ? -Infinity : t);
  return Number.isNaN(n) ? undefined : n;
}

function itemsOf(reply: Reply): readonly Reply[] | undefined {
  switch (reply.kind) {
    case 'array': case 'set': case 'push': return reply.items;
    case 'map': return reply.entries.flat();
    default: return undefined;
  }
}

/** Field → value pairs of a map reply, or of a flat RESP2 array of field, value, … */
function pairsOf(reply: Reply): (readonly [string, Reply])[] | undefined {
  if (reply.kind === 'map') {
    const out: (readonly [string, Reply])[] = [];
    for (const [k, v] of reply.entries) {
      const name = textOf(k);
      if (name === undefined) return undefined;
      out.push([name, v]);
    }
    return out;
  }
  const items = itemsOf(reply);
  if (!items || items.length % 2 !== 0) return undefined;
  const out: (readonly [string, Reply])[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const name = textOf(items[i] as Reply);
    if (name === undefined) return undefined;
    out.push([name, items[i + 1] as Reply]);
  }
  return out;
}

export function matches(m: Matcher, reply: Reply): boolean {
  switch (m.kind) {
    case 'any': return reply.kind !== 'error';
    case 'text': {
      if (m.only && reply.kind !== m.only) return false;
      return textOf(reply) === m.value;
    }
    case 'integer': return reply.kind === 'integer' && Number(reply.value) === m.value;
    case 'nil': return reply.kind === 'null';
    case 'error': return reply.kind === 'error' && reply.message.startsWith(m.prefix);
    case 'range': {
      const n = numberOf(reply);
      return n !== undefined && (m.min === undefined || n >= m.min) && (m.max === undefined || n <= m.max);
    }
    case 'regex': {
      const t = textOf(reply);
      return t !== undefined && m.pattern.test(fromBytes(t));
    }
    case 'json': {
      const t = textOf(reply);
      if (t === undefined) return false;
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromBytes(t));
      } catch {
        // Not JSON at all: simply not the document expected.
        return false;
      }
      return jsonEqual(parsed, m.value);
    }
    case 'ordered': {
      const items = itemsOf(reply);
      return items !== undefined && items.length === m.items.length && m.items.every((x, i) => matches(x, items[i] as Reply));
    }
    case 'unordered': {
      const items = itemsOf(reply);
      return items !== undefined && items.length === m.items.length && assign(m.items, items);
    }
    case 'includes': {
      const items = itemsOf(reply);
      return items !== undefined && assign(m.items, items);
    }
    case 'fields': case 'hasFields': {
      const pairs = pairsOf(reply);
      if (!pairs) return false;
      const byName = new Map(pairs);
      if (byName.size !== pairs.length) return false;
      if (m.kind === 'fields' && byName.size !== m.fields.length) return false;
      return m.fields.every(([name, x]) => {
        const v = byName.get(name);
        return v !== undefined && matches(x, v);
      });
    }
    case 'length': {
      const items = reply.kind === 'map' ? reply.entries : itemsOf(reply);
      return items !== undefined && matches(m.of, { kind: 'integer', value: items.length });
    }
    case 'not': return !matches(m.of, reply);
    case 'anyOf': return m.of.some((x) => matches(x, reply));
  }
}

/** Each matcher takes a different item (a small bipartite matching, by backtracking). */
function assign(ms: readonly Matcher[], items: readonly Reply[]): boolean {
  const used = new Array<boolean>(items.length).fill(false);
  const go = (i: number): boolean => {
    if (i === ms.length) return true;
    for (let j = 0; j < items.length; j++) {
      if (used[j] || !matches(ms[i] as Matcher, items[j] as Reply)) continue;
      used[j] = true;
      if (go(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return go(0);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** The expectation in words, for "expected … but got …" (text stays one char per byte, quoted). */
export function describe(m: Matcher): string {
  switch (m.kind) {
    case 'any': return 'any reply that is not an error';
    case 'text': return m.only === 'simple' ? m.value : quote(m.value);
    case 'integer': return `(integer) ${m.value}`;
    case 'nil': return '(nil)';
    case 'error': return `an error starting with ${m.prefix}`;
    case 'range':
      if (m.min !== undefined && m.max !== undefined) return m.min === m.max ? `the number ${m.min}` : `a number from ${m.min} to ${m.max}`;
      return m.min !== undefined ? `a number of at least ${m.min}` : `a number of at most ${m.max}`;
    case 'regex': return `text matching /${m.pattern.source}/`;
    case 'json': return `the JSON ${JSON.stringify(m.value)}`;
    case 'ordered': return m.items.length === 0 ? '(empty array)' : `[${m.items.map(describe).join(', ')}] in this order`;
    case 'unordered': return `[${m.items.map(describe).join(', ')}] in any order`;
    case 'includes': return `a list containing ${m.items.map(describe).join(', ')}`;
    case 'fields': return `exactly the fields {${m.fields.map(([k, x]) => `${quote(k)}: ${describe(x)}`).join(', ')}}`;
    case 'hasFields': return `the fields {${m.fields.map(([k, x]) => `${quote(k)}: ${describe(x)}`).join(', ')}}`;
    case 'length': return `a list whose length is ${describe(m.of)}`;
    case 'not': return `anything but ${describe(m.of)}`;
    case 'anyOf': return m.of.map(describe).join(' or ');
  }
}
