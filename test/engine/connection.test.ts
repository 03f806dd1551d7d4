/**
 * Connection commands where a script cannot show the answer: HELLO's reply (it holds the
 * connection id), authentication across clients, RESET, and CLIENT LIST / INFO / KILL over
 * several clients. The CLIENT LIST line's fields are checked against a real redis-server's.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, startRedisServer } from '../helpers/redis-server.js';

const b = (value: string): Reply => ({ kind: 'bulk', value });
const n = (value: number): Reply => ({ kind: 'integer', value });
const OK: Reply = { kind: 'simple', value: 'OK' };
const err = (message: string): Reply => ({ kind: 'error', message });

function text(reply: Reply): string {
  if (reply.kind !== 'verbatim' && reply.kind !== 'bulk') throw new Error(`not text: ${JSON.stringify(reply)}`);
  return reply.value;
}

/** A CLIENT LIST line as field → value. */
function fields(line: string): Map<string, string> {
  return new Map(line.trim().split(' ').map((f) => {
    const i = f.indexOf('=');
    return [f.slice(0, i), f.slice(i + 1)] as [string, string];
  }));
}

describe('connection commands', () => {
  let engine: Engine;
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock(1_700_000_000_000);
    engine = new Engine({ activeExpiry: false, clock });
  });
  afterEach(() => engine.close());

  it('HELLO answers with the server map and switches the protocol', async () => {
    const c = engine.connect();
    const c2 = engine.connect();
    const expected = (proto: number, id: number) => ({
      kind: 'map',
      entries: [
        [b('server'), b('redis')], [b('version'), b('7.0.15')], [b('proto'), n(proto)], [b('id'), n(id)],
        [b('mode'), b('standalone')], [b('role'), b('master')], [b('modules'), { kind: 'array', items: [] }],
      ],
    });
    expect(await c.execute(['HELLO'])).toEqual(expected(2, c.id));
    expect(await c2.execute(['HELLO', '3'])).toEqual(expected(3, c2.id));
    expect(c2.resp).toBe(3);
    // Without a version, the protocol stays as it is.
    expect(await c2.execute(['HELLO'])).toEqual(expected(3, c2.id));
    expect(await c2.execute(['HELLO', '2', 'SETNAME', 'learner'])).toEqual(expected(2, c2.id));
    expect(c2.resp).toBe(2);
    expect(await c2.execute(['CLIENT', 'GETNAME'])).toEqual(b('learner'));
    // An error changes nothing.
    expect(await c2.execute(['HELLO', '3', 'SETNAME', 'bad name'])).toEqual(err('ERR Client names cannot contain spaces, newlines or special characters.'));
    expect(c2.resp).toBe(2);
  });

  it('gives each connection its own increasing id', async () => {
    const a = engine.connect();
    const c = engine.connect();
    expect(await a.execute(['CLIENT', 'ID'])).toEqual(n(a.id));
    expect(await c.execute(['CLIENT', 'ID'])).toEqual(n(a.id + 1));
  });

  it('requires AUTH once requirepass is set, for connections made after it', async () => {
    const admin = engine.connect();
    expect(await admin.execute(['CONFIG', 'SET', 'requirepass', 's3cret'])).toEqual(OK);
    // Already connected: still authenticated, as in Redis.
    expect(await admin.execute(['PING'])).toEqual({ kind: 'simple', value: 'PONG' });

    const c = engine.connect();
    expect(await c.execute(['GET', 'k'])).toEqual(err('NOAUTH Authentication required.'));
    expect(await c.execute(['nosuch'])).toEqual(err("ERR unknown command 'nosuch', with args beginning with: "));
    expect(await c.execute(['GET'])).toEqual(err("ERR wrong number of arguments for 'get' command"));
    expect(await c.execute(['HELLO', '3'])).toEqual(err('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time'));
    expect(c.resp).toBe(2);
    expect(await c.execute(['AUTH', 'wrong'])).toEqual(err('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(await c.execute(['AUTH', 's3cret'])).toEqual(OK);
    expect(await c.execute(['GET', 'k'])).toEqual({ kind: 'null' });

    // RESET forgets the authentication.
    expect(await c.execute(['RESET'])).toEqual({ kind: 'simple', value: 'RESET' });
    expect(await c.execute(['GET', 'k'])).toEqual(err('NOAUTH Authentication required.'));
    const hello = await c.execute(['HELLO', '3', 'AUTH', 'default', 's3cret']);
    expect(hello.kind).toBe('map');
    expect(c.resp).toBe(3);

    // A new connection cannot even start a transaction.
    expect(await engine.connect().execute(['MULTI'])).toEqual(err('NOAUTH Authentication required.'));

    expect(await admin.execute(['CONFIG', 'SET', 'requirepass', ''])).toEqual(OK);
    expect(await engine.connect().execute(['GET', 'k'])).toEqual({ kind: 'null' });
    expect(await admin.execute(['AUTH', 'x'])).toEqual(err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'));
    // With no password, the default user takes any password.
    expect(await admin.execute(['AUTH', 'default', 'anything'])).toEqual(OK);
  });

  it('RESET puts the connection back as new, without replies for what it drops', async () => {
    const pushes: Reply[] = [];
    const c = engine.connect({ onPush: (r) => pushes.push(r) });
    await c.execute(['HELLO', '3', 'SETNAME', 'x']);
    await c.execute(['SELECT', '5']);
    await c.execute(['CLIENT', 'NO-EVICT', 'ON']);
    await c.execute(['WATCH', 'k']);
    await c.execute(['SUBSCRIBE', 'ch']);
    await c.execute(['MULTI']);
    pushes.length = 0;
    expect(await c.execute(['RESET'])).toEqual({ kind: 'simple', value: 'RESET' });
    expect(pushes).toEqual([]);
    expect(c.resp).toBe(2);
    expect(c.db.id).toBe(0);
    expect(c.name).toBe('');
    expect(c.multi).toBeNull();
    expect(c.watched).toEqual([]);
    expect(c.inPubSub).toBe(false);
    // Redis keeps no-evict across RESET.
    expect(c.noEvict).toBe(true);
  });

  it('QUIT answers OK and leaves closing to the connection', async () => {
    const c = engine.connect();
    expect(await c.execute(['QUIT'])).toEqual(OK);
    expect(c.closed).toBe(false);
  });

  it('describes each client in CLIENT LIST and itself in CLIENT INFO', async () => {
    const a = engine.connect({ addr: '10.0.0.1:5000', laddr: '127.0.0.1:6380', fd: 9 });
    const c = engine.connect();
    await c.execute(['CLIENT', 'SETNAME', 'learner']);
    await c.execute(['SELECT', '2']);
    await c.execute(['MULTI']);
    await c.execute(['SET', 'key', 'value']);
    clock.advance(3500);
    await a.execute(['PSUBSCRIBE', 'p*']);
    clock.advance(2000);
    const observer = engine.connect();
    const list = text(await observer.execute(['CLIENT', 'LIST']));
    expect(list.endsWith('\n')).toBe(true);
    const lines = list.trimEnd().split('\n').map(fields);
    expect(lines.map((l) => l.get('id'))).toEqual([a.id, c.id, observer.id].map(String));
    const [la, lc, lo] = lines as [Map<string, string>, Map<string, string>, Map<string, string>];
    expect(Object.fromEntries(la)).toMatchObject({
      addr: '10.0.0.1:5000', laddr: '127.0.0.1:6380', fd: '9', name: '', age: '5', idle: '2', flags: 'P',
      db: '0', sub: '0', psub: '1', multi: '-1', cmd: 'psubscribe', user: 'default', redir: '-1', resp: '2',
      'argv-mem': '0',
    });
    expect(Object.fromEntries(lc)).toMatchObject({
      addr: '?:0', laddr: '?:0', fd: '-1', name: 'learner', age: '5', idle: '5', flags: 'x', db: '2',
      multi: '1', cmd: 'multi', 'argv-mem': '0', 'multi-mem': String('SETkeyvalue'.length + 3 * 8),
    });
    // The caller is shown running CLIENT LIST, with its arguments in memory.
    expect(Object.fromEntries(lo)).toMatchObject({ cmd: 'client|list', 'argv-mem': String('CLIENTLIST'.length), flags: 'N' });
    // Inside MULTI, CLIENT INFO is queued like any command.
    expect(await c.execute(['CLIENT', 'INFO'])).toEqual({ kind: 'simple', value: 'QUEUED' });
  });

  it('filters CLIENT LIST by type and id', async () => {
    const a = engine.connect();
    const c = engine.connect();
    await c.execute(['SUBSCRIBE', 'ch']);
    const ids = (reply: Reply) => text(reply).trimEnd().split('\n').filter(Boolean).map((l) => fields(l).get('id'));
    expect(ids(await a.execute(['CLIENT', 'LIST', 'TYPE', 'pubsub']))).toEqual([String(c.id)]);
    expect(ids(await a.execute(['CLIENT', 'LIST', 'TYPE', 'NORMAL']))).toEqual([String(a.id)]);
    expect(ids(await a.execute(['CLIENT', 'LIST', 'TYPE', 'replica']))).toEqual([]);
    expect(ids(await a.execute(['CLIENT', 'LIST', 'ID', String(c.id), '999', String(a.id)]))).toEqual([String(c.id), String(a.id)]);
    const self = fields(text(await a.execute(['CLIENT', 'INFO'])));
    expect(self.get('id')).toBe(String(a.id));
    expect(self.get('cmd')).toBe('client|info');
  });

  it('CLIENT KILL closes the clients it matches, the caller only after its reply', async () => {
    const a = engine.connect({ addr: '10.0.0.1:1' });
    const c = engine.connect({ addr: '10.0.0.2:2', laddr: '127.0.0.1:6380' });
    const d = engine.connect({ addr: '10.0.0.3:3' });
    await d.execute(['SUBSCRIBE', 'ch']);
    expect(await a.execute(['CLIENT', 'KILL', 'ID', String(c.id)])).toEqual(n(1));
    expect(c.closed).toBe(true);
    expect(engine.clients.has(c.id)).toBe(false);
    expect(await c.execute(['PING'])).toEqual(err('ERR connection closed'));
    expect(await a.execute(['CLIENT', 'KILL', 'TYPE', 'pubsub'])).toEqual(n(1));
    expect(d.closed).toBe(true);
    expect(engine.pubsub.channels.size).toBe(0);
    // SKIPME yes by default: the new form does not kill the caller...
    expect(await a.execute(['CLIENT', 'KILL', 'ADDR', '10.0.0.1:1'])).toEqual(n(0));
    expect(await a.execute(['CLIENT', 'KILL', 'ADDR', '10.0.0.1:1', 'SKIPME', 'no'])).toEqual(n(1));
    expect(a.closed).toBe(true);
    // ...the old form does, and answers OK first.
    const e = engine.connect({ addr: '10.0.0.5:5' });
    expect(await e.execute(['CLIENT', 'KILL', '10.0.0.5:5'])).toEqual(OK);
    expect(e.closed).toBe(true);
    const f = engine.connect({ laddr: '127.0.0.1:6380' });
    const g = engine.connect();
    expect(await g.execute(['CLIENT', 'KILL', 'LADDR', '127.0.0.1:6380', 'USER', 'default'])).toEqual(n(1));
    expect(f.closed).toBe(true);
    expect(await g.execute(['CLIENT', 'KILL', '10.9.9.9:9'])).toEqual(err('ERR No such client'));
  });

  it("writes CLIENT LIST's fields in the order and format of Redis 7.0", async () => {
    if (!realRedisAvailable('CLIENT LIST format against redis-server')) return;
    const server = await startRedisServer();
    try {
      // The line of redis-cli's own connection (a port probe may still be listed too).
      const real = execFileSync('redis-cli', ['-p', String(server.port), 'CLIENT', 'LIST']).toString()
        .split('\n').find((l) => l.includes('cmd=client|list')) as string;
      const ours = text(await engine.connect().execute(['CLIENT', 'LIST'])).trim();
      expect([...fields(ours).keys()]).toEqual([...fields(real).keys()]);
      const pattern = /^id=\d+ addr=\S+ laddr=\S+ fd=-?\d+ name=\S* age=\d+ idle=\d+ flags=[A-Za-z]+ db=\d+ sub=\d+ psub=\d+ ssub=\d+ multi=-?\d+ qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=r?w? cmd=\S+ user=\S+ redir=-?\d+ resp=[23]$/;
      expect(real).toMatch(pattern);
      expect(ours).toMatch(pattern);
    } finally {
      await server.stop();
    }
  });
});
