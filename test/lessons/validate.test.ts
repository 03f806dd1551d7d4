/**
 * validate: the shipped lessons are valid; deliberately broken files (fixtures/broken) are
 * reported at the right file:line:col with what was expected.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseLesson } from '../../src/lessons/loader.js';
import { validateDirectory } from '../../src/lessons/validate.js';

const BROKEN = path.join('test', 'lessons', 'fixtures', 'broken');
const VALID = path.join('test', 'lessons', 'fixtures', 'valid');

describe('validate', () => {
  it('passes the shipped lessons', () => {
    const { lessons, problems } = validateDirectory();
    expect(problems.map(formatProblem)).toEqual([]);
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.map((l) => l.order)).toEqual([...lessons.map((l) => l.order)].sort((a, b) => a - b));
  });

  it('passes the valid fixture', () => {
    expect(validateDirectory(VALID).problems).toEqual([]);
  });

  it('reports each broken fixture at its line, with what was expected', () => {
    const { lessons, problems } = validateDirectory(BROKEN);
    expect(lessons).toEqual([]);
    const f = (name: string) => path.join(BROKEN, name);
    expect(problems.map(formatProblem)).toEqual([
      `${f('bad-commands.yaml')}:11:9: "STE a 1": unknown command STE`,
      `${f('bad-commands.yaml')}:13:16: "SET a 1": a probe must only read, and SET writes`,
      `${f('bad-commands.yaml')}:17:9: "GET": wrong number of arguments for GET (expected GET key)`,
      `${f('bad-commands.yaml')}:22:9: this needs the clients capability: add it to the lesson's requires`,
      `${f('bad-commands.yaml')}:26:9: reply check: unknown command BRPOPP`,
      `${f('bad-commands.yaml')}:30:9: steps[1].solution[0]: unbalanced quotes in the command line`,
      `${f('bad-commands.yaml')}:35:16: "DB GET row": this lesson has no simulated database (add database: rows)`,
      `${f('bad-commands.yaml')}:38:16: "CONFIG SETT a b": CONFIG has no subcommand SETT`,
      `${f('bad-commands.yaml')}:39:5: duplicate step id "one" in lesson fixture-bad-commands`,
      `${f('bad-commands.yaml')}:45:16: this needs the json capability: add it to the lesson's requires`,
      `${f('bad-schema.yaml')}:1:1: summary: expected a one-line summary (text)`,
      `${f('bad-schema.yaml')}:13:9: steps[0].hints[0]: expected a hint, not an empty text`,
      `${f('bad-schema.yaml')}:16:5: steps[1].titel: unknown field "titel" (a typo?)`,
      `${f('bad-schema.yaml')}:21:17: steps[1].checks[0].expect: expected an object with exactly one of: bulk, simple, integer, nil, error, between, atLeast, atMost, matches, json, ordered, unordered, includes, fields, hasFields, length, not, anyOf, any`,
      `${f('bad-schema.yaml')}:29:9: steps[2].quiz.choices: expected exactly one choice with correct: true`,
      `${f('bad-schema.yaml')}:43:15: steps[3].solution[0].wait: expected a duration such as "2s" or "500ms"`,
      `${f('bad-yaml.yaml')}:5:1: YAML: Map keys must be unique`,
      `${f('dup-id.yaml')}:2:5: duplicate lesson id "fixture-bad-commands" (also in ${f('bad-commands.yaml')})`,
      `${f('dup-id.yaml')}:3:8: order 11 is also the order of ${f('bad-commands.yaml')}`,
    ]);
  });

  it('refuses another format version, steps out of 4..10, and checks of no known kind', () => {
    const lesson = (head: string, steps: string) => parseLesson(`${head}\nid: x\norder: 1\ntitle: T\nsummary: S\nsteps:\n${steps}`, 'x.yaml');
    const step = (id: string) => `  - {id: ${id}, prose: p, task: t, checks: [{used: GET}], hints: [h], solution: [GET a]}\n`;
    expect(lesson('format: 2', step('a') + step('b') + step('c') + step('d')).problems.map(formatProblem)).toEqual([
      'x.yaml:1:9: format: expected format: 1 (the lesson format this redislings reads)',
    ]);
    expect(lesson('format: 1', step('a')).problems.map(formatProblem)).toEqual(['x.yaml:7:3: steps: expected at least 4 steps']);
    const badCheck = '  - {id: a, prose: p, task: t, checks: [{probe: GET a, expect: 1, colour: red}, {look: x}], hints: [h], solution: [GET a]}\n';
    expect(lesson('format: 1', badCheck + step('b') + step('c') + step('d')).problems.map(formatProblem)).toEqual([
      'x.yaml:7:67: steps[0].checks[0].colour: unknown field "colour" in a probe check',
      'x.yaml:7:81: steps[0].checks[1]: expected a check with exactly one of: probe, reply, used, received, restarted',
    ]);
    const quizWithTask = '  - {id: a, prose: p, task: t, quiz: {question: q, choices: [{text: a, correct: true, explain: e}, {text: b, explain: e}]}}\n';
    expect(lesson('format: 1', quizWithTask + step('b') + step('c') + step('d')).problems.map(formatProblem)).toEqual([
      'x.yaml:7:29: steps[0].task: a quiz step has no task',
    ]);
  });
});
