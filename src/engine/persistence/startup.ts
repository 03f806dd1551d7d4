/**
 * Starting from the data directory (server.c main, loadDataFromDisk), and the crash that loses
 * what a kill -9 would:
 * - the configuration: defaults, then redislings.conf from the directory, then what the command
 *   line gave (EngineOptions.config), as redis-server reads its config file and then its
 *   arguments;
 * - the data set: with appendonly yes the AOF (manifest, base, incremental files), else
 *   dump.rdb; nothing when they do not exist yet;
 * - with appendonly yes, the AOF opened for appending (a base written first if there was none).
 * An engine without a data directory applies the command line and keeps nothing on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';
import type { CrashOptions, Engine } from '../engine.js';
import { aofOf, dropAof } from './aof.js';
import { loadAppendOnlyFiles, PersistenceError } from './aof-load.js';
import { applyConfigText, ConfigFileError, configFilePath } from './config-file.js';
import { loadRdb } from './rdb.js';
import { rdbPath, recordRdbLoad, resetSnapshotState } from './snapshot.js';

export { PersistenceError } from './aof-load.js';

/** Engines whose configuration hooks are in place (a restart finds them still there). */
const started = new WeakSet<Engine>();

/** What CONFIG SET appendonly yes answers when the AOF cannot be turned on. */
const UNABLE_TO_TURN_ON = 'Unable to turn on AOF. Check server logs.';

/**
 * The configuration, the data set and the AOF, as a start (or a restart) of redis-server.
 * Throws a PersistenceError when something in the directory cannot be used.
 */
export function startPersistence(engine: Engine): void {
  const restart = started.has(engine);
  if (!restart) {
    started.add(engine);
    registerApplyHooks(engine);
  }
  try {
    configure(engine, restart);
  } catch (e) {
    if (e instanceof ConfigFileError) throw new PersistenceError(e.message);
    if (e instanceof ConfigError) throw new PersistenceError(`\n*** FATAL CONFIG FILE ERROR ***\n${e.message}`);
    throw e;
  }
  if (engine.dir === undefined) return;
  loadDataFromDisk(engine);
  try {
    aofOf(engine).openOnStart();
  } catch (e) {
    throw new PersistenceError(`Can't open the append-only file: ${(e as Error).message}`);
  }
}

function configure(engine: Engine, restart: boolean): void {
  const config = engine.config;
  const file = configFilePath(engine);
  const applyFile = (): void => {
    if (file !== undefined && fs.existsSync(file)) applyConfigText(config, fs.readFileSync(file, 'latin1'));
  };
  if (restart) {
    config.resetToStartup(applyFile);
    return;
  }
  if (engine.dir !== undefined) fs.mkdirSync(engine.dir, { recursive: true });
  applyFile();
  for (const [name, value] of engine.options.config ?? []) {
    if (!config.has(name)) throw new ConfigError(`Bad directive or wrong number of arguments: ${name}`);
    config.setStartup(name, value);
  }
  if (engine.dir !== undefined) config.setStartup('dir', engine.dir);
}

/** loadDataFromDisk */
function loadDataFromDisk(engine: Engine): void {
  const aof = aofOf(engine);
  const begin = performance.now();
  const seconds = (): string => ((performance.now() - begin) / 1000).toFixed(3);
  if (engine.config.bool('appendonly')) {
    const dataDir = path.resolve(engine.config.string('dir'));
    const result = loadAppendOnlyFiles(engine, {
      dataDir,
      dirPath: path.join(dataDir, engine.config.string('appenddirname')),
      appendfilename: engine.config.string('appendfilename'),
    });
    aof.manifest = result.manifest;
    aof.state = 'on';
    if (result.status === 'ok' || result.status === 'truncated') {
      aof.currentSize = result.totalSize;
      aof.rewriteBaseSize = result.baseSize;
      engine.log('*', `DB loaded from append only file: ${seconds()} seconds`);
    }
    return;
  }
  const file = rdbPath(engine);
  if (file === undefined || !fs.existsSync(file)) return;
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    throw new PersistenceError(`Fatal error loading the DB: ${(e as Error).message}. Exiting.`);
  }
  try {
    const loaded = loadRdb(engine, data, path.basename(file));
    recordRdbLoad(engine, loaded.keysLoaded, loaded.keysExpired);
    engine.log('*', `Done loading RDB, keys loaded: ${loaded.keysLoaded}, keys expired: ${loaded.keysExpired}.`);
  } catch (e) {
    throw new PersistenceError(`Fatal error loading the DB: ${(e as Error).message}. Exiting.`);
  }
  engine.log('*', `DB loaded from disk: ${seconds()} seconds`);
}

/** What a crash takes away from persistence (see Engine.crash). */
export function crashPersistence(engine: Engine, options: CrashOptions): void {
  dropAof(engine)?.abandon(options.powerFailure ?? false);
  resetSnapshotState(engine);
}

/** updateAppendonly: CONFIG SET appendonly yes starts a rewrite (the AOF is on once it is done); no stops it. */
function registerApplyHooks(engine: Engine): void {
  engine.config.onApply('appendonly', (config) => {
    const aof = aofOf(engine);
    const enabled = config.bool('appendonly');
    if (!enabled && aof.state !== 'off') {
      aof.stop();
    } else if (enabled && aof.state === 'off') {
      if (engine.dir === undefined) {
        engine.log('#', 'AOF cannot be turned on: the engine has no data directory (start it with --dir).');
        return UNABLE_TO_TURN_ON;
      }
      const inExec = [...engine.clients.values()].some((c) => c.inExec);
      if (!aof.start(inExec)) return UNABLE_TO_TURN_ON;
    }
    return undefined;
  });
  // Only an engine with a data directory ever has an AOF to write.
  if (engine.dir === undefined) return;
  engine.onBeforeSleep(() => aofOf(engine).flush(false));
  engine.onCron(() => aofOf(engine).cron());
  engine.onClose(() => aofOf(engine).close());
}
