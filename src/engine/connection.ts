/**
 * Connection commands (networking.c, acl.c): PING, ECHO, SELECT, HELLO, AUTH, QUIT, RESET and
 * CLIENT. They act on the calling client, not on the data.
 *
 * Authentication is Redis' with only the `default` user: without `requirepass` every client is
 * authenticated; with it, a client must AUTH before any command not flagged no_auth.
 */
import { array, bulk, bulkOrNil, integer, map, OK, simple, verbatim, type Reply } from '../resp/reply.js';
import { is, parseInt32, parseInteger, parseRangeLong, toInt64 } from './args.js';
import type { Client } from './client.js';
import type { Handlers } from './commands.js';
import { clientClass } from './config.js';
import { DB_INDEX_OUT_OF_RANGE, RedisError, SYNTAX, WRONGPASS } from './errors.js';
import { REDIS_VERSION } from './version.js';
import { discardTransaction } from './multi.js';
import { helpReply } from './subcommands.js';

const BAD_CLIENT_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** The only user: ACL users are not part of the engine. */
const DEFAULT_USER = 'default';

/** authRequired: a password is set and this client has not given it. */
export function authRequired(c: Client): boolean {
  return !c.authenticated && c.engine.config.get('requirepass') !== '';
}

/** A new connection is authenticated when no password is required (clientSetDefaultAuth). */
export function setDefaultAuth(c: Client): void {
  c.authenticated = c.engine.config.get('requirepass') === '';
}

/** ACLCheckUserCredentials for the default user, the only one. */
function checkCredentials(c: Client, username: string, password: string): boolean {
  if (username !== DEFAULT_USER) return false;
  const required = c.engine.config.get('requirepass');
  return required === '' || password === required;
}

/** PING [message] */
function ping(c: Client, argv: readonly string[]): Reply {
  if (argv.length > 2) throw new RedisError(`ERR wrong number of arguments for 'ping' command`);
  // A RESP2 subscriber cannot take a plain reply, so PING answers in the shape of a message.
  if (c.inPubSub && c.resp === 2) return array([bulk('pong'), bulk(argv[1] ?? '')]);
  return argv.length === 1 ? simple('PONG') : bulk(argv[1] as string);
}

/** ECHO message */
function echo(_c: Client, argv: readonly string[]): Reply {
  return bulk(argv[1] as string);
}

/** SELECT index */
function select(c: Client, argv: readonly string[]): Reply {
  const id = parseInt32(argv[1] as string);
  const db = c.engine.databases[id];
  if (!db) throw new RedisError(DB_INDEX_OUT_OF_RANGE);
  c.db = db;
  return OK;
}

