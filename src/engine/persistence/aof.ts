/**
 * The append-only file (aof.c), Redis 7.0's multi-part layout: a directory (appenddirname) with
 * a manifest, a base file (an RDB, or RESP commands) and incremental files of RESP commands.
 *
 * Layout
 * - aof.ts            this writer: what is propagated is appended to a buffer (feedAppendOnlyFile)
 *                     that is written to the current incremental file before replies go out
 *                     (beforeSleep), with fsync as appendfsync says; BGREWRITEAOF and the
 *                     automatic rewrite; turning the AOF on and off at runtime; INFO's aof_*.
 * - aof-load.ts       replaying the files on start (loadAppendOnlyFiles).
 * - aof-format.ts     the RESP text and its reader; aof-manifest.ts the manifest;
 *                     aof-rewrite.ts a rewrite's base; check-aof.ts `redislings check-aof`.
 *
 * Redis forks to rewrite. Here the base is serialized synchronously, inside the command or the
 * cron tick that starts the rewrite, which is one instant of the data set; at the same instant a
 * new incremental file starts. Only writing the base's bytes happens in the background (libuv's
 * threads), while aof_rewrite_in_progress is 1.
 *
 * fsync: `always` fsyncs the current file before the replies of the batch are written;
 * `everysec` fsyncs in the background at most once a second; `no` leaves it to the OS. A process
 * killed with kill -9 loses only what was still in the buffer, whatever the policy; a machine
 * losing power loses what was not fsynced (crash({ powerFailure: true }) simulates that).
 */
import fs from 'node:fs';
import path from 'node:path';
import { simple, type Reply } from '../../resp/reply.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import type { Engine } from '../engine.js';
import { AOF_REWRITE_FAILED, AOF_REWRITE_IN_PROGRESS, misconfAof, RedisError } from '../errors.js';
import { encodeCommand } from './aof-format.js';
import {
  type AofManifest, copyManifest, emptyManifest, formatManifest, manifestName, markRewrittenIncrsAsHistory, newBase,
  newIncr, tempIncrName, tempManifestName,
} from './aof-manifest.js';
import { encodeAofBase } from './aof-rewrite.js';
import { setChildActivityProbe, snapshotState } from './snapshot.js';

export type AofState = 'off' | 'on' | 'wait-rewrite';

/** A rewrite in progress: the base is being written to `tmp`. */
interface Rewrite {
  readonly started: number;
  readonly tmp: string;
  readonly rdbPreamble: boolean;
  /** Set when the rewrite is abandoned (AOF turned off, a crash): its end changes nothing. */
  killed: boolean;
  readonly done: Promise<void>;
}

