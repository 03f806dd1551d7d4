/**
 * Safety on a server redislings shares with others (a learner's own Redis, a classroom server):
 * lessons work in one logical database, and nothing typed in a lesson may change another database,
 * the server's configuration, its files or its other clients. These are the rules, as data:
 *
 * - guardCommand(): what the app does with a command the learner typed — run it, or refuse it with
 *   an explanation and maybe an offer (FLUSHALL → FLUSHDB on the lesson's database).
 * - enforce(): the last line, applied by every lesson connection to every command it sends
 *   (learner, setups, probes, actors): refused commands never reach the server, and FLUSHALL goes
 *   out as a script that empties the server only if no other database holds a key, atomically.
 *
 * A private server (--engine redis-server) is the lessons' alone: no rules apply there, except
 * the two that would break the connection itself (MONITOR, CLIENT REPLY).
 */
import { createHash } from 'node:crypto';

export type GuardDecision =
  | { readonly kind: 'run' }
  | {
    readonly kind: 'refuse';
    /** For the learner: what the command would do here, and why it does not run. */
    readonly explanation: string;
    /** A command that does what the lesson needs without the harm, to propose instead. */
    readonly offer?: readonly string[];
  };

export interface GuardSituation {
  /** The lesson's database. */
  readonly db: number;
  /** Keys in each other database that has any (INFO keyspace). */
  readonly otherDatabases: ReadonlyMap<number, number>;
}

/** What a lesson connection sends for a command. */
export type Enforcement =
  | { readonly refuse: string }
  | {
    readonly send: readonly string[];
    /** SELECT the lesson's database again after the reply (RESET goes back to database 0). */
    readonly reselect?: boolean;
  };

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

/** Scripts and functions a shared server may run: those whose text redislings has read. */
export class ScriptApprovals {
  private readonly shas = new Set<string>();
  private readonly functions = new Set<string>();

