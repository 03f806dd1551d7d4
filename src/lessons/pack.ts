/**
 * A lesson pack: a teacher's directory of lesson files, given with `--lessons DIR`. It may hold a
 * `pack.yaml` that names the pack and sets how it is taken:
 *
 *   format: 1
 *   id: databases-101              # names the pack in reports (lower-case letters, digits, dashes)
 *   title: Databases 101, week 3
 *   strict: true                   # optional: graded work (no :solution; :skip is counted visibly)
 *   report:                        # optional: `redislings report` signs its records with this key
 *     key: 3f9c1e…                 # at least 16 characters; keep it out of the students' view if
 *                                  # you can (the pack the students run must hold it, so a student
 *                                  # who reads it can sign; it stops hand edits, not a determined forger)
 *
 * Without pack.yaml a directory is still a pack: its id and title come from the directory's name,
 * it is not strict and its reports are not signed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Source } from './model.js';

export const PACK_FILE = 'pack.yaml';
export const PACK_FORMAT = 1;

export interface LessonPack {
  /** The directory that holds the pack's lesson files (absolute). */
  readonly dir: string;
  readonly id: string;
  readonly title: string;
  readonly strict: boolean;
  /** The key report records are signed with (HMAC-SHA256); absent: reports are not signed. */
  readonly reportKey?: string;
  /** Whether the directory has a pack.yaml (else id and title come from its name). */
  readonly declared: boolean;
}

const packSchema = z.strictObject({
  format: z.literal(PACK_FORMAT, { error: `expected format: ${PACK_FORMAT}` }),
  id: z.string({ error: 'expected an id (text)' }).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected an id of lower-case letters, digits and dashes'),
  title: z.string({ error: 'expected a title (text)' }).trim().min(1, 'expected a title, not an empty text'),
  strict: z.boolean({ error: 'expected strict: true or false' }).optional(),
  report: z.strictObject({
    key: z.string({ error: 'expected a key (text)' }).min(16, 'expected a key of at least 16 characters'),
  }).optional(),
}, { error: (issue) => (issue.code === 'invalid_type' ? 'expected the fields format, id and title' : undefined) });

/** A pack.yaml that cannot be read: `at` is where in it, the message says what is wrong there. */
export class PackFileError extends Error {
  constructor(readonly at: Source, readonly detail: string) {
    super(`${at.file}:${at.line}:${at.col}: ${detail}`);
  }
}

/** The id a directory without pack.yaml gets from its name: `Week 3` → `week-3`. */
export function packIdFromName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'pack';
}

/** The pack in `dir` (its pack.yaml, or what its name gives). */
export function readPack(dir: string): LessonPack {
  const abs = path.resolve(dir);
  const file = path.join(abs, PACK_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PackFileError({ file, line: 1, col: 1 }, `cannot be read: ${(e as Error).message}`);
    const name = path.basename(abs);
    return { dir: abs, id: packIdFromName(name), title: name, strict: false, declared: false };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Source => ({ file, ...lineCounter.linePos(offset) });
  const yamlError = doc.errors[0];
  if (yamlError) throw new PackFileError(at(yamlError.pos[0]), `YAML: ${yamlError.message.split('\n')[0]}`);
  const value: unknown = doc.toJS();
  const parsed = packSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = (issue?.path ?? []).filter((s): s is string | number => typeof s !== 'symbol');
    // An unknown field is pointed at by its key; anything else at the value it is about.
    const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const field = unknown === undefined ? where : [...where, unknown];
    const missing = issue?.code === 'invalid_type' && where.length > 0 && valueAt(value, where) === undefined;
    const message = unknown !== undefined ? `unknown field "${unknown}" (a typo?)` : missing ? 'this field is missing' : issue?.message ?? 'not a pack file';
    const label = field.length > 0 ? `${field.join('.')}: ` : '';
    throw new PackFileError(at(offsetOf(doc.contents, field, unknown !== undefined)), `${label}${message}`);
  }
  const p = parsed.data;
  return {
    dir: abs, id: p.id, title: p.title, strict: p.strict ?? false, declared: true,
    ...(p.report ? { reportKey: p.report.key } : {}),
  };
}

function valueAt(value: unknown, field: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of field) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/**
 * Where a field is in pack.yaml (a map of maps): its value, or its key when it has none or when
 * `atKey`; a missing field is pointed at by the map that lacks it.
 */
function offsetOf(contents: unknown, field: readonly (string | number)[], atKey: boolean): number {
  let node = contents;
  let offset = (contents as Node | null)?.range?.[0] ?? 0;
  for (const [i, seg] of field.entries()) {
    if (!isMap(node)) break;
    const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === seg);
    if (!pair) break;
    offset = (pair.key as Node).range?.[0] ?? offset;
    if (atKey && i === field.length - 1) break;
    const value = pair.value as Node | null;
    if (value?.range && !(isScalar(value) && value.value === null)) offset = value.range[0];
    node = value;
  }
  return offset;
}
