/**
 * redis-server's command line after its options: `--name value [value …]` for any parameter, as
 * main() turns its arguments into configuration lines (`--save 900 1 --save 300 10` or
 * `--save "900 1"`; `--save ""` for none).
 */

/** The (name, value) pairs, in order, or the error text for arguments that are not that shape. */
export function parseConfigArgs(args: readonly string[]): [string, string][] | string {
  const pairs: [string, string][] = [];
  let current: [string, string[]] | undefined;
  const end = (): void => {
    if (current) pairs.push([current[0], current[1].join(' ')]);
  };
  for (const arg of args) {
    if (arg.startsWith('--') && arg.length > 2) {
      end();
      current = [arg.slice(2), []];
    } else if (current) {
      current[1].push(arg);
    } else {
      return `Unexpected argument '${arg}': parameters are given as --name value`;
    }
  }
  end();
  return pairs;
}
