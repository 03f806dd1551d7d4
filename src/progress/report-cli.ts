/**
 * `redislings report --name "Ada Lovelace" [--out FILE] [--lessons DIR]` writes a student's
 * completion record (report.ts describes it); `redislings report --check FILE [--lessons DIR]`
 * tells a teacher whether a record was written by redislings with the pack's key and not edited.
 * Both print and return an exit code: 0 written or valid, 1 anything else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LessonPack } from '../lessons/pack.js';
import { type Output, stdio } from '../output.js';
import { currentProgress, readLessons, readPackOf } from './cli.js';
import type { LessonSource } from './lesson-source.js';
import { lessonEntries, totalsOf } from './records.js';
import { checkReport, packDigest, REPORT_FORMAT, REPORT_KIND, type Report, type ReportBody, signReport } from './report.js';
import { ProgressStore, writeAtomically } from './store.js';

export interface ReportOptions extends LessonSource {
  /** The student's name, as the teacher knows them. */
  readonly name: string;
  /** Where to write the record (default: redislings-report-<name>.json in `cwd`). */
  readonly out?: string;
  readonly cwd: string;
  readonly now?: Date;
  /** The OS account's name (default: the current user's). */
  readonly user?: string | null;
}

/** "Ada Lovelace" → "ada-lovelace", for a file name. */
export function nameSlug(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'student';
}

/** The OS account running redislings; null when the system cannot say (a container without a user entry). */
function osUser(): string | null {
  try {
    return os.userInfo().username;
  } catch (e) {
    // userInfo() throws a SystemError when the uid has no passwd entry; the environment may still say.
    if (!(e instanceof Error)) throw e;
    return process.env.USER ?? process.env.USERNAME ?? process.env.LOGNAME ?? null;
  }
}

