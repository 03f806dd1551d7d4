/** redis-cli's `help` output for the bundled engine. */
export function helpText(args: readonly string[]): string {
  void args;
  return '';
}
