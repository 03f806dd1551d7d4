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
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

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
});

/** A pack.yaml that cannot be read: the message names the file and what is wrong. */
export class PackFileError extends Error {}

/** The pack in `dir` (its pack.yaml, or what its name gives). */
export function readPack(dir: string): LessonPack {
  const abs = path.resolve(dir);
  const file = path.join(abs, PACK_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PackFileError(`cannot read ${file}: ${(e as Error).message}`);
    const name = path.basename(abs);
    const id = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'pack';
    return { dir: abs, id, title: name, strict: false, declared: false };
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new PackFileError(`${file}: not valid YAML (${(e as Error).message})`);
  }
  const parsed = packSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new PackFileError(`${file}: ${where}${issue?.message ?? 'not a pack file'}`);
  }
  const p = parsed.data;
  return {
    dir: abs, id: p.id, title: p.title, strict: p.strict ?? false, declared: true,
    ...(p.report ? { reportKey: p.report.key } : {}),
  };
}
