import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser } from '../../src/server/request-parser.js';

function parseAll(...chunks: string[]): (string[] | string)[] {
  const p = new RequestParser();
  const out: (string[] | string)[] = [];
  for (const chunk of chunks) {
    p.push(Buffer.from(chunk, 'latin1'));
    for (let r = p.next(); r !== undefined; r = p.next()) out.push(r instanceof ProtocolError ? r.message : r);
  }
  return out;
}

describe('RequestParser', () => {
  it('reads multibulk requests, whole or split at any byte', () => {
    const req = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$5\r\nhe\r\nl\r\n*1\r\n$4\r\nPING\r\n';
    const expected = [['SET', 'a', 'he\r\nl'], ['PING']];
    expect(parseAll(req)).toEqual(expected);
    for (let cut = 1; cut < req.length; cut++) {
      expect(parseAll(req.slice(0, cut), req.slice(cut))).toEqual(expected);
    }
    expect(parseAll(...req.split(''))).toEqual(expected);
  });

  it('reads inline commands with quotes, as telnet users type them', () => {
    expect(parseAll('PING\r\nSET k "a b"\nGET k\r\n\r\n')).toEqual([['PING'], ['SET', 'k', 'a b'], ['GET', 'k']]);
  });

  it('keeps binary payloads byte for byte', () => {
    expect(parseAll('*2\r\n$3\r\nGET\r\n$3\r\n\x00\xff\r\r\n')).toEqual([['GET', '\x00\xff\r']]);
  });

  it('keeps arguments of every length byte for byte (short ones are decoded by another path)', () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const args = Array.from({ length: 70 }, (_, n) => all.slice(n, n + n) + all.slice(0, Math.max(0, n - (256 - n))));
    const req = `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
    expect(parseAll(req)).toEqual([args]);
  });

  it("answers Redis' protocol errors, and nothing after them", () => {
    expect(parseAll('*x\r\n')).toEqual(['Protocol error: invalid multibulk length']);
    expect(parseAll('*1\r\n+PING\r\n')).toEqual(["Protocol error: expected '$', got '+'"]);
    expect(parseAll('*1\r\n$-5\r\n')).toEqual(['Protocol error: invalid bulk length']);
    expect(parseAll('*1\r\n$536870913\r\n')).toEqual(['Protocol error: invalid bulk length']);
    expect(parseAll('SET "a\r\nPING\r\n')).toEqual(['Protocol error: unbalanced quotes in request']);
    expect(parseAll('x'.repeat(70000))).toEqual(['Protocol error: too big inline request']);
    expect(parseAll('*1\r\n$' + '9'.repeat(70000))).toEqual(['Protocol error: too big bulk count string']);
  });

  it('skips empty requests', () => {
    expect(parseAll('*0\r\n*-1\r\n\r\nPING\r\n')).toEqual([['PING']]);
  });
});
