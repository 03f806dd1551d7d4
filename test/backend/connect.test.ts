/**
 * Connecting to a real server: the flags and REDIS_URL, and every way it can go wrong, each with
 * a message that says what to do — nothing listening, no such host, a password missing or wrong,
 * an ACL user, TLS (a certificate nobody vouches for, a plain port, a TLS port spoken to in
 * plain), a cluster node, a replica, a database that does not exist. Then "is something
 * answering on localhost:6379", which sends only PING.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError } from '../../src/backend/endpoint.js';
import { openBackend, probeLocalRedis, resolveBackendChoice } from '../../src/backend/open.js';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { OK } from '../../src/resp/reply.js';
import { freePort, realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';

const available = realRedisAvailable('connecting to a real server');

/** Rejects with a ConnectError of this kind whose message matches. */
async function failsWith(p: Promise<unknown>, kind: string, message: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ConnectError);
  expect((e as ConnectError).message).toMatch(message);
  expect((e as ConnectError).kind).toBe(kind);
}

describe('--url, --engine, --db and REDIS_URL', () => {
  it('choose where lessons run', () => {
    expect(resolveBackendChoice({}, {})).toEqual({ kind: 'bundled' });
    expect(resolveBackendChoice({ engine: 'bundled' }, { REDIS_URL: 'redis://x' })).toEqual({ kind: 'bundled' });
    expect(resolveBackendChoice({ engine: 'redis-server', db: '3' }, {})).toEqual({ kind: 'redis-server', db: 3 });
    expect(resolveBackendChoice({ url: 'redis://a:1' }, { REDIS_URL: 'redis://b:2' })).toEqual({ kind: 'url', url: 'redis://a:1', from: 'flag' });
    expect(resolveBackendChoice({ db: '0' }, { REDIS_URL: 'redis://b:2' })).toEqual({ kind: 'url', url: 'redis://b:2', from: 'REDIS_URL', db: 0 });
  });

  it('explain a bad combination', () => {
    expect(() => resolveBackendChoice({ engine: 'docker' }, {})).toThrow('--engine is bundled or redis-server, not "docker"');
    expect(() => resolveBackendChoice({ url: 'redis://x', engine: 'redis-server' }, {})).toThrow('--url and --engine redis-server both say where lessons run: give one of them');
    expect(() => resolveBackendChoice({ db: 'two' }, {})).toThrow('--db wants a database number (0, 1, … 15), not "two"');
    expect(() => resolveBackendChoice({ db: '2' }, {})).toThrow('--db is for a real server: add --url or --engine redis-server');
  });

  it('a URL that is not one', async () => {
    await failsWith(openBackend({ kind: 'url', url: 'http://localhost:6379', from: 'flag' }), 'url',
      /^not a Redis URL: http:\/\/localhost:6379 \(expected redis:\/\/\[user:password@\]host:port\[\/db\], rediss:\/\/… for TLS/);
    await failsWith(openBackend({ kind: 'url', url: 'redis://localhost:6379/x', from: 'flag' }), 'url', /the database in redis:\/\/localhost:6379\/x is not a number/);
  });
});

describe.skipIf(!available)('connecting', () => {
  let plain: RedisServer;
  let secured: RedisServer;
  const url = (s: RedisServer, auth = '') => `redis://${auth}127.0.0.1:${s.port}`;
  const open = (u: string, db?: number) => openBackend({ kind: 'url', url: u, from: 'flag', ...(db !== undefined ? { db } : {}) }, { recordFile: undefined, connectTimeoutMs: 2000 });

  beforeAll(async () => {
    plain = await startRedisServer();
    secured = await startRedisServer(['--requirepass', 's3cret']);
    const admin = net.connect(secured.port, '127.0.0.1');
    admin.write('AUTH s3cret\r\nACL SETUSER ada on >pw ~* &* +@all\r\n');
    await new Promise((r) => setTimeout(r, 100));
    admin.end();
  });
  afterAll(async () => {
    await plain?.stop();
    await secured?.stop();
  });

  it('works, in the URL database or --db, 15 without either', async () => {
    const b = await open(url(plain));
    expect(b.description).toMatch(/, database 15$/);
    await b.close();
    const b3 = await open(`${url(plain)}/3`);
    expect(b3.description).toMatch(/, database 3$/);
    await b3.close();
    const b4 = await open(`${url(plain)}/3`, 4);
    expect(b4.description).toMatch(/, database 4$/);
    await b4.close();
  });

  it('a unix socket path instead of a URL', async () => {
    const socket = path.join(os.tmpdir(), `redislings-${process.pid}-${Date.now()}.sock`);
    const server = await startRedisServer(['--unixsocket', socket]);
    try {
      const b = await open(socket);
      expect(b.description).toBe(`redis ${(b as RedisServerBackend).facts.version} at ${socket}, database 15`);
      const c = await b.connect();
      expect(await c.execute(['SET', 'k', 'v'])).toEqual(OK);
      await c.close();
      await b.reset();
      await b.close();
    } finally {
      await server.stop();
    }
  });

  it('nothing listening', async () => {
    const port = await freePort();
    await failsWith(open(`redis://127.0.0.1:${port}`), 'unreachable',
      new RegExp(`^nothing answers at 127\\.0\\.0\\.1:${port} \\(connection refused\\)\\. Is redis-server running there\\?`));
  });

  it('no such host', async () => {
    await failsWith(open('redis://no-such-host.invalid:6379'), 'unreachable', /^no such host: no-such-host\.invalid \(ENOTFOUND|EAI_AGAIN\)/);
  });

  it('a password missing, wrong, or given to a server without one', async () => {
    await failsWith(open(url(secured)), 'auth', /asks for a password: put it in the URL, redis:\/\/:PASSWORD@host:port/);
    await failsWith(open(url(secured, ':wrong@')), 'auth', /refused the user name or password \(WRONGPASS invalid username-password pair or user is disabled\.\)/);
    await failsWith(open(url(secured, 'ada:nope@')), 'auth', /WRONGPASS/);
    await failsWith(open(url(plain, ':pw@')), 'auth', /the URL gives a password but 127\.0\.0\.1:\d+ has none configured: remove it from the URL/);
  });

  it('with the password, or an ACL user, both connections authenticate', async () => {
    for (const auth of [':s3cret@', 'ada:pw@']) {
      const b = await open(url(secured, auth));
      const c = await b.connect();
      expect(await c.execute(['SET', 'k', 'v'])).toEqual(OK);
      await c.close();
      await b.reset();
      await b.close();
    }
  });

  it('a database the server does not have', async () => {
    await failsWith(open(url(plain), 16), 'db', /^database 16 does not exist on 127\.0\.0\.1:\d+ \(ERR DB index is out of range\): choose another with --db$/);
  });

  it('a cluster node, a replica', async () => {
    const cluster = await startRedisServer(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${process.pid}-${Date.now()}.conf`]);
    try {
      await failsWith(open(url(cluster)), 'cluster', /is a Redis Cluster node, which has only database 0: lessons need a standalone server/);
    } finally {
      await cluster.stop();
    }
    const replica = await startRedisServer(['--replicaof', '127.0.0.1', String(plain.port)]);
    try {
      await failsWith(open(url(replica)), 'replica', /is a read-only replica: connect to its master/);
    } finally {
      await replica.stop();
    }
  });

  it('something on localhost:6379? only a PING, and the answer says whether it needs a password', async () => {
    expect(await probeLocalRedis({ port: plain.port })).toEqual({ url: `redis://127.0.0.1:${plain.port}`, needsPassword: false });
    expect(await probeLocalRedis({ port: secured.port })).toEqual({ url: `redis://127.0.0.1:${secured.port}`, needsPassword: true });
    expect(await probeLocalRedis({ port: await freePort() })).toBeUndefined();
    // Something that is not Redis: an HTTP-like server answering garbage.
    const http = net.createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    expect(await probeLocalRedis({ port: (http.address() as net.AddressInfo).port })).toBeUndefined();
    http.close();
    // The real default: whatever answers there (or nothing); PING reads and writes no key.
    const local = await probeLocalRedis();
    expect(local === undefined || local.url === 'redis://127.0.0.1:6379').toBe(true);
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    // No openssl: the TLS tests cannot make certificates and say so.
    return false;
  }
}

const tlsAvailable = available && hasOpenssl();
if (available && !tlsAvailable) console.warn('\n*** SKIPPED TLS connection tests: openssl not on PATH ***\n');

describe.skipIf(!tlsAvailable)('connecting with TLS', () => {
  let dir: string;
  let port: number;
  let plainPort: number;
  let server: ChildProcess;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-tls-'));
    const f = (n: string) => path.join(dir, n);
    const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=redislings test CA');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
    fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '1', '-extfile', f('san.ext'));
    port = await freePort();
    plainPort = await freePort();
    server = spawn('redis-server', [
      '--port', String(plainPort), '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
      '--tls-cert-file', f('server.crt'), '--tls-key-file', f('server.key'), '--tls-ca-cert-file', f('ca.crt'),
      '--tls-auth-clients', 'no', '--logfile', f('redis.log'),
    ], { stdio: 'ignore' });
    for (let i = 0; i < 250 && !(await probeLocalRedis({ port: plainPort })); i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (u: string, ca?: Buffer) => openBackend({ kind: 'url', url: u, from: 'flag' }, { ...(ca ? { tls: { ca } } : {}), connectTimeoutMs: 2000 });

  it('a certificate signed by a CA the system does not know: a TLS error that says what to do', async () => {
    await failsWith(open(`rediss://127.0.0.1:${port}`), 'tls',
      /^TLS with rediss:\/\/127\.0\.0\.1:\d+ failed: self[- ]signed certificate in certificate chain \(SELF_SIGNED_CERT_IN_CHAIN\)\. For a certificate of your own, point NODE_EXTRA_CA_CERTS at its CA file/);
  });

  it('with the CA: lessons run over TLS, on the lesson connections and the admin one', async () => {
    const b = await open(`rediss://127.0.0.1:${port}`, fs.readFileSync(path.join(dir, 'ca.crt')));
    expect(b.description).toMatch(/^redis 7\.\d+\.\d+ at rediss:\/\/127\.0\.0\.1:\d+, database 15$/);
    const c = await b.connect();
    expect(await c.execute(['SET', 'over', 'tls'])).toEqual(OK);
    await c.close();
    await b.reset();
    await b.close();
  });

  it('the wrong scheme for the port', async () => {
    await failsWith(open(`redis://127.0.0.1:${port}`), 'lost', /closed the connection \(if it is a TLS port, use rediss:\/\/\)/);
    // A plain server waits for a command; the TLS handshake waits for the server: the timeout says why.
    await failsWith(open(`rediss://127.0.0.1:${plainPort}`), 'timeout',
      /^no answer from rediss:\/\/127\.0\.0\.1:\d+ within 2 s \(is it a TLS port\? a plain one never finishes the TLS handshake\)$/);
  });
});

describe.skipIf(!available)('what the server allows', () => {
  it('a default server: CONFIG yes, DEBUG no (enable-debug-command), SAVE and SHUTDOWN by ACL DRYRUN', async () => {
    const server = await startRedisServer();
    try {
      const b = await RedisServerBackend.open({ port: server.port });
      expect(b.facts).toMatchObject({ mode: 'standalone', role: 'master', json: false, databases: 16 });
      expect(b.facts.commands).toEqual({
        config: { allowed: true, detail: 'allowed' },
        save: { allowed: true, detail: 'allowed' },
        debug: { allowed: false, detail: expect.stringMatching(/^DEBUG command not allowed\. If the enable-debug-command option is set to "local"/) },
        shutdown: { allowed: true, detail: 'allowed' },
      });
      await b.close();
    } finally {
      await server.stop();
    }
  });

  it('commands renamed away (rename-command), and an ACL user without them', async () => {
    const server = await startRedisServer([
      '--rename-command', 'CONFIG', '', '--rename-command', 'SAVE', '', '--rename-command', 'SHUTDOWN', 'SHUTDOWN-6e3f',
      '--enable-debug-command', 'yes',
    ]);
    try {
      const b = await RedisServerBackend.open({ port: server.port });
      expect(b.facts.commands).toEqual({
        config: { allowed: false, detail: 'renamed or removed (rename-command)' },
        save: { allowed: false, detail: 'renamed or removed (rename-command)' },
        debug: { allowed: true, detail: 'allowed' },
        shutdown: { allowed: false, detail: 'renamed or removed (rename-command)' },
      });
      // Without CONFIG, the number of databases is not known; the lessons still run.
      expect(b.facts.databases).toBeUndefined();
      const c = await b.connect();
      expect(await c.execute(['SET', 'k', 'v'])).toEqual(OK);
      await c.close();
      await b.reset();
      await b.close();
    } finally {
      await server.stop();
    }
    const acl = await startRedisServer(['--enable-debug-command', 'yes']);
    try {
      const admin = net.connect(acl.port, '127.0.0.1');
      admin.write('ACL SETUSER limited on >pw ~* &* +@all -config -save -debug -shutdown -acl\r\n');
      await new Promise((r) => setTimeout(r, 100));
      admin.end();
      const b = await RedisServerBackend.open({ endpoint: { host: '127.0.0.1', port: acl.port, username: 'limited', password: 'pw' } });
      expect(b.facts.commands).toEqual({
        config: { allowed: false, detail: "forbidden by ACL (NOPERM this user has no permissions to run the 'config|set' command)" },
        save: { allowed: undefined, detail: 'could not tell: the user may not run ACL WHOAMI' },
        debug: { allowed: false, detail: "forbidden by ACL (NOPERM this user has no permissions to run the 'debug' command)" },
        shutdown: { allowed: undefined, detail: 'could not tell: the user may not run ACL WHOAMI' },
      });
      await b.close();
    } finally {
      await acl.stop();
    }
  });
});
