import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../src/engine/command-table.js';
import { COMMANDS, lookupCommand } from '../../src/engine/commands.js';
import { Engine } from '../../src/engine/engine.js';

describe('the command table', () => {
  it('has a handler for every command and subcommand it lists', () => {
    const missing = COMMAND_TABLE.filter((meta) => {
      if (meta.container) return !COMMANDS.get(meta.container)?.subcommands?.has(meta.name.slice(meta.container.length + 1));
      return !COMMANDS.has(meta.name);
    }).map((m) => m.name);
    expect(missing).toEqual([]);
  });

  it('finds commands in any case', () => {
    expect(lookupCommand(['GET'])?.name).toBe('get');
    expect(lookupCommand(['gEt'])?.name).toBe('get');
    expect(lookupCommand(['nosuch'])).toBeUndefined();
  });

  it("checks arity with Redis' message before running anything", async () => {
    const engine = new Engine({ activeExpiry: false });
    const c = engine.connect();
    expect(await c.execute(['GET'])).toEqual({ kind: 'error', message: "ERR wrong number of arguments for 'get' command" });
    expect(await c.execute(['GET', 'a', 'b'])).toEqual({ kind: 'error', message: "ERR wrong number of arguments for 'get' command" });
    expect(await c.execute(['Foo', 'x'])).toEqual({ kind: 'error', message: "ERR unknown command 'Foo', with args beginning with: 'x' " });
    engine.close();
  });
});
