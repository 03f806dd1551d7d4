/**
 * bench/engine: the bundled engine in process, against ioredis-mock (the in-memory double many
 * Node projects use) for speed, and against redis-server for memory. Prints each figure beside
 * the reference and the ratio. Run: npm run bench:engine
 *
 * Speed: ops/s for SET, GET, LPUSH, RPOP, HSET, ZADD, INCR, each awaited one at a time on both
 * (the same calling convention), each the best of a few alternating rounds. Memory: heap+external growth after GC for 1,000,000 small string
 * keys, a 1,000,000-element list and a 100,000-field hash, against redis-server's used_memory for
 * the same data loaded with redis-cli --pipe.
 *
 * BENCH_ONLY=speed or BENCH_ONLY=memory runs one part; BENCH_COMMANDS=LPUSH,RPOP times only those.
 */
import { encode } from '../src/resp/encode.js';
import { Engine } from '../src/engine/index.js';
import { startServer, cli, usedMemory } from './redis-server.js';

type Op = (i: number) => string[];

const OPS: Record<string, { setup?: Op[]; op: Op }> = {
  SET: { op: (i) => ['SET', `key:${i % 100000}`, `value:${i}`] },
  GET: { setup: [(i) => ['MSET', ...Array.from({ length: 100 }, (_, j) => [`key:${i * 100 + j}`, 'v']).flat()]], op: (i) => ['GET', `key:${i % 100000}`] },
  LPUSH: { op: (i) => ['LPUSH', 'list', `item:${i}`] },
  RPOP: { setup: [(i) => ['LPUSH', 'list', ...Array.from({ length: 100 }, (_, j) => `item:${i * 100 + j}`)]], op: () => ['RPOP', 'list'] },
  HSET: { op: (i) => ['HSET', 'hash', `field:${i % 1000}`, `value:${i}`] },
  ZADD: { op: (i) => ['ZADD', 'zset', String((i * 7919) % 100003), `member:${i % 10000}`] },
  INCR: { op: () => ['INCR', 'counter'] },
};

const N = Number(process.env.BENCH_OPS ?? 100_000);
/** Each measurement stops after N operations or this many ms, whichever comes first. */
const BUDGET_MS = Number(process.env.BENCH_MS ?? 2000);

interface Runner {
  /** Runs one command; a runner whose API is synchronous returns no promise. */
  run(argv: string[]): unknown;
  readonly sync: boolean;
  close(): void;
}

/** The engine through its own API: execute() answers synchronously (only a blocked command gives a promise). */
async function ours(): Promise<Runner> {
  const engine = new Engine();
  const client = engine.connect();
  return { run: (argv) => client.execute(argv), sync: true, close: () => engine.close() };
}

/** The engine awaited like a promise-based client, to show what the calling convention costs. */
async function oursAwaited(): Promise<Runner> {
  const engine = new Engine();
  const client = engine.connect();
  return { run: async (argv) => client.execute(argv), sync: false, close: () => engine.close() };
}

async function mock(): Promise<Runner> {
  const { default: RedisMock } = await import('ioredis-mock');
  const redis = new RedisMock();
  // ioredis-mock has no generic call(): each command is a method named after it.
  const methods = redis as unknown as Record<string, (...args: string[]) => Promise<unknown>>;
  return {
    run: (argv) => methods[(argv[0] as string).toLowerCase()]!.apply(redis, argv.slice(1)),
    sync: false,
    close: () => redis.disconnect(),
  };
}

/** Each runner's figure is its best of this many rounds (a fresh runner each round, same work). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** One round: a fresh runner, its setup, a warm-up, then up to N operations timed. */
async function oneRound(make: () => Promise<Runner>, name: string): Promise<number> {
  const spec = OPS[name]!;
  const runner = await make();
  // Setups add 100 elements per call, so that N/100 calls give N elements.
  for (const setup of spec.setup ?? []) for (let i = 0; i < N / 100; i++) await runner.run(setup(i));
  // The argument vectors are built before the clock starts: building strings is the benchmark's
  // own cost, the same for both, and would hide the difference between the engines.
  const ops = Array.from({ length: N }, (_, i) => spec.op(i));
  for (let i = 0; i < Math.min(N, 1000); i++) await runner.run(spec.op(N + i));
  const start = performance.now();
  let done = 0;
  while (done < N) {
    if (runner.sync) {
      for (const end = done + 1000; done < end; done++) runner.run(ops[done]!);
    } else {
      for (const end = done + 1000; done < end; done++) await runner.run(ops[done]!);
    }
    if (performance.now() - start > BUDGET_MS) break;
  }
  const seconds = (performance.now() - start) / 1000;
  runner.close();
  return done / seconds;
}

/**
 * Each runner's best round. The rounds of the runners alternate, so that a burst of load from
 * elsewhere on the machine (or a JIT warming up) falls on both alike; the best round is the least
 * disturbed one, for each of them.
 */
