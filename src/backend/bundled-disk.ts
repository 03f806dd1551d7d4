/**
 * The bundled engine's life on disk, for crash() and restart(): each BundledBackend owns a private
 * data directory (never the learner's working directory), a new engine starts there with the
 * persistence settings of the one before it, and loads what that one left on disk, as
 * redis-server does at startup.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../engine/clock.js';
import { Engine } from '../engine/engine.js';
import { waitForAofRewrite } from '../engine/persistence/aof.js';
import { shutdownSnapshot, waitForBgsave } from '../engine/persistence/snapshot.js';

/** The settings a restarted server keeps, as if they had been written to its configuration file. */
const KEPT = ['save', 'appendonly', 'appendfsync'] as const;

/** What a lesson starts from: nothing on disk, and no snapshot rules until the lesson sets them. */
const FRESH: Readonly<Record<string, string>> = { save: '' };

export function makeDataDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-bundled-'));
}

/** Removes what engines wrote to the directory, keeping the directory. */
export function wipeDataDirectory(dir: string): void {
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
}

/**
 * A new engine working in `dir` with `settings` (CONFIG names → values). It loads what is on
 * disk as it starts (the AOF with appendonly yes, else dump.rdb), as redis-server does; a
 * damaged file throws, as redis-server refuses to start.
 */
export function startEngine(clock: Clock, dir: string, settings: Readonly<Record<string, string>> = FRESH): Engine {
  return new Engine({ clock, dir, config: Object.entries(settings) });
}

export function keptSettings(engine: Engine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT) {
    const found = engine.config.lookup(name, (a, b) => a === b)[0];
    if (found) out[name] = found.value;
  }
  return out;
}

/**
 * The end of an engine's process. A crash writes nothing more; a BGSAVE under way is let finish
 * first (its file work runs on this process' threads and cannot be killed halfway), so a crash
 * falls just after it. A clean stop is SHUTDOWN's: the final snapshot when save rules exist.
 */
export async function stopEngine(engine: Engine, how: 'crash' | 'shutdown'): Promise<void> {
  await waitForBgsave(engine);
  if (how === 'shutdown' && !shutdownSnapshot(engine, { save: false, nosave: false, force: false })) {
    throw new Error('SHUTDOWN: the final snapshot could not be written, so the server keeps running');
  }
  // A crash loses what the AOF had not written yet; a clean stop flushes and fsyncs it.
  if (how === 'crash') engine.crash();
  engine.close();
}

/** Resolves when the engine's BGSAVE and AOF rewrite in progress (if any) have finished. */
export async function waitForBackgroundWork(engine: Engine): Promise<void> {
  await waitForBgsave(engine);
  await waitForAofRewrite(engine);
}
