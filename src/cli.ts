#!/usr/bin/env node
/**
 * The redislings command. `--version` and `--help` answer before anything heavy is imported, and
 * each subcommand loads only what it needs. Without a subcommand it opens the tutorial (src/ui/),
 * which needs a terminal.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

// A reader that went away (`redislings list | head`): the text it did not want is dropped and
// the command ends as it would have, as Unix tools do, instead of dying on an unhandled EPIPE.
// (`redislings cli` keeps its own handler: redis-cli goes on reading commands.)
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  if (process.stdout.listenerCount('error') === 1) process.exit(process.exitCode ?? 0);
});

const program = new Command()
  .name('redislings')
  .description('Learn Redis by doing, in your terminal.')
  .version(version)
  .enablePositionalOptions();

// Where lessons run (a real server, issue 7), for the app; `selftest` takes the same three.
// The app reads them with resolveBackendChoice(program.opts()) (src/backend/open.ts).
const BACKEND_OPTIONS = [
  ['--url <url>', 'practise on your own Redis server: redis://[user:password@]host:port[/db], rediss:// for TLS (default: $REDIS_URL)'],
  ['--engine <engine>', 'bundled (the default: the engine inside redislings) or redis-server (a private redis-server from PATH)'],
  ['--db <n>', 'the database lessons use on a real server (default 15); no other database is touched'],
] as const;
for (const [flags, text] of BACKEND_OPTIONS) program.option(flags, text);

// A teacher's lesson pack (src/lessons/lesson-set.ts), for the app and `list`.
const PACK_OPTIONS = [
  ['--lessons <dir>', 'a lesson pack (a directory of lesson files): its lessons beside the built-in ones'],
  ['--only', 'with --lessons: only the pack\'s lessons, without the built-in ones'],
] as const;

interface PackFlags {
  lessons?: string;
  only?: boolean;
}

/** The lesson set's options from --lessons and --only; --only alone is an error. */
function lessonSetOptions(opts: PackFlags, cmd: Command): { lessonsDir?: string; only?: boolean } {
  if (opts.only && opts.lessons === undefined) cmd.error('error: --only needs --lessons DIR (the lesson pack to take alone)');
  return { ...(opts.lessons === undefined ? {} : { lessonsDir: opts.lessons }), ...(opts.only ? { only: true } : {}) };
}

