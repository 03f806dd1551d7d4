/**
 * The cursor side of SCAN, HSCAN, SSCAN and ZSCAN.
 *
 * Redis walks its hash table in reverse-binary bucket order so that a cursor survives resizes. We
 * cannot reproduce Redis' bucket order, so a cursor here names a live JS iterator over the
 * collection (Map and Set iterators stay valid while entries are added and deleted). That keeps
 * SCAN's promise, and more: an element present for the whole scan is returned exactly once.
 * Cursors are numbers handed out by the engine; an unknown one ends the scan (cursor 0).
 */
import { array, bulk, bulkArray, type Reply } from '../resp/reply.js';
import { parseInteger } from './args.js';
import { RedisError, SYNTAX } from './errors.js';
import { globMatch } from './glob.js';

const MAX_LIVE_CURSORS = 4096;

export interface ScanOptions {
  count: number;
  /** undefined when there is no pattern or it is exactly "*" (which matches everything). */
  pattern: string | undefined;
  /** SCAN's TYPE filter (keyspace scans only). */
  type: string | undefined;
}

/** parseScanCursorOrReply: strtoul over the whole argument. */
export function parseCursor(arg: string): bigint {
  // strtoul reads no digits from "" and stops at its end, which Redis takes as cursor 0.
  if (arg === '') return 0n;
  const m = /^([+-]?)([0-9]+)$/.exec(arg);
  if (!m) throw new RedisError('ERR invalid cursor');
  let v = BigInt(m[2] as string);
  if (v > 0xffffffffffffffffn) throw new RedisError('ERR invalid cursor');
  // strtoul accepts a minus sign and negates in unsigned arithmetic.
  if (m[1] === '-' && v !== 0n) v = 0x10000000000000000n - v;
  return v;
}

/** The options after the cursor (argv[start]…): COUNT n, MATCH pattern, TYPE type (keys only). */
export function parseScanOptions(argv: readonly string[], start: number, forKeys: boolean): ScanOptions {
  const options: ScanOptions = { count: 10, pattern: undefined, type: undefined };
  for (let i = start; i < argv.length; ) {
    const opt = (argv[i] as string).toLowerCase();
    const more = argv.length - i;
    if (opt === 'count' && more >= 2) {
      options.count = parseInteger(argv[i + 1] as string);
      if (options.count < 1) throw new RedisError(SYNTAX);
      i += 2;
    } else if (opt === 'match' && more >= 2) {
      const pattern = argv[i + 1] as string;
      options.pattern = pattern === '*' ? undefined : pattern;
      i += 2;
    } else if (opt === 'type' && forKeys && more >= 2) {
      options.type = argv[i + 1] as string;
      i += 2;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  return options;
}

export function matches(options: ScanOptions, name: string): boolean {
  return options.pattern === undefined || globMatch(options.pattern, name);
}

/** The engine's live SCAN cursors. */
export class ScanCursors {
  private next = 1;
  private readonly live = new Map<bigint, { source: object; iterator: Iterator<string> }>();

  /**
   * One step of a scan over `source`: up to `count` names from where `cursor` left off (0 starts
   * over), and the cursor to continue with (0 when the walk is complete).
   */
  step(cursor: bigint, source: ReadonlyMap<string, unknown> | ReadonlySet<string>, count: number): { cursor: bigint; names: string[] } {
    let iterator: Iterator<string>;
    if (cursor === 0n) {
      iterator = source.keys();
    } else {
      const entry = this.live.get(cursor);
      this.live.delete(cursor);
      if (!entry || entry.source !== source) return { cursor: 0n, names: [] };
      iterator = entry.iterator;
    }
    const names: string[] = [];
    while (names.length < count) {
      const r = iterator.next();
      if (r.done) return { cursor: 0n, names };
      names.push(r.value);
    }
    const id = BigInt(this.next++);
    this.live.set(id, { source, iterator });
    if (this.live.size > MAX_LIVE_CURSORS) this.live.delete(this.live.keys().next().value as bigint);
    return { cursor: id, names };
  }
}

/** The SCAN reply: the next cursor as a bulk string, and the elements. */
export function scanReply(cursor: bigint, elements: readonly string[]): Reply {
  return array([bulk(String(cursor)), bulkArray(elements)]);
}
