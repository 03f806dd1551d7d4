/**
 * SHUTDOWN (db.c shutdownCommand). Stopping is not the engine's business: whoever carries it (the
 * TCP server) registers a hook, and SHUTDOWN calls it. Like Redis, which exits inside the command,
 * the caller gets no reply: the hook closes its connection before any reply is written.
 *
 * Before stopping, a final RDB snapshot is written when save rules exist (unless NOSAVE) or with
 * SAVE (persistence/snapshot.ts). An engine without a hook (the in-process prompt) cannot be shut
 * down, and answers as Redis does when shutting down fails.
 */
import { OK, type Reply } from '../resp/reply.js';
import { is } from './args.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import type { Engine } from './engine.js';
import { RedisError, SHUTDOWN_FAILED, SHUTDOWN_NOT_IN_PROGRESS, SYNTAX } from './errors.js';
import { shutdownSnapshot } from './persistence/snapshot.js';

export interface ShutdownRequest {
  readonly save: boolean;
  readonly nosave: boolean;
  readonly now: boolean;
  readonly force: boolean;
}

export type ShutdownHook = (request: ShutdownRequest) => void;

const hooks = new WeakMap<Engine, ShutdownHook>();

/** Makes SHUTDOWN on this engine call `hook` (one hook per engine; a later one replaces it). */
export function onShutdown(engine: Engine, hook: ShutdownHook): void {
  hooks.set(engine, hook);
}

/** SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT] */
function shutdown(c: Client, argv: readonly string[]): Reply {
  const request = { save: false, nosave: false, now: false, force: false };
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const opt = argv[i] as string;
    if (is(opt, 'NOSAVE')) request.nosave = true;
    else if (is(opt, 'SAVE')) request.save = true;
    else if (is(opt, 'NOW')) request.now = true;
    else if (is(opt, 'FORCE')) request.force = true;
    else if (is(opt, 'ABORT')) abort = true;
    else throw new RedisError(SYNTAX);
  }
  const flagged = request.save || request.nosave || request.now || request.force;
  if ((abort && flagged) || (request.save && request.nosave)) throw new RedisError(SYNTAX);
  // A shutdown never waits here (no replicas to catch up), so there is never one to abort.
  if (abort) throw new RedisError(SHUTDOWN_NOT_IN_PROGRESS);
  const hook = hooks.get(c.engine);
  if (!hook) throw new RedisError(SHUTDOWN_FAILED);
  // The final snapshot (save rules, or SAVE); a failed one stops the shutdown unless FORCE.
  if (!shutdownSnapshot(c.engine, request)) throw new RedisError(SHUTDOWN_FAILED);
  hook(request);
  // Never written: the hook has closed the caller's connection.
  return OK;
}

export const commands: Handlers = { shutdown };
