/**
 * The prompt's history, as linenoise keeps it for redis-cli: at most 100 lines, no line twice in
 * a row, written whole to a file after every line (mode 0600), read back at the next start.
 * The file is ~/.redislings_history, or $REDISLINGS_HISTFILE ("/dev/null": no file), as
 * redis-cli uses ~/.rediscli_history or $REDISCLI_HISTFILE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** LINENOISE_DEFAULT_HISTORY_MAX_LEN */
export const HISTORY_MAX_LEN = 100;

export class History {
  readonly lines: string[] = [];

  constructor(readonly file: string | undefined) {}

  /** linenoiseHistoryAdd */
  add(line: string): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] === line) return;
    if (this.lines.length === HISTORY_MAX_LEN) this.lines.shift();
    this.lines.push(line);
  }

  /** linenoiseHistoryLoad: a missing or unreadable file is no history. */
  load(): void {
    if (!this.file) return;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    const rows = text.split('\n');
    if (rows[rows.length - 1] === '') rows.pop();
    for (const row of rows) {
      const cr = row.indexOf('\r');
      this.add(cr >= 0 ? row.slice(0, cr) : row);
    }
  }

  /** linenoiseHistorySave: failures are ignored, as linenoise ignores them (history is a convenience). */
  save(): boolean {
    if (!this.file) return false;
    try {
      fs.writeFileSync(this.file, this.lines.map((l) => l + '\n').join(''), { mode: 0o600 });
      fs.chmodSync(this.file, 0o600);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'ENOENT' || code === 'EROFS' || code === 'EPERM' || code === 'ENOTDIR') return false;
      throw e;
    }
  }
}

/** getDotfilePath(REDISLINGS_HISTFILE, ".redislings_history"). */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.REDISLINGS_HISTFILE;
  if (override) return override === '/dev/null' ? undefined : override;
  const home = env.HOME || os.homedir();
  return home ? path.join(home, '.redislings_history') : undefined;
}

/** getDotfilePath(REDISCLI_RCFILE, ".redisclirc"): redis-cli's preferences file, read as redis-cli reads it. */
export function rcFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.REDISCLI_RCFILE;
  if (override) return override === '/dev/null' ? undefined : override;
  const home = env.HOME;
  return home ? path.join(home, '.redisclirc') : undefined;
}
