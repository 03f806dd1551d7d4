/**
 * Loading the append-only files on start (aof.c loadAppendOnlyFiles, loadSingleAppendOnlyFile):
 * the manifest, then the base (an RDB, or commands) and each incremental file in order, every
 * command run by a client of its own with no connection, as Redis' fake AOF client: no replies,
 * no statistics, keys never expire while loading, MULTI … EXEC applied whole or not at all.
 *
 * A last file cut inside its last command (a crash while appending) loads up to that command,
 * which is dropped and the file truncated there, with a warning (aof-load-truncated yes; with
 * no, the start fails). Anything else wrong (a damaged byte, an unknown command, a missing file,
 * a truncated file that is not the last) fails the start with a message naming the file and,
 * for the contents, the byte offset; the engine is then left empty rather than half loaded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '../client.js';
import type { Engine } from '../engine.js';
import { RedisError } from '../errors.js';
import { AofReader, describeByte } from './aof-format.js';
import { type AofManifest, emptyManifest, formatManifest, ManifestError, manifestName, parseManifest } from './aof-manifest.js';
import { loadRdb } from './rdb.js';
import { recordRdbLoad } from './snapshot.js';

/** The data directory's files could not be loaded: the engine must not start (Redis exits). */
export class PersistenceError extends Error {}

/** CLIENT_ID_AOF: the id of the client that replays the AOF (UINT64_MAX in Redis). */
const AOF_CLIENT_ID = Number.MAX_SAFE_INTEGER;

type LoadStatus = 'ok' | 'empty' | 'truncated';

export interface AofLoadResult {
  /** 'not-exist': no AOF in the directory (a fresh start). */
  readonly status: 'ok' | 'not-exist' | 'empty' | 'truncated';
  readonly manifest: AofManifest;
  /** aof_current_size and aof_rewrite_base_size to start from. */
  readonly totalSize: number;
  readonly baseSize: number;
}

interface Names {
  readonly dataDir: string;
  readonly dirPath: string;
  readonly appendfilename: string;
}

/** aofLoadManifestFromDisk: the manifest, or an empty one when the directory or the file is missing. */
export function loadManifest(dirPath: string, appendfilename: string): AofManifest {
  const file = path.join(dirPath, manifestName(appendfilename));
  if (!fs.existsSync(dirPath) || !fs.existsSync(file)) return emptyManifest();
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    throw new PersistenceError(`Fatal error: can't open the AOF manifest file ${file} for reading: ${(e as Error).message}`);
  }
  try {
    return parseManifest(text);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    const where = e.line ? ` Reading the manifest file, at line ${e.line.number}: >>> '${e.line.text}'` : '';
    throw new PersistenceError(`*** FATAL AOF MANIFEST FILE ERROR ***${where} ${e.reason}`);
  }
}

/**
 * aofUpgradePrepare: an old single-file AOF (appendfilename in the data directory) moves into the
 * append-only directory and becomes its base.
 */
function upgradeIfNeeded(engine: Engine, names: Names, m: AofManifest): AofManifest {
  const old = path.join(names.dataDir, names.appendfilename);
  if (!fs.existsSync(old)) return m;
  const inDir = path.join(names.dirPath, names.appendfilename);
  const upgrade = !fs.existsSync(names.dirPath)
    || (!m.base && m.incrs.length === 0)
    || (m.base !== undefined && m.incrs.length === 0 && m.base.name === names.appendfilename && !fs.existsSync(inDir));
  if (!upgrade) return m;
  fs.mkdirSync(names.dirPath, { recursive: true });
  const upgraded: AofManifest = { ...m, base: { name: names.appendfilename, seq: 1, type: 'b' }, currBaseSeq: 1 };
  const manifestFile = path.join(names.dirPath, manifestName(names.appendfilename));
  fs.writeFileSync(manifestFile, formatManifest(upgraded), 'latin1');
  fs.renameSync(old, inDir);
  engine.log('*', `Successfully migrated an old-style AOF file (${names.appendfilename}) into the AOF directory (${path.basename(names.dirPath)}).`);
  return upgraded;
}

/**
 * loadAppendOnlyFiles: replays the AOF into the engine. Throws a PersistenceError (after
 * emptying the engine) when the files cannot be loaded.
 */
export function loadAppendOnlyFiles(engine: Engine, names: Names): AofLoadResult {
  let manifest = loadManifest(names.dirPath, names.appendfilename);
  manifest = upgradeIfNeeded(engine, names, manifest);
  const files = [...(manifest.base ? [manifest.base] : []), ...manifest.incrs];
  if (files.length === 0) return { status: 'not-exist', manifest, totalSize: 0, baseSize: 0 };
  let totalSize = 0;
  for (const info of files) {
    try {
      totalSize += fs.statSync(path.join(names.dirPath, info.name)).size;
    } catch (e) {
      // A file the manifest names but the disk does not hold is fatal.
      throw new PersistenceError(`Unable to obtain the AOF file ${info.name} length. stat: ${(e as Error).message}`);
    }
  }
  if (totalSize === 0) return { status: 'empty', manifest, totalSize: 0, baseSize: 0 };
  const baseSize = manifest.base ? fs.statSync(path.join(names.dirPath, manifest.base.name)).size : 0;
  let status: LoadStatus = 'ok';
  const wasLoading = engine.loading;
  engine.loading = true;
  engine.updateTime();
  try {
    for (const [i, info] of files.entries()) {
      const last = i === files.length - 1;
      const started = performance.now();
      const result = loadSingleFile(engine, names, info.name, last);
      if (result !== 'empty') {
        const seconds = ((performance.now() - started) / 1000).toFixed(3);
        engine.log('*', `DB loaded from ${info === manifest.base ? 'base' : 'incr'} file ${info.name}: ${seconds} seconds`);
      }
      if (result === 'truncated') status = 'truncated';
    }
  } catch (e) {
    // Nothing half loaded stays behind.
    for (const db of engine.databases) {
      db.dict = new Map();
      db.expires = new Map();
    }
    throw e;
  } finally {
    engine.loading = wasLoading;
  }
  return { status, manifest, totalSize, baseSize };
}

