/**
 * The repl's session logic on a fake server (the engine on this branch has no SUBSCRIBE, BLPOP
 * or QUIT yet): the prompt's db and (TX), repeat counts, preferences, timing, the pub/sub reading
 * mode with messages arriving over time, Ctrl-C, lost connections, history filtering.
 */
import { describe, expect, it } from 'vitest';
import { HelpTable } from '../../src/cli/help.js';
import { ExitError, Repl, type CliConnection, type ReplIO, type ReplOptions } from '../../src/cli/repl.js';
import type { Protocol } from '../../src/resp/encode.js';
import { array, bulk, error, integer, map, NIL_ARRAY, OK, simple, verbatim, type Reply } from '../../src/resp/reply.js';

/** A connection to a pretend server that knows a few commands, enough to drive the repl. */
class FakeConnection implements CliConnection {
  closed = false;
  resp: Protocol = 2;
  db = 0;
  readonly log: string[] = [];
  blocked: ((reply: Reply) => void) | undefined;
  /** EXEC answers nil, as when a WATCHed key changed. */
  execNil = false;

  constructor(readonly server: FakeServer, readonly push: (reply: Reply) => void) {}

  execute(argv: readonly string[]): Reply | Promise<Reply> {
    this.log.push(argv.join(' '));
    const [name = '', ...args] = argv;
    switch (name.toLowerCase()) {
      case 'ping': return simple('PONG');
      case 'select': {
        const db = Number(args[0]);
        if (!(db >= 0 && db < 16)) return error('ERR DB index is out of range');
        this.db = db;
        return OK;
      }
      case 'hello':
        this.resp = 3;
        return map([[bulk('proto'), integer(3)]]);
      case 'multi': case 'discard': case 'reset': return OK;
      case 'exec': return this.execNil ? NIL_ARRAY : array([]);
      case 'slow':
        this.server.clock += Number(args[0]);
        return OK;
      case 'quit':
        this.closed = true;
        return OK;
      case 'client': return verbatim('id=1 addr=x\n');
      case 'blpop': return new Promise((resolve) => { this.blocked = resolve; });
      case 'pushme':
        // Like a tracking invalidation of the client's own write, which Redis 7.0 sends after the reply.
        setImmediate(() => this.push(array([bulk('invalidate'), array([bulk('k')])])));
        return OK;
      case 'subscribe': {
        // As the engine answers a command with several replies: all but the last pushed, in order.
        if (args.length === 0) return error("ERR wrong number of arguments for 'subscribe' command");
        const replies = args.map((ch, i) => array([bulk('subscribe'), bulk(ch), integer(i + 1)]));
        for (const r of replies.slice(0, -1)) this.push(r);
        return replies[replies.length - 1] as Reply;
      }
      default: return error(`ERR unknown command '${name}'`);
    }
  }

  close(): void {
    this.closed = true;
  }
}

class FakeServer {
  readonly connections: FakeConnection[] = [];
  clock = 1000;
  out = '';
  err = '';
  readonly io: ReplIO = {
    write: (s) => { this.out += s; },
    error: (s) => { this.err += s; },
    now: () => this.clock,
    sleep: async (ms) => { this.clock += ms; },
  };

  get last(): FakeConnection {
    return this.connections[this.connections.length - 1] as FakeConnection;
  }

  repl(options: Partial<ReplOptions> = {}, history?: (line: string) => void): Repl {
    return new Repl(
      (onPush) => {
        const c = new FakeConnection(this, onPush);
        this.connections.push(c);
        return c;
      },
      this.io,
      { output: 'standard', interactive: true, ...options },
      () => HelpTable.bundled(),
      history,
    );
  }

  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }
}

