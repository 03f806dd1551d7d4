/**
 * Completion records (`redislings report`): what a student hands in, and how a teacher checks it.
 *
 *   {
 *     "format": 1,
 *     "kind": "redislings-report",
 *     "student": { "name": "Ada Lovelace", "user": "ada" },      // user: the OS account (null if unknown)
 *     "pack": { "id": "databases-101", "title": "Databases 101, week 3",
 *               "sha256": "…" },                                 // over the pack's lesson files (packDigest)
 *     "redislings": "0.1.0",
 *     "generated": "2025-03-04T11:00:00.000Z",
 *     "strict": true,                                             // the pack is taken in strict mode
 *     "totals": { … },                                            // as records.ts describes
 *     "lessons": [ … ],                                           // per-step records, as records.ts describes
 *     "signature": { "algorithm": "HMAC-SHA256", "value": "<64 hex digits>" }   // or null: unsigned
 *   }
 *
 * The signature is an HMAC-SHA256, keyed with the pack's `report: { key }`, over SIGNED_PREFIX and
 * the canonical serialisation (canonicalJson) of every field but `signature`. So the layout of the
 * file (spaces, the order of fields) may change; any value may not.
 *
 * What it proves: the record was written by redislings with that pack's key, and no value in it
 * was changed since. What it does not: the key travels in the pack the students run, so a student
 * who reads it can sign a record they made up; and the record is only as true as the progress file
 * it was made from, which is the student's own.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LessonEntry, Totals } from './records.js';

export const REPORT_FORMAT = 1;
export const REPORT_KIND = 'redislings-report';
export const SIGNATURE_ALGORITHM = 'HMAC-SHA256';
/** Signed before the record, so that the key signs reports and nothing else. */
const SIGNED_PREFIX = 'redislings-report\n';

export interface ReportBody {
  readonly format: typeof REPORT_FORMAT;
  readonly kind: typeof REPORT_KIND;
  readonly student: { readonly name: string; readonly user: string | null };
  readonly pack: { readonly id: string; readonly title: string; readonly sha256: string };
  readonly redislings: string;
  readonly generated: string;
  readonly strict: boolean;
  readonly totals: Totals;
  readonly lessons: readonly LessonEntry[];
}

export interface Signature {
  readonly algorithm: typeof SIGNATURE_ALGORITHM;
  readonly value: string;
}

export interface Report extends ReportBody {
  readonly signature: Signature | null;
}

/**
 * JSON with object keys sorted (by UTF-16 code units) and no spaces: one text for one value,
 * however the file was laid out. Only what JSON holds is accepted.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`a number JSON cannot hold: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`a value JSON cannot hold: ${typeof value}`);
}

/** The signature's value (hex) for a record's fields other than `signature`. */
export function signatureOf(body: Readonly<Record<string, unknown>>, key: string): string {
  const { signature: _left, ...signed } = body;
  return createHmac('sha256', key).update(SIGNED_PREFIX + canonicalJson(signed)).digest('hex');
}

export function signReport(body: ReportBody, key: string | undefined): Report {
  return { ...body, signature: key === undefined ? null : { algorithm: SIGNATURE_ALGORITHM, value: signatureOf({ ...body }, key) } };
}

/**
 * SHA-256 over a pack's lesson files (each file's name, its length and its bytes, in name order):
 * which version of the lessons a record was made with.
 */
