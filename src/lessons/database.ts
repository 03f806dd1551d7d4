/**
 * The simulated database of the cache lessons: a table of rows (name → text) that lives beside
 * Redis, not in it, so that a lesson can show the cache and the system of record drifting apart.
 * The learner, setups, checks and actors reach it with `DB …` lines, which never reach Redis (it
 * has no DB command), and get typed replies like Redis' so the app renders them the same way:
 *
 *   DB GET row            the row's value, or (nil)
 *   DB SET row value      OK
 *   DB DEL row [row ...]  how many rows were deleted
 *   DB ROWS               the rows' names, sorted
 */
import { array, bulk, bulkOrNil, error, integer, OK, type Reply } from '../resp/reply.js';

/** The word that starts a line for the simulated database. */
export const DB_COMMAND = 'db';

export const DB_SUBCOMMANDS: Readonly<Record<string, { readonly arity: number; readonly syntax: string }>> = {
  get: { arity: 3, syntax: 'DB GET row' },
  set: { arity: 4, syntax: 'DB SET row value' },
  del: { arity: -3, syntax: 'DB DEL row [row ...]' },
  rows: { arity: 2, syntax: 'DB ROWS' },
};

export function isDatabaseCommand(argv: readonly string[]): boolean {
  return argv[0]?.toLowerCase() === DB_COMMAND;
}

/** Why a DB line is malformed (the wrong subcommand or number of arguments), or undefined. */
export function databaseUsageError(argv: readonly string[]): string | undefined {
  const sub = argv[1]?.toLowerCase();
  const spec = sub === undefined ? undefined : DB_SUBCOMMANDS[sub];
  if (!spec) return `the simulated database knows ${Object.values(DB_SUBCOMMANDS).map((s) => s.syntax).join(', ')}`;
  const ok = spec.arity > 0 ? argv.length === spec.arity : argv.length >= -spec.arity;
  return ok ? undefined : `wrong number of arguments: ${spec.syntax}`;
}

export class SimulatedDatabase {
  private readonly rows: Map<string, string>;

  constructor(initial: ReadonlyMap<string, string> = new Map()) {
    this.rows = new Map(initial);
  }

  /** Runs one `DB …` line. */
  execute(argv: readonly string[]): Reply {
    const usage = databaseUsageError(argv);
    if (usage) return error(`ERR ${usage}`);
    const [, sub, ...args] = argv as [string, string, ...string[]];
    switch (sub.toLowerCase()) {
      case 'get': return bulkOrNil(this.rows.get(args[0] as string));
      case 'set':
        this.rows.set(args[0] as string, args[1] as string);
        return OK;
      case 'del': return integer(args.filter((row) => this.rows.delete(row)).length);
      default: return array([...this.rows.keys()].sort().map((k) => bulk(k)));
    }
  }
}
