/**
 * The curriculum's selftest against a real redis-server 7.0 in managed mode (--engine
 * redis-server, opened as the app opens it): every lesson whose capabilities the server has (all
 * but json, a module redis-server lacks, reported as skipped with the reason). Real time passes
 * here (no clock to move), so the lessons' waits really wait; to keep that short the lessons run
 * at the same time, each on its own private server, which the persistence lesson crashes and
 * restarts.
 */
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open.js';
import { selftestLesson } from '../../src/lessons/selftest.js';
import { validateDirectory } from '../../src/lessons/validate.js';
import { realRedisAvailable } from '../helpers/redis-server.js';

const available = realRedisAvailable('lesson selftest against redis-server');
const lessons = validateDirectory().lessons;

describe.skipIf(!available)('the curriculum on a real redis-server', () => {
  for (const lesson of lessons) {
    it.concurrent(`selftest passes: ${lesson.id}`, async () => {
      // A server the backend can crash and restart, so the persistence lesson runs too.
      const backend = await openBackend({ kind: 'redis-server' });
      try {
        const report = await selftestLesson(lesson, backend, { timeScale: 0.05, settleMs: 10 });
        if (report.skipped) {
          console.warn(`*** SKIPPED ${lesson.id} on redis-server: ${report.skipped} ***`);
          expect(lesson.requires).toEqual(['json']);
          expect(report.skipped).toMatch(/has no JSON commands \(the RedisJSON module is not loaded\)/);
          return;
        }
        expect(report.steps.flatMap((s) => s.failures.map((f) => `${s.where} ${s.step}: ${f}`))).toEqual([]);
      } finally {
        await backend.close();
      }
    }, 120_000);
  }
});