/** loadSingleAppendOnlyFile */
function loadSingleFile(engine: Engine, names: Names, name: string, last: boolean): LoadStatus {
  const file = path.join(names.dirPath, name);
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    throw new PersistenceError(`Fatal error: can't open the append log file ${name} for reading: ${(e as Error).message}`);
  }
  if (data.length === 0) return 'empty';
  let start = 0;
  if (data.subarray(0, 5).toString('latin1') === 'REDIS') {
    // An RDB base (or an old-style AOF with an RDB preamble), then possibly commands.
    const oldStyle = name === names.appendfilename;
    engine.log('*', oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    try {
      const loaded = loadRdb(engine, data, name, { aofPreamble: true });
      recordRdbLoad(engine, loaded.keysLoaded, loaded.keysExpired);
      engine.log('*', `Done loading RDB, keys loaded: ${loaded.keysLoaded}, keys expired: ${loaded.keysExpired}.`);
      start = loaded.bytes;
    } catch (e) {
      const what = oldStyle ? `the RDB preamble of the AOF file ${name}` : `the RDB base file ${name}`;
      throw new PersistenceError(`Error reading ${what}, AOF loading aborted: ${(e as Error).message}`);
    }
    if (oldStyle) engine.log('*', 'Reading the remaining AOF tail...');
  }
  return replayCommands(engine, data, start, name, file, last);
}

/** The commands of one file, run by the AOF client; what an early end or damage means (see the top). */
function replayCommands(engine: Engine, data: Buffer, start: number, name: string, file: string, last: boolean): LoadStatus {
  const client = new Client(engine, AOF_CLIENT_ID);
  const reader = new AofReader(data, start);
  let validUpTo = start;
  let validBeforeMulti = start;
  for (let argv = reader.next(); argv !== undefined; argv = reader.next()) {
    const spec = engine.lookupCommand(argv);
    if (!spec) {
      throw new PersistenceError(`Unknown command '${argv[0]}' reading the append only file ${name} at offset ${reader.commandStart}`);
    }
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      throw new PersistenceError(`Wrong number of arguments for '${argv[0]}' reading the append only file ${name} at offset ${reader.commandStart}`);
    }
    if (spec.name === 'multi') validBeforeMulti = validUpTo;
    if (client.multi && spec.name !== 'exec') {
      client.multi.push({ spec, argv });
    } else {
      try {
        // A blocking command in an AOF does not block (nothing would wake it): it does nothing.
        spec.handler(client, argv);
      } catch (e) {
        // The AOF client's errors are not replied to anyone, as in Redis.
        if (!(e instanceof RedisError)) throw e;
      }
    }
    validUpTo = reader.offset;
  }
  const stop = reader.stop;
  if (stop?.kind === 'damaged') {
    throw new PersistenceError(
      `Bad file format reading the append only file ${name} at offset ${stop.offset} (expected ${stop.expected}, found ${describeByte(data[stop.offset])}): `
        + 'make a backup of your AOF file, then use redislings check-aof --fix <filename.manifest>',
    );
  }
  let truncated = stop?.kind === 'truncated';
  if (client.multi) {
    // The file ends inside MULTI … EXEC: what it began is dropped, as after a cut.
    engine.log('#', `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    validUpTo = validBeforeMulti;
    client.multi = null;
    truncated = true;
  }
  if (!truncated) return 'ok';
  if (engine.config.bool('aof-load-truncated') && last) {
    engine.log('#', `!!! Warning: short read while loading the AOF file ${name}!!!`);
    engine.log('#', `!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      fs.truncateSync(file, validUpTo);
    } catch (e) {
      throw new PersistenceError(`Error truncating the AOF file ${name}: ${(e as Error).message}`);
    }
    engine.log('#', `AOF ${name} loaded anyway because aof-load-truncated is enabled`);
    return 'truncated';
  }
  if (!last && engine.config.bool('aof-load-truncated')) {
    throw new PersistenceError(`Fatal error: the truncated file is not the last file (${name} ends inside a command at offset ${validUpTo})`);
  }
  throw new PersistenceError(
    `Unexpected end of file reading the append only file ${name} (the last whole command ends at offset ${validUpTo}). You can: `
      + '1) Make a backup of your AOF file, then use redislings check-aof --fix <filename.manifest>. '
      + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
  );
}
