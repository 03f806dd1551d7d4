/**
 * The AOF manifest (aof.c aofManifest): which files of the append-only directory make the data
 * set, one line each, `file <name> seq <n> type <b|h|i>`: the base (b), files waiting to be
 * deleted after a rewrite (h, history), and the incremental files (i) in the order they replay.
 * Names follow Redis 7.0: `<appendfilename>.<seq>.base.rdb|aof` and `<appendfilename>.<seq>.incr.aof`.
 */
import { splitArgs } from '../../cli/split-args.js';
import { quoteRepr } from '../config.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  readonly name: string;
  readonly seq: number;
  type: AofFileType;
}

export interface AofManifest {
  base: AofInfo | undefined;
  history: AofInfo[];
  incrs: AofInfo[];
  currBaseSeq: number;
  currIncrSeq: number;
}

/** A manifest that cannot be read, with Redis' words and the line it was at. */
export class ManifestError extends Error {
  constructor(readonly reason: string, readonly line?: { readonly number: number; readonly text: string }) {
    super(line ? `Reading the manifest file, at line ${line.number}: '${line.text}': ${reason}` : reason);
  }
}

export function emptyManifest(): AofManifest {
  return { base: undefined, history: [], incrs: [], currBaseSeq: 0, currIncrSeq: 0 };
}

export function copyManifest(m: AofManifest): AofManifest {
  const copy = (ai: AofInfo): AofInfo => ({ ...ai });
  return {
    base: m.base && copy(m.base),
    history: m.history.map(copy),
    incrs: m.incrs.map(copy),
    currBaseSeq: m.currBaseSeq,
    currIncrSeq: m.currIncrSeq,
  };
}

export function manifestName(appendfilename: string): string {
  return `${appendfilename}.manifest`;
}

export function tempManifestName(appendfilename: string): string {
  return `temp-${appendfilename}.manifest`;
}

/** getTempIncrAofName: where commands wait while AOF is being turned on (AOF_WAIT_REWRITE). */
export function tempIncrName(appendfilename: string): string {
  return `temp-${appendfilename}.incr`;
}

/** getNewBaseFileNameAndMarkPreAsHistory: the next base file; the current one becomes history. */
export function newBase(m: AofManifest, appendfilename: string, rdbPreamble: boolean): AofInfo {
  if (m.base) {
    m.base.type = 'h';
    m.history.unshift(m.base);
  }
  const seq = ++m.currBaseSeq;
  m.base = { name: `${appendfilename}.${seq}.base.${rdbPreamble ? 'rdb' : 'aof'}`, seq, type: 'b' };
  return m.base;
}

/** getNewIncrAofName: the next incremental file, added at the end. */
export function newIncr(m: AofManifest, appendfilename: string): AofInfo {
  const seq = ++m.currIncrSeq;
  const info: AofInfo = { name: `${appendfilename}.${seq}.incr.aof`, seq, type: 'i' };
  m.incrs.push(info);
  return info;
}

/**
 * markRewrittenIncrAofAsHistory: after a rewrite, the incremental files it covers become history;
 * the last one stays while the AOF is on (commands are being appended to it).
 */
export function markRewrittenIncrsAsHistory(m: AofManifest, keepLast: boolean): void {
  const covered = keepLast ? m.incrs.slice(0, -1) : m.incrs;
  m.incrs = keepLast ? m.incrs.slice(-1) : [];
  for (const info of covered.reverse()) m.history.unshift({ ...info, type: 'h' });
}

/** sdsneedsrepr: a name with quotes, backslashes, blanks or unprintable bytes is written quoted. */
function needsRepr(s: string): boolean {
  return /[\\"\s\x00-\x1f\x7f-\xff]/.test(s);
}

function formatInfo(ai: AofInfo): string {
  return `file ${needsRepr(ai.name) ? quoteRepr(ai.name) : ai.name} seq ${ai.seq} type ${ai.type}\n`;
}

/** getAofManifestAsString: the base first, then history, then the incremental files. */
export function formatManifest(m: AofManifest): string {
  let out = '';
  if (m.base) out += formatInfo(m.base);
  for (const ai of m.history) out += formatInfo(ai);
  for (const ai of m.incrs) out += formatInfo(ai);
  return out;
}

/** MANIFEST_MAX_LINE */
const MAX_LINE = 1024;

/** C's atoll: optional blanks and sign, then digits, stopping at anything else. */
function atoll(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/** aofLoadManifestFromFile: strict; any fault is a ManifestError with Redis' text. */
export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  let maxSeq = 0;
  const lines = text.split('\n');
  // A file ending with \n splits into a last empty piece that is not a line.
  const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
  if (text.length === 0) throw new ManifestError('Found an empty AOF manifest');
  for (let n = 0; n < count; n++) {
    const raw = lines[n] as string;
    const linenum = n + 1;
    if (raw.startsWith('#')) continue;
    const complete = n < lines.length - 1;
    const trimmed = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const at = { number: linenum, text: trimmed };
    if (!complete || raw.length + 1 > MAX_LINE) throw new ManifestError('The AOF manifest file contains too long line', at);
    if (trimmed.length === 0) throw new ManifestError('Invalid AOF manifest file format', at);
    const argv = splitArgs(trimmed);
    if (argv === undefined || argv.length < 6 || argv.length % 2 !== 0) throw new ManifestError('Invalid AOF manifest file format', at);
    let name: string | undefined;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const key = (argv[i] as string).toLowerCase();
      const value = argv[i + 1] as string;
      if (key === 'file') {
        name = value;
        if (name.includes('/') || name.includes('\\')) throw new ManifestError("File can't be a path, just a filename", at);
      } else if (key === 'seq') {
        seq = atoll(value);
      } else if (key === 'type') {
        type = value.charAt(0);
      }
    }
    if (!name || !seq || !type) throw new ManifestError('Invalid AOF manifest file format', at);
    if (type === 'b') {
      if (m.base) throw new ManifestError('Found duplicate base file information', at);
      m.base = { name, seq, type };
      m.currBaseSeq = seq;
    } else if (type === 'h') {
      m.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxSeq) throw new ManifestError('Found a non-monotonic sequence number', at);
      m.incrs.push({ name, seq, type });
      m.currIncrSeq = seq;
      maxSeq = seq;
    } else {
      throw new ManifestError('Unknown AOF file type', at);
    }
  }
  return m;
}