  approveScript(body: string): void {
    this.shas.add(createHash('sha1').update(Buffer.from(body, 'latin1')).digest('hex'));
  }
  approveLibrary(code: string): void {
    for (const m of code.matchAll(/register_function\s*\(?\s*(?:\{[^}]*?function_name\s*=\s*)?['"]([^'"]+)['"]/g)) {
      this.functions.add(m[1] as string);
    }
  }
  isApprovedSha(sha: string): boolean {
    return this.shas.has(sha.toLowerCase());
  }
  isApprovedFunction(name: string): boolean {
    return this.functions.has(name);
  }
}

/** Refused on every real-server connection: they stop the server answering each command. */
export function protocolRefusal(argv: readonly string[]): string | undefined {
  const name = lower(argv[0]);
  if (name === 'monitor') {
    return 'MONITOR turns the connection into a stream of every command the server runs; the lesson prompt needs a reply to each command. Try it in redis-cli.';
  }
  if (name === 'client' && lower(argv[1]) === 'reply' && argv.length === 3 && lower(argv[2]) !== 'on') {
    return 'CLIENT REPLY OFF or SKIP stops the server answering; the lesson prompt needs a reply to each command. Try it in redis-cli.';
  }
  if (name === 'sync' || name === 'psync') return `${name.toUpperCase()} is how replicas copy a server; it does not fit in a lesson.`;
  return undefined;
}

/**
 * Commands a script may call that reach beyond the lesson's database (the server-wide ones —
 * CONFIG, SHUTDOWN, SAVE… — are flagged noscript: Redis refuses them in scripts itself). A script
 * may SELECT any database, so this is what keeps EVAL in the lesson's. Reading the text cannot
 * tell `copy` within the database from a copy to another; the rule errs on the side of refusing.
 */
const SCRIPT_FORBIDDEN = /\b(select|swapdb|move|copy|migrate|flushall)\b/i;

const SHARED = 'this server is shared';
const NOT_HERE = 'Try it on the bundled engine, or on a private server (--engine redis-server).';

/**
 * Why `argv` may not run on a shared server whatever the data, or undefined. FLUSHALL is not
 * here: it depends on the other databases (guardCommand, enforce).
 */
export function sharedServerRefusal(argv: readonly string[], db: number, approvals: ScriptApprovals): string | undefined {
  const protocol = protocolRefusal(argv);
  if (protocol) return protocol;
  const name = lower(argv[0]);
  const sub = lower(argv[1]);
  const other = `on a shared server, lessons stay in database ${db}`;
  switch (name) {
    case 'select':
      return argv[1] !== undefined && Number(argv[1]) === db && /^\d+$/.test(argv[1]) ? undefined
        : `SELECT would leave database ${db}: ${other}, so that no other database changes. ${NOT_HERE}`;
    case 'swapdb':
      return `SWAPDB exchanges two whole databases: ${other}. ${NOT_HERE}`;
    case 'move':
      return `MOVE puts the key in another database: ${other}. ${NOT_HERE}`;
    case 'copy': {
      const at = argv.findIndex((a, i) => i >= 3 && lower(a) === 'db');
      if (at < 0 || (Number(argv[at + 1]) === db && /^\d+$/.test(argv[at + 1] ?? ''))) return undefined;
      return `COPY … DB writes into another database: ${other}. Without DB, COPY stays in database ${db}.`;
    }
    case 'migrate':
      return `MIGRATE moves keys to a server (possibly this one, into another database): ${other}. ${NOT_HERE}`;
    case 'shutdown':
      return `SHUTDOWN would stop the server for everyone using it: ${SHARED}. ${NOT_HERE}`;
    case 'debug':
      return `DEBUG can reload, crash or change the whole server: ${SHARED}. ${NOT_HERE}`;
    case 'save': case 'bgsave': case 'bgrewriteaof':
      return `${name.toUpperCase()} writes the server's data files${name === 'save' ? ' and blocks every client meanwhile' : ''}, which may be someone's backup: ${SHARED}. ${NOT_HERE}`;
    case 'config':
      if (sub === 'get' || sub === 'help') return undefined;
      return `CONFIG ${sub.toUpperCase()} changes the server for every application using it: ${SHARED}. ${NOT_HERE}`;
    case 'replicaof': case 'slaveof':
      return `${name.toUpperCase()} makes the server a copy of another one, replacing every database: ${SHARED}.`;
    case 'failover':
      return `FAILOVER hands the server's role to a replica: ${SHARED}.`;
    case 'module':
      return sub === 'list' || sub === 'help' ? undefined : `MODULE ${sub.toUpperCase()} changes what the whole server can do: ${SHARED}.`;
    case 'acl':
      return ['whoami', 'cat', 'genpass', 'help', 'dryrun', 'getuser', 'list', 'users'].includes(sub) || (sub === 'log' && lower(argv[2]) !== 'reset')
        ? undefined
        : `ACL ${sub.toUpperCase()} changes the users of the whole server: ${SHARED}. ${NOT_HERE}`;
    case 'client':
      if (sub === 'kill' || sub === 'pause' || sub === 'unpause') {
        return `CLIENT ${sub.toUpperCase()} acts on the other clients of the server: ${SHARED}. ${NOT_HERE}`;
      }
      return undefined;
    case 'cluster':
      return ['info', 'help', 'keyslot', 'myid', 'nodes', 'shards', 'slots', 'countkeysinslot', 'getkeysinslot', 'links'].includes(sub)
        ? undefined : `CLUSTER ${sub.toUpperCase()} changes the server's cluster: ${SHARED}.`;
    case 'script':
      if (sub === 'load') return scriptRefusal(argv[2] ?? '', 'SCRIPT LOAD', approvals);
      if (sub === 'flush' || sub === 'kill') return `SCRIPT ${sub.toUpperCase()} acts on the scripts of every application using the server: ${SHARED}. ${NOT_HERE}`;
      return undefined;
    case 'function':
      if (sub === 'load') {
        if (argv.slice(2, -1).some((a) => lower(a) === 'replace')) return `FUNCTION LOAD REPLACE may replace another application's library: ${SHARED}. ${NOT_HERE}`;
        const code = argv[argv.length - 1] ?? '';
        const refused = scriptRefusal(code, 'FUNCTION LOAD', approvals);
        if (!refused) approvals.approveLibrary(code);
        return refused;
      }
      if (['flush', 'delete', 'restore', 'kill'].includes(sub)) return `FUNCTION ${sub.toUpperCase()} acts on the functions of every application using the server: ${SHARED}. ${NOT_HERE}`;
      return undefined;
    case 'eval': case 'eval_ro':
      return scriptRefusal(argv[1] ?? '', name.toUpperCase(), approvals);
    case 'evalsha': case 'evalsha_ro':
      return approvals.isApprovedSha(argv[1] ?? '') ? undefined
        : `${name.toUpperCase()} runs a script loaded earlier, which redislings has not read: on ${SHARED}, it runs only scripts whose text it has seen (EVAL them, or SCRIPT LOAD them here first).`;
    case 'fcall': case 'fcall_ro':
      return approvals.isApprovedFunction(argv[1] ?? '') ? undefined
        : `${name.toUpperCase()} runs a function redislings has not read: on ${SHARED}, it runs only functions loaded here with FUNCTION LOAD.`;
    default:
      return undefined;
  }
}

function scriptRefusal(body: string, what: string, approvals: ScriptApprovals): string | undefined {
  const word = SCRIPT_FORBIDDEN.exec(body)?.[1];
  if (word === undefined) {
    approvals.approveScript(body);
    return undefined;
  }
  return `${what}: the script mentions ${word.toUpperCase()}, which could reach beyond the lesson's database or change the whole server; on ${SHARED}, redislings does not run it. ${NOT_HERE}`;
}

function isFlushall(argv: readonly string[]): boolean {
  return lower(argv[0]) === 'flushall';
}

/** "database 0 (1,234 keys) and database 3 (1 key)" */
function listDatabases(dbs: ReadonlyMap<number, number>): string {
  const parts = [...dbs].sort(([a], [b]) => a - b)
    .map(([db, keys]) => `database ${db} (${keys.toLocaleString('en-US')} key${keys === 1 ? '' : 's'})`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** What the app does with a command the learner typed on a shared server. */
export function guardCommand(argv: readonly string[], situation: GuardSituation, approvals: ScriptApprovals): GuardDecision {
  if (isFlushall(argv)) {
    const others = new Map([...situation.otherDatabases].filter(([db, keys]) => db !== situation.db && keys > 0));
    if (others.size === 0) return { kind: 'run' };
    return {
      kind: 'refuse',
      explanation: `FLUSHALL empties every database of the server, and this one also holds ${listDatabases(others)}, ` +
        `which redislings did not create: it does not run FLUSHALL here. FLUSHDB empties only database ${situation.db}, ` +
        `the lesson's, which is all FLUSHALL would have emptied on a server of your own.`,
      offer: ['FLUSHDB', ...argv.slice(1)],
    };
  }
  const refused = sharedServerRefusal(argv, situation.db, approvals);
  return refused ? { kind: 'refuse', explanation: refused } : { kind: 'run' };
}

/**
 * FLUSHALL as a script: it looks at every other database (SELECT until one does not exist) and
 * empties the server only if none holds a key, in one atomic step, so nothing another client
 * writes meanwhile can be lost. Otherwise it answers an error and deletes nothing.
 */
export const GUARDED_FLUSHALL = `
local lesson = tonumber(ARGV[1])
local db = 0
while true do
  if db ~= lesson then
    local selected = redis.pcall('select', db)
    if type(selected) == 'table' and selected.err then break end
    if redis.call('dbsize') > 0 then
      return redis.error_reply('ERR redislings did not run FLUSHALL: database ' .. db .. ' of this shared server holds keys that are not the lesson\\'s (FLUSHDB empties the lesson\\'s database)')
    end
  end
  db = db + 1
end
redis.call('select', lesson)
return redis.pcall('flushall', unpack(ARGV, 2))
`;

/** What a lesson connection sends for `argv` on a shared server. */
export function enforce(argv: readonly string[], db: number, approvals: ScriptApprovals): Enforcement {
  if (isFlushall(argv)) return { send: ['EVAL', GUARDED_FLUSHALL, '0', String(db), ...argv.slice(1)] };
  const refused = sharedServerRefusal(argv, db, approvals);
  if (refused) return { refuse: refused };
  if (lower(argv[0]) === 'reset' && argv.length === 1) return { send: argv, reselect: true };
  return { send: argv };
}

/** What a lesson connection sends on a private server: everything, but what breaks the connection. */
export function enforcePrivate(argv: readonly string[]): Enforcement {
  const refused = protocolRefusal(argv);
  return refused ? { refuse: refused } : { send: argv };
}
