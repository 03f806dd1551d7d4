/**
 * One client connection of `redislings server`: bytes in through the request parser, commands
 * run on the connection's engine client in order, replies encoded in the client's protocol and
 * written back. Like Redis, a client whose command blocks (BLPOP…) has its later commands wait
 * until the blocked one is answered; pub/sub messages are written when they are published.
 */
import type net from 'node:net';
import { encode } from '../resp/encode.js';
import type { Reply } from '../resp/reply.js';
import type { Client } from '../engine/client.js';
import type { Engine } from '../engine/engine.js';
import { ProtocolError, RequestParser } from './request-parser.js';

export class Connection {
  readonly client: Client;
  private readonly parser = new RequestParser();
  /** Replies produced while handling one chunk of input, written together. */
  private out: string[] = [];
  private waiting = false;
  private closing = false;

  constructor(
    engine: Engine,
    private readonly socket: net.Socket,
    private readonly onQuit: (c: Connection) => void,
  ) {
    this.client = engine.connect({
      onPush: (reply) => this.write(reply),
      addr: `${socket.remoteAddress}:${socket.remotePort}`,
      laddr: `${socket.localAddress}:${socket.localPort}`,
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => this.client.close());
    socket.on('error', () => this.client.close());
  }

  private receive(chunk: Buffer): void {
    this.parser.push(chunk);
    this.drain();
  }

  /** Runs every complete command buffered, stopping at a blocked one. */
  private drain(): void {
    while (!this.waiting && !this.closing) {
      const argv = this.parser.next();
      if (argv === undefined) break;
      if (argv instanceof ProtocolError) {
        // Redis answers a protocol error and closes the connection once the reply is written.
        this.queue({ kind: 'error', message: argv.message });
        this.close();
        break;
      }
      const reply = this.client.execute(argv);
      const name = (argv[0] as string).toLowerCase();
      if (reply instanceof Promise) {
        this.waiting = true;
        this.flush();
        reply.then((r) => {
          this.waiting = false;
          this.write(r);
          this.drain();
        }, (e: unknown) => {
          this.waiting = false;
          this.write({ kind: 'error', message: `ERR ${e instanceof Error ? e.message : String(e)}` });
          this.drain();
        });
        return;
      }
      this.queue(reply);
      if (name === 'quit' && reply.kind !== 'error') {
        this.close();
        break;
      }
    }
    this.flush();
  }

  private queue(reply: Reply): void {
    this.out.push(encode(reply, this.client.resp));
  }

  /** Writes a reply now (a push, or the answer to a blocked command). */
  write(reply: Reply): void {
    this.queue(reply);
    this.flush();
  }

  private flush(): void {
    if (this.out.length === 0 || this.socket.destroyed) {
      this.out = [];
      return;
    }
    this.socket.write(Buffer.from(this.out.length === 1 ? (this.out[0] as string) : this.out.join(''), 'latin1'));
    this.out = [];
  }

  /** Closes after what is written so far. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.flush();
    this.socket.end();
    this.client.close();
    this.onQuit(this);
  }
}
