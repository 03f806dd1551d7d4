/**
 * Snapshots (rdb.c saveCommand, bgsaveCommand, lastsaveCommand, and serverCron's save rules):
 * SAVE writes dump.rdb now, blocking; BGSAVE takes the snapshot of this instant and writes it in
 * the background; `save <seconds> <changes>` rules start a BGSAVE from the cron; SHUTDOWN writes a
 * final snapshot when rules exist (or with SAVE); INFO persistence reports the rdb_* figures.
 *
 * Redis forks, and the child writes the parent's memory as it was at the fork. Our engine is
 * single-threaded, so serializing the whole keyspace synchronously, inside the command, is that
 * instant: writes that follow cannot leak into the snapshot. Only writing the bytes, fsync and the
 * rename happen in the background (on libuv's threads), while rdb_bgsave_in_progress is 1.
 */
import path from 'node:path';
import { simple, integer, OK, type Reply } from '../../resp/reply.js';
import { is } from '../args.js';
import type { Client } from '../client.js';
import type { Handlers } from '../commands.js';
import type { Engine } from '../engine.js';
import { BGSAVE_CHILD_ACTIVE, BGSAVE_IN_PROGRESS, MISCONF_RDB, RedisError, SAVE_FAILED, SYNTAX } from '../errors.js';
import { encodeRdb } from './rdb-save.js';
import { writeRdbFile, writeRdbFileSync } from './rdb.js';

/** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, the save rules wait this long (seconds). */
const BGSAVE_RETRY_DELAY = 5;

/** What Redis keeps in `server` about snapshots, per engine. */
export interface SnapshotState {
  /** server.lastsave (seconds): the last successful save, or the start. */
  lastSave: number;
  /** server.lastbgsave_try (seconds), 0 if none yet. */
  lastBgsaveTry: number;
  lastBgsaveOk: boolean;
  /** server.dirty when the last save happened (rdb_changes_since_last_save = dirty − this). */
  dirtyAtLastSave: number;
  /** Set while a BGSAVE's file is being written: when it started (seconds) and the dirty counter then. */
  bgsave: { readonly started: number; readonly dirtyBefore: number; readonly done: Promise<void> } | undefined;
  /** rdb_bgsave_scheduled */
  bgsaveScheduled: boolean;
  /** rdb_saves */
  saves: number;
  /** rdb_last_bgsave_time_sec, -1 before the first */
  lastBgsaveSeconds: number;
  /** rdb_last_load_keys_loaded / _expired */
  lastLoadKeysLoaded: number;
  lastLoadKeysExpired: number;
  /** Other background work that counts as a child process (an AOF rewrite). */
  childActive: (() => boolean) | undefined;
  /** The last error writing a snapshot, for the log. */
  lastError: string | undefined;
}

const states = new WeakMap<Engine, SnapshotState>();

export function snapshotState(engine: Engine): SnapshotState {
  let s = states.get(engine);
  if (!s) {
    s = {
      lastSave: Math.floor(engine.startedAt / 1000),
      lastBgsaveTry: 0,
      lastBgsaveOk: true,
      dirtyAtLastSave: 0,
      bgsave: undefined,
      bgsaveScheduled: false,
      saves: 0,
      lastBgsaveSeconds: -1,
      lastLoadKeysLoaded: 0,
      lastLoadKeysExpired: 0,
      childActive: undefined,
      lastError: undefined,
    };
    states.set(engine, s);
  }
  return s;
}

/** Lets other background work (an AOF rewrite) count as Redis' "active child process". */
export function setChildActivityProbe(engine: Engine, probe: () => boolean): void {
  snapshotState(engine).childActive = probe;
}

/** Records a load's figures for INFO (rdb_last_load_keys_loaded / _expired). */
export function recordRdbLoad(engine: Engine, keysLoaded: number, keysExpired: number): void {
  const s = snapshotState(engine);
  s.lastLoadKeysLoaded = keysLoaded;
  s.lastLoadKeysExpired = keysExpired;
}

