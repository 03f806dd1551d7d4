/**
 * Propagation (server.c call(), alsoPropagate, propagatePendingCommands): every change to the
 * data set, as the commands that replay it exactly. This is what the AOF writes (and what a
 * replica would receive).
 *
 * A command that raised engine.dirty is propagated as it was executed, unless its handler said
 * otherwise, as Redis' commands do:
 * - rewriteCommand(c, argv): propagate this instead (rewriteClientCommandVector): SET … EX 10 as
 *   SET … PXAT <ms>, SPOP as SREM of the member popped, INCRBYFLOAT as SET … KEEPTTL;
 * - alsoPropagate(c, argv): one more command, before the command's own (SPOP with a count as an
 *   SREM per member); preventPropagation(c) then drops the command's own form;
 * - forcePropagation(c): propagate even though nothing changed (FLUSHALL on an empty server).
 *
 * Commands are collected per execution unit (a command, an EXEC, a served blocked client) and
 * handed to the listeners when it ends: more than one are wrapped in MULTI … EXEC so that they
 * replay atomically. A key removed by expiry is propagated as DEL: within the command that found
 * it expired (so before it), or alone by the active expiry cycle.
 *
 * Each command comes with the index of the database it ran in; the listener (the AOF writer)
 * adds SELECT when that changes. Nothing is collected while nobody listens.
 */
import type { Client } from './client.js';

/** Receives each propagated command in order: its database and its arguments (bytes, one char each). */
export type PropagateListener = (db: number, argv: readonly string[]) => void;

interface PendingCommand {
  readonly db: number;
  readonly argv: readonly string[];
}

/** What one call() may say about its own propagation; nested calls (inside EXEC) save and restore it. */
export interface CallPropagation {
  rewritten: readonly string[] | undefined;
  prevented: boolean;
  forced: boolean;
}

const MULTI = ['MULTI'];
const EXEC = ['EXEC'];

export class Propagation implements CallPropagation {
  private readonly listeners: PropagateListener[] = [];
  /** server.also_propagate */
  private pending: PendingCommand[] = [];
  // The innermost running call()'s wishes (kept here, not in an object per call: call() is hot).
  rewritten: readonly string[] | undefined = undefined;
  prevented = false;
  forced = false;
  /** How deep call() is nested (EXEC runs its queue through call()). */
  depth = 0;

  /** True when someone listens: only then are commands collected. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: PropagateListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** alsoPropagate: one more command for the current execution unit. */
  add(db: number, argv: readonly string[]): void {
    if (this.listeners.length > 0) this.pending.push({ db, argv });
  }

  /** A call() starts with no wishes; returns the outer call's (if nested), for endCall. */
  beginCall(): CallPropagation | undefined {
    const outer = this.depth > 0 ? { rewritten: this.rewritten, prevented: this.prevented, forced: this.forced } : undefined;
    this.rewritten = undefined;
    this.prevented = false;
    this.forced = false;
    this.depth++;
    return outer;
  }

  /**
   * A call() ended. `changed`: it raised dirty. The command (or what it was rewritten to) joins
   * the pending ones, and at the outermost level the execution unit is flushed. `wrap` false:
   * commands that touch arbitrary keys (SCAN, RANDOMKEY) propagate their DELs unwrapped.
   */
  endCall(db: number, argv: readonly string[], changed: boolean, isExec: boolean, outer: CallPropagation | undefined, wrap = true): void {
    const { rewritten, prevented, forced } = this;
    this.rewritten = outer?.rewritten;
    this.prevented = outer?.prevented ?? false;
    this.forced = outer?.forced ?? false;
    this.depth--;
    if (this.listeners.length === 0) return;
    // EXEC is never propagated itself: the commands it ran were, and are wrapped below.
    if ((changed || forced) && !prevented && !isExec) this.pending.push({ db, argv: rewritten ?? argv });
    if (this.depth === 0) this.flush(wrap);
  }

  /**
   * propagatePendingCommands: hands the collected commands to the listeners, in MULTI … EXEC
   * when there are several (unless `wrap` is false, as for the active expiry cycle's DELs).
   * MULTI goes with the first command's database and EXEC with the last one's, so that no
   * SELECT is needed between them and the commands around them.
   */
  flush(wrap = true): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const transaction = wrap && pending.length > 1;
    if (transaction) this.emit((pending[0] as PendingCommand).db, MULTI);
    for (const { db, argv } of pending) this.emit(db, argv);
    if (transaction) this.emit((pending[pending.length - 1] as PendingCommand).db, EXEC);
  }

  private emit(db: number, argv: readonly string[]): void {
    for (const listener of this.listeners) listener(db, argv);
  }
}

/** rewriteClientCommandVector: the running command propagates as `argv` instead of as sent. */
export function rewriteCommand(c: Client, argv: readonly string[]): void {
  c.engine.propagation.rewritten = argv;
}

/** alsoPropagate: `argv` is propagated (in the client's database) before the running command's own form. */
export function alsoPropagate(c: Client, argv: readonly string[]): void {
  c.engine.propagation.add(c.db.id, argv);
}

/** preventCommandPropagation: the running command's own form is not propagated (its alsoPropagate ones are). */
export function preventPropagation(c: Client): void {
  c.engine.propagation.prevented = true;
}

/** forceCommandPropagation: the running command is propagated even if it changed nothing. */
export function forcePropagation(c: Client): void {
  c.engine.propagation.forced = true;
}