/** The pack's lesson files and their digest; undefined when the directory cannot be read (said on stderr). */
async function digestOf(pack: LessonPack, io: Output): Promise<string | undefined> {
  const { LessonDirectoryError, lessonFiles } = await import('../lessons/loader.js');
  try {
    return packDigest(lessonFiles(pack.dir));
  } catch (e) {
    if (!(e instanceof LessonDirectoryError)) throw e;
    io.err(`redislings: ${e.message}\n`);
    return undefined;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export async function runReport(options: ReportOptions, io: Output = stdio): Promise<number> {
  const name = options.name.trim();
  if (name === '') {
    io.err('redislings report: --name needs the student\'s name, e.g. --name "Ada Lovelace"\n');
    return 1;
  }
  const progress = currentProgress(new ProgressStore(options.dirs.config), io);
  if (!progress) return 1;
  const pack = await readPackOf(options, io);
  if (!pack) return 1;
  const loaded = await readLessons(options, io);
  if (!loaded) return 1;
  const sha256 = await digestOf(pack, io);
  if (sha256 === undefined) return 1;
  const lessons = lessonEntries(progress, loaded.views);
  const body: ReportBody = {
    format: REPORT_FORMAT,
    kind: REPORT_KIND,
    student: { name, user: options.user === undefined ? osUser() : options.user },
    pack: { id: pack.id, title: pack.title, sha256 },
    redislings: options.version,
    generated: (options.now ?? new Date()).toISOString(),
    strict: pack.strict,
    totals: totalsOf(lessons),
    lessons,
  };
  const report = signReport(body, pack.reportKey);
  const file = path.resolve(options.cwd, options.out ?? `redislings-report-${nameSlug(name)}.json`);
  try {
    writeAtomically(file, JSON.stringify(report, null, 2) + '\n');
  } catch (e) {
    io.err(`redislings: cannot write ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const t = report.totals;
  io.out(`Wrote ${file}: ${name}, “${pack.title}”, ${t.done} / ${t.steps} steps done (${t.skipped} skipped, ${plural(t.solutions, 'solution')} shown).\n`);
  if (report.signature) {
    io.out('It is signed with the pack\'s report key: hand it in as it is (any change to it shows).\n');
  } else {
    const why = options.lessonsDir === undefined
      ? 'only a teacher\'s lesson pack with a report key (--lessons DIR, its pack.yaml: report: { key: … }) signs records'
      : `the pack “${pack.title}” has no report key (pack.yaml: report: { key: … })`;
    io.out(`It is NOT signed: ${why}, so nothing shows that it was not edited.\n`);
  }
  if (loaded.problems.length > 0) {
    io.err(`redislings: ${plural(loaded.problems.length, 'problem')} in the lesson files kept some lessons out of this record (redislings validate says which).\n`);
  }
  return 0;
}

/** The one-paragraph summary of a record. */
export function reportSummary(r: Report): string {
  const t = r.totals;
  const who = `${r.student.name}${r.student.user ? ` (user ${r.student.user})` : ''}`;
  const when = r.generated.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  // A strict pack's steps done without strict mode (the lesson files run from another directory) are said.
  const lax = r.strict && t.doneStrict < t.done ? ` (${t.done - t.doneStrict} of the done steps without it)` : '';
  return `${who} has done ${t.done} of ${t.steps} steps of “${r.pack.title}” (${r.pack.id})${r.strict ? `, in strict mode${lax}` : ''}: `
    + `${t.skipped} skipped, ${plural(t.solutions, 'solution')} shown, ${plural(t.hints, 'hint')} seen, ${plural(t.attempts, 'attempt')}. `
    + `The record was made on ${when} by redislings ${r.redislings}.`;
}

export interface CheckOptions {
  readonly lessonsDir?: string;
}

export async function runReportCheck(file: string, options: CheckOptions, io: Output = stdio): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`redislings: ${code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(e as Error).message}`}\n`);
    return 1;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    io.out(`${file} is not a redislings report: it is not valid JSON (${(e as Error).message}).\n`);
    return 1;
  }
  const pack = await readPackOf(options, io);
  if (!pack) return 1;
  const sha256 = await digestOf(pack, io);
  if (sha256 === undefined) return 1;
  const verdict = checkReport(value, { id: pack.id, title: pack.title, sha256, ...(pack.reportKey === undefined ? {} : { reportKey: pack.reportKey }) });
  const packName = `“${pack.title}” (${pack.id})`;
  const say = (text: string) => io.out(`${text}\n`);
  switch (verdict.kind) {
    case 'valid':
      say(`Valid. ${reportSummary(verdict.report)} It was written by redislings with this pack's report key and has not been edited since.`);
      return 0;
    case 'not-a-report':
      say(`${file} is not a redislings report: ${verdict.problem}.`);
      return 1;
    case 'other-pack':
      say(`NOT VALID for this pack: ${file} is a record for the pack ${verdict.packTitle === undefined ? '' : `“${verdict.packTitle}” `}(${verdict.packId}), not for ${packName}. Check it with --lessons and that pack's directory.`);
      return 1;
    case 'no-signature':
      say(`NOT VALID: ${file} has no signature, but ${packName} signs its records. The signature was removed, or the record was not written by redislings with this pack.`);
      return 1;
    case 'unsigned':
      say(`NOT SIGNED: ${file} has no signature and ${packName} has no report key, so nothing shows that it was not edited.${verdict.report ? ` It says: ${reportSummary(verdict.report)}` : ''}`);
      return 1;
    case 'no-key':
      say(`CANNOT CHECK: ${file} is signed, but ${packName} has no report key to check it with${options.lessonsDir === undefined ? ': give --lessons and the pack\'s directory' : ''}.`);
      return 1;
    case 'mismatch':
      say(`NOT VALID: ${file} does not match its signature. It was edited after redislings wrote it, or signed with another key than the one of ${packName}.`);
      return 1;
    case 'other-version':
      say(`NOT VALID for this version of the pack: ${file} is signed with the key of ${packName} and was not edited, but it was made with other lesson files (sha256 ${verdict.report.pack.sha256.slice(0, 12)}… in the record, ${verdict.sha256.slice(0, 12)}… here): the student's copy of the pack differs from yours. It says: ${reportSummary(verdict.report)}`);
      return 1;
    case 'malformed':
      say(`NOT READABLE: ${file} is signed with the key of ${packName}, but it is not a record this redislings can read (${verdict.problem}).`);
      return 1;
  }
}
