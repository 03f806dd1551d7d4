/**
 * The interactive prompt of `redislings cli` on a terminal: redis-cli's repl() loop with the
 * linenoise editor (completion and hints from the help table, history in a file).
 */
import fs from 'node:fs';
import { fromBytes, toBytes } from '../resp/reply.js';
import type { History } from './history.js';
import { LineEditor } from './line-editor.js';
import type { Repl } from './repl.js';
import { splitArgs } from './split-args.js';

/** redis-cli's hint colour: grey (SGR 90), not bold. */
const HINT_COLOR = 90;

export async function runPrompt(repl: Repl, history: History, rcFile: string | undefined): Promise<void> {
  history.load();
  loadPreferences(repl, rcFile);
  const help = await repl.initHelp();
  const editor = new LineEditor(process.stdin, process.stdout, {
    history,
    completion: (buf) => help.completions(toBytes(buf)).map(fromBytes),
    hints: (buf) => {
      if (!repl.hints) return undefined;
      const hint = help.hint(toBytes(buf));
      return hint === undefined ? undefined : { text: fromBytes(hint), color: HINT_COLOR, bold: false };
    },
  });
  try {
    for (;;) {
      const line = await editor.read(repl.prompt());
      if (line === null) return;
      if ((await repl.line(toBytes(line))) === 'quit') return;
    }
  } finally {
    editor.close();
  }
}

/** cliLoadPreferences: `:set hints` / `:set nohints` lines of ~/.redisclirc. */
function loadPreferences(repl: Repl, file: string | undefined): void {
  if (!file) return;
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const line of text.split('\n')) {
    const argv = splitArgs(line);
    if (argv && argv.length > 0) repl.setPreferences(argv, true);
  }
}
