/**
 * Where a subcommand (`list`, `validate`, `report`…) prints: its text and its complaints. The
 * commands take it as a parameter, so tests read what they print without a process.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};
