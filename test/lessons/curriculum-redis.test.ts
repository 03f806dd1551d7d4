/**
 * The curriculum's selftest against a real redis-server: every lesson whose capabilities the
 * server has (all but json, a module redis-server lacks). Real time passes here (no clock to move),
 * so the lessons' waits really wait; to keep that short the lessons run at the same time, each on
 * its own private server, which the persistence lesson crashes and restarts.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { loadLessons, SHIPPED_LESSONS_DIR } from '../../src/lessons/loader.js';
import { selftestLesson } from '../../src/lessons/selftest.js';
import { validateDirectory } from '../../src/lessons/validate.js';
import { startManagedRedis } from '../helpers/managed-redis.js';
import { realRedisAvailable } from '../helpers/redis-server.js';

const available = realRedisAvailable('lesson selftest against redis-server');
// lessons/pending holds lessons that need what the bundled engine does not have yet (the
// persistence lesson needs BGREWRITEAOF): they are proved on the real server meanwhile.
const pending = loadLessons(path.join(SHIPPED_LESSONS_DIR, 'pending'));
const lessons = [...validateDirectory().lessons, ...pending.lessons];

describe.skipIf(!available)('the curriculum on a real redis-server', () => {
  for (const lesson of lessons) {
    it.concurrent(`selftest passes: ${lesson.id}`, async () => {
      // A server this test can crash and restart, so the persistence lesson runs too.
      const server = await startManagedRedis();
      const backend = await RedisServerBackend.open({ port: server.port, process: server });
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
