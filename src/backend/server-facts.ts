/**
 * What a real server is and allows, asked once when redislings connects (through the ioredis
 * admin connection): its version, mode (standalone, cluster, sentinel) and role, its modules
 * (RedisJSON), and whether CONFIG, SAVE, DEBUG and SHUTDOWN may run — managed services often
 * rename them away (rename-command) or forbid them (ACL). Nothing here changes the server:
 *
 * - CONFIG: `CONFIG SET redislings-probe x` — the ACL check and the command lookup come before the
 *   command runs, and the command then rejects the unknown parameter.
 * - DEBUG: `DEBUG HELP`, which only lists subcommands (enable-debug-command may forbid it).
 * - SAVE, SHUTDOWN: no harmless call exists (SAVE takes no argument, SHUTDOWN's argument checks
 *   differ between servers), so COMMAND INFO tells whether they exist and ACL DRYRUN whether the
 *   user may run them; when the user may not ask, the answer is "unknown".
 *
 * A refused probe may leave an entry in the server's ACL LOG, as any refused command does.
 */
import type { Redis } from 'ioredis';

/** Whether the connection's user may run a command; undefined when that could not be learnt. */
export interface Permission {
  readonly allowed: boolean | undefined;
  /** Why, in a few words: "renamed or removed (rename-command)", "forbidden by ACL", … */
  readonly detail: string;
}

export const PROBED_COMMANDS = ['config', 'save', 'debug', 'shutdown'] as const;
export type ProbedCommand = (typeof PROBED_COMMANDS)[number];

export interface ServerFacts {
  /** redis_version from INFO, or "unknown" when INFO is forbidden. */
  readonly version: string;
  /** run_id from INFO: it changes when the server restarts. */
  readonly runId: string | undefined;
  readonly mode: 'standalone' | 'cluster' | 'sentinel' | 'unknown';
  readonly role: 'master' | 'replica' | 'unknown';
  /** Loaded modules, by name ("ReJSON"), with their version. */
  readonly modules: ReadonlyMap<string, number>;
  /** The JSON.* commands exist (RedisJSON, or a server with JSON built in). */
  readonly json: boolean;
  /** How many logical databases (CONFIG GET databases), when CONFIG may be read. */
  readonly databases: number | undefined;
  readonly commands: Readonly<Record<ProbedCommand, Permission>>;
}

type Attempt = { readonly reply: unknown } | { readonly error: string };

async function attempt(admin: Redis, args: readonly string[]): Promise<Attempt> {
  try {
    return { reply: await admin.call(args[0] as string, ...args.slice(1)) };
  } catch (e) {
    // ioredis rejects for error replies (ReplyError) and for a failed connection alike; the
    // caller reads the message either way, and a failed connection fails the next step too.
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
}

/** The reason an error reply gives for not running a command. */
function refusal(message: string): Permission {
  if (message.startsWith('NOPERM')) return { allowed: false, detail: `forbidden by ACL (${message})` };
  if (/unknown command|not found/i.test(message)) return { allowed: false, detail: 'renamed or removed (rename-command)' };
  if (/not allowed/i.test(message)) return { allowed: false, detail: message.replace(/^ERR /, '') };
  return { allowed: undefined, detail: `could not tell: ${message}` };
}

async function probeConfig(admin: Redis): Promise<Permission> {
  const r = await attempt(admin, ['CONFIG', 'SET', 'redislings-probe', 'x']);
  if ('error' in r && /Unknown option/i.test(r.error)) return { allowed: true, detail: 'allowed' };
  return 'error' in r ? refusal(r.error) : { allowed: undefined, detail: 'could not tell: CONFIG SET accepted an unknown parameter' };
}

async function probeDebug(admin: Redis): Promise<Permission> {
  const r = await attempt(admin, ['DEBUG', 'HELP']);
  return 'error' in r ? refusal(r.error) : { allowed: true, detail: 'allowed' };
}

/** SAVE or SHUTDOWN: exists (COMMAND INFO), and may this user run it (ACL DRYRUN)? */
async function probeByDryRun(admin: Redis, name: string, user: string | undefined): Promise<Permission> {
  const info = await attempt(admin, ['COMMAND', 'INFO', name]);
  if ('reply' in info && Array.isArray(info.reply) && info.reply[0] === null) {
    return { allowed: false, detail: 'renamed or removed (rename-command)' };
  }
  if (user === undefined) return { allowed: undefined, detail: 'could not tell: the user may not run ACL WHOAMI' };
  const dry = await attempt(admin, ['ACL', 'DRYRUN', user, name]);
  if ('error' in dry) {
    return dry.error.startsWith('NOPERM') ? { allowed: undefined, detail: 'could not tell: the user may not run ACL DRYRUN' } : refusal(dry.error);
  }
  if (dry.reply === 'OK') return { allowed: true, detail: 'allowed' };
  return { allowed: false, detail: `forbidden by ACL (${String(dry.reply)})` };
}

export async function probeServer(admin: Redis): Promise<ServerFacts> {
  const infoReply = await attempt(admin, ['INFO']);
  const info = 'reply' in infoReply && typeof infoReply.reply === 'string' ? infoReply.reply : '';
  const modeText = field(info, 'redis_mode');
  const clusterEnabled = field(info, 'cluster_enabled') === '1';
  const roleText = field(info, 'role');

  const modules = new Map<string, number>();
  const list = await attempt(admin, ['MODULE', 'LIST']);
  if ('reply' in list && Array.isArray(list.reply)) {
    for (const m of list.reply) {
      if (!Array.isArray(m)) continue;
      const at = (k: string) => m[m.indexOf(k) + 1] as unknown;
      const name = at('name');
      if (typeof name === 'string') modules.set(name, Number(at('ver')));
    }
  }
  // MODULE LIST may be forbidden while JSON.GET is not: ask for the command itself.
  const jsonInfo = await attempt(admin, ['COMMAND', 'INFO', 'JSON.GET']);
  const json = [...modules.keys()].some((n) => n.toLowerCase() === 'rejson')
    || ('reply' in jsonInfo && Array.isArray(jsonInfo.reply) && jsonInfo.reply[0] !== null);

  const databasesReply = await attempt(admin, ['CONFIG', 'GET', 'databases']);
  const databasesValue = 'reply' in databasesReply && Array.isArray(databasesReply.reply) ? Number(databasesReply.reply[1]) : NaN;

  const whoami = await attempt(admin, ['ACL', 'WHOAMI']);
  const user = 'reply' in whoami && typeof whoami.reply === 'string' ? whoami.reply : undefined;

  return {
    version: field(info, 'redis_version') ?? 'unknown',
    runId: field(info, 'run_id'),
    mode: clusterEnabled || modeText === 'cluster' ? 'cluster' : modeText === 'sentinel' ? 'sentinel' : modeText === 'standalone' ? 'standalone' : 'unknown',
    role: roleText === 'master' ? 'master' : roleText === 'slave' ? 'replica' : 'unknown',
    modules,
    json,
    databases: Number.isInteger(databasesValue) ? databasesValue : undefined,
    commands: {
      config: await probeConfig(admin),
      save: await probeByDryRun(admin, 'save', user),
      debug: await probeDebug(admin),
      shutdown: await probeByDryRun(admin, 'shutdown', user),
    },
  };
}

/** Keys per database, from INFO keyspace ("db0:keys=3,expires=0,avg_ttl=0"). */
export async function keysPerDatabase(admin: Redis): Promise<Map<number, number>> {
  const text = await admin.info('keyspace');
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^db(\d+):keys=(\d+)/gm)) out.set(Number(m[1]), Number(m[2]));
  return out;
}
