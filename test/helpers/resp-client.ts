/**
 * A minimal RESP client for tests: sends commands to a real redis-server and hands back each
 * reply as our typed Reply (src/resp/decode.ts), so tests can render exactly what redis-cli got.
 */
import net from 'node:net';
import { parseReply } from '../../src/resp/decode.js';
import { encode } from '../../src/resp/encode.js';
import type { Reply } from '../../src/resp/reply.js';

export interface RespClient {
  call(...argv: string[]): Promise<Reply>;
  close(): void;
}

export function respClient(port: number): Promise<RespClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    const waiting: ((reply: Reply) => void)[] = [];
    socket.on('data', (data) => {
      buffer += data.toString('latin1');
      for (;;) {
        const parsed = parseReply(buffer);
        if (!parsed) break;
        buffer = buffer.slice(parsed.end);
        waiting.shift()?.(parsed.reply);
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => resolve({
      call: (...argv) => new Promise((done) => {
        waiting.push(done);
        const command: Reply = { kind: 'array', items: argv.map((value) => ({ kind: 'bulk', value })) };
        socket.write(Buffer.from(encode(command, 2), 'latin1'));
      }),
      close: () => socket.end(),
    }));
  });
}
