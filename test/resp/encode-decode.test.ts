import { describe, expect, it } from 'vitest';
import { parseReply } from '../../src/resp/decode.js';
import { asProtocol, encode } from '../../src/resp/encode.js';
import { array, boolean, bulk, double, integer, map, NIL, NIL_ARRAY, OK, set, type Reply } from '../../src/resp/reply.js';

const SAMPLE: Reply = map([
  [bulk('name'), bulk('a\r\nb\x00\xff')],
  [bulk('n'), integer(-42)],
  [bulk('big'), integer(9223372036854775807n)],
  [bulk('score'), double(1.1)],
  [bulk('ok'), OK],
  [bulk('flags'), set([bulk('x')])],
  [bulk('nested'), array([NIL, boolean(true), array([])])],
]);

describe('RESP encoding', () => {
  it('writes RESP2 as Redis folds RESP3 types for old clients', () => {
    expect(encode(double(1.1), 2)).toBe('$18\r\n1.1000000000000001\r\n');
    expect(encode(double(Infinity), 2)).toBe('$3\r\ninf\r\n');
    expect(encode(NIL, 2)).toBe('$-1\r\n');
    expect(encode(NIL_ARRAY, 2)).toBe('*-1\r\n');
    expect(encode(map([[bulk('a'), integer(1)]]), 2)).toBe('*2\r\n$1\r\na\r\n:1\r\n');
    expect(encode(boolean(true), 2)).toBe(':1\r\n');
  });

  it('writes RESP3 types natively', () => {
    expect(encode(double(1.1), 3)).toBe(',1.1000000000000001\r\n');
    expect(encode(NIL_ARRAY, 3)).toBe('_\r\n');
    expect(encode(map([[bulk('a'), integer(1)]]), 3)).toBe('%1\r\n$1\r\na\r\n:1\r\n');
    expect(encode(set([bulk('a')]), 3)).toBe('~1\r\n$1\r\na\r\n');
  });

  it('reads back what it writes (RESP3), and the RESP2 shape', () => {
    const bytes = encode(SAMPLE, 3);
    expect(parseReply(bytes)?.reply).toEqual(SAMPLE);
    expect(parseReply(encode(SAMPLE, 2))?.reply).toEqual(asProtocol(SAMPLE, 2));
  });

  it('waits for a whole reply', () => {
    const bytes = encode(SAMPLE, 3);
    for (let cut = 0; cut < bytes.length; cut++) expect(parseReply(bytes.slice(0, cut))).toBeUndefined();
  });
});
