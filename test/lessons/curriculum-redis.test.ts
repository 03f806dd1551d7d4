/**
 * The curriculum's selftest against a real redis-server: every lesson whose capabilities the
 * server has. Real time passes here (no clock to move), so the lessons' waits really wait; to keep
 * that short the lessons run at the same time, each on its own private server.
 */
import { describe, expect, it } from 'vitest';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { selftestLesson } from '../../src/lessons/selftest.js';
import { validateDirectory } from '../../src/lessons/validate.js';
import { realRedisAvailable, startRedisServer } from '../helpers/redis-server.js';

const available = realRedisAvailable('lesson selftest against redis-server');
const { lessons } = validateDirectory();

describe.skipIf(!available)('the curriculum on a real redis-server', () => {
  for (const lesson of lessons) {
    it.concurrent(`selftest passes: ${lesson.id}`, async () => {
      const server = await startRedisServer();
      const backend = await RedisServerBackend.open({ port: server.port });
      try {
        const report = await selftestLesson(lesson, backend, { timeScale: 0.05, settleMs: 10 });
        if (report.skipped) {
          console.warn(`*** SKIPPED ${lesson.id} on redis-server: ${report.skipped} ***`);
          expect(lesson.requires.some((c) => !backend.capabilities.has(c))).toBe(true);
          return;
        }
        expect(report.steps.flatMap((s) => s.failures.map((f) => `${s.where} ${s.step}: ${f}`))).toEqual([]);
      } finally {
        await backend.close();
        await server.stop();
      }
    }, 120_000);
  }
});
