/**
 * A client blocked in XREADGROUP is answered when its stream goes away by FLUSHDB, FLUSHALL or
 * SWAPDB, as Redis' scanDatabaseForDeletedStreams does. Checked against redis-server 7.0.15: a
 * redis-cli blocked in `XREADGROUP GROUP g c BLOCK 0 STREAMS s >` printed
 * "UNBLOCKED the stream key no longer exists" when another client ran FLUSHDB.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';

const UNBLOCKED = { kind: 'error', message: 'UNBLOCKED the stream key no longer exists' };

describe('XREADGROUP blocked on a stream that goes away', () => {
  it.each([[['FLUSHDB']], [['FLUSHALL']], [['SWAPDB', '0', '1']]])('is answered by %j', async (command) => {
    const engine = new Engine({ activeExpiry: false });
    const reader = engine.connect();
    const other = engine.connect();
    await reader.execute(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    const blocked = reader.execute(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']);
    expect(blocked).toBeInstanceOf(Promise);
    await other.execute(command);
    expect(await blocked).toEqual(UNBLOCKED);
    engine.close();
  });

  it('is answered when the stream expires', async () => {
    const engine = new Engine({ activeExpiry: true });
    const reader = engine.connect();
    const other = engine.connect();
    await reader.execute(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    await reader.execute(['PEXPIRE', 's', '30']);
    const blocked = reader.execute(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']);
    await new Promise((r) => setTimeout(r, 60));
    await other.execute(['EXISTS', 's']);
    expect(await blocked).toEqual(UNBLOCKED);
    engine.close();
  });

  // redis-server 7.0.15 answered the same with redis-cli: a stream without the group came in.
  it('answers NOGROUP when SWAPDB brings in a stream of that name without the group', async () => {
    const engine = new Engine({ activeExpiry: false });
    const reader = engine.connect();
    const other = engine.connect();
    await reader.execute(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    await other.execute(['SELECT', '1']);
    await other.execute(['XADD', 's', '1-1', 'f', 'v']);
    const blocked = reader.execute(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']);
    await other.execute(['SWAPDB', '0', '1']);
    expect(await blocked).toEqual({ kind: 'error', message: 'NOGROUP the consumer group this client was blocked on no longer exists' });
    engine.close();
  });
});