/** clientSetName: printable ASCII without spaces; an empty name removes it. */
function setName(c: Client, name: string): void {
  if (!/^[!-~]*$/.test(name)) throw new RedisError(BAD_CLIENT_NAME);
  c.name = name;
}

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
function hello(c: Client, argv: readonly string[]): Reply {
  let version = 0;
  if (argv.length >= 2) {
    const v = toInt64(argv[1] as string);
    if (v === undefined) throw new RedisError('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) throw new RedisError('NOPROTO unsupported protocol version');
    version = Number(v);
  }
  for (let j = 2; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j] as string;
    if (is(opt, 'AUTH') && more >= 2) {
      if (!checkCredentials(c, argv[j + 1] as string, argv[j + 2] as string)) throw new RedisError(WRONGPASS);
      c.authenticated = true;
      j += 2;
    } else if (is(opt, 'SETNAME') && more >= 1) {
      setName(c, argv[j + 1] as string);
      j++;
    } else {
      throw new RedisError(`ERR Syntax error in HELLO option '${opt}'`);
    }
  }
  if (!c.authenticated) {
    throw new RedisError('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  }
  if (version) c.resp = version as 2 | 3;
  return map([
    [bulk('server'), bulk('redis')],
    [bulk('version'), bulk(REDIS_VERSION)],
    [bulk('proto'), integer(c.resp)],
    [bulk('id'), integer(c.id)],
    [bulk('mode'), bulk('standalone')],
    [bulk('role'), bulk('master')],
    [bulk('modules'), array([])],
  ]);
}

/** AUTH [username] password */
function auth(c: Client, argv: readonly string[]): Reply {
  if (argv.length > 3) throw new RedisError(SYNTAX);
  if (argv.length === 2 && c.engine.config.get('requirepass') === '') {
    throw new RedisError('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  const [username, password] = argv.length === 2 ? [DEFAULT_USER, argv[1] as string] : [argv[1] as string, argv[2] as string];
  if (!checkCredentials(c, username, password)) throw new RedisError(WRONGPASS);
  c.authenticated = true;
  return OK;
}

/** QUIT: answers OK; whoever carries the connection closes it once the reply is written. */
function quit(): Reply {
  return OK;
}

/** RESET: the connection as if new (clearClientConnectionState), except its id and no-evict. */
function reset(c: Client): Reply {
  c.db = c.engine.databases[0] as typeof c.db;
  c.resp = 2;
  setDefaultAuth(c);
  discardTransaction(c);
  c.engine.pubsub.unsubscribeAll(c);
  c.name = '';
  return simple('RESET');
}

// ---------------------------------------------------------------------------------------------
// CLIENT

/** The client's flags as CLIENT LIST shows them (catClientInfoString). */
function clientFlags(c: Client): string {
  let flags = '';
  if (c.inPubSub) flags += 'P';
  if (c.multi) flags += 'x';
  if (c.blocked) flags += 'b';
  if (c.watchDirty) flags += 'd';
  if (c.noEvict) flags += 'e';
  return flags || 'N';
}

/** Where the client connects from; an in-process client has no socket, as Redis' fake clients. */
function peerAddr(c: Client): string {
  return c.options.addr ?? '?:0';
}

function localAddr(c: Client): string {
  return c.options.laddr ?? '?:0';
}

/** The bytes of a command's arguments, as Redis counts argv-mem. */
function argvBytes(argv: readonly string[]): number {
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/**
 * One CLIENT LIST line (without the newline). `current` is the command being run when the client
 * describes itself: its arguments are in memory and it is the command shown.
 */
export function clientInfoLine(c: Client, current?: { name: string; argv: readonly string[] }): string {
  const now = Math.floor(c.engine.time / 1000);
  const argvMem = current ? argvBytes(current.argv) : 0;
  // Redis counts the queued arguments plus a pointer per argument.
  const multiMem = c.multi ? c.multi.reduce((n, q) => n + argvBytes(q.argv) + 8 * q.argv.length, 0) : 0;
  return [
    `id=${c.id}`,
    `addr=${peerAddr(c)}`,
    `laddr=${localAddr(c)}`,
    `fd=${c.options.fd ?? -1}`,
    `name=${c.name}`,
    `age=${now - Math.floor(c.createdAt / 1000)}`,
    `idle=${now - Math.floor(c.lastInteraction / 1000)}`,
    `flags=${clientFlags(c)}`,
    `db=${c.db.id}`,
    `sub=${c.channels.size}`,
    `psub=${c.patterns.size}`,
    'ssub=0',
    `multi=${c.multi ? c.multi.length : -1}`,
    'qbuf=0',
    'qbuf-free=0',
    `argv-mem=${argvMem}`,
    `multi-mem=${multiMem}`,
    'rbs=0',
    'rbp=0',
    'obl=0',
    'oll=0',
    'omem=0',
    `tot-mem=${argvMem + multiMem}`,
    'events=r',
    `cmd=${current ? current.name : c.lastCommand}`,
    `user=${DEFAULT_USER}`,
    'redir=-1',
    `resp=${c.resp}`,
  ].join(' ');
}

/** getClientType */
function clientType(c: Client): 'normal' | 'pubsub' {
  return c.inPubSub ? 'pubsub' : 'normal';
}

/** CLIENT ID */
function clientId(c: Client): Reply {
  return integer(c.id);
}

/** CLIENT SETNAME connection-name */
function clientSetname(c: Client, argv: readonly string[]): Reply {
  setName(c, argv[2] as string);
  return OK;
}

/** CLIENT GETNAME */
function clientGetname(c: Client): Reply {
  return bulkOrNil(c.name === '' ? undefined : c.name);
}

/** CLIENT INFO */
function clientInfo(c: Client, argv: readonly string[]): Reply {
  return verbatim(clientInfoLine(c, { name: 'client|info', argv }) + '\n');
}

/** CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]] */
function clientList(c: Client, argv: readonly string[]): Reply {
  const line = (other: Client) => clientInfoLine(other, other === c ? { name: 'client|list', argv } : undefined) + '\n';
  if (argv.length === 4 && is(argv[2], 'TYPE')) {
    const type = clientClass(argv[3] as string);
    if (type === undefined) throw new RedisError(`ERR Unknown client type '${argv[3]}'`);
    return verbatim([...c.engine.clients.values()].filter((o) => clientType(o) === type).map(line).join(''));
  }
  if (argv.length > 3 && is(argv[2], 'ID')) {
    let text = '';
    for (let j = 3; j < argv.length; j++) {
      const id = parseInteger(argv[j] as string, 'ERR Invalid client ID');
      const other = c.engine.clients.get(id);
      if (other) text += line(other);
    }
    return verbatim(text);
  }
  if (argv.length !== 2) throw new RedisError(SYNTAX);
  return verbatim([...c.engine.clients.values()].map(line).join(''));
}

interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: string;
  id?: number;
  skipme: boolean;
}

/**
 * CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port]
 * [LADDR ip:port] [SKIPME yes|no] ...: the old form answers OK or an error and may kill the
 * caller; the new form answers how many were killed. A killed client is closed; the caller, if
 * killed, after its reply.
 */
function clientKill(c: Client, argv: readonly string[]): Reply {
  const oldForm = argv.length === 3;
  const filter = oldForm ? { addr: argv[2] as string, skipme: false } : parseKillFilter(argv);
  let killed = 0;
  let killSelf = false;
  for (const other of [...c.engine.clients.values()]) {
    if (filter.addr !== undefined && peerAddr(other) !== filter.addr) continue;
    if (filter.laddr !== undefined && localAddr(other) !== filter.laddr) continue;
    if (filter.type !== undefined && clientType(other) !== filter.type) continue;
    if (filter.id !== undefined && other.id !== filter.id) continue;
    if (other === c && filter.skipme) continue;
    if (other === c) killSelf = true;
    else other.close();
    killed++;
  }
  if (killSelf) c.close();
  if (oldForm) {
    if (killed === 0) throw new RedisError('ERR No such client');
    return OK;
  }
  return integer(killed);
}

function parseKillFilter(argv: readonly string[]): KillFilter {
  const filter: KillFilter = { skipme: true };
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i] as string;
    const value = argv[i + 1];
    if (value === undefined) throw new RedisError(SYNTAX);
    if (is(opt, 'ID')) {
      filter.id = parseRangeLong(value, 1, 2 ** 63, 'ERR client-id should be greater than 0');
    } else if (is(opt, 'TYPE')) {
      const type = clientClass(value);
      if (type === undefined) throw new RedisError(`ERR Unknown client type '${value}'`);
      filter.type = type;
    } else if (is(opt, 'ADDR')) {
      filter.addr = value;
    } else if (is(opt, 'LADDR')) {
      filter.laddr = value;
    } else if (is(opt, 'USER')) {
      // Every client is the default user's.
      if (value !== DEFAULT_USER) throw new RedisError(`ERR No such user '${value}'`);
    } else if (is(opt, 'SKIPME')) {
      if (is(value, 'YES')) filter.skipme = true;
      else if (is(value, 'NO')) filter.skipme = false;
      else throw new RedisError(SYNTAX);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  return filter;
}

/** CLIENT NO-EVICT ON|OFF */
function clientNoEvict(c: Client, argv: readonly string[]): Reply {
  if (is(argv[2], 'ON')) c.noEvict = true;
  else if (is(argv[2], 'OFF')) c.noEvict = false;
  else throw new RedisError(SYNTAX);
  return OK;
}

/** CLIENT HELP */
function clientHelp(_c: Client, argv: readonly string[]): Reply {
  return helpReply(argv[0] as string, [
    'CACHING (YES|NO)',
    '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
    'GETREDIR',
    '    Return the client ID we are redirecting to when tracking is enabled.',
    'GETNAME',
    '    Return the name of the current connection.',
    'ID',
    '    Return the ID of the current connection.',
    'INFO',
    '    Return information about the current client connection.',
    'KILL <ip:port>',
    '    Kill connection made from <ip:port>.',
    'KILL <option> <value> [<option> <value> [...]]',
    '    Kill connections. Options are:',
    '    * ADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made from the specified address',
    '    * LADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made to specified local address',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Kill connections by type.',
    '    * USER <username>',
    '      Kill connections authenticated by <username>.',
    '    * SKIPME (YES|NO)',
    '      Skip killing current connection (default: yes).',
    'LIST [options ...]',
    '    Return information about client connections. Options:',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Return clients of specified type.',
    'UNPAUSE',
    '    Stop the current client pause, resuming traffic.',
    'PAUSE <timeout> [WRITE|ALL]',
    '    Suspend all, or just write, clients for <timeout> milliseconds.',
    'REPLY (ON|OFF|SKIP)',
    '    Control the replies sent to the current connection.',
    'SETNAME <name>',
    '    Assign the name <name> to the current connection.',
    'UNBLOCK <clientid> [TIMEOUT|ERROR]',
    '    Unblock the specified blocked client.',
    'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
    '         [OPTIN] [OPTOUT] [NOLOOP]',
    '    Control server assisted client side caching.',
    'TRACKINGINFO',
    '    Report tracking status for the current connection.',
    'NO-EVICT (ON|OFF)',
    '    Protect current client connection from eviction.',
  ]);
}

export const commands: Handlers = {
  ping, echo, select, hello, auth, quit, reset,
  'client|id': clientId,
  'client|setname': clientSetname,
  'client|getname': clientGetname,
  'client|info': clientInfo,
  'client|list': clientList,
  'client|kill': clientKill,
  'client|no-evict': clientNoEvict,
  'client|help': clientHelp,
};
