/**
 * selftest itself: it skips a lesson whose capability the backend lacks, with the reason; it runs
 * crash and restart steps on a backend that can; and it catches a broken lesson (a step that
 * passes by doing nothing, a solution that fails, a wrong answer that passes, an early pass).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../src/backend/backend.js';
import { BundledBackend } from '../../src/backend/bundled.js';
import { loadLessonFile, parseLesson } from '../../src/lessons/loader.js';
import type { Lesson } from '../../src/lessons/model.js';
import { selftestLesson } from '../../src/lessons/selftest.js';

const snapshots = loadLessonFile(path.join('test', 'lessons', 'fixtures', 'persistence', 'snapshots.yaml')).lesson as Lesson;

/** The bundled engine's crash and restart keep RDB snapshots; enough for the fixture. */
/** The bundled engine offers everything; a backend without persistence (a managed cloud Redis). */
class NoPersistenceBackend extends BundledBackend {
  override readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['json', 'clients']);
}

function lesson(step: string): Lesson {
  const filler = (id: string) => `  - {id: ${id}, prose: p, quiz: {question: q, choices: [{text: a, correct: true, explain: e}, {text: b, explain: e}]}}\n`;
  const r = parseLesson(`format: 1\nid: x\norder: 1\ntitle: T\nsummary: S\nsteps:\n${step}${filler('b')}${filler('c')}${filler('d')}`, 'x.yaml');
  expect(r.problems).toEqual([]);
  return r.lesson as Lesson;
}

describe('selftest', () => {
  it('skips a lesson the backend cannot run, saying why', async () => {
    const backend = new NoPersistenceBackend();
    const report = await selftestLesson(snapshots, backend);
    await backend.close();
    expect(report.skipped).toBe('bundled engine does not offer persistence');
    expect(report.steps).toEqual([]);
  });

  it('runs crash and restart steps where the backend can', async () => {
    const backend = new BundledBackend();
    const report = await selftestLesson(snapshots, backend);
    await backend.close();
    expect(report.skipped).toBeUndefined();
    expect(report.steps.flatMap((s) => s.failures)).toEqual([]);
    expect(report.steps.map((s) => s.tried)).toEqual([4, 4, 4, 2]);
  });

  it('catches what is wrong with a step', async () => {
    const backend = new BundledBackend();
    const broken = lesson(`  - id: a
    prose: p
    task: t
    setup: [SET k v]
    checks:
      - probe: EXISTS k
        expect: 1
      - probe: GET n
        expect: { anyOf: [null, '1'] }
    hints: [h]
    solution: [INCR n]
    alternatives:
      - [INCR n, INCR n]
      - [SET n 1, GET n]
    wrong:
      - [DEL n]
`);
    const report = await selftestLesson(broken, backend);
    await backend.close();
    const failures = report.steps[0]?.failures;
    expect(failures).toEqual([
      'the checks pass before anything is typed: the step passes by doing nothing',
      'alternative 1 (x.yaml:19:10) passes after its item 1 of 2: the rest would never be typed',
      'alternative 2 (x.yaml:20:10) passes after its item 1 of 2: the rest would never be typed',
      'wrong answer 1 (x.yaml:22:10) passes',
    ]);
  });

  it('reports a solution that fails, with the evidence', async () => {
    const backend = new BundledBackend();
    const broken = lesson(`  - id: a
    prose: p
    task: t
    checks:
      - probe: GET k
        expect: v
        says: k should be v.
    hints: [h]
    solution: [SET k w]
    wrong: [[SET k x]]
`);
    const report = await selftestLesson(broken, backend);
    await backend.close();
    expect(report.steps[0]?.failures).toEqual(['solution (x.yaml:15:16) fails: k should be v. (GET k: expected "v", got "w")']);
  });
});