/**
 * The directory snapshots are written to. The one place that decides it: an engine started with
 * a data directory writes to CONFIG's `dir` (that directory, unless CONFIG SET moved it); one
 * without keeps nothing on disk.
 */
export function dataDirectory(engine: Engine): string | undefined {
  return engine.dir === undefined ? undefined : engine.config.string('dir');
}

/** Forgets the snapshot figures (a crash: the restart begins them again, as a fresh start does). */
export function resetSnapshotState(engine: Engine): void {
  states.delete(engine);
}

/** server.rdb_filename in its directory, or undefined when the engine keeps nothing on disk. */
export function rdbPath(engine: Engine): string | undefined {
  const dir = dataDirectory(engine);
  return dir === undefined ? undefined : path.resolve(dir, engine.config.string('dbfilename'));
}

function seconds(engine: Engine): number {
  return Math.floor(engine.clock.now() / 1000);
}

function hasActiveChild(engine: Engine): boolean {
  const s = snapshotState(engine);
  return s.bgsave !== undefined || (s.childActive?.() ?? false);
}

/** rdbSave: writes the snapshot now; false (and the error kept for the log) if it could not be. */
export function rdbSave(engine: Engine): boolean {
  const file = rdbPath(engine);
  const s = snapshotState(engine);
  if (file === undefined) {
    s.lastError = 'no data directory';
    return false;
  }
  try {
    writeRdbFileSync(encodeRdb(engine), file);
  } catch (e) {
    s.lastError = e instanceof Error ? e.message : String(e);
    return false;
  }
  s.dirtyAtLastSave = engine.dirty;
  s.lastSave = seconds(engine);
  s.lastBgsaveOk = true;
  return true;
}

/**
 * rdbSaveBackground: the snapshot of this instant, written in the background. False when it
 * cannot start (another one is running, or nowhere to write).
 */
export function rdbSaveBackground(engine: Engine): boolean {
  const s = snapshotState(engine);
  if (hasActiveChild(engine)) return false;
  s.saves++;
  const dirtyBefore = engine.dirty;
  const started = seconds(engine);
  s.lastBgsaveTry = started;
  const file = rdbPath(engine);
  if (file === undefined) {
    s.lastBgsaveOk = false;
    s.lastError = 'no data directory';
    return false;
  }
  const data = encodeRdb(engine);
  const done = writeRdbFile(data, file).then(
    () => {
      // backgroundSaveDoneHandlerDisk: changes made while writing still count as unsaved.
      s.dirtyAtLastSave = dirtyBefore;
      s.lastSave = seconds(engine);
      s.lastBgsaveOk = true;
    },
    (e: unknown) => {
      s.lastBgsaveOk = false;
      s.lastError = e instanceof Error ? e.message : String(e);
    },
  ).finally(() => {
    s.lastBgsaveSeconds = seconds(engine) - started;
    s.bgsave = undefined;
  });
  s.bgsave = { started, dirtyBefore, done };
  return true;
}

/** Resolves when the BGSAVE in progress (if any) has finished. */
export async function waitForBgsave(engine: Engine): Promise<void> {
  await snapshotState(engine).bgsave?.done;
}

/**
 * serverCron's part for snapshots: a scheduled BGSAVE, or one a `save <seconds> <changes>` rule
 * calls for (enough changes and enough seconds since the last save, and the last BGSAVE
 * succeeded or failed more than 5 seconds ago).
 */