program
  .option(...PACK_OPTIONS[0])
  .option(...PACK_OPTIONS[1])
  .option('--strict', 'graded work: no :solution, and skipped steps are counted (also set by a pack\'s strict: true)')
  .option('--reset-progress', 'forget all progress (the old file is kept aside), then exit')
  .action(async (opts: PackFlags & { strict?: boolean; resetProgress?: boolean }) => {
    const lessonSet = lessonSetOptions(opts, program);
    const { appDirs } = await import('./progress/store.js');
    const dirs = appDirs();
    // Where lessons run. With no flag and no REDIS_URL it is the bundled engine, known without
    // loading the backend chooser (which loads node:tls: time the first frame need not spend).
    const flags = program.opts<{ url?: string; engine?: string; db?: string }>();
    let backendChoice;
    if (flags.url !== undefined || flags.engine !== undefined || flags.db !== undefined || process.env.REDIS_URL) {
      const [{ resolveBackendChoice }, { ConnectError }] = await Promise.all([import('./backend/open.js'), import('./backend/endpoint.js')]);
      try {
        backendChoice = resolveBackendChoice(flags);
      } catch (e) {
        if (!(e instanceof ConnectError)) throw e;
        process.stderr.write(`redislings: ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
    }
    if (opts.resetProgress) {
      const { runResetProgress } = await import('./progress/cli.js');
      process.exitCode = runResetProgress(dirs);
      return;
    }
    // Strict mode: asked for, or the pack's (its pack.yaml says strict: true). A pack.yaml that
    // cannot be read is said even where there is no terminal.
    let strict = opts.strict === true;
    if (!strict && opts.lessons !== undefined) {
      const { PackFileError, readPack } = await import('./lessons/pack.js');
      try {
        strict = readPack(opts.lessons).strict;
      } catch (e) {
        if (!(e instanceof PackFileError)) throw e;
        process.stderr.write(`redislings: ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
    }
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stderr.write(
        'redislings is an interactive tutorial and needs a terminal (its input or output is not one here).\n' +
        'To run Redis commands from a script or a pipe, use the redis-cli work-alike:\n' +
        "  printf 'SET a 1\\nGET a\\n' | redislings cli\n" +
        'and `redislings list` shows the lessons and your progress as text.\n',
      );
      process.exitCode = 1;
      return;
    }
    // NO_COLOR (no-color.org) turns colours and styles off; FORCE_COLOR, when set, wins. Both must
    // be settled before Ink (and its chalk) is loaded.
    if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
    const plain = process.env.FORCE_COLOR === '0' || process.env.FORCE_COLOR === 'false';
    const { runApp } = await importInkApp();
    try {
      process.exitCode = await runApp({
        ...lessonSet,
        ...(backendChoice === undefined ? {} : { backendChoice }),
        dirs, version, plain, strict,
      });
    } catch (e) {
      // A lessons directory that cannot be read, or a broken pack.yaml, fails in the loader, so
      // loading it here is free.
      const { isLessonSetError } = await import('./lessons/lesson-set.js');
      if (!isLessonSetError(e)) throw e;
      process.stderr.write(`redislings: ${e.message}\n`);
      process.exitCode = 1;
    }
  });

program
  .command('list')
  .description('the lessons and your progress, as text')
  .option(...PACK_OPTIONS[0])
  .option(...PACK_OPTIONS[1])
  .action(async (opts: PackFlags, cmd: Command) => {
    const lessonSet = lessonSetOptions(opts, cmd);
    const [{ appDirs }, { runList }] = await Promise.all([import('./progress/store.js'), import('./progress/cli.js')]);
    process.exitCode = await runList({ ...lessonSet, dirs: appDirs(), version });
  });

program
  .command('progress')
  .description('your progress as JSON (--json), or moved between machines: --export FILE, then --import FILE on the other one')
  .option('--json', 'every step of every lesson: done, when, attempts, hints, solutions, skipped, strict (for a teacher\'s script)')
  .option('--lessons <dir>', 'with --json: a lesson pack, its lessons beside the built-in ones')
  .option('--only', 'with --lessons: only the pack\'s lessons')
  .option('--export <file>', 'write your progress to FILE')
  .option('--import <file>', 'replace your progress with FILE (the old one is kept aside)')
  .action(async (opts: PackFlags & { json?: boolean; export?: string; import?: string }, cmd: Command) => {
    const given = [opts.json, opts.export, opts.import].filter((o) => o !== undefined).length;
    if (given !== 1) cmd.error('redislings progress: give exactly one of --json, --export FILE or --import FILE');
    if (opts.lessons !== undefined && opts.json === undefined) cmd.error('redislings progress: --lessons goes with --json');
    const lessonSet = lessonSetOptions(opts, cmd);
    const [{ appDirs }, progress] = await Promise.all([import('./progress/store.js'), import('./progress/cli.js')]);
    if (opts.json) {
      process.exitCode = await progress.runProgressJson({ ...lessonSet, dirs: appDirs(), version });
      return;
    }
    process.exitCode = opts.export !== undefined ? progress.runExport(opts.export, appDirs()) : progress.runImport(opts.import as string, appDirs());
  });

program
  .command('report')
  .description('write your completion record for a teacher (--name), or check one (--check FILE)')
  .option('--name <name>', 'your name, as your teacher knows it (required to write a record)')
  .option('--out <file>', 'where to write it (default: redislings-report-<name>.json in this directory)')
  .option('--check <file>', 'verify a record: written by redislings with the pack\'s key, and not edited')
  .option('--lessons <dir>', 'the lesson pack (its pack.yaml\'s report key signs and checks records)')
  .option('--only', 'with --lessons: the record covers only the pack\'s lessons')
  .addHelpText('after', '\nA record is signed when the pack has a report key (pack.yaml: report: { key: … }).\n'
    + 'The signature shows it was written by redislings with that key and not edited since;\n'
    + 'it cannot stop a student who reads the key from the pack from signing a record themselves.')
  .action(async (opts: PackFlags & { name?: string; out?: string; check?: string }, cmd: Command) => {
    const lessons = lessonSetOptions(opts, cmd);
    if (opts.check !== undefined) {
      if (opts.name !== undefined || opts.out !== undefined) cmd.error('redislings report: --check reads a record; --name and --out are for writing one');
      const { runReportCheck } = await import('./progress/report-cli.js');
      process.exitCode = await runReportCheck(opts.check, lessons);
      return;
    }
    if (opts.name === undefined) cmd.error('redislings report: give your name, e.g. --name "Ada Lovelace" (or --check FILE to verify a record)');
    const [{ appDirs }, { runReport }] = await Promise.all([import('./progress/store.js'), import('./progress/report-cli.js')]);
    process.exitCode = await runReport({
      ...lessons, name: opts.name as string, ...(opts.out === undefined ? {} : { out: opts.out }), dirs: appDirs(), version, cwd: process.cwd(),
    });
  });

program
  .command('cli')
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
  .usage('[options] [--<config-name> <value> ...]')
  .option('--port <port>', 'TCP port to listen on (0: any free port)', '6380')
  .option('--bind <address>', 'interface to listen on', '127.0.0.1')
  .option('--requirepass <password>', 'clients must AUTH with this password')
  .option('--dir <directory>', 'keep the data there (AOF, dump.rdb, redislings.conf) and load it at start')
  .addHelpText('after', '\nAny redis.conf parameter can follow, as with redis-server:\n'
    + '  redislings server --dir data --appendonly yes --appendfsync always --save "900 1"')
  // redis-server's `--name value…` for every other parameter (see parseConfigArgs).
  .allowUnknownOption()
  .argument('[config...]')
  .action(async (config: string[], opts: { port: string; bind: string; requirepass?: string; dir?: string }) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`Invalid port: ${opts.port}\n`);
      process.exitCode = 1;
      return;
    }
    const { parseConfigArgs } = await import('./server/config-args.js');
    const pairs = parseConfigArgs(config);
    if (typeof pairs === 'string') {
      process.stderr.write(`${pairs}\n`);
      process.exitCode = 1;
      return;
    }
    const { runServer } = await import('./server/run.js');
    process.exitCode = await runServer({ port, bind: opts.bind, requirepass: opts.requirepass, dir: opts.dir, config: pairs });
  });

