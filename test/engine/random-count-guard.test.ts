/**
 * A negative count asks SRANDMEMBER, HRANDFIELD and ZRANDMEMBER for that many members with
 * repeats. Real Redis builds the whole reply (a huge count took a redis-server down while this was
 * written); the bundled engine runs inside the learner's session, so it refuses past a limit.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { MAX_RANDOM_REPEATED, RANDOM_COUNT_TOO_LARGE } from '../../src/engine/errors.js';
import type { ArrayReply } from '../../src/resp/reply.js';

describe('random members with a huge negative count', () => {
  it('answers an error past the limit and still serves counts up to it', async () => {
    const engine = new Engine({ activeExpiry: false });
    const c = engine.connect();
    await c.execute(['SADD', 's', 'a', 'b']);
    await c.execute(['HSET', 'h', 'f', 'v']);
    await c.execute(['ZADD', 'z', '1', 'm']);
    const tooMany = String(-(MAX_RANDOM_REPEATED + 1));
    for (const argv of [['SRANDMEMBER', 's', tooMany], ['HRANDFIELD', 'h', tooMany], ['ZRANDMEMBER', 'z', tooMany]]) {
      expect(await c.execute(argv)).toEqual({ kind: 'error', message: RANDOM_COUNT_TOO_LARGE });
    }
    const atLimit = (await c.execute(['SRANDMEMBER', 's', String(-MAX_RANDOM_REPEATED)])) as ArrayReply;
    expect(atLimit.items).toHaveLength(MAX_RANDOM_REPEATED);
    expect(((await c.execute(['HRANDFIELD', 'h', '-3'])) as ArrayReply).items).toHaveLength(3);
    engine.close();
  });
});
