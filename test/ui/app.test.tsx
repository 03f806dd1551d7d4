/**
 * The app through ink-testing-library: typing and editing, history kept across runs, Tab
 * completion, redis-cli's argument hints, check feedback (✓ and the why; expected versus
 * actual), the quiz, the keyspace panel, cancelling a blocking command, long replies and resizing.
 * (How fast a command answers on screen is measured on the production bundle: test/e2e.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, KEY, progressAt, QUEUE_STEPS, sleep, startHarness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.cleanup();
  h = undefined;
});

/** Opens "Lists as queues" at a step, the steps before it done. */
const atQueueStep = (step: string, options = {}) => startHarness({ progress: progressAt('lists-as-queues', QUEUE_STEPS, step), ...options });

describe('the menu', () => {
  it('lists the lessons with their state and opens one with Enter', async () => {
    h = await startHarness();
    const menu = await h.waitFor('Lists as queues');
    expect(menu).toContain('Welcome!');
    expect(menu).toMatch(/› · {2}1 {2}First steps/);
    expect(menu).toMatch(/0 \/ \d+ steps · 0%/);
    await h.press(KEY.down, KEY.down, 'j', 'k');
    await h.waitFor(/› · {2}3 {2}Hashes/);
    await h.press('/', 'q', 'u', 'e');
    await h.waitFor(/Filter: que/);
    const filtered = h.frame();
    expect(filtered).toContain('Lists as queues');
    expect(filtered).not.toContain('First steps');
    await h.press(KEY.enter, KEY.enter);
    await h.waitFor('▶ Task: Jobs arrive');
    expect(h.frame()).toContain('step 1/8');
  });

  it('resets a lesson only after a yes', async () => {
    h = await atQueueStep('rpop');
    await h.waitFor('First in, first out');
    await h.run(':menu');
    await h.waitFor(/› ◐ {2}5 {2}Lists as queues/);
    await h.press('r');
    await h.waitFor('Reset “Lists as queues”?');
    await h.press('n');
    await h.waitFor('Nothing was reset.');
    expect(h.frame()).toContain('2/8');
    await h.press('r', 'y');
    await h.waitFor('starts from the beginning again');
    expect(h.frame()).toMatch(/› · {2}5 {2}Lists as queues/);
    // The done steps and the place are forgotten; the attempts they took are kept.
    const saved = await h.saved((p) => p.lessons['lists-as-queues']?.at === undefined);
    expect(saved.lessons['lists-as-queues']?.steps).toEqual({
      lpush: { attempts: 1, hints: 0, solutions: 0 }, lrange: { attempts: 1, hints: 0, solutions: 0 },
    });
  });

  it('says so when the progress file is corrupt, and keeps it', async () => {
    h = await startHarness({ progressText: '{"format": 1, "less' });
    const frame = await h.waitFor('could not be read');
    expect(frame).toContain('Welcome!');
    const kept = fs.readdirSync(h.dir).filter((f) => f.startsWith('progress.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(h.dir, kept[0] as string), 'utf8')).toBe('{"format": 1, "less');
  });

  it('says clearly when the server it was pointed at cannot be reached', async () => {
    h = await startHarness({ backendChoice: { kind: 'url', url: 'redis://127.0.0.1:1', from: 'flag' } });
    const frame = await h.waitFor('not connected', 15_000);
    expect(frame).toContain('127.0.0.1:1');
    expect(frame).toMatch(/without it for the bundled\s+engine/);
  });

  it('reads a lesson pack alone (--lessons DIR --only), and says when a file has problems', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-lessons-'));
    try {
      fs.copyFileSync(path.resolve('lessons/05-lists-as-queues.yaml'), path.join(dir, 'queues.yaml'));
      fs.writeFileSync(path.join(dir, 'broken.yaml'), 'format: 1\nid: broken\n');
      h = await startHarness({ lessonsDir: dir, only: true });
      const menu = await h.waitFor('Lists as queues');
      expect(menu).not.toContain('First steps');
      expect(menu).toMatch(/0 \/ 8 steps/);
      expect(menu).toMatch(/problems? in the lesson files kept some lessons out: run\s+redislings\s+validate/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the keys with ?', async () => {
    h = await startHarness();
    await h.waitFor('Lists as queues');
    await h.press('?');
    await h.waitFor('The lesson menu');
    await h.press('x');
    await h.waitFor('Welcome!');
  });
});

describe('a lesson pack (--lessons DIR)', () => {
  let pack: string;
  beforeEach(() => {
    // The pack as a teacher hands it out: a directory of its own with pack.yaml and two lessons.
    pack = fs.mkdtempSync(path.join(os.tmpdir(), 'redislings-pack-'));
    fs.cpSync(path.resolve('test/lessons/fixtures/pack'), pack, { recursive: true });
  });
  afterEach(() => {
    fs.rmSync(pack, { recursive: true, force: true });
  });

  it('lists its lessons under its title, after the built-in lessons', async () => {
    h = await startHarness({ lessonsDir: pack, rows: 50 });
    const menu = await h.waitFor('Shop 101, week 2');
    const at = (text: string) => menu.indexOf(text);
    const order = ['Built-in lessons', 'First steps', 'Redis as a message broker', 'Shop 101, week 2 · lesson pack', 'Counting page views', 'A shopping cart in a hash'];
    for (const text of order) expect(at(text), text).toBeGreaterThanOrEqual(0);
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
    expect(menu).toMatch(/0 \/ \d+ steps/);
    expect(menu).not.toContain('problem');
    // Nothing to resume: the pack's first lesson is chosen, though it is below the built-in ones.
    expect(menu).toMatch(/› · {2}1 {2}Counting page views/);
    // A digit picks the lesson with that number in the group of the chosen one: the teacher's own numbers.
    await h.press('G');
    await h.waitFor(/› · {2}2 {2}A shopping cart in a hash/);
    await h.press('1');
    await h.waitFor(/› · {2}1 {2}Counting page views/);
    await h.press('g', '1');
    await h.waitFor(/› · {2}1 {2}First steps/);
  });

  it('takes the pack alone with --only', async () => {
    h = await startHarness({ lessonsDir: pack, only: true });
    const menu = await h.waitFor('Shop 101, week 2');
    expect(menu).toMatch(/› · {2}1 {2}Counting page views/);
    expect(menu).toMatch(/· {2}2 {2}A shopping cart in a hash/);
    expect(menu).not.toContain('First steps');
    expect(menu).not.toContain('Built-in lessons');
    expect(menu).toMatch(/0 \/ 8 steps · 0%/);
  });

  it('records progress on a pack lesson, and the next start goes on from there', async () => {
    h = await startHarness({ lessonsDir: pack, only: true });
    await h.waitFor('Counting page views');
    await h.press(KEY.enter);
    await h.waitFor('Count one view of the page');
    await h.run('INCR views:lamp');
    await h.waitFor('✓ Well done');
    await h.quit();
    const saved = JSON.parse(fs.readFileSync(path.join(h.dir, 'progress.json'), 'utf8')) as { lessons: Record<string, { steps: Record<string, unknown> }> };
    expect(Object.keys(saved.lessons['page-views']?.steps ?? {})).toEqual(['first-view']);
    // The next run, in the same directory and now beside the built-in lessons, goes on from there.
    const again = await startHarness({ dir: h.dir, lessonsDir: pack });
    try {
      await again.waitFor('Add 10 views to');
      expect(again.frame()).toContain('step 2/4');
      expect(again.frame()).toMatch(/ 1 \/ \d+ steps/);
      await again.run(':menu');
      await again.waitFor(/› ◐ {2}1 {2}Counting page views/);
    } finally {
      again.cleanup();
    }
  });

  it('leaves out a pack lesson whose id is a built-in lesson\'s, and says so', async () => {
    fs.copyFileSync(path.resolve('lessons/03-hashes.yaml'), path.join(pack, '03-hashes.yaml'));
    h = await startHarness({ lessonsDir: pack, rows: 50 });
    const menu = await h.waitFor('Shop 101, week 2');
    expect(menu.match(/Hashes as objects/g)).toHaveLength(1);
    expect(menu.indexOf('Hashes as objects')).toBeLessThan(menu.indexOf('Shop 101, week 2'));
    expect(menu).toMatch(/1 problem in the lesson files kept some lessons out: run\s+redislings\s+validate\s+\S*redislings-pack-/);
  });
});

describe('the prompt', () => {
  it('types, edits with the cursor, and shows the reply as redis-cli does', async () => {
    h = await startHarness();
    await h.waitFor('First steps');
    await h.press(KEY.enter);
    await h.waitFor('redislings>');
    await h.press('SET user chaitanyX', KEY.backspace, 'a');
    await h.press(KEY.left, KEY.left, KEY.left, KEY.left, KEY.left, KEY.left, KEY.left, KEY.left, KEY.left);
    await h.press('x', KEY.backspace);
    await h.waitFor('redislings> SET user chaitanya');
    await h.press(KEY.enter);
    await h.waitFor(/redislings> SET user chaitanya\nOK/);
    await h.run('GET nothing');
    await h.waitFor(/GET nothing\n\(nil\)/);
    await h.run('LPUSH user x');
    await h.waitFor('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    await h.run('SET "unbalanced');
    await h.waitFor('Invalid argument(s)');
  });

  it('runs every line of a paste, in order', async () => {
    h = await startHarness();
    await h.waitFor('First steps');
    await h.press(KEY.enter);
    await h.waitFor('redislings>');
    await h.press('SET a 1\rINCR a\rINCRBY a 10\r');
    // 12 = (1 + 1) + 10: each line ran, in order.
    await h.waitFor(/INCR a\n\(integer\) 2\n\nredislings> INCRBY a 10\n\(integer\) 12/);
  });

  it('recalls history with ↑ and ↓, and keeps it for the next run', async () => {
    h = await startHarness({ history: ['PING'] });
    await h.waitFor('First steps');
    await h.press(KEY.enter);
    await h.run('SET a 1');
    await h.run('GET a');
    await h.waitFor(/GET a\n"1"/);
    await h.press('draft');
    await h.press(KEY.up);
    await h.waitFor('redislings> GET a');
    await h.press(KEY.up, KEY.up);
    await h.waitFor('redislings> PING');
    await h.press(KEY.down, KEY.down, KEY.down);
    await h.waitFor('redislings> draft');
    expect(fs.readFileSync(path.join(h.dir, 'history'), 'utf8')).toBe('PING\nSET a 1\nGET a\n');
    await h.quit();
    // The next run, in the same directory, lands in the same lesson with the same history.
    const again = await startHarness({ dir: h.dir });
    try {
      await again.waitFor('redislings>');
      await again.press(KEY.up);
      await again.waitFor('redislings> :quit');
      await again.press(KEY.up);
      await again.waitFor('redislings> GET a');
    } finally {
      again.cleanup();
    }
  });

  it('completes command names, key names and meta-commands with Tab', async () => {
    h = await atQueueStep('lrange');
    await h.waitFor('Look at the list');
    // The help table loads after the first frame.
    await h.waitFor('bundled engine');
    await sleep(300);
    await h.press('lpushx');
    await h.press(KEY.ctrlU, 'LRAN', KEY.tab);
    await h.waitFor('redislings> LRANGE');
    await h.press(' prob', KEY.tab);
    await h.waitFor('redislings> LRANGE problems');
    await h.press(KEY.ctrlU, 'LPUS', KEY.tab);
    await h.waitFor('redislings> LPUSH');
    await h.waitFor(/Tab: LPUSH {2}LPUSHX/);
    await h.press(KEY.tab);
    await h.waitFor('redislings> LPUSHX');
    await h.press(KEY.ctrlU, ':so', KEY.tab);
    await h.waitFor('redislings> :solution');
  });

  it("shows redis-cli's argument hint after the command name", async () => {
    h = await startHarness();
    await h.waitFor('First steps');
    await h.press(KEY.enter);
    await h.waitFor('bundled engine');
    await sleep(300);
    await h.press('SET k');
    await h.waitFor(/redislings> SET k {2}value \[NX\|XX\] \[GET\]/);
    await h.press(' v');
    await h.waitFor(/redislings> SET k v {2}\[NX\|XX\]/);
    await h.press(KEY.ctrlU, ':hi');
    await h.waitFor(/:hi {3}:hint/);
  });
});

describe('feedback', () => {
  it('shows expected against actual on a miss, then ✓ and the why', async () => {
    h = await atQueueStep('lpush');
    await h.waitFor('Jobs arrive');
    await h.run('LPUSH problems anagram fizzbuzz two-sum');
    const miss = await h.waitFor('Not yet.');
    expect(miss).toContain('problems should read anagram, fizzbuzz, two-sum');
    expect(miss).toMatch(/LRANGE problems 0 -1: expected \["anagram", "fizzbuzz", "two-sum"\] in this\s+order/);
    expect(miss).toMatch(/got 1\) "two-sum"\n\s+2\) "fizzbuzz"\n\s+3\) "anagram"/);
    await h.run('DEL problems');
    await h.run('LPUSH problems two-sum fizzbuzz anagram');
    await h.waitFor('✓ Well done! Enter → next: Look at the list');
    await h.press(KEY.enter);
    await h.waitFor('▶ Task: Show every element of problems');
    await h.run('LRANGE problems 0 -1');
    const pass = await h.waitFor('✓ Well done');
    expect(pass).toContain('LRANGE costs O(S+N)');
    expect(pass).toMatch(/2 \/ \d+ steps/);
  });

  it('gives one more hint each time, and the solution after two hints', async () => {
    h = await atQueueStep('rpop');
    await h.waitFor('First in, first out');
    await h.run(':solution');
    await h.waitFor('Try :hint first');
    await h.run(':hint');
    await h.waitFor('Hint 1/2: LPUSH added at the head, so the oldest job is at the tail.');
    await h.run(':hint');
    await h.waitFor('Hint 2/2: RPOP problems');
    await h.run(':solution');
    await h.waitFor(/Solution.*\n\s+RPOP problems/);
    await h.run(':bogus');
    await h.waitFor('No meta-command :bogus');
  });

  it('moves with :skip, :back, :reset and :next', async () => {
    h = await atQueueStep('lpush');
    await h.waitFor('Jobs arrive');
    await h.run(':next');
    await h.waitFor('Finish this step first, or :skip it.');
    await h.run(':skip');
    await h.waitFor('▶ Task: Show every element');
    await h.run(':back');
    await h.waitFor('▶ Task: Jobs arrive');
    // Back at a step done by skipping, its data is there again (the step before replays).
    await h.run(':next');
    await h.waitFor('▶ Task: Show every element');
    await h.run('RPUSH problems extra');
    await h.waitFor('(integer) 4');
    await h.run(':reset');
    await h.waitFor('This step starts again from fresh data.');
    await h.run('LLEN problems');
    await h.waitFor(/LLEN problems\n\(integer\) 3/);
  });
});

describe('the quiz', () => {
  it('chooses with arrows and numbers and explains every choice after an answer', async () => {
    h = await atQueueStep('queue-quiz');
    await h.waitFor('What happens?');
    await h.press(KEY.down);
    await h.waitFor(/› 2\. All three workers/);
    await h.press(KEY.enter);
    const wrong = await h.waitFor('Not quite.');
    expect(wrong).toMatch(/✗ 2\. All three workers receive a copy\.\n\s+A pop removes the element/);
    expect(wrong).toContain('Redis serves blocked clients first come, first served');
    await h.press('1');
    const right = await h.waitFor('Right!');
    expect(right).toContain('Lesson complete: Lists as queues');
    const saved = await h.saved((p) => p.lessons['lists-as-queues']?.steps['queue-quiz']?.state === 'passed');
    // Two answers were given: a wrong one, then the right one.
    expect(saved.lessons['lists-as-queues']?.steps['queue-quiz']).toMatchObject({ state: 'passed', attempts: 2, strict: false });
    await h.press(KEY.enter);
    await h.waitFor('Streams · step 1/10');
  });
});

describe('the keyspace panel', () => {
  it('shows type, size and a TTL that counts down, and follows the data', async () => {
    h = await atQueueStep('rpop', { columns: 120 });
    await h.waitFor('Keyspace');
    await h.waitFor(/problems\s*\n.*list · 3 items/);
    await h.run('RPOP problems');
    await h.waitFor(/list · 2 items/);
    expect(h.frame()).toContain('[anagram fizzbuzz]');
    await h.run('SET token abc EX 100');
    await h.waitFor(/token\s*\n.*string · 3 bytes · ttl 1m 40s/);
    await h.waitFor(/ttl 1m 39s/, 3000);
    await h.run('PEXPIRE token 300');
    await h.waitFor(/ttl <1s/);
    // Expired: gone from the panel (its transcript lines stay).
    await h.waitFor((() => ({ test: (s: string) => !/string · 3 bytes/.test(s) }) as RegExp)(), 3000);
  });

  it('toggles with Ctrl+K, and appears by itself on a wide terminal after a resize', async () => {
    h = await atQueueStep('rpop', { columns: 80 });
    await h.waitFor('First in, first out');
    expect(h.frame()).not.toContain('Keyspace');
    await h.press(KEY.ctrlK);
    await h.waitFor('Keyspace');
    await h.press(KEY.ctrlK);
    await sleep(50);
    expect(h.frame()).not.toContain('Keyspace');
  });
});

describe('blocking commands and background actors', () => {
  it('shows the wait, the producer, and the reply', async () => {
    h = await atQueueStep('brpop', { timeScale: 0.25 });
    await h.waitFor('Wait for work');
    await h.run('BRPOP submissions 0');
    await h.waitFor('waiting for a push… (Ctrl+C stops waiting)');
    const served = await h.waitFor(/\n1\) "submissions"\n2\) "sub:1"/, 4000);
    expect(served).toContain('↳ producer: LPUSH submissions sub:1');
    await h.waitFor('✓ Well done');
  });

  it('Ctrl+C stops the wait, not the app', async () => {
    h = await atQueueStep('brpop', { timeScale: 100 });
    await h.waitFor('Wait for work');
    await h.run('BRPOP submissions 0');
    await h.waitFor('waiting for a push');
    await h.run('GET x');
    await h.waitFor('Still waiting for BRPOP: Ctrl+C stops waiting.');
    await h.press(KEY.ctrlC);
    const stopped = await h.waitFor(/BRPOP submissions 0\n(.*\n)?\(nil\)/);
    expect(stopped).toContain('Stopped waiting.');
    // Stopping a wait is not a wrong answer.
    expect(stopped).not.toContain('Not yet');
    await h.run('PING');
    await h.waitFor(/PING\nPONG/);
  });
});

