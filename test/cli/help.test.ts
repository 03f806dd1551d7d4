/**
 * The help table: the grey hint and Tab completion, compared with what redis-cli 7.0.15 showed
 * in a terminal for the same text typed (captured with tmux), and help built from COMMAND DOCS
 * replies in both protocols.
 */
import { describe, expect, it } from 'vitest';
import { genericHelp, HelpTable } from '../../src/cli/help.js';
import { asProtocol } from '../../src/resp/encode.js';
import { array, bulk, map, set, simple, type Reply } from '../../src/resp/reply.js';

const help = HelpTable.bundled();

describe('hints', () => {
  it('shows the arguments still to type, as redis-cli did', () => {
    // Typed text, then the line redis-cli showed (tmux capture-pane, 200 columns).
    const seen: [string, string][] = [
      ['get', 'get key'],
      ['GET ', 'GET key'],
      ['config get ', 'config get parameter [parameter ...]'],
      ['zadd k ', 'zadd k [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]'],
      ['client list ', 'client list [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]'],
      ['lpush a b c ', 'lpush a b c [element ...]'],
      ['hset h f', 'hset h f value [field value ...]'],
      ['set k v ex 1 ', 'set k v ex 1 [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]'],
    ];
    for (const [typed, shown] of seen) expect(typed + help.hint(typed)).toBe(shown);
    // "GET k" showed "GET k" (the hint is a lone space); "help set" showed no hint.
    expect(help.hint('GET k')).toBe(' ');
    expect(help.hint('help set')).toBeUndefined();
    expect(help.hint('')).toBeUndefined();
    expect(help.hint('"open')).toBeUndefined();
  });
});

describe('completion', () => {
  it('offers the commands starting with the text, in table order', () => {
    expect(help.completions('get')).toEqual(['GET', 'GETBIT', 'GETDEL', 'GETEX', 'GETRANGE', 'GETSET']);
    expect(help.completions('config ')).toEqual(['CONFIG GET', 'CONFIG HELP', 'CONFIG RESETSTAT', 'CONFIG REWRITE', 'CONFIG SET']);
    expect(help.completions('help @s')).toEqual(['help @server', 'help @set', 'help @sorted-set', 'help @stream', 'help @string']);
    expect(help.completions('HELP  zra')).toEqual(['HELP  ZRANDMEMBER', 'HELP  ZRANGE', 'HELP  ZRANGEBYLEX', 'HELP  ZRANGEBYSCORE', 'HELP  ZRANGESTORE', 'HELP  ZRANK']);
    expect(help.completions('@s')).toEqual([]);
  });
});

describe('help output', () => {
  it('prints the generic help of redis-cli 7.0.15', () => {
    expect(genericHelp()).toBe(
      'redis-cli 7.0.15\nTo get help about Redis commands type:\n      "help @<group>" to get a list of commands in <group>\n' +
      '      "help <command>" for help on <command>\n      "help <tab>" to get a list of possible help topics\n' +
      '      "quit" to exit\n\nTo set redis-cli preferences:\n      ":set hints" enable online hints\n' +
      '      ":set nohints" disable online hints\nSet your preferences in ~/.redisclirc\n');
  });

  it('reads COMMAND DOCS as a RESP3 map or as the RESP2 flat array', () => {
    const docs: Reply = map([[bulk('get'), map([
      [bulk('summary'), bulk('Get the value of a key')], [bulk('since'), bulk('1.0.0')], [bulk('group'), bulk('string')],
      [bulk('arguments'), array([map([[bulk('name'), bulk('key')], [bulk('type'), bulk('key')], [bulk('flags'), set([simple('optional')])]])])],
    ])]]);
    const expected = '\r\n  \x1b[1mGET\x1b[0m \x1b[90m[key]\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Get the value of a key\r\n' +
      '  \x1b[33msince:\x1b[0m 1.0.0\r\n  \x1b[33mgroup:\x1b[0m string\r\n\r\n';
    expect(HelpTable.fromDocs(docs).output(['get'])).toBe(expected);
    expect(HelpTable.fromDocs(asProtocol(docs, 2)).output(['GET'])).toBe(expected);
    expect(HelpTable.fromDocs(docs).output(['@STRING'])).toBe(
      '\r\n  \x1b[1mGET\x1b[0m \x1b[90m[key]\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Get the value of a key\r\n  \x1b[33msince:\x1b[0m 1.0.0\r\n\r\n');
  });
});