async function session(options: Partial<ReplOptions> = {}): Promise<{ server: FakeServer; repl: Repl }> {
  const server = new FakeServer();
  const repl = server.repl(options);
  await repl.connect();
  return { server, repl };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Repl', () => {
  it('shows the db and (TX) in the prompt as redis-cli tracks them', async () => {
    const { server, repl } = await session({ db: 2 });
    expect(server.last.log).toEqual(['SELECT 2']);
    expect(repl.prompt()).toBe('redislings[2]> ');
    await repl.line('select 5');
    expect(repl.prompt()).toBe('redislings[5]> ');
    await repl.line('select 99');
    expect(repl.prompt()).toBe('redislings[5]> ');
    await repl.line('multi');
    expect(repl.prompt()).toBe('redislings[5](TX)> ');
    await repl.line('select 0');
    expect(repl.prompt()).toBe('redislings(TX)> ');
    server.last.execNil = true;
    await repl.line('exec');
    // EXEC answered nil (a WATCH failed): redis-cli goes back to the db of before MULTI.
    expect(repl.prompt()).toBe('redislings[5]> ');
    server.last.execNil = false;
    await repl.line('multi');
    await repl.line('select 3');
    expect(repl.prompt()).toBe('redislings[3](TX)> ');
    await repl.line('discard');
    expect(repl.prompt()).toBe('redislings[5]> ');
    await repl.line('select 4');
    await repl.line('reset');
    expect(repl.prompt()).toBe('redislings> ');
    expect(server.take()).toBe('OK\n(error) ERR DB index is out of range\nOK\nOK\n(nil)\nOK\nOK\nOK\nOK\nOK\n');
  });

  it('runs a command as many times as a leading count says', async () => {
    const { server, repl } = await session();
    await repl.line('3 ping');
    await repl.line('0 ping');
    await repl.line('-1 ping');
    await repl.line('"" ping');
    await repl.line('99999999999999999999 ping');
    await repl.line('3');
    expect(server.take()).toBe(
      'PONG\nPONG\nPONG\n' + 'Invalid redis-cli repeat command option value.\n'.repeat(4) + "(error) ERR unknown command '3'\n");
  });

  it('answers its own commands: quit, exit, :set, restart, clear, help, invalid lines', async () => {
    const { server, repl } = await session();
    expect(await repl.line('QUIT')).toBe('quit');
    expect(await repl.line('exit now')).toBe('quit');
    await repl.line(':set nohints');
    expect(repl.hints).toBe(false);
    await repl.line(':SET HINTS');
    expect(repl.hints).toBe(true);
    await repl.line(':set colors');
    await repl.line(':hello');
    await repl.line('restart');
    await repl.line('clear');
    await repl.line('"unbalanced');
    await repl.line('2 help get');
    expect(server.take()).toBe(
      "unknown redis-cli preference 'colors'\nunknown redis-cli internal command ':hello'\n" +
      "Use 'restart' only in Lua debugging mode.\n\x1b[H\x1b[2JInvalid argument(s)\n" +
      '\r\n  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Get the value of a key\r\n' +
      '  \x1b[33msince:\x1b[0m 1.0.0\r\n  \x1b[33mgroup:\x1b[0m string\r\n\r\n');
    expect(server.last.log).toEqual([]);
  });

  it('prints how long a command took from half a second on, in standard mode only', async () => {
    const { server, repl } = await session();
    await repl.line('slow 499');
    await repl.line('slow 500');
    await repl.line('slow 1234');
    expect(server.take()).toBe('OK\nOK\n(0.50s)\nOK\n(1.23s)\n');
    const raw = await session({ output: 'raw' });
    await raw.repl.line('slow 900');
    expect(raw.server.take()).toBe('OK\n');
  });

  it('waits -i between the runs of a command', async () => {
    const { server, repl } = await session({ intervalMs: 300 });
    await repl.line('2 ping');
    expect(server.take()).toBe('PONG\nPONG\n(0.60s)\n');
  });

  it('prints INFO-like replies verbatim', async () => {
    const { server, repl } = await session();
    await repl.line('CLIENT LIST');
    expect(server.take()).toBe('id=1 addr=x\n');
  });

  it('reads pub/sub messages as they arrive until Ctrl-C, then reconnects', async () => {
    const { server, repl } = await session({ db: 3 });
    const first = server.last;
    const done = repl.line('subscribe a b');
    await tick();
    expect(server.take()).toBe(
      'Reading messages... (press Ctrl-C to quit)\n' +
      '1) "subscribe"\n2) "a"\n3) (integer) 1\n1) "subscribe"\n2) "b"\n3) (integer) 2\n');
    first.push(array([bulk('message'), bulk('a'), bulk('hello')]));
    expect(server.take()).toBe('1) "message"\n2) "a"\n3) "hello"\n');
    server.clock += 2000;
    expect(repl.interrupt()).toBe(true);
    expect(await done).toBe('continue');
    expect(server.take()).toBe('(2.00s)\n');
    expect(first.closed).toBe(true);
    expect(server.last).not.toBe(first);
    expect(server.last.log).toEqual(['SELECT 3']);
    expect(repl.interrupt()).toBe(false);
    await repl.line('ping');
    expect(server.take()).toBe('PONG\n');
  });

  it('leaves pub/sub mode at once when SUBSCRIBE fails, and says nothing of it in raw mode', async () => {
    const { server, repl } = await session();
    await repl.line('subscribe');
    expect(server.take()).toBe("Reading messages... (press Ctrl-C to quit)\n(error) ERR wrong number of arguments for 'subscribe' command\n");
    const raw = await session({ output: 'raw' });
    const done = raw.repl.line('subscribe a');
    await tick();
    raw.repl.interrupt();
    await done;
    expect(raw.server.take()).toBe('subscribe\na\n1\n');
  });

  it('cancels a blocking command on Ctrl-C at the prompt, keeping the session', async () => {
    const { server, repl } = await session({ db: 1, cancelBlocking: true });
    const first = server.last;
    const done = repl.line('blpop q 0');
    await tick();
    server.clock += 700;
    expect(repl.interrupt()).toBe(true);
    await done;
    expect(server.take()).toBe('(0.70s)\n');
    expect(first.closed).toBe(true);
    expect(server.last.log).toEqual(['SELECT 1']);
    expect(repl.prompt()).toBe('redislings[1]> ');
  });

  it('lets Ctrl-C through during a blocking command where redis-cli exits', async () => {
    const { server, repl } = await session();
    const done = repl.line('blpop q 0');
    await tick();
    expect(repl.interrupt()).toBe(false);
    server.last.blocked?.(NIL_ARRAY);
    await done;
    expect(server.take()).toBe('(nil)\n');
  });

  it('reports a connection closed by the server, then reconnects', async () => {
    const { server, repl } = await session();
    await repl.line('2 quit');
    expect(server.take()).toBe('OK\n');
    expect(server.err).toBe('Error: Server closed the connection\n');
    await repl.line('ping');
    expect(server.take()).toBe('PONG\n');
    expect(server.connections).toHaveLength(2);
  });

  it('prints RESP3 pushes when asked to, and switches to RESP3 with -3', async () => {
    const { server, repl } = await session({ resp3: true, pushOutput: true });
    expect(server.last.log).toEqual(['HELLO 3']);
    await repl.line('pushme');
    await tick();
    expect(server.take()).toBe('OK\n1) "invalidate"\n2) 1) "k"\n');
    const quiet = await session({ resp3: true });
    await quiet.repl.line('pushme');
    await tick();
    expect(quiet.server.take()).toBe('OK\n');
  });

  it('exits on an error reply with -e in one-shot mode', async () => {
    const { server, repl } = await session({ interactive: false, exitOnError: true });
    await expect(repl.issueCommand(['nosuch'])).rejects.toBeInstanceOf(ExitError);
    expect(server.err).toBe("ERR unknown command 'nosuch'\n");
  });

  it('runs a one-shot command -r times', async () => {
    const { server, repl } = await session({ interactive: false, repeat: 3, output: 'raw' });
    expect(await repl.issueCommand(['ping'])).toBe(true);
    expect(server.take()).toBe('PONG\nPONG\nPONG\n');
  });

  it('keeps sensitive commands out of the history', async () => {
    const server = new FakeServer();
    const history: string[] = [];
    const repl = server.repl({}, (line) => history.push(line));
    await repl.connect();
    for (const line of ['ping', 'AUTH secret', '2 auth x', 'config set requirepass x', 'HELLO 3 AUTH u p',
      'HELLO 3 SETNAME n', '"bad', 'acl setuser x', 'config get requirepass']) await repl.line(line);
    expect(history).toEqual(['ping', 'HELLO 3 SETNAME n', '"bad', 'config get requirepass']);
  });
});
