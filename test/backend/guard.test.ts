/**
 * The shared-server rules as data (src/backend/guard.ts): what is refused and why, what FLUSHALL
 * becomes, and which scripts may run.
 */
import { describe, expect, it } from 'vitest';
import { enforce, enforcePrivate, GUARDED_FLUSHALL, guardCommand, ScriptApprovals, sharedServerRefusal } from '../../src/backend/guard.js';

const refusal = (...argv: string[]) => sharedServerRefusal(argv, 15, new ScriptApprovals());

describe('shared-server rules', () => {
  it('let ordinary commands through, and reads of the server', () => {
    for (const argv of [['SET', 'k', 'v'], ['SELECT', '15'], ['COPY', 'a', 'b'], ['COPY', 'a', 'b', 'DB', '15', 'REPLACE'], ['CONFIG', 'GET', 'save'],
      ['ACL', 'WHOAMI'], ['ACL', 'LOG'], ['CLIENT', 'ID'], ['CLIENT', 'REPLY', 'ON'], ['MODULE', 'LIST'], ['FLUSHDB'], ['INFO', 'keyspace'],
      ['FUNCTION', 'LIST'], ['SCRIPT', 'EXISTS', 'abc'], ['CLUSTER', 'KEYSLOT', 'k']]) {
      expect(refusal(...argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('refuse what reaches another database, the server, its files or its other clients', () => {
    const cases: [string[], RegExp][] = [
      [['SELECT', '0'], /^SELECT would leave database 15: on a shared server, lessons stay in database 15, so that no other database changes\./],
      [['select', '3'], /^SELECT would leave/],
      [['SWAPDB', '0', '15'], /^SWAPDB exchanges two whole databases/],
      [['MOVE', 'k', '3'], /^MOVE puts the key in another database/],
      [['COPY', 'a', 'b', 'db', '3'], /^COPY … DB writes into another database: .* Without DB, COPY stays in database 15\.$/],
      [['MIGRATE', 'h', '1', 'k', '3', '1000'], /^MIGRATE moves keys/],
      [['SHUTDOWN', 'NOSAVE'], /^SHUTDOWN would stop the server for everyone using it/],
      [['DEBUG', 'RELOAD'], /^DEBUG can reload, crash or change the whole server/],
      [['SAVE'], /^SAVE writes the server's data files and blocks every client meanwhile, which may be someone's backup/],
      [['BGSAVE'], /^BGSAVE writes the server's data files, which may be/],
      [['CONFIG', 'SET', 'maxmemory', '1mb'], /^CONFIG SET changes the server for every application using it/],
      [['CONFIG', 'REWRITE'], /^CONFIG REWRITE changes the server/],
      [['REPLICAOF', 'h', '1'], /^REPLICAOF makes the server a copy of another one, replacing every database/],
      [['ACL', 'SETUSER', 'x'], /^ACL SETUSER changes the users of the whole server/],
      [['ACL', 'LOG', 'RESET'], /^ACL LOG changes the users/],
      [['EVAL', 'local function f() return 1 end return redis.call("swapdb", 0, 15)', '0'], /^EVAL: the script mentions SWAPDB/],
      [['CLIENT', 'KILL', 'ID', '3'], /^CLIENT KILL acts on the other clients/],
      [['CLIENT', 'PAUSE', '100'], /^CLIENT PAUSE acts on the other clients/],
      [['SCRIPT', 'FLUSH'], /^SCRIPT FLUSH acts on the scripts of every application/],
      [['FUNCTION', 'FLUSH'], /^FUNCTION FLUSH acts on the functions of every application/],
      [['FUNCTION', 'LOAD', 'REPLACE', '#!lua name=x\nredis.register_function("f", function() return 1 end)'], /^FUNCTION LOAD REPLACE may replace another application's library/],
      [['MODULE', 'LOAD', '/x.so'], /^MODULE LOAD changes what the whole server can do/],
      [['MONITOR'], /^MONITOR turns the connection into a stream/],
      [['CLIENT', 'REPLY', 'SKIP'], /^CLIENT REPLY OFF or SKIP stops the server answering/],
      [['EVAL', "redis.call('SELECT', 0)", '0'], /^EVAL: the script mentions SELECT, which could reach beyond the lesson's database/],
      [['EVAL', "return redis.call('flushall')", '0'], /^EVAL: the script mentions FLUSHALL/],
      [['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'], /^EVALSHA runs a script loaded earlier, which redislings has not read/],
      [['FCALL', 'f', '0'], /^FCALL runs a function redislings has not read/],
    ];
    for (const [argv, expected] of cases) expect(refusal(...argv), argv.join(' ')).toMatch(expected);
  });

  it('run scripts and functions whose text was read here', () => {
    const approvals = new ScriptApprovals();
    const body = "return redis.call('get', KEYS[1])";
    // The SHA1 of the body, as SCRIPT LOAD answers it.
    expect(sharedServerRefusal(['EVALSHA', '4e6d8fc8bb01276962cce5371fa795a7763657ae', '1', 'k'], 15, approvals)).toMatch(/^EVALSHA runs/);
    expect(sharedServerRefusal(['SCRIPT', 'LOAD', body], 15, approvals)).toBeUndefined();
    expect(sharedServerRefusal(['EVALSHA', '4E6D8FC8BB01276962CCE5371FA795A7763657AE', '1', 'k'], 15, approvals)).toBeUndefined();
    const library = "#!lua name=lib\nredis.register_function('hello', function(keys) return redis.call('get', keys[1]) end)\n" +
      "redis.register_function{function_name='ro', callback=function() return 1 end, flags={'no-writes'}}";
    expect(sharedServerRefusal(['FUNCTION', 'LOAD', library], 15, approvals)).toBeUndefined();
    expect(sharedServerRefusal(['FCALL', 'hello', '1', 'k'], 15, approvals)).toBeUndefined();
    expect(sharedServerRefusal(['FCALL_RO', 'ro', '0'], 15, approvals)).toBeUndefined();
    expect(sharedServerRefusal(['FCALL', 'other', '0'], 15, approvals)).toMatch(/^FCALL runs a function/);
  });

  it('FLUSHALL: refused with FLUSHDB offered when another database holds keys, else run; sent as the guarded script', () => {
    const approvals = new ScriptApprovals();
    expect(guardCommand(['FLUSHALL'], { db: 15, otherDatabases: new Map() }, approvals)).toEqual({ kind: 'run' });
    expect(guardCommand(['FLUSHALL'], { db: 15, otherDatabases: new Map([[15, 4]]) }, approvals)).toEqual({ kind: 'run' });
    expect(guardCommand(['flushall', 'SYNC'], { db: 2, otherDatabases: new Map([[0, 1234], [2, 5]]) }, approvals)).toEqual({
      kind: 'refuse',
      explanation: 'FLUSHALL empties every database of the server, and this one also holds database 0 (1,234 keys), which redislings did not create: ' +
        "it does not run FLUSHALL here. FLUSHDB empties only database 2, the lesson's, which is all FLUSHALL would have emptied on a server of your own.",
      offer: ['FLUSHDB', 'SYNC'],
    });
    expect(guardCommand(['SELECT', '1'], { db: 15, otherDatabases: new Map() }, approvals)).toMatchObject({ kind: 'refuse', explanation: expect.stringMatching(/^SELECT would leave/) });
    expect(guardCommand(['SELECT', '1'], { db: 15, otherDatabases: new Map() }, approvals)).not.toHaveProperty('offer');
    expect(enforce(['FLUSHALL', 'ASYNC'], 15, approvals)).toEqual({ send: ['EVAL', GUARDED_FLUSHALL, '0', '15', 'ASYNC'] });
    expect(enforce(['RESET'], 15, approvals)).toEqual({ send: ['RESET'], reselect: true });
    expect(enforce(['SELECT', '0'], 15, approvals)).toHaveProperty('refuse');
  });

  it('a private server refuses only what breaks the connection', () => {
    expect(enforcePrivate(['FLUSHALL'])).toEqual({ send: ['FLUSHALL'] });
    expect(enforcePrivate(['SELECT', '0'])).toEqual({ send: ['SELECT', '0'] });
    expect(enforcePrivate(['MONITOR'])).toHaveProperty('refuse');
  });
});
