#!/usr/bin/env node
/**
 * The redislings command. `--version` and `--help` answer before anything heavy is imported, and
 * each subcommand loads only what it needs.
 */
import { Command, Option } from 'commander';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

const program = new Command()
  .name('redislings')
  .description('Learn Redis by doing, in your terminal.')
  .version(version);

program
  .command('cli', { isDefault: true })
  .description('a redis-cli compatible prompt on the bundled engine')
  .addOption(new Option('--raw', 'use raw formatting for replies (the default when stdout is not a tty)'))
  .addOption(new Option('--no-raw', 'force formatted output even when stdout is not a tty'))
  .addOption(new Option('-n <db>', 'database number').argParser((v) => Number.parseInt(v, 10)))
  .action(async (opts: { raw?: boolean; n?: number }) => {
    const { runCli } = await import('./cli/run.js');
    process.exitCode = await runCli({ raw: opts.raw, db: opts.n });
  });

await program.parseAsync();
