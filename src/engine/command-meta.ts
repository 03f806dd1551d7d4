/** What the command table says of one command (or one subcommand, `config|get`). */
export interface CommandMeta {
  /** Lower case; a subcommand is `container|sub`, as Redis names it. */
  readonly name: string;
  readonly container?: string;
  /** Redis' arity: N means exactly N words with the name, -N means at least N. */
  readonly arity: number;
  /** Redis' command flags: write, readonly, denyoom, fast, noscript, loading, stale, blocking, pubsub… */
  readonly flags: readonly string[];
  /** First key, last key (-1: the last argument, -2: the one before…), step; [0, 0, 0] for none. */
  readonly keys: readonly [number, number, number];
  readonly group: string;
  readonly since: string;
  /** The line redis-cli shows as a hint: `SET key value [NX|XX] …`. */
  readonly syntax: string;
  readonly summary: string;
  readonly complexity: string;
}