describe('terminal manners', () => {
  it('shows the first screenful of a 10,000-element reply and counts the rest', async () => {
    h = await atQueueStep('lrange', { rows: 24, columns: 80 });
    await h.waitFor('Look at the list');
    const values = Array.from({ length: 10_000 }, (_, i) => `v${i}`).join(' ');
    await h.run(`RPUSH big ${values}`);
    await h.waitFor('(integer) 10000');
    const started = Date.now();
    await h.run('LRANGE big 0 -1');
    const frame = await h.waitFor(/… [\d,]+ more/);
    expect(Date.now() - started).toBeLessThan(1000);
    const shown = [...frame.matchAll(/^ *(\d+)\) "v\d+"/gm)].length;
    expect(shown).toBeGreaterThan(3);
    expect(frame).toContain(`… ${(10_000 - shown).toLocaleString('en-US')} more`);
    expect(frame).toContain('    1) "v0"');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('reflows on resize', async () => {
    h = await atQueueStep('lpush', { columns: 120, rows: 30 });
    await h.waitFor('Keyspace');
    h.parts.store.dispatch({ type: 'resize', size: { columns: 60, rows: 20 } });
    const narrow = await h.waitFor((() => ({ test: (s: string) => !s.includes('Keyspace') }) as RegExp)());
    for (const l of narrow.split('\n')) expect(l.length).toBeLessThanOrEqual(60);
    expect(narrow.split('\n').length).toBeLessThanOrEqual(19);
    expect(narrow).toContain('▶ Task: Jobs arrive');
  });

  it('quits with Ctrl+C twice', async () => {
    h = await startHarness();
    await h.waitFor('First steps');
    await h.press(KEY.ctrlC);
    await h.waitFor('Press Ctrl+C again to quit');
    await h.press(KEY.ctrlC);
    await h.parts.exited;
  });
});
