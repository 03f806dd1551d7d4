#!/usr/bin/env node
/**
 * The redislings command. `--version` and `--help` answer before anything heavy is imported, and
 * each subcommand loads only what it needs.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

const program = new Command()
  .name('redislings')
  .description('Learn Redis by doing, in your terminal.')
  .version(version)
  .enablePositionalOptions();

program
  .command('cli', { isDefault: true })
  .description('a redis-cli compatible prompt on the bundled engine (redislings cli --help for its options)')
  .usage('[OPTIONS] [cmd [arg [arg ...]]]')
  .argument('[args...]')
  // redis-cli's options are read by the cli itself (src/cli/options.ts), as redis-cli reads them:
  // up to the first word that is not an option; the rest is the command, whatever it looks like.
  .helpOption(false)
  .allowUnknownOption()
  .passThroughOptions()
  .action(async (args: string[]) => {
    // The options first: `cli --help` and bad options answer without loading the engine.
    const { parseCliArgs } = await import('./cli/options.js');
    const parsed = parseCliArgs(args);
    if (parsed.kind === 'exit') {
      if (parsed.stdout) process.stdout.write(parsed.stdout);
      if (parsed.stderr) process.stderr.write(parsed.stderr);
      process.exitCode = parsed.code;
      return;
    }
    const { runCli } = await import('./cli/run.js');
    process.exitCode = await runCli(parsed.options, parsed.command);
  });

program
  .command('server')
  .description('the bundled engine over TCP, for redis-cli and Redis client libraries')
  .option('--port <port>', 'TCP port to listen on (0: any free port)', '6380')
  .option('--bind <address>', 'interface to listen on', '127.0.0.1')
  .option('--requirepass <password>', 'clients must AUTH with this password')
  .action(async (opts: { port: string; bind: string; requirepass?: string }) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`Invalid port: ${opts.port}\n`);
      process.exitCode = 1;
      return;
    }
    const { runServer } = await import('./server/run.js');
    process.exitCode = await runServer({ port, bind: opts.bind, requirepass: opts.requirepass });
  });

program
  .command('validate')
  .description('check lesson files: format, commands and arities, ids (default: the shipped lessons)')
  .argument('[dir]', 'a directory of lesson files')
  .action(async (dir: string | undefined) => {
    const { runValidate } = await import('./lessons/cli.js');
    process.exitCode = runValidate(dir);
  });

program
  .command('selftest')
  .description('prove every lesson step fails before its solution and passes after, on the bundled engine')
  .option('--lessons <dir>', 'a directory of lesson files (default: the shipped lessons)')
  .option('--only <id>', 'only the lesson with this id')
  .action(async (opts: { lessons?: string; only?: string }) => {
    const { runSelftest } = await import('./lessons/cli.js');
    process.exitCode = await runSelftest(opts);
  });

await program.parseAsync();