export function snapshotCron(engine: Engine): void {
  // An engine without a data directory keeps everything in memory: its save rules never fire
  // (a BGSAVE with nowhere to write would fail, and MISCONF would then refuse every write).
  if (engine.dir === undefined) return;
  const s = snapshotState(engine);
  if (hasActiveChild(engine)) return;
  const now = seconds(engine);
  const retryAllowed = now - s.lastBgsaveTry > BGSAVE_RETRY_DELAY || s.lastBgsaveOk;
  const changes = engine.dirty - s.dirtyAtLastSave;
  for (const rule of engine.config.saveParams()) {
    if (changes >= rule.changes && now - s.lastSave > rule.seconds && retryAllowed) {
      rdbSaveBackground(engine);
      return;
    }
  }
  if (s.bgsaveScheduled && retryAllowed && rdbSaveBackground(engine)) s.bgsaveScheduled = false;
}

/**
 * prepareForShutdown's snapshot: with save rules (unless NOSAVE) or with SAVE, a synchronous
 * save. False when it failed and the shutdown must not go on (without FORCE).
 */
export function shutdownSnapshot(engine: Engine, request: { save: boolean; nosave: boolean; force: boolean }): boolean {
  // Without a data directory only an explicit SHUTDOWN SAVE tries (and fails) to save.
  const wanted = (engine.dir !== undefined && engine.config.saveParams().length > 0 && !request.nosave) || request.save;
  if (!wanted) return true;
  return rdbSave(engine) || request.force;
}

/**
 * writeCommandsDeniedByDiskError, its RDB part: after a failed BGSAVE, with save rules and
 * stop-writes-on-bgsave-error yes, writes (and PING) are refused with MISCONF until a save works.
 */
export function rdbDiskError(engine: Engine): string | undefined {
  const s = states.get(engine);
  if (!s || s.lastBgsaveOk) return undefined;
  if (!engine.config.bool('stop-writes-on-bgsave-error') || engine.config.saveParams().length === 0) return undefined;
  return MISCONF_RDB;
}

/** INFO persistence's rdb_* fields. */
export function rdbInfoFields(engine: Engine): Record<string, number | string> {
  const s = snapshotState(engine);
  const now = seconds(engine);
  return {
    rdb_changes_since_last_save: engine.dirty - s.dirtyAtLastSave,
    rdb_bgsave_in_progress: s.bgsave ? 1 : 0,
    rdb_last_save_time: s.lastSave,
    rdb_last_bgsave_status: s.lastBgsaveOk ? 'ok' : 'err',
    rdb_last_bgsave_time_sec: s.lastBgsaveSeconds,
    rdb_current_bgsave_time_sec: s.bgsave ? now - s.bgsave.started : -1,
    rdb_saves: s.saves,
    rdb_last_cow_size: 0,
    rdb_last_load_keys_expired: s.lastLoadKeysExpired,
    rdb_last_load_keys_loaded: s.lastLoadKeysLoaded,
  };
}

/** SAVE */
function save(c: Client): Reply {
  const engine = c.engine;
  const s = snapshotState(engine);
  if (s.bgsave) throw new RedisError(BGSAVE_IN_PROGRESS);
  s.saves++;
  if (!rdbSave(engine)) throw new RedisError(SAVE_FAILED);
  return OK;
}

/** BGSAVE [SCHEDULE] */
function bgsave(c: Client, argv: readonly string[]): Reply {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && is(argv[1], 'SCHEDULE')) schedule = true;
    else throw new RedisError(SYNTAX);
  }
  const engine = c.engine;
  const s = snapshotState(engine);
  if (s.bgsave) throw new RedisError(BGSAVE_IN_PROGRESS);
  if (hasActiveChild(engine) || c.inExec) {
    if (!schedule && !c.inExec) throw new RedisError(BGSAVE_CHILD_ACTIVE);
    s.bgsaveScheduled = true;
    return simple('Background saving scheduled');
  }
  if (!rdbSaveBackground(engine)) throw new RedisError(SAVE_FAILED);
  return simple('Background saving started');
}

/** LASTSAVE */
function lastsave(c: Client): Reply {
  return integer(snapshotState(c.engine).lastSave);
}

export const commands: Handlers = { save, bgsave, lastsave };
