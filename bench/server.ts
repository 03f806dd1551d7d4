/**
 * bench/server: `redislings server` against a private redis-server, both driven by
 * redis-benchmark in the same run (-c 50, with -P 1 and -P 16, --csv parsed). Prints requests/s
 * for both and the ratio, each the best of BENCH_ROUNDS (3) alternating rounds. Run:
 * npm run bench:server (BENCH_REQUESTS sets -n for -P 1; -P 16 uses four times as many).
 *
 * The machine's cores are shared by redis-benchmark and the server under test, so figures move
 * from run to run by 10-20%; compare ratios from one run rather than absolute numbers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer as startRedis } from './redis-server.js';

const TESTS = ['set', 'get', 'incr', 'lpush', 'rpop', 'sadd', 'hset', 'zadd', 'lrange_100'];
/** redis-benchmark 7.0 has no XADD test: it is run as a command of its own. */
const XADD = ['XADD', 'bench:stream', '*', 'field', 'value'];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50_000);
const CLIENTS = 50;
const TARGETS: Record<number, number> = { 1: 0.8, 16: 0.5 };

interface Ours { readonly port: number; readonly child: ChildProcess }

/** `redislings server --port 0` from this build, once it says it is ready. */
function startOurs(): Promise<Ours> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // The main build (dist/), whose modules find package.json as the installed command does.
  const run = path.resolve(here, '../../dist/server/run.js');
  const script = `import(${JSON.stringify(run)}).then((m) => m.runServer({ port: 0, bind: '127.0.0.1' })).then((code) => process.exit(code))`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /port=(\d+)\./.exec(out);
      if (port && out.includes('Ready to accept connections')) resolve({ port: Number(port[1]), child });
    });
    child.on('exit', () => reject(new Error(`redislings server exited: ${out}`)));
  });
}

/** Each figure is the best of this many rounds; the two servers' rounds alternate. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** One redis-benchmark test (a -t name, or 'xadd') on one server: requests/s. */
function rate(port: number, test: string, pipeline: number, requests: number): number {
  // Each round starts from an empty server, so that rounds (and the two servers) do the same work.
  spawnSync('redis-cli', ['-p', String(port), 'FLUSHALL'], { stdio: 'ignore' });
  const rates = test === 'xadd' ? run(port, XADD, pipeline, requests) : run(port, ['-t', test], pipeline, requests);
  const value = rates.get(test);
  if (value === undefined) throw new Error(`redis-benchmark printed no figure for ${test}`);
  return value;
}

/**
 * Both servers' best rounds for one test. Client and server share the machine's two cores, so
 * any other load moves the figures; alternating the rounds exposes both servers to the same
 * conditions, and the best round is each one's least disturbed.
 */
function bestOf(ours: number, redis: number, test: string, pipeline: number, requests: number): [number, number] {
  let a = 0;
  let b = 0;
  for (let round = 0; round < ROUNDS; round++) {
    a = Math.max(a, rate(ours, test, pipeline, requests));
    b = Math.max(b, rate(redis, test, pipeline, requests));
  }
  return [a, b];
}

function run(port: number, what: string[], pipeline: number, requests: number): Map<string, number> {
  const r = spawnSync('redis-benchmark', [
    '-p', String(port), '-c', String(CLIENTS), '-P', String(pipeline), '-n', String(requests), '--csv', ...what,
  ], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const rates = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    if (m) rates.set((m[1] as string).split(' ')[0]!.toLowerCase(), Number(m[2]));
  }
  return rates;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const ours = await startOurs();
  const redis = await startRedis();
  try {
    const tests = TESTS;
    for (const pipeline of [1, 16]) {
      const n = pipeline === 1 ? REQUESTS : REQUESTS * 4;
      console.log(`\nredis-benchmark -c ${CLIENTS} -P ${pipeline} -n ${n} (requests/s; target ≥ ${TARGETS[pipeline]}×)`);
      console.log(`${'test'.padEnd(11)} ${'redislings'.padStart(12)} ${'redis-server'.padStart(13)} ${'ratio'.padStart(7)}`);
      const ratios: number[] = [];
      for (const name of [...tests, 'xadd']) {
        const [mine, theirs] = bestOf(ours.port, redis.port, name, pipeline, n);
        ratios.push(mine / theirs);
        console.log(`${name.padEnd(11)} ${fmt(mine).padStart(12)} ${fmt(theirs).padStart(13)} ${(mine / theirs).toFixed(2).padStart(6)}×`);
      }
      const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
      console.log(`geometric mean ratio: ${geo.toFixed(2)}×, lowest ${Math.min(...ratios).toFixed(2)}×`);
    }
  } finally {
    ours.child.kill('SIGTERM');
    redis.stop();
  }
}

await main();