program
  .command('validate')
  .description('check lesson files: format, commands and arities, ids; a pack\'s pack.yaml too (default: the built-in lessons)')
  .argument('[dir]', 'a lesson pack (a directory of lesson files)')
  .option('--only', 'the pack is taken alone (--lessons DIR --only): its lesson ids may be built-in ones')
  .action(async (dir: string | undefined, opts: { only?: boolean }, cmd: Command) => {
    if (opts.only && dir === undefined) cmd.error('error: --only needs a lesson pack: redislings validate DIR --only');
    const { runValidate } = await import('./lessons/cli.js');
    process.exitCode = runValidate({ ...(dir === undefined ? {} : { dir }), ...(opts.only ? { only: true } : {}) });
  });

program
  .command('selftest')
  .description('prove every lesson step fails before its solution and passes after (on the bundled engine, or a real server with --url / --engine redis-server)')
  .option('--lessons <dir>', 'a lesson pack: test its lessons (default: the built-in lessons)')
  .option('--lesson <id>', 'only the lesson with this id')
  .option(...BACKEND_OPTIONS[0])
  .option(...BACKEND_OPTIONS[1])
  .option(...BACKEND_OPTIONS[2])
  .action(async (opts: { lessons?: string; lesson?: string; url?: string; engine?: string; db?: string }) => {
    const { resolveBackendChoice } = await import('./backend/open.js');
    const { ConnectError } = await import('./backend/endpoint.js');
    let backend;
    try {
      // Not REDIS_URL: a selftest runs on a real server only when asked on its command line.
      backend = resolveBackendChoice({ ...program.opts<{ url?: string; engine?: string; db?: string }>(), ...opts }, {});
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      process.stderr.write(`redislings: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    const { runSelftest } = await import('./lessons/cli.js');
    process.exitCode = await runSelftest({ lessons: opts.lessons, lesson: opts.lesson, backend });
  });

program
  .command('new-lesson')
  .description('start a lesson of your own: writes a small working lesson file (and pack.yaml) to edit')
  .argument('[dir]', 'the lesson pack\'s directory (default: this directory)')
  .option('--id <id>', 'the lesson\'s id: lower-case letters, digits and dashes (default: from the title)')
  .option('--title <title>', 'the lesson\'s title, as the menu shows it')
  .action(async (dir: string | undefined, opts: { id?: string; title?: string }) => {
    const { runNewLesson } = await import('./lessons/new-lesson.js');
    process.exitCode = runNewLesson({ dir: dir ?? '.', ...(opts.id === undefined ? {} : { id: opts.id }), ...(opts.title === undefined ? {} : { title: opts.title }) });
  });

program
  .command('check-rdb')
  .description('check an RDB file (dump.rdb) the way redis-check-rdb does')
  .argument('<path>', 'the RDB file')
  .action(async (file: string) => {
    const { runCheckRdb } = await import('./engine/persistence/check-rdb.js');
    process.exitCode = runCheckRdb(file);
  });

program
  .command('check-aof')
  .description('check (and with --fix repair) an append-only file the way redis-check-aof does')
  .usage('[--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>')
  .allowUnknownOption()
  .helpOption(false)
  .argument('[args...]')
  .action(async (args: string[]) => {
    const { runCheckAof } = await import('./engine/persistence/check-aof.js');
    process.exitCode = runCheckAof(args);
  });

program
  .command('exercise')
  .description('write a code exercise\'s starter into this directory (no id: list the exercises)')
  .argument('[id]', 'the exercise')
  .option('--lang <language>', 'js (JavaScript) or ts (TypeScript)', 'js')
  .action(async (id: string | undefined, opts: { lang: string }) => {
    const { runExerciseCommand } = await import('./exercises/command.js');
    process.exitCode = runExerciseCommand(id, opts.lang, process.cwd(), process.stdout, process.stderr);
  });

program
  .command('verify')
  .description('run your program for a code exercise against Redis and judge what it does')
  .argument('<id>', 'the exercise')
  .argument('[file]', 'your program (default: <id>.mjs or <id>.mts here)')
  .option('--url <url>', 'use this Redis (redis://host:port[/db]) instead of a bundled server')
  .option('--reset', 'with --url: delete the exercise\'s keys first, if they exist')
  .action(async (id: string, file: string | undefined, opts: { url?: string; reset?: boolean }) => {
    const { runVerifyCommand } = await import('./exercises/command.js');
    process.exitCode = await runVerifyCommand(id, file, opts, process.cwd(), process.stdout, process.stderr);
  });

/**
 * The app's module, with Ink. Ink draws only the last frame, at exit, when it believes it runs in
 * CI (is-in-ci reads CI and CONTINUOUS_INTEGRATION once, when it is first imported); but the app
 * only starts on a terminal, where a learner whose shell happens to export CI=true must still see
 * it. So both are hidden from that import, then put back for what the app starts.
 */
async function importInkApp(): Promise<typeof import('./ui/main.js')> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await import('./ui/main.js');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}

await program.parseAsync();
