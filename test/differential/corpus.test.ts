/**
 * The differential corpus: every script under corpus/ gives byte-identical redis-cli output on
 * the bundled engine and on a real redis-server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realRedisAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { compareScript, corpusFiles, formatDifferences, parseScript } from './harness.js';

const available = realRedisAvailable('differential corpus');

describe.runIf(available)('differential corpus against redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const file of corpusFiles()) {
    const name = path.basename(file);
    it(name, () => {
      const steps = parseScript(fs.readFileSync(file, 'latin1'));
      expect(steps.length).toBeGreaterThan(0);
      const diffs = compareScript(server.port, steps);
      expect(diffs, formatDifferences(name, diffs)).toEqual([]);
    }, 120_000);
  }
});
