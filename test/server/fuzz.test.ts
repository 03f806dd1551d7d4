/**
 * Malformed RESP thrown at the server: random bytes and mutated valid frames over several
 * connections, all to 127.0.0.1, bounded in time. The server must never crash, and a
 * well-behaved client on its own connection must keep getting correct replies throughout.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../helpers/prng.js';
import type { RunningServer } from '../../src/server/server.js';
import { command, rawSocket, testServer } from './helpers.js';

const FRAMES = 20000;
const CONNECTIONS = 8;
const TIME_BOX_MS = 60000;
// Short connections: the first broken frame ends one (a protocol error), so long ones would
// carry mostly frames the server never reads.
const FRAMES_PER_BATCH = 3;
const BATCHES_PER_CONNECTION = 2;

let server: RunningServer;
beforeAll(async () => { server = await testServer(); });
afterAll(async () => { await server.close(); });

const COMMANDS = [
  ['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n'], ['LPUSH', 'l', 'a', 'b'], ['LRANGE', 'l', '0', '-1'],
  ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'm'], ['ZADD', 'z', '1', 'm'], ['BLPOP', 'l', '0.01'],
  ['SUBSCRIBE', 'c'], ['HELLO', '3'], ['MULTI'], ['EXEC'], ['CLIENT', 'LIST'], ['PING'], ['DEL', 'k'],
  ['CONFIG', 'GET', 'maxmemory'], ['SELECT', '1'], ['QUIT'],
];
// Commands a fuzzed connection must not send: they would stop the server or touch others.
const FORBIDDEN = /shutdown|kill|flushall|debug|config\s*set|requirepass|pause|monitor/i;

function frame(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const argv = pick(COMMANDS);
  let bytes = rand() < 0.3 ? argv.join(' ') + '\r\n' : command(...argv);
  const kind = rand();
  if (kind < 0.15) {
    // Pure noise.
    bytes = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
  } else if (kind < 0.75) {
    // A few mutations: flip, insert, delete, or a wild count.
    for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
      const at = Math.floor(rand() * bytes.length);
      const op = rand();
      if (op < 0.3) bytes = bytes.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + bytes.slice(at + 1);
      else if (op < 0.55) bytes = bytes.slice(0, at) + pick(['\r\n', '*', '$', '-1', '"', '\0', '99999999999']) + bytes.slice(at);
      else if (op < 0.8) bytes = bytes.slice(0, at) + bytes.slice(at + 1 + Math.floor(rand() * 4));
      else bytes = bytes.replace(/\$\d+/, `$${pick(['-5', '0', '600000000', '2147483648', 'x'])}`);
    }
  }
  return FORBIDDEN.test(bytes) ? 'PING\r\n' : bytes;
}

/**
 * One fuzzing slot: connections in turn, each sending a few batches of frames and then closing
 * (a frame may leave a connection blocked or waiting for a huge bulk: the next one starts fresh).
 */
function fuzzConnection(seed: number, frames: number, deadline: number): Promise<number> {
  const rand = prng(seed);
  return new Promise((resolve) => {
    let sent = 0;
    const open = () => {
      const socket = net.connect(server.port, '127.0.0.1');
      let batches = 0;
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => (sent < frames && Date.now() < deadline ? open() : resolve(sent)));
      const pump = () => {
        if (socket.destroyed) return;
        for (let i = 0; i < FRAMES_PER_BATCH && sent < frames; i++, sent++) socket.write(Buffer.from(frame(rand), 'latin1'));
        if (++batches >= BATCHES_PER_CONNECTION || sent >= frames || Date.now() >= deadline) socket.end();
        else setTimeout(pump, 1);
      };
      socket.on('connect', pump);
    };
    open();
  });
}

describe('server under malformed RESP', () => {
  it('survives random and mutated frames while a good client keeps getting correct replies', async () => {
    const deadline = Date.now() + TIME_BOX_MS;
    const good = await rawSocket(server.port);
    let checks = 0;
    let fuzzing = true;
    const watcher = (async () => {
      while (fuzzing) {
        const before = good.received().length;
        const value = `v${checks}`;
        good.send(command('SET', 'good:key', value) + command('GET', 'good:key'));
        await good.waitFor(`+OK\r\n$${value.length}\r\n${value}\r\n`, 5000);
        expect(good.received().slice(before)).toBe(`+OK\r\n$${value.length}\r\n${value}\r\n`);
        checks++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const per = Math.ceil(FRAMES / CONNECTIONS);
    const sent = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => fuzzConnection(1000 + i, per, deadline)));
    fuzzing = false;
    await watcher;
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(FRAMES);
    expect(checks).toBeGreaterThan(10);
    // Most frames are broken, but many must have reached the engine as commands.
    expect(server.engine.stats.totalCommandsProcessed).toBeGreaterThan(FRAMES / 10);
    console.log(`fuzz: ${sent.reduce((a, b) => a + b, 0)} frames, ${server.engine.stats.totalCommandsProcessed} commands run, ${server.engine.stats.totalConnectionsReceived} connections, ${checks} checks`);
    good.send(command('PING'));
    await good.waitFor('+PONG\r\n');
    good.socket.destroy();
  }, TIME_BOX_MS + 30000);
});
