/**
 * Puts the app together for a run (main.tsx) or a test: progress, lesson views (from the cache
 * when the files have not changed), history, the first state, the store and the session with
 * what it needs. Heavy parts (the lesson parser, the engine, the command help) are imported
 * only when the session asks for them, after the first frame.
 */
import path from 'node:path';
import { History, historyFile } from '../cli/history.js';
import type { BackendChoice } from '../backend/open.js';
import type { Lesson } from '../lessons/model.js';
import type { AppDirs } from '../progress/store.js';
import { ProgressStore } from '../progress/store.js';
import { fromBytes, toBytes } from '../resp/reply.js';
import { freshViews, loadViews } from './lesson-view.js';
import { type BackendSetup, Session } from './session.js';
import type { CommandHelp, Size } from './state/types.js';
import { init } from './state/update.js';
import { Store } from './store.js';

export interface AppConfig {
  /** A lesson pack's directory: its lessons beside the built-in ones (src/lessons/lesson-set.ts). */
  readonly lessonsDir?: string;
  /** Only the pack's lessons. */
  readonly only?: boolean;
  readonly dirs: AppDirs;
  readonly size: Size;
  /** redislings' version: part of the lesson cache's key. */
  readonly version: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Multiplies background actors' delays (tests). */
  readonly timeScale?: number;
  /** Where lessons run (--url, --engine, --db, REDIS_URL): the bundled engine when absent. */
  readonly backendChoice?: BackendChoice;
  /**
   * Without a backendChoice: look for a Redis on this address (default 127.0.0.1:6379) and offer
   * it in the menu. Off unless asked for (the app asks; tests choose).
   */
  readonly offerLocalRedis?: { readonly host?: string; readonly port?: number };
  /** Strict mode (graded work: --strict, or the pack's strict: true). */
  readonly strict?: boolean;
  /** Where exercise steps write starters and look for the learner's program (default: the current directory). */
  readonly workDir?: string;
}

export interface AppParts {
  readonly store: Store;
  readonly session: Session;
  /** Resolves when the learner has quit and everything is closed. */
  readonly exited: Promise<void>;
}

/** The bundled engine, its keyspace read in place. */
async function bundledBackend(): Promise<BackendSetup> {
  const [{ BundledBackend }, { engineKeyspace }] = await Promise.all([import('../backend/bundled.js'), import('./keyspace.js')]);
  const backend = new BundledBackend();
  return {
    backend,
    info: { description: backend.description, capabilities: backend.capabilities, prompt: 'redislings' },
    keyspace: engineKeyspace(() => backend.engine),
  };
}

/**
 * A real server (a learner's own, or a private redis-server): opened through src/backend/open.ts,
 * its keyspace read with commands on a connection of the panel's own.
 */
async function serverBackend(choice: BackendChoice, configDir: string): Promise<BackendSetup> {
  const [{ openBackend }, { commandKeyspace }, { RedisServerBackend }] = await Promise.all([
    import('../backend/open.js'), import('./keyspace.js'), import('../backend/redis.js'),
  ]);
  // The record of keys redislings created on a shared server lives beside the progress.
  const backend = await openBackend(choice, { recordFile: path.join(configDir, 'real-redis-keys.json') });
  // redis-cli's prompt: host:port, and [db] when it is not 0.
  const prompt = backend instanceof RedisServerBackend ? `${backend.address}${backend.db === 0 ? '' : `[${backend.db}]`}` : 'redis';
  return {
    backend,
    info: { description: backend.description, capabilities: backend.capabilities, prompt, ...(backend.missing ? { missing: backend.missing } : {}) },
    keyspace: commandKeyspace(() => backend.connect()),
  };
}

/** redis-cli's help table (command-docs.json), as the prompt uses it. */
async function commandHelp(): Promise<CommandHelp> {
  const { HelpTable } = await import('../cli/help.js');
  const table = HelpTable.bundled();
  return {
    completions: (line) => table.completions(toBytes(line)).map(fromBytes),
    hint: (line) => {
      const hint = table.hint(toBytes(line));
      return hint === undefined ? undefined : fromBytes(hint);
    },
    output: (argv) => {
      // eslint-disable-next-line no-control-regex
      const text = fromBytes(table.output(argv.map(toBytes))).replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');
      const lines = text.split('\n').filter((l, i, all) => !(l === '' && (i === 0 || i === all.length - 1)));
      return lines.length > 0 ? lines : ['(no help for that)'];
    },
  };
}

export async function createApp(config: AppConfig): Promise<AppParts> {
  const env = config.env ?? process.env;
  const lessonSet = { ...(config.lessonsDir === undefined ? {} : { lessonsDir: config.lessonsDir }), ...(config.only ? { only: true } : {}) };

  const progressStore = new ProgressStore(config.dirs.config);
  const loaded = progressStore.load();
  const warnings = loaded.kind === 'corrupt'
    ? [`Your progress file could not be read: ${loaded.problem}. It was kept as ${loaded.keptAs} (nothing in it is lost), and your progress starts afresh.`]
    : [];

  // The first frame draws from cached views when the lesson files have not changed.
  const first = await loadViews(lessonSet, config.dirs.cache, config.version);
  const views = first.views;
  const parsed: Promise<readonly Lesson[]> | undefined = first.set ? Promise.resolve(first.set.lessons) : undefined;

  const history = new History(historyFile(env));
  history.load();

  const store = new Store(init({
    size: config.size,
    now: Date.now(),
    lessons: views.views,
    problems: views.problems,
    ...(views.pack ? { pack: views.pack } : {}),
    progress: loaded.progress,
    history: [...history.lines],
    warnings,
    strict: config.strict ?? false,
  }));

  let exit!: () => void;
  const exited = new Promise<void>((resolve) => { exit = resolve; });
  const session = new Session({
    loadLessons: async () => {
      if (parsed) return parsed;
      // The screen drew from the cache; the runner needs the parsed files (and the cache is refreshed).
      const fresh = await freshViews(lessonSet, config.dirs.cache, config.version);
      store.dispatch({ type: 'lessons', views: fresh.views.views, problems: fresh.views.problems, ...(fresh.views.pack ? { pack: fresh.views.pack } : {}) });
      return fresh.set.lessons;
    },
    createBackend: (choice = config.backendChoice) => (choice && choice.kind !== 'bundled' ? serverBackend(choice, config.dirs.config) : bundledBackend()),
    ...(config.offerLocalRedis && !config.backendChoice ? {
      probeLocalRedis: async () => (await import('../backend/open.js')).probeLocalRedis(config.offerLocalRedis),
    } : {}),
    loadHelp: commandHelp,
    saveProgress: (progress) => progressStore.save(progress),
    addHistory: (line) => {
      history.add(line);
      history.save();
    },
    exit,
    ...(config.timeScale === undefined ? {} : { timeScale: config.timeScale }),
    ...(config.workDir === undefined ? {} : { workDir: config.workDir }),
  }, store.dispatch);
  return { store, session, exited };
}

/** Starts the session's background work and lets the store's effects reach it. */
export function startApp(parts: AppParts): void {
  parts.store.connect((effect) => parts.session.perform(effect));
  parts.session.start();
}
