/**
 * The randomized differential test: seeded random command sequences (random-commands.ts) run on
 * the bundled engine and on redis-server, every reply compared. The seed is printed on failure;
 * rerun it with REDISLINGS_SEED=<seed> npm test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { compareScript, formatDifferences, parseScript } from './harness.js';
import { randomScript } from './random-commands.js';

const available = realRedisAvailable('randomized differential test');
const COMMANDS = 5000;
const seeds = process.env.REDISLINGS_SEED
  ? [Number(process.env.REDISLINGS_SEED)]
  : [Math.floor(Math.random() * 2 ** 31), Math.floor(Math.random() * 2 ** 31)];

describe.runIf(available)('random command sequences against redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const seed of seeds) {
    it(`${COMMANDS} commands, seed ${seed}`, () => {
      const steps = parseScript(randomScript(seed, COMMANDS));
      expect(steps.length).toBeGreaterThan(COMMANDS);
      const diffs = compareScript(server.port, steps);
      const report = `seed ${seed} (rerun: REDISLINGS_SEED=${seed} npm test)\n` + formatDifferences(`random:${seed}`, diffs.slice(0, 5));
      expect(diffs.length, report).toBe(0);
    }, 300_000);
  }
});
