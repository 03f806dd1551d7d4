/**
 * Every reply of the differential corpus, rendered through the real-server backend (its raw RESP
 * connection, src/resp/render.ts, and the redis-cli session logic of src/cli/repl.ts) exactly as
 * `redis-cli --no-raw` prints it. Two private servers run the same scripts: redis-cli talks to
 * one, a lesson connection of RedisServerBackend to the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendClient } from '../../src/backend/backend.js';
import { ManagedServer } from '../../src/backend/managed.js';
import { RedisServerBackend } from '../../src/backend/redis.js';
import { HelpTable } from '../../src/cli/help.js';
import { type CliConnection, Repl } from '../../src/cli/repl.js';
import type { Protocol } from '../../src/resp/encode.js';
import type { Reply } from '../../src/resp/reply.js';
import { realRedisAvailable, type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { corpusFiles, type Difference, formatDifferences, input, normalize, parseScript, runRedisCli, split } from './harness.js';

const available = realRedisAvailable('differential corpus through the real-server backend');

/** redis-cli's connection, as the Repl sees it, made of a lesson connection of the backend. */
class BackendConnection implements CliConnection {
  closed = false;
  resp: Protocol = 2;
  private readonly client: Promise<BackendClient>;

  constructor(backend: RedisServerBackend, onPush: (reply: Reply) => void) {
    this.client = backend.connect().then((c) => {
      c.onPush(onPush);
      return c;
    });
  }

  async execute(argv: readonly string[]): Promise<Reply> {
    const c = await this.client;
    let reply: Reply;
    try {
      reply = await c.execute(argv);
    } catch (e) {
      // The server closed the connection (QUIT, CLIENT KILL): redis-cli reconnects on the next line.
      this.closed = true;
      throw e;
    }
    const name = argv[0]?.toLowerCase();
    if (name === 'hello' && reply.kind !== 'error') this.resp = reply.kind === 'map' ? 3 : 2;
    if (name === 'reset' && reply.kind !== 'error') this.resp = 2;
    return reply;
  }

  close(): void {
    this.closed = true;
    void this.client.then((c) => c.close());
  }
}

async function throughBackend(backend: RedisServerBackend, data: Buffer): Promise<string> {
  let out = '';
  const repl = new Repl(
    (onPush) => new BackendConnection(backend, onPush),
    {
      write: (bytes) => { out += bytes; },
      error: (text) => { out += text; },
      now: () => Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
    { output: 'standard', interactive: true, db: 0, pushOutput: false },
    () => HelpTable.bundled(),
  );
  await repl.connect();
  const text = data.toString('latin1');
  for (const line of text.split('\n').slice(0, -1)) {
    if ((await repl.line(line)) === 'quit') break;
  }
  repl.close();
  return out;
}

describe.skipIf(!available)('differential corpus: real-server backend vs redis-cli --no-raw', () => {
  let theirs: RedisServer;
  let ours: ManagedServer;
  let backend: RedisServerBackend;
  beforeAll(async () => {
    theirs = await startRedisServer();
    ours = await ManagedServer.start();
    // A private server (the lessons' alone): the shared-server rules would refuse SELECT and the like.
    backend = await RedisServerBackend.open({ port: ours.port, process: ours, db: 0 });
  });
  afterAll(async () => {
    await backend?.close();
    await ours?.stop();
    await theirs?.stop();
  });

  for (const file of corpusFiles()) {
    const name = path.basename(file);
    it(name, async () => {
      const steps = parseScript(fs.readFileSync(file, 'latin1'));
      const reset = Buffer.from('FLUSHALL\nCONFIG RESETSTAT\n');
      runRedisCli(theirs.port, reset);
      runRedisCli(ours.port, reset);
      const data = input(steps);
      const redis = split(runRedisCli(theirs.port, data), steps.length);
      const real = split(await throughBackend(backend, data), steps.length);
      const diffs: Difference[] = [];
      steps.forEach((s, i) => {
        const a = normalize(redis[i] ?? '', s.sort);
        const b = normalize(real[i] ?? '', s.sort);
        if (a !== b) diffs.push({ line: s.line, command: s.command, redis: a, ours: b });
      });
      expect(diffs, formatDifferences(name, diffs)).toEqual([]);
    }, 120_000);
  }
});