async function bestOf(makers: readonly (() => Promise<Runner>)[], name: string): Promise<number[]> {
  const best = makers.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, make] of makers.entries()) best[i] = Math.max(best[i]!, await oneRound(make, name));
  }
  return best;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  g();
  g();
}

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

interface Dataset {
  readonly name: string;
  commands(): Generator<string[]>;
}

const DATASETS: Dataset[] = [
  {
    name: '1,000,000 string keys',
    *commands() {
      for (let i = 0; i < 1_000_000; i++) yield ['SET', `key:${i}`, `value:${i}`];
    },
  },
  {
    name: '1,000,000-element list',
    *commands() {
      for (let i = 0; i < 1_000_000; i += 100) {
        yield ['RPUSH', 'list', ...Array.from({ length: 100 }, (_, j) => `item:${i + j}`)];
      }
    },
  },
  {
    name: '100,000-field hash',
    *commands() {
      for (let i = 0; i < 100_000; i += 100) {
        yield ['HSET', 'hash', ...Array.from({ length: 100 }, (_, j) => [`field:${i + j}`, `value:${i + j}`]).flat()];
      }
    },
  },
];

function oursMemory(dataset: Dataset): { heap: number; rss: number } {
  gc();
  const heapBefore = heapBytes();
  const rssBefore = process.memoryUsage().rss;
  const engine = new Engine({ activeExpiry: false });
  const client = engine.connect();
  for (const argv of dataset.commands()) client.execute(argv);
  gc();
  const result = { heap: heapBytes() - heapBefore, rss: process.memoryUsage().rss - rssBefore };
  // Keep the engine alive until measured.
  if (engine.databases[0]!.size === 0) throw new Error('nothing loaded');
  engine.close();
  return result;
}

async function redisMemory(dataset: Dataset): Promise<number> {
  const server = await startServer();
  try {
    const before = usedMemory(server.port);
    const chunks: string[] = [];
    for (const argv of dataset.commands()) chunks.push(encode({ kind: 'array', items: argv.map((a) => ({ kind: 'bulk', value: a })) }, 2));
    cli(server.port, ['--pipe'], Buffer.from(chunks.join(''), 'latin1'));
    return usedMemory(server.port) - before;
  } finally {
    server.stop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY !== 'memory') await speed();
  if (process.env.BENCH_ONLY !== 'speed') await memory();
}

async function speed(): Promise<void> {
  console.log(`Speed: up to ${N.toLocaleString('en-US')} operations per round (or ${BUDGET_MS} ms), in process, one call at a time;`);
  console.log(`each figure is the best of ${ROUNDS} rounds, the rounds of all runners alternating.`);
  console.log('redislings is called through its own synchronous API, and also awaited as a promise-based');
  console.log('client would be; ioredis-mock has only a promise API. The ratio compares each with its own API.');
  console.log(`${'command'.padEnd(8)} ${'redislings'.padStart(12)} ${'(awaited)'.padStart(11)} ${'ioredis-mock'.padStart(13)} ${'ratio'.padStart(7)} ${'(awaited)'.padStart(10)}`);
  let worst = Infinity;
  let worstAwaited = Infinity;
  const only = process.env.BENCH_COMMANDS?.toUpperCase().split(',');
  for (const name of Object.keys(OPS).filter((n) => !only || only.includes(n))) {
    const [a, aw, b] = (await bestOf([ours, oursAwaited, mock], name)) as [number, number, number];
    worst = Math.min(worst, a / b);
    worstAwaited = Math.min(worstAwaited, aw / b);
    console.log(`${name.padEnd(8)} ${fmt(a).padStart(12)} ${fmt(aw).padStart(11)} ${fmt(b).padStart(13)} ${(a / b).toFixed(2).padStart(6)}× ${(aw / b).toFixed(2).padStart(9)}×`);
  }
  console.log(`lowest ratio: ${worst.toFixed(2)}× with each API, ${worstAwaited.toFixed(2)}× with both awaited (target ≥ 3×)\n`);
}

async function memory(): Promise<void> {
  console.log('Memory: growth after loading, against redis-server used_memory for the same data');
  console.log(`${'data'.padEnd(24)} ${'redislings heap'.padStart(16)} ${'(rss)'.padStart(10)} ${'redis-server'.padStart(13)} ${'ratio'.padStart(7)}`);
  for (const dataset of DATASETS) {
    const { heap, rss } = oursMemory(dataset);
    const redis = await redisMemory(dataset);
    console.log(`${dataset.name.padEnd(24)} ${mb(heap).padStart(16)} ${mb(rss).padStart(10)} ${mb(redis).padStart(13)} ${(heap / redis).toFixed(2).padStart(6)}×`);
  }
  console.log('(target: within 3× of redis-server)');
}

await main();