export function packDigest(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (path.basename(a) < path.basename(b) ? -1 : 1))) {
    const bytes = fs.readFileSync(file);
    hash.update(`${path.basename(file)}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** The pack a record is checked against: the teacher's copy. */
export interface PackAtHand {
  readonly id: string;
  readonly title: string;
  readonly sha256: string;
  readonly reportKey?: string;
}

export type CheckVerdict =
  /** Signed with the pack's key, not edited, made with these very lesson files. */
  | { readonly kind: 'valid'; readonly report: Report }
  | { readonly kind: 'not-a-report'; readonly problem: string }
  | { readonly kind: 'other-pack'; readonly packId: string; readonly packTitle?: string }
  /** No signature where the pack signs its records. */
  | { readonly kind: 'no-signature' }
  /** Neither the record nor the pack has a key: nothing can be checked. */
  | { readonly kind: 'unsigned'; readonly report?: Report }
  /** The record is signed, but the teacher's pack has no key to check it with. */
  | { readonly kind: 'no-key' }
  /** The signature does not match the record: edited, or signed with another key. */
  | { readonly kind: 'mismatch' }
  /** Signed correctly, but over other lesson files than the teacher's copy of the pack. */
  | { readonly kind: 'other-version'; readonly report: Report; readonly sha256: string }
  /** Signed correctly, but not in the shape this redislings writes. */
  | { readonly kind: 'malformed'; readonly problem: string };

/** Checks a parsed record against the teacher's copy of its pack. */
export function checkReport(value: unknown, pack: PackAtHand): CheckVerdict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'not-a-report', problem: 'it is not a JSON object' };
  const v = value as Record<string, unknown>;
  if (v.kind !== REPORT_KIND) return { kind: 'not-a-report', problem: `its "kind" is ${JSON.stringify(v.kind)}, not "${REPORT_KIND}"` };
  if (v.format !== REPORT_FORMAT) return { kind: 'not-a-report', problem: `its format is ${JSON.stringify(v.format)}; this redislings reads format ${REPORT_FORMAT}` };
  const packId = (v.pack as { id?: unknown } | undefined)?.id;
  const packTitle = (v.pack as { title?: unknown } | undefined)?.title;
  if (packId !== pack.id) {
    return { kind: 'other-pack', packId: typeof packId === 'string' ? packId : JSON.stringify(packId), ...(typeof packTitle === 'string' ? { packTitle } : {}) };
  }
  const parsed = reportSchema.safeParse(value);
  if (v.signature === undefined || v.signature === null) {
    if (pack.reportKey !== undefined) return { kind: 'no-signature' };
    return { kind: 'unsigned', ...(parsed.success ? { report: parsed.data as Report } : {}) };
  }
  if (pack.reportKey === undefined) return { kind: 'no-key' };
  const signature = v.signature as { algorithm?: unknown; value?: unknown };
  if (signature.algorithm !== SIGNATURE_ALGORITHM || typeof signature.value !== 'string' || !/^[0-9a-f]{64}$/.test(signature.value)) return { kind: 'mismatch' };
  const expected = Buffer.from(signatureOf(v, pack.reportKey), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature.value, 'hex'))) return { kind: 'mismatch' };
  if (!parsed.success) return { kind: 'malformed', problem: schemaProblem(parsed.error) };
  const report = parsed.data as Report;
  if (report.pack.sha256 !== pack.sha256) return { kind: 'other-version', report, sha256: pack.sha256 };
  return { kind: 'valid', report };
}

function schemaProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'the record'}: ${issue.message}` : 'not a report';
}

const count = z.number().int().nonnegative();

const stepSchema = z.object({
  id: z.string(),
  title: z.string(),
  done: z.boolean(),
  state: z.enum(['passed', 'skipped', 'not done']),
  when: z.string().nullable(),
  attempts: count,
  hints: count,
  solutions: count,
  skipped: z.boolean(),
  strict: z.boolean().nullable(),
});

const reportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  kind: z.literal(REPORT_KIND),
  student: z.object({ name: z.string(), user: z.string().nullable() }),
  pack: z.object({ id: z.string(), title: z.string(), sha256: z.string() }),
  redislings: z.string(),
  generated: z.string(),
  strict: z.boolean(),
  totals: z.object({
    lessons: count, steps: count, done: count, passed: count, skipped: count, attempts: count, hints: count, solutions: count, doneStrict: count,
  }),
  lessons: z.array(z.object({ id: z.string(), title: z.string(), done: count, skipped: count, total: count, steps: z.array(stepSchema) })),
  signature: z.object({ algorithm: z.literal(SIGNATURE_ALGORITHM), value: z.string() }).nullable(),
});
