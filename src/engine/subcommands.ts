/**
 * The replies every container command (CONFIG, CLIENT, XINFO, PUBSUB…) shares: its HELP text and
 * the error for a subcommand it does not know. A leaf module: the data-type files import it, and
 * it imports nothing of the engine's, so no import cycle can run through it.
 */
import { array, simple, type Reply } from '../resp/reply.js';
import { RedisError } from './errors.js';

/** addReplyHelp: the usage line, the command's lines, then HELP's own. */
export function helpReply(command: string, lines: readonly string[]): Reply {
  return array([
    simple(`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`),
    ...lines.map(simple),
    simple('HELP'),
    simple('    Prints this help.'),
  ]);
}

/** addReplySubcommandSyntaxError */
export function subcommandSyntaxError(argv: readonly string[]): never {
  const sub = (argv[1] as string).slice(0, 128);
  throw new RedisError(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${(argv[0] as string).toUpperCase()} HELP.`);
}
