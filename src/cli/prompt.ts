/** The interactive prompt of `redislings cli` on a terminal. */
import readline from 'node:readline';
import type { Repl } from './repl.js';

export async function runPrompt(repl: Repl): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const prompt = () => {
    const db = repl.client.db.id;
    return `redislings${db ? `[${db}]` : ''}> `;
  };
  rl.setPrompt(prompt());
  rl.prompt();
  for await (const line of rl) {
    if (!(await repl.line(Buffer.from(line, 'utf8').toString('latin1')))) break;
    rl.setPrompt(prompt());
    rl.prompt();
  }
  rl.close();
}
