/**
 * The server's byte-level reply encoder must produce exactly the bytes of the shared encoder
 * (`encode`), for every kind of reply, in both protocols, whatever the buffer's growth.
 */
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/resp/encode.js';
import type { Reply } from '../../src/resp/reply.js';
import { ReplyBuffer } from '../../src/server/reply-buffer.js';

const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
const replies: Reply[] = [
  { kind: 'simple', value: 'OK' },
  { kind: 'simple', value: 'QUEUED' },
  { kind: 'error', message: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
  { kind: 'integer', value: 0 },
  { kind: 'integer', value: -42 },
  { kind: 'integer', value: 9223372036854775807n },
  // Integers are written digit by digit: every width, both signs, the edges of safe integers.
  ...[9, 10, 99, 100, 1023, 1024, 65536, 123456789, 999999999999999, 1e15, 2 ** 53 - 1, -1, -10, -99999, -(2 ** 53 - 1)]
    .map((value): Reply => ({ kind: 'integer', value })),
  { kind: 'integer', value: -9223372036854775808n },
  { kind: 'bulk', value: '' },
  { kind: 'bulk', value: 'hello' },
  { kind: 'bulk', value: binary },
  { kind: 'bulk', value: 'x'.repeat(100_000) },
  { kind: 'null' },
  { kind: 'null', array: true },
  { kind: 'array', items: [] },
  { kind: 'array', items: [{ kind: 'bulk', value: 'a' }, { kind: 'integer', value: 1 }, { kind: 'null' }, { kind: 'array', items: [{ kind: 'bulk', value: binary }] }] },
  { kind: 'map', entries: [[{ kind: 'bulk', value: 'k' }, { kind: 'double', value: 1.5 }]] },
  { kind: 'set', items: [{ kind: 'bulk', value: 'm' }] },
  { kind: 'push', items: [{ kind: 'bulk', value: 'message' }] },
  { kind: 'double', value: 3.14 },
  { kind: 'boolean', value: true },
  { kind: 'verbatim', format: 'txt', value: 'some text' },
  { kind: 'bignum', value: '1234567890123456789012345678901234567890' },
];

describe('ReplyBuffer', () => {
  for (const resp of [2, 3] as const) {
    it(`encodes every reply kind as encode() does (RESP${resp})`, () => {
      for (const reply of replies) {
        const buffer = new ReplyBuffer();
        buffer.add(reply, resp);
        expect(buffer.peek().equals(Buffer.from(encode(reply, resp), 'latin1'))).toBe(true);
      }
    });
  }

  it('keeps earlier replies intact while it grows', () => {
    const buffer = new ReplyBuffer();
    let expected = '';
    for (let i = 0; i < 300; i++) {
      const reply = replies[i % replies.length] as Reply;
      buffer.add(reply, 2);
      expected += encode(reply, 2);
    }
    buffer.addRaw('-ERR Protocol error: invalid bulk length\r\n');
    expected += '-ERR Protocol error: invalid bulk length\r\n';
    const bytes = buffer.peek();
    expect(bytes.length).toBe(expected.length);
    expect(bytes.equals(Buffer.from(expected, 'latin1'))).toBe(true);
    buffer.clear();
    expect(buffer.empty).toBe(true);
  });
});
