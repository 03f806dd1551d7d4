export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** The counters INFO reports (INFO stats, commandstats, errorstats). */
export class Stats {
  totalCommandsProcessed = 0;
  totalConnectionsReceived = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  expiredKeys = 0;
  totalErrorReplies = 0;
  rejectedCalls = 0;
  /** Per command (full name): calls, microseconds, rejected and failed calls. */
  readonly commands = new Map<string, CommandStats>();
  /** The same records by command id (CommandSpec.id): the dispatcher's way in, without hashing a name. */
  private byId: (CommandStats | undefined)[] = [];
  /** Per error code (`ERR`, `WRONGTYPE`…): how many were sent. */
  readonly errors = new Map<string, number>();

  /** The record of a command, by its spec (the dispatcher's hot path). */
  of(spec: { readonly id: number; readonly name: string }): CommandStats {
    return (this.byId[spec.id] ??= this.command(spec.name));
  }

  command(name: string): CommandStats {
    let s = this.commands.get(name);
    if (!s) this.commands.set(name, (s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 }));
    return s;
  }

  error(message: string): void {
    this.totalErrorReplies++;
    const code = message.split(' ', 1)[0] as string;
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  reset(): void {
    this.totalCommandsProcessed = 0;
    this.totalConnectionsReceived = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.expiredKeys = 0;
    this.totalErrorReplies = 0;
    this.rejectedCalls = 0;
    this.commands.clear();
    this.byId = [];
    this.errors.clear();
  }
}
