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
  readonly commands = new Map<string, { calls: number; usec: number; rejectedCalls: number; failedCalls: number }>();
  /** Per error code (`ERR`, `WRONGTYPE`…): how many were sent. */
  readonly errors = new Map<string, number>();

  command(name: string) {
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
    this.errors.clear();
  }
}
