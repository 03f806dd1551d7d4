#!/usr/bin/env node
// Generates src/engine/command-table.ts and src/engine/command-docs.json from a live Redis 7.0
// (COMMAND INFO / COMMAND DOCS, so arity, flags, key positions and docs are Redis' own) and from
// Redis' help.h (the argument hint redis-cli shows). Run after `npm run build`:
//   node scripts/gen-commands.mjs [port] [path/to/help.h]
// The list of commands below is what the engine implements; add a name here when adding a command.
import net from 'node:net';
import fs from 'node:fs';
import { parseReply } from '../dist/resp/decode.js';
import { encode } from '../dist/resp/encode.js';

const COMMANDS = `
ping echo select dbsize flushdb flushall swapdb time info config command client hello auth quit reset
shutdown save bgsave lastsave bgrewriteaof dump restore
del unlink exists keys scan type rename renamenx copy move randomkey touch object
expire pexpire expireat pexpireat ttl pttl expiretime pexpiretime persist
set get getset getdel getex setex psetex setnx mset msetnx mget append strlen getrange setrange substr
incr decr incrby decrby incrbyfloat lcs
setbit getbit bitcount bitpos bitop bitfield bitfield_ro
hset hsetnx hget hmget hmset hgetall hdel hexists hlen hkeys hvals hincrby hincrbyfloat hstrlen
hrandfield hscan
sadd srem smembers sismember smismember scard spop srandmember smove sinter sunion sdiff
sinterstore sunionstore sdiffstore sintercard sscan
lpush rpush lpushx rpushx lpop rpop lrange llen lindex lset linsert lrem ltrim lpos lmove
rpoplpush lmpop blpop brpop blmove brpoplpush blmpop
zadd zincrby zscore zmscore zrank zrevrank zcard zcount zlexcount zrange zrangebyscore
zrevrangebyscore zrangebylex zrevrangebylex zrevrange zrem zremrangebyrank zremrangebyscore
zremrangebylex zpopmin zpopmax bzpopmin bzpopmax zunionstore zinterstore zdiffstore zunion zinter
zdiff zrandmember zrangestore zscan zmpop bzmpop
geoadd geopos geodist geohash geosearch geosearchstore georadius georadius_ro georadiusbymember
georadiusbymember_ro
multi exec discard watch unwatch
subscribe unsubscribe psubscribe punsubscribe publish pubsub
xadd xlen xrange xrevrange xread xreadgroup xdel xtrim xsetid xinfo xgroup xack xpending xclaim xautoclaim
`.trim().split(/\s+/);

// Subcommands the engine implements; the others of a container answer "unknown subcommand".
const SUBCOMMANDS = {
  config: ['get', 'set', 'resetstat', 'rewrite', 'help'],
  command: ['count', 'info', 'docs', 'list', 'getkeys', 'help'],
  client: ['id', 'setname', 'getname', 'info', 'list', 'kill', 'no-evict', 'help'],
  object: ['encoding', 'freq', 'idletime', 'refcount', 'help'],
  pubsub: ['channels', 'numsub', 'numpat', 'help'],
  xgroup: ['create', 'createconsumer', 'delconsumer', 'destroy', 'setid', 'help'],
  xinfo: ['stream', 'groups', 'consumers', 'help'],
};

const port = Number(process.argv[2] ?? 6379);
const helpPath = process.argv[3] ?? '/work/redis-src/src/help.h';

function connect() {
  const socket = net.connect(port, '127.0.0.1');
  let buf = '';
  const waiting = [];
  socket.on('data', (d) => {
    buf += d.toString('latin1');
    for (;;) {
      const parsed = parseReply(buf);
      if (!parsed) break;
      buf = buf.slice(parsed.end);
      waiting.shift()(parsed.reply);
    }
  });
  return {
    call(...args) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(Buffer.from(encode({ kind: 'array', items: args.map((a) => ({ kind: 'bulk', value: a })) }, 2), 'latin1'));
      });
    },
    close: () => socket.end(),
  };
}

function parseHelp(text) {
  const hints = new Map();
  const re = /\{ "([^"]+)",\n\s+"([^"]*)",\n\s+"([^"]*)",/g;
  for (const m of text.matchAll(re)) hints.set(m[1].toLowerCase(), m[2]);
  return hints;
}

const plain = (r) => {
  switch (r.kind) {
    case 'array': case 'set': return r.items.map(plain);
    case 'map': return Object.fromEntries(r.entries.map(([k, v]) => [plain(k), plain(v)]));
    case 'integer': return Number(r.value);
    case 'null': return null;
    case 'simple': case 'bulk': return r.value;
    default: throw new Error('unexpected ' + r.kind);
  }
};

const c2 = connect();
const c3 = connect();
await c3.call('HELLO', '3');
const hints = parseHelp(fs.readFileSync(helpPath, 'latin1'));
const rows = [];
const docs = {};
for (const name of COMMANDS) {
  const info = (await c2.call('COMMAND', 'INFO', name)).items[0];
  if (info.kind !== 'array') throw new Error(`Redis does not know ${name}`);
  const docs3 = (await c3.call('COMMAND', 'DOCS', name)).entries[0][1];
  const i = plain(info);
  const doc = plain(docs3);
  const row = (fullName, inf, d, container) => ({
    name: fullName,
    ...(container ? { container } : {}),
    arity: inf[1],
    flags: inf[2],
    keys: [inf[3], inf[4], inf[5]],
    group: d.group,
    since: d.since,
    syntax: (fullName.replace('|', ' ').toUpperCase() + ' ' + (hints.get(fullName.replace('|', ' ')) ?? '')).trim(),
    summary: d.summary,
    complexity: d.complexity ?? '',
  });
  rows.push(row(name, i, doc));
  // Keep Redis' own COMMAND INFO / DOCS replies, typed, for the COMMAND command.
  docs[name] = { info, docs: docs3 };
  const subs = SUBCOMMANDS[name];
  if (subs) {
    const subInfos = i[9];
    for (const sub of subs) {
      const full = `${name}|${sub}`;
      const si = subInfos.find((s) => s[0] === full);
      if (!si) throw new Error(`no subcommand ${full}`);
      rows.push(row(full, si, doc.subcommands[full], name));
    }
  }
}
c2.close();
c3.close();

const lines = rows.map((r) => '  ' + JSON.stringify(r).replace(/"(\w+)":/g, '$1: ') + ',');
const ts = `// Generated by scripts/gen-commands.mjs from Redis ${'7.0'} (COMMAND INFO/DOCS and help.h). Do not edit by
// hand: add the command's name to the script and run it again.
import type { CommandMeta } from './command-meta.js';

export const COMMAND_TABLE: readonly CommandMeta[] = [
${lines.join('\n')}
];
`;
fs.writeFileSync('src/engine/command-table.ts', ts);
fs.writeFileSync('src/engine/command-docs.json', JSON.stringify(docs));
console.log(`${rows.length} commands and subcommands written`);
