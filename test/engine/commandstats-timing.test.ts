/**
 * INFO commandstats times the first calls of each command and then one call in sixteen, weighted
 * (engine.ts, TIMING_SAMPLE): the counts stay exact and the usec total stays a real measurement.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';

describe('commandstats timing', () => {
  it('counts every call and measures time for sampled ones', async () => {
    const engine = new Engine({ activeExpiry: false });
    const c = engine.connect();
    for (let i = 0; i < 1000; i++) await c.execute(['SET', `k${i}`, 'v']);
    const s = engine.stats.commands.get('set');
    expect(s?.calls).toBe(1000);
    expect(s?.usec).toBeGreaterThan(0);
    const info = await c.execute(['INFO', 'commandstats']);
    expect(info.kind === 'bulk' || info.kind === 'verbatim' ? info.value : '').toMatch(/cmdstat_set:calls=1000,usec=\d+,usec_per_call=\d+\.\d\d,/);
    engine.close();
  });
});