/** AOF_REWRITE_LIMITE_THRESHOLD, AOF_REWRITE_LIMITE_MAX_MINUTES */
const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class AppendOnlyFile {
  private currentState: AofState = 'off';
  manifest: AofManifest = emptyManifest();
  /** The incremental file being appended to (a temporary one in 'wait-rewrite'). */
  private fd: number | undefined;
  /** aof_buf: commands waiting to be written (bytes, one char each). */
  private buf = '';
  /** aof_selected_db: the database of the last command written (-1: a SELECT comes first). */
  private selectedDb = -1;
  /** aof_current_size, aof_rewrite_base_size, aof_last_incr_size, aof_last_incr_fsync_offset */
  currentSize = 0;
  rewriteBaseSize = 0;
  private lastIncrSize = 0;
  private lastIncrFsyncOffset = 0;
  /** How much of the current incremental file an fsync has confirmed (what survives a power failure). */
  private durableIncrSize = 0;
  /** aof_last_fsync, in seconds */
  private lastFsync: number;
  /** Background fsyncs not yet finished (aof_pending_bio_fsync). */
  private pendingFsyncs = 0;
  private fsyncError: string | undefined;
  private flushPostponedStart = 0;
  delayedFsync = 0;
  rewrite: Rewrite | undefined;
  rewriteScheduled = false;
  /** aof_rewrite_time_last (seconds, -1 before the first) */
  rewriteTimeLast = -1;
  lastBgrewriteOk = true;
  rewrites = 0;
  consecutiveFailures = 0;
  lastWriteOk = true;
  lastWriteError = '';
  /** aof_cur_timestamp: the second of the last `#TS:` annotation. */
  private curTimestamp = 0;
  private nextRewriteDelayMinutes = 0;
  private nextRewriteTime = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly engine: Engine) {
    this.lastFsync = this.now();
  }

  get state(): AofState {
    return this.currentState;
  }

  /** The state; the writer listens to what the engine propagates only while the AOF is not off. */
  set state(state: AofState) {
    this.currentState = state;
    if (state === 'off') this.detach();
    else this.unsubscribe ??= this.engine.propagation.subscribe((db, argv) => this.feed(db, argv));
  }

  private now(): number {
    return Math.floor(this.engine.clock.now() / 1000);
  }

  private get config() {
    return this.engine.config;
  }

  /** The data directory; only an engine with one has an AOF. */
  private get dataDir(): string {
    const dir = this.engine.dir === undefined ? undefined : this.config.string('dir');
    if (dir === undefined) throw new Error('no data directory');
    return path.resolve(dir);
  }

  /** The append-only directory, absolute. */
  get dirPath(): string {
    return path.join(this.dataDir, this.config.string('appenddirname'));
  }

  private get appendfilename(): string {
    return this.config.string('appendfilename');
  }

  private filePath(name: string): string {
    return path.join(this.dirPath, name);
  }

  private log(level: '*' | '#', message: string): void {
    this.engine.log(level, message);
  }

  /** Stops listening to the engine. */
  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  // --- appending ---

  /** feedAppendOnlyFile */
  feed(db: number, argv: readonly string[]): void {
    if (this.state === 'off' || (this.state === 'wait-rewrite' && !this.rewrite)) return;
    if (this.config.bool('aof-timestamp-enabled')) {
      // genAofTimestampAnnotationIfNeeded: a `#TS:` line when the second changed since the last one.
      const now = this.now();
      if (this.curTimestamp < now) {
        this.curTimestamp = now;
        this.buf += `#TS:${now}\r\n`;
      }
    }
    if (db !== this.selectedDb) {
      const id = String(db);
      this.buf += `*2\r\n$6\r\nSELECT\r\n$${id.length}\r\n${id}\r\n`;
      this.selectedDb = db;
    }
    this.buf += encodeCommand(argv);
  }

  /** aof_buf's length, for INFO. */
  get bufferLength(): number {
    return this.buf.length;
  }

  /**
   * flushAppendOnlyFile: writes the buffer to the current file, then fsyncs as appendfsync says.
   * `force` writes even while a background fsync is still running (which everysec otherwise
   * waits for, up to two seconds).
   */
  flush(force = false): void {
    if (this.fd === undefined) return;
    const policy = this.config.string('appendfsync');
    const now = this.now();
    let syncInProgress = false;
    if (this.buf.length === 0) {
      // Nothing new, but an fsync may be due for what was written before (everysec's second
      // passed, or the policy just became always).
      if (policy === 'everysec' && this.lastIncrFsyncOffset !== this.lastIncrSize && now > this.lastFsync && this.pendingFsyncs === 0) {
        this.fsync(policy, now, false);
      } else if (policy === 'always' && this.lastIncrFsyncOffset !== this.lastIncrSize) {
        this.fsync(policy, now, false);
      }
      return;
    }
    if (policy === 'everysec') syncInProgress = this.pendingFsyncs > 0;
    if (policy === 'everysec' && !force && syncInProgress) {
      // A write would wait behind the background fsync anyway: postpone it, up to two seconds.
      if (this.flushPostponedStart === 0) {
        this.flushPostponedStart = now;
        return;
      }
      if (now - this.flushPostponedStart < 2) return;
      this.delayedFsync++;
      this.log('*', 'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.');
    }
    const data = Buffer.from(this.buf, 'latin1');
    let written = 0;
    try {
      while (written < data.length) written += fs.writeSync(this.fd, data, written);
    } catch (e) {
      this.writeFailed(e, written, data.length, policy);
      return;
    }
    this.flushPostponedStart = 0;
    if (!this.lastWriteOk) {
      this.log('#', 'AOF write error looks solved, Redis can write again.');
      this.lastWriteOk = true;
    }
    this.currentSize += written;
    this.lastIncrSize += written;
    this.buf = '';
    this.fsync(policy, now, syncInProgress);
  }

  /** The try_fsync part of flushAppendOnlyFile. */
  private fsync(policy: string, now: number, syncInProgress: boolean): void {
    if (this.fd === undefined) return;
    if (this.config.bool('no-appendfsync-on-rewrite') && this.hasActiveChild()) return;
    if (policy === 'always') {
      try {
        fs.fdatasyncSync(this.fd);
      } catch (e) {
        // Redis exits: the write was promised to the client as durable.
        this.fatal(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${errorText(e)}. Exiting...`);
        return;
      }
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.durableIncrSize = this.lastIncrSize;
      this.lastFsync = now;
    } else if (policy === 'everysec' && now > this.lastFsync) {
      if (!syncInProgress) this.backgroundFsync();
      this.lastFsync = now;
    }
  }

  /** aof_background_fsync: fdatasync on libuv's threads. */
  private backgroundFsync(): void {
    const fd = this.fd as number;
    const size = this.lastIncrSize;
    this.pendingFsyncs++;
    this.lastIncrFsyncOffset = size;
    fs.fdatasync(fd, (e) => {
      this.pendingFsyncs--;
      if (e) {
        this.fsyncError = e.message;
        this.log('#', `Fail to fsync the AOF file: ${e.message}`);
      } else if (fd === this.fd) {
        this.durableIncrSize = Math.max(this.durableIncrSize, size);
        if (this.fsyncError !== undefined) {
          this.log('#', 'AOF background fsync error looks solved, Redis can write again.');
          this.fsyncError = undefined;
        }
      }
    });
  }

  private writeFailed(e: unknown, written: number, expected: number, policy: string): void {
    const why = errorText(e);
    this.lastWriteError = why;
    this.log('#', written > 0 ? `Short write while writing to the AOF file: (nwritten=${written}, expected=${expected})` : `Error writing to the AOF file: ${why}`);
    if (written > 0 && this.fd !== undefined) {
      // Remove the partial command, so that the file stays loadable.
      try {
        fs.ftruncateSync(this.fd, this.lastIncrSize);
        written = 0;
      } catch (te) {
        this.log('#', `Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: ${errorText(te)}`);
      }
    }
    if (policy === 'always') {
      this.fatal("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      return;
    }
    // Writes are refused (MISCONF) until a write succeeds; the buffer is kept to try again.
    this.lastWriteOk = false;
    if (written > 0) {
      this.currentSize += written;
      this.lastIncrSize += written;
      this.buf = this.buf.slice(written);
    }
  }

  /** Redis exits here; the engine crashes instead (a server then exits, see startup.ts). */
  private fatal(message: string): void {
    this.log('#', message);
    this.engine.crash();
  }

  /** With aof-timestamp-enabled, the second a rewritten base starts with (`#TS:`), else undefined. */
  private timestamp(): number | undefined {
    return this.config.bool('aof-timestamp-enabled') ? this.now() : undefined;
  }

  // --- opening, closing ---

  /** aofOpenIfNeededOnServerStart: a base if the data set starts empty, the last incr file opened. */
  openOnStart(): void {
    if (this.state !== 'on') return;
    fs.mkdirSync(this.dirPath, { recursive: true });
    if (!this.manifest.base && this.manifest.incrs.length === 0) {
      const base = newBase(this.manifest, this.appendfilename, this.config.bool('aof-use-rdb-preamble'));
      writeFileDurably(this.filePath(base.name), encodeAofBase(this.engine, base.name.endsWith('.rdb'), this.timestamp()));
      this.log('*', `Creating AOF base file ${base.name} on server start`);
    }
    const hadIncr = this.manifest.incrs.length > 0;
    const incr = hadIncr ? (this.manifest.incrs[this.manifest.incrs.length - 1] as { name: string }) : newIncr(this.manifest, this.appendfilename);
    this.fd = fs.openSync(this.filePath(incr.name), 'a');
    this.persistManifest(this.manifest);
    this.lastIncrSize = fs.fstatSync(this.fd).size;
    this.lastIncrFsyncOffset = this.lastIncrSize;
    this.durableIncrSize = this.lastIncrSize;
    this.log('*', `${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${incr.name} on server start`);
  }

  /** Writes the manifest: a temporary file, fsync, rename, fsync of the directory. */
  private persistManifest(m: AofManifest): void {
    const tmp = this.filePath(tempManifestName(this.appendfilename));
    writeFileDurably(tmp, Buffer.from(formatManifest(m), 'latin1'), false);
    fs.renameSync(tmp, this.filePath(manifestName(this.appendfilename)));
    fsyncDirectory(this.dirPath);
  }

  /** openNewIncrAofForAppend: commands go to a new incremental file from now on. */
  private openNewIncr(): boolean {
    if (this.state === 'off') return true;
    let temp: AofManifest | undefined;
    let name: string;
    if (this.state === 'wait-rewrite') {
      name = tempIncrName(this.appendfilename);
    } else {
      temp = copyManifest(this.manifest);
      name = newIncr(temp, this.appendfilename).name;
    }
    let fd: number;
    try {
      fd = fs.openSync(this.filePath(name), 'w');
    } catch (e) {
      this.log('#', `Can't open the append-only file ${name}: ${errorText(e)}`);
      return false;
    }
    if (temp) {
      try {
        this.persistManifest(temp);
      } catch (e) {
        this.log('#', `Can't persist the AOF manifest: ${errorText(e)}`);
        fs.closeSync(fd);
        return false;
      }
    }
    this.log('*', `Creating AOF incr file ${name} on background rewrite`);
    if (this.fd !== undefined) backgroundFsyncAndClose(this.fd);
    this.lastFsync = this.now();
    this.fd = fd;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.durableIncrSize = 0;
    if (temp) this.manifest = temp;
    return true;
  }

  /** startAppendOnly (CONFIG SET appendonly yes): a rewrite makes the base, then the AOF is on. */
  start(inExec: boolean): boolean {
    this.state = 'wait-rewrite';
    if (this.hasActiveChild() && !this.rewrite) {
      this.rewriteScheduled = true;
      this.log('#', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (inExec) {
      this.rewriteScheduled = true;
      this.log('#', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (this.rewrite) {
        this.log('#', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killRewrite();
      }
      if (!this.rewriteBackground()) {
        this.state = 'off';
        this.log('#', "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
        return false;
      }
    }
    this.lastFsync = this.now();
    if (!this.lastWriteOk) {
      this.log('#', 'AOF reopen, just ignore the last error.');
      this.lastWriteOk = true;
    }
    this.fsyncError = undefined;
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no): flushed, fsynced, closed. */
  stop(): void {
    this.flush(true);
    if (this.fd !== undefined) {
      try {
        fs.fdatasyncSync(this.fd);
        this.lastFsync = this.now();
      } catch (e) {
        this.log('#', `Fail to fsync the AOF file: ${errorText(e)}`);
      }
      fs.closeSync(this.fd);
    }
    this.fd = undefined;
    this.selectedDb = -1;
    this.state = 'off';
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.killRewrite();
    this.buf = '';
  }

  /** A clean exit (SHUTDOWN, Ctrl+C): the buffer written and fsynced. */
  close(): void {
    if (this.state === 'off' || this.fd === undefined) return;
    this.log('*', 'Calling fsync() on the AOF file.');
    this.flush(true);
    try {
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      this.log('#', `Fail to fsync the AOF file: ${errorText(e)}.`);
    }
    fs.closeSync(this.fd);
    this.fd = undefined;
    this.killRewrite();
  }

  /**
   * A crash: the buffer is lost, the files stay as they are (kill -9). With a power failure,
   * the current incremental file loses what no fsync had confirmed.
   */
  abandon(powerFailure: boolean): void {
    this.detach();
    this.buf = '';
    if (this.rewrite) this.rewrite.killed = true;
    if (this.fd === undefined) return;
    try {
      if (powerFailure) fs.ftruncateSync(this.fd, this.durableIncrSize);
    } finally {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }

  // --- rewriting ---

  private hasActiveChild(): boolean {
    return this.rewrite !== undefined || snapshotState(this.engine).bgsave !== undefined;
  }

  /** killAppendOnlyChild */
  private killRewrite(): void {
    const r = this.rewrite;
    if (!r) return;
    this.log('*', 'Killing running AOF rewrite child');
    r.killed = true;
    this.rewrite = undefined;
    fs.rmSync(r.tmp, { force: true });
  }

  /** rewriteAppendOnlyFileBackground: false when it cannot start. */
  rewriteBackground(): boolean {
    if (this.hasActiveChild()) return false;
    try {
      fs.mkdirSync(this.dirPath, { recursive: true });
    } catch (e) {
      this.log('#', `Can't open or create append-only dir ${this.config.string('appenddirname')}: ${errorText(e)}`);
      this.lastBgrewriteOk = false;
      return false;
    }
    // The next command written starts with a SELECT (it goes to a new file).
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncr()) {
      this.lastBgrewriteOk = false;
      return false;
    }
    this.rewrites++;
    const rdbPreamble = this.config.bool('aof-use-rdb-preamble');
    // This instant of the data set (Redis' fork); only the writing happens in the background.
    const data = encodeAofBase(this.engine, rdbPreamble, this.timestamp());
    const tmp = path.join(this.dataDir, `temp-rewriteaof-bg-${process.pid}.aof`);
    const started = this.now();
    const rewrite: Rewrite = {
      started, tmp, rdbPreamble, killed: false,
      done: writeFileDurablyAsync(tmp, data).then(
        () => this.rewriteDone(rewrite, undefined),
        (e: unknown) => this.rewriteDone(rewrite, e),
      ),
    };
    this.rewrite = rewrite;
    this.log('*', `Background append only file rewriting started by pid ${process.pid}`);
    this.rewriteScheduled = false;
    return true;
  }

  /** Resolves when the rewrite in progress (if any) has finished. */
  async waitForRewrite(): Promise<void> {
    await this.rewrite?.done;
  }

  /** backgroundRewriteDoneHandler */
  private rewriteDone(rewrite: Rewrite, error: unknown): void {
    if (rewrite.killed) {
      fs.rmSync(rewrite.tmp, { force: true });
      return;
    }
    if (error === undefined) {
      this.log('*', `Successfully created the temporary AOF base file ${path.basename(rewrite.tmp)}`);
      this.log('*', 'Background AOF rewrite terminated with success');
      this.installRewrite(rewrite);
    } else {
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      this.log('#', `Background AOF rewrite terminated with error: ${errorText(error)}`);
    }
    fs.rmSync(rewrite.tmp, { force: true });
    if (this.state === 'wait-rewrite') {
      // Failed while turning the AOF on: what waited in the temporary file goes, and it retries.
      this.buf = '';
      fs.rmSync(this.filePath(tempIncrName(this.appendfilename)), { force: true });
      this.rewriteScheduled = true;
    }
    this.rewriteTimeLast = this.now() - rewrite.started;
    this.rewrite = undefined;
  }

  /** The new base takes the old files' place in the manifest, which then loses its history. */
  private installRewrite(rewrite: Rewrite): void {
    const temp = copyManifest(this.manifest);
    const base = newBase(temp, this.appendfilename, rewrite.rdbPreamble);
    const basePath = this.filePath(base.name);
    try {
      fs.renameSync(rewrite.tmp, basePath);
    } catch (e) {
      this.log('#', `Error trying to rename the temporary AOF base file ${path.basename(rewrite.tmp)} into ${base.name}: ${errorText(e)}`);
      this.rewriteFailed();
      return;
    }
    this.log('*', `Successfully renamed the temporary AOF base file ${path.basename(rewrite.tmp)} into ${base.name}`);
    let incrPath: string | undefined;
    if (this.state === 'wait-rewrite') {
      const tempIncr = tempIncrName(this.appendfilename);
      const incr = newIncr(temp, this.appendfilename);
      incrPath = this.filePath(incr.name);
      try {
        fs.renameSync(this.filePath(tempIncr), incrPath);
      } catch (e) {
        this.log('#', `Error trying to rename the temporary AOF incr file ${tempIncr} into ${incr.name}: ${errorText(e)}`);
        fs.rmSync(basePath, { force: true });
        this.rewriteFailed();
        return;
      }
      this.log('*', `Successfully renamed the temporary AOF incr file ${tempIncr} into ${incr.name}`);
    }
    markRewrittenIncrsAsHistory(temp, this.fd !== undefined);
    try {
      this.persistManifest(temp);
    } catch (e) {
      this.log('#', `Can't persist the AOF manifest: ${errorText(e)}`);
      fs.rmSync(basePath, { force: true });
      if (incrPath) fs.rmSync(incrPath, { force: true });
      this.rewriteFailed();
      return;
    }
    this.manifest = temp;
    if (this.state !== 'off') {
      this.currentSize = fs.statSync(basePath).size + this.lastIncrSize;
      this.rewriteBaseSize = this.currentSize;
    }
    this.deleteHistoryFiles();
    this.lastBgrewriteOk = true;
    this.consecutiveFailures = 0;
    this.log('*', 'Background AOF rewrite finished successfully');
    if (this.state === 'wait-rewrite') this.state = 'on';
  }

  private rewriteFailed(): void {
    this.lastBgrewriteOk = false;
    this.consecutiveFailures++;
  }

  /** aofDelHistoryFiles */
  private deleteHistoryFiles(): void {
    if (this.config.bool('aof-disable-auto-gc') || this.manifest.history.length === 0) return;
    for (const info of this.manifest.history) {
      this.log('*', `Removing the history file ${info.name} in the background`);
      fs.rm(this.filePath(info.name), { force: true }, (e) => {
        if (e) this.log('#', `Fail to remove the history file ${info.name}: ${e.message}`);
      });
    }
    this.manifest.history = [];
    try {
      this.persistManifest(this.manifest);
    } catch (e) {
      // The files are gone or going; a manifest still naming them only costs a retry later.
      this.log('#', `Can't persist the AOF manifest: ${errorText(e)}`);
    }
  }

  /** aofRewriteLimited: after three failures in a row, automatic rewrites wait 1, 2, 4… up to 60 minutes. */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.nextRewriteDelayMinutes = 0;
      this.nextRewriteTime = 0;
      return false;
    }
    const now = this.now();
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true;
      this.nextRewriteTime = 0;
      return false;
    }
    this.nextRewriteDelayMinutes = Math.min(this.nextRewriteDelayMinutes === 0 ? 1 : this.nextRewriteDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
    this.nextRewriteTime = now + this.nextRewriteDelayMinutes * 60;
    this.log('#', `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextRewriteDelayMinutes} minutes`);
    return true;
  }

  /** serverCron's AOF part: a scheduled rewrite, the automatic rewrite on growth, a postponed or failed write. */
  cron(): void {
    if (!this.hasActiveChild() && this.rewriteScheduled && !this.rewriteLimited()) this.rewriteBackground();
    const percentage = this.config.number('auto-aof-rewrite-percentage');
    if (this.state === 'on' && !this.hasActiveChild() && percentage && this.currentSize > this.config.number('auto-aof-rewrite-min-size')) {
      const base = this.rewriteBaseSize || 1;
      const growth = Math.floor((this.currentSize * 100) / base) - 100;
      if (growth >= percentage && !this.rewriteLimited()) {
        this.log('*', `Starting automatic rewriting of AOF on ${growth}% growth`);
        this.rewriteBackground();
      }
    }
    // Also what a host that never called beforeSleep left in the buffer (the active expiry's DELs).
    if (this.state !== 'off') this.flush(false);
  }

  /** The MISCONF text while writes are refused because the AOF could not be written, else undefined. */
  diskError(): string | undefined {
    if (this.state === 'off') return undefined;
    if (!this.lastWriteOk) return misconfAof(this.lastWriteError);
    if (this.fsyncError !== undefined) return misconfAof(this.fsyncError);
    return undefined;
  }

  /** INFO persistence's aof_* fields (the size fields only while the AOF is on, as Redis). */
  infoFields(): Record<string, number | string> {
    const now = this.now();
    const fields: Record<string, number | string> = {
      aof_enabled: this.state !== 'off' ? 1 : 0,
      aof_rewrite_in_progress: this.rewrite ? 1 : 0,
      aof_rewrite_scheduled: this.rewriteScheduled ? 1 : 0,
      aof_last_rewrite_time_sec: this.rewriteTimeLast,
      aof_current_rewrite_time_sec: this.rewrite ? now - this.rewrite.started : -1,
      aof_last_bgrewrite_status: this.lastBgrewriteOk ? 'ok' : 'err',
      aof_rewrites: this.rewrites,
      aof_rewrites_consecutive_failures: this.consecutiveFailures,
      aof_last_write_status: this.lastWriteOk && this.fsyncError === undefined ? 'ok' : 'err',
      aof_last_cow_size: 0,
      module_fork_in_progress: 0,
      module_fork_last_cow_size: 0,
    };
    if (this.config.bool('appendonly')) {
      Object.assign(fields, {
        aof_current_size: this.currentSize,
        aof_base_size: this.rewriteBaseSize,
        aof_pending_rewrite: this.rewriteScheduled ? 1 : 0,
        aof_buffer_length: this.buf.length,
        aof_pending_bio_fsync: this.pendingFsyncs,
        aof_delayed_fsync: this.delayedFsync,
      });
    }
    return fields;
  }
}

// --- files ---

/** Writes a whole file and fsyncs it (and, unless told not to, its directory). */
export function writeFileDurably(file: string, data: Buffer, syncDir = true): void {
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    while (written < data.length) written += fs.writeSync(fd, data, written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (syncDir) fsyncDirectory(path.dirname(file));
}

async function writeFileDurablyAsync(file: string, data: Buffer): Promise<void> {
  const handle = await fs.promises.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** aof_background_fsync_and_close: the old incremental file, synced and closed off the main thread. */
function backgroundFsyncAndClose(fd: number): void {
  fs.fdatasync(fd, () => fs.close(fd, () => undefined));
}

// --- the engine's AOF ---

const aofs = new WeakMap<Engine, AppendOnlyFile>();

/** The engine's AOF writer (created, off, on first use). */
export function aofOf(engine: Engine): AppendOnlyFile {
  let aof = aofs.get(engine);
  if (!aof) {
    aof = new AppendOnlyFile(engine);
    aofs.set(engine, aof);
    const writer = aof;
    setChildActivityProbe(engine, () => writer.rewrite !== undefined);
  }
  return aof;
}

/** Forgets the engine's writer (after a crash a new one starts from the files). */
export function dropAof(engine: Engine): AppendOnlyFile | undefined {
  const aof = aofs.get(engine);
  aofs.delete(engine);
  return aof;
}

/** writeCommandsDeniedByDiskError, its AOF part. */
export function aofDiskError(engine: Engine): string | undefined {
  return aofs.get(engine)?.diskError();
}

/** INFO persistence's aof_* fields. */
export function aofInfoFields(engine: Engine): Record<string, number | string> {
  return aofOf(engine).infoFields();
}

/** Resolves when the engine's AOF rewrite in progress (if any) has finished. */
export async function waitForAofRewrite(engine: Engine): Promise<void> {
  await aofs.get(engine)?.waitForRewrite();
}

/** BGREWRITEAOF */
function bgrewriteaof(c: Client): Reply {
  const engine = c.engine;
  const aof = aofOf(engine);
  if (engine.dir === undefined) throw new RedisError(AOF_REWRITE_FAILED);
  if (aof.rewrite) throw new RedisError(AOF_REWRITE_IN_PROGRESS);
  if (snapshotState(engine).bgsave !== undefined || c.inExec) {
    aof.rewriteScheduled = true;
    // A manual request is not held back by earlier failures.
    aof.consecutiveFailures = 0;
    return simple('Background append only file rewriting scheduled');
  }
  if (!aof.rewriteBackground()) throw new RedisError(AOF_REWRITE_FAILED);
  return simple('Background append only file rewriting started');
}

export const commands: Handlers = { bgrewriteaof };
