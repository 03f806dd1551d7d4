/**
 * The record of keys redislings created in a lesson database of a shared server. Before a lesson
 * the database must be empty or hold only recorded keys; those are deleted one by one (never a
 * FLUSHDB over keys someone else may have written meanwhile), and any other key stops the lesson
 * until the learner decides (ForeignKeys).
 *
 * Keys are recorded as commands write them: the command table's key positions (COMMAND GETKEYS'
 * rules) for every command that may write, or the server's own COMMAND GETKEYS where the table
 * cannot tell (writtenKeys). The record lives in the config directory
 * (real-redis-keys.json, beside the progress file), one entry per server and database, written a
 * moment after each change and when the backend closes.
 */
import envPaths from 'env-paths';
import fs from 'node:fs';
import path from 'node:path';
import { lookupCommand } from '../engine/commands.js';
import { RedisError } from '../engine/errors.js';
import { commandKeys } from '../engine/server-commands.js';

const FORMAT_VERSION = 1;
/** Past this many keys the record stops growing; keys beyond it count as someone else's. */
export const MAX_RECORDED_KEYS = 100_000;

interface RecordFile {
  readonly version: number;
  readonly servers: Record<string, { readonly keys: readonly string[]; readonly updated: string }>;
}

/** Where the record is kept: $REDISLINGS_CONFIG_DIR or the platform's config directory. */
export function defaultRecordFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.REDISLINGS_CONFIG_DIR || envPaths('redislings', { suffix: '' }).config;
  return path.join(dir, 'real-redis-keys.json');
}

/**
 * The keys a command writes, by the engine's command table: none for a command that only reads,
 * undefined when the table cannot tell (a command the engine lacks, such as EVAL or a module's,
 * or one whose keys depend on its arguments, such as SORT … STORE): the server can, with
 * COMMAND GETKEYS.
 */
export function writtenKeys(argv: readonly string[]): string[] | undefined {
  const spec = lookupCommand(argv);
  if (!spec) return undefined;
  if (!(spec.flags.includes('write') || spec.flags.includes('may_replicate'))) return [];
  try {
    const keys = commandKeys(spec, argv);
    return keys.length > 0 ? keys : undefined;
  } catch (e) {
    if (!(e instanceof RedisError)) throw e;
    // PUBLISH and the like write no key; other errors: malformed arguments, which the server
    // refused (the command ran, so it did not) or the table cannot follow.
    return e.reply === 'ERR The command has no key arguments' ? [] : undefined;
  }
}

export class KeyRecord {
  private readonly keys: Set<string>;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param file the record file; undefined keeps the record in memory only.
   * @param id the server and database: "127.0.0.1:6379/15".
   */
  constructor(readonly file: string | undefined, readonly id: string) {
    this.keys = new Set(file ? readRecord(file).servers[id]?.keys ?? [] : []);
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Records keys a command wrote. */
  note(keys: Iterable<string>): void {
    let changed = false;
    for (const key of keys) {
      if (this.keys.size >= MAX_RECORDED_KEYS || this.keys.has(key)) continue;
      this.keys.add(key);
      changed = true;
    }
    if (changed) this.saveSoon();
  }

  /** Every recorded key; the record no longer holds `deleted` afterwards. */
  forget(deleted: Iterable<string>): void {
    for (const k of deleted) this.keys.delete(k);
    this.saveSoon();
  }

  /** Takes every key of `keys` as redislings' own (the learner agreed to empty the database). */
  adopt(keys: Iterable<string>): void {
    for (const k of keys) if (this.keys.size < MAX_RECORDED_KEYS) this.keys.add(k);
    this.saveSoon();
  }

  list(): string[] {
    return [...this.keys];
  }

  /** Writes the record now (atomically: a new file renamed over the old one). */
  save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    process.off('exit', this.saveOnExit);
    if (!this.file) return;
    // Another redislings may have written its own servers meanwhile: keep them.
    const current = readRecord(this.file);
    const servers = { ...current.servers };
    if (this.keys.size === 0) delete servers[this.id];
    else servers[this.id] = { keys: [...this.keys], updated: new Date().toISOString() };
    const record: RecordFile = { version: FORMAT_VERSION, servers };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(record) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  private saveSoon(): void {
    if (this.timer || !this.file) return;
    this.timer = setTimeout(() => this.save(), 200);
    this.timer.unref();
    // A process that exits before the timer fires (process.exit, an uncaught error) still writes.
    process.once('exit', this.saveOnExit);
  }

  private readonly saveOnExit = () => {
    if (this.timer) this.save();
  };
}

/** The record file, or an empty record when there is none or it cannot be read as one. */
function readRecord(file: string): RecordFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: FORMAT_VERSION, servers: {} };
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as RecordFile).version !== FORMAT_VERSION
    || typeof (parsed as RecordFile).servers !== 'object') {
    throw new Error(`${file} is not a record of redislings keys (format ${FORMAT_VERSION}); move it away to start a new one`);
  }
  return parsed as RecordFile;
}
