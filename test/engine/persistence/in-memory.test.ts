/**
 * An engine started without a data directory keeps everything in memory: the save rules (Redis'
 * defaults included) never start a snapshot, so no failed BGSAVE turns writes into MISCONF, and
 * SHUTDOWN does not refuse to stop for want of a place to save. (Found by bench/server: after a
 * minute of writes, `redislings server` without --dir answered MISCONF to every write.)
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.js';
import { shutdownSnapshot, snapshotCron } from '../../../src/engine/persistence/snapshot.js';
import { ManualClock } from '../../../src/engine/clock.js';

describe('an engine without a data directory', () => {
  it('never snapshots by its save rules, and keeps accepting writes', async () => {
    const clock = new ManualClock();
    const engine = new Engine({ clock, activeExpiry: false });
    const c = engine.connect();
    expect(await c.execute(['CONFIG', 'SET', 'save', '1 1'])).toEqual({ kind: 'simple', value: 'OK' });
    for (let i = 0; i < 100; i++) await c.execute(['INCR', 'n']);
    clock.advance(5000);
    engine.updateTime();
    snapshotCron(engine);
    clock.advance(10_000);
    engine.updateTime();
    snapshotCron(engine);
    expect(await c.execute(['INCR', 'n'])).toEqual({ kind: 'integer', value: 101 });
    expect(shutdownSnapshot(engine, { save: false, nosave: false, force: false })).toBe(true);
    // Asked for explicitly, a save still fails: there is nowhere to write.
    expect(shutdownSnapshot(engine, { save: true, nosave: false, force: false })).toBe(false);
    engine.close();
  });
});
