/**
 * The verifier's own connection: REDIS_URL as client libraries read it, AUTH and SELECT, and the
 * parsing of CLIENT LIST and INFO commandstats (texts taken from redis-server 7.0.15).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseClientList, parseCommandCalls, RedisLink } from '../../src/exercises/redis-link.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { verifyFixture } from './helpers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('the URL', () => {
  it('is read as client libraries read REDIS_URL; what is not one is named', async () => {
    await expect(RedisLink.open('127.0.0.1:6379')).rejects.toThrow('not a Redis URL: 127.0.0.1:6379 (expected redis://[user:password@]host:port[/db]');
    await expect(RedisLink.open('redis://h:1/x')).rejects.toThrow('the database in redis://h:1/x is not a number');
  });
});

describe('CLIENT LIST and INFO commandstats', () => {
  it('parse into fields and call counts', () => {
    // redis-cli CLIENT LIST on redis-server 7.0.15, one client blocked in BRPOP.
    const list = 'id=3 addr=127.0.0.1:50542 laddr=127.0.0.1:6399 fd=8 name= age=2 idle=2 flags=b db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=17 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1817 events=r cmd=brpop user=default redir=-1 resp=2\n'
      + 'id=4 addr=127.0.0.1:50550 laddr=127.0.0.1:6399 fd=9 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22298 events=r cmd=client|list user=default redir=-1 resp=2\n';
    const clients = parseClientList(list);
    expect(clients.map((c) => [c.get('id'), c.get('flags'), c.get('cmd')])).toEqual([['3', 'b', 'brpop'], ['4', 'N', 'client|list']]);
    const info = '# Commandstats\r\ncmdstat_rpop:calls=1843,usec=1289,usec_per_call=0.70,rejected_calls=0,failed_calls=0\r\n'
      + 'cmdstat_client|list:calls=2,usec=30,usec_per_call=15.00,rejected_calls=0,failed_calls=0\r\n';
    expect([...parseCommandCalls(info)]).toEqual([['rpop', 1843], ['client|list', 2]]);
  });
});

describe('a Redis with a password', () => {
  it('the verifier and the program both authenticate with the URL\'s password', async () => {
    const server = await startServer({ port: 0, bind: '127.0.0.1', requirepass: 'sesame' });
    servers.push(server);
    await expect(RedisLink.open(`redis://:wrong@127.0.0.1:${server.port}`))
      .rejects.toThrow(`127.0.0.1:${server.port} refused the user name or password (WRONGPASS invalid username-password pair or user is disabled.)`);
    const verdict = await verifyFixture('producer-endpoint', 'solution.mjs', `redis://:sesame@127.0.0.1:${server.port}/2`);
    expect(verdict.passed).toBe(true);
  });
});
