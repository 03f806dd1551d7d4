/**
 * The ordered half of a sorted set: Redis' skiplist with spans (t_zset.c, zsl*), ported.
 *
 * Elements are ordered by score, then by member bytes (members are one-char-per-byte strings, so
 * JS string comparison is memcmp with the shorter string first on a common prefix, as sdscmp).
 * Each forward link carries the number of elements it jumps over (its span), which makes rank
 * lookups and "the element at rank r" O(log n) like insertion and deletion.
 */

/** Redis' ZSKIPLIST_MAXLEVEL and ZSKIPLIST_P. */
const MAX_LEVEL = 32;
const P = 0.25;

export class ZSkipNode {
  /** forward[i] and span[i]: the next node on level i and how many elements that link crosses. */
  readonly forward: (ZSkipNode | null)[];
  readonly span: number[];
  backward: ZSkipNode | null = null;

  constructor(readonly member: string, public score: number, level: number) {
    this.forward = new Array<ZSkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }

  /** The next node in order (level 0), null at the end. */
  get next(): ZSkipNode | null {
    return this.forward[0] as ZSkipNode | null;
  }
}

/** A score interval (zrangespec): `minex`/`maxex` make an end exclusive, as "(" does. */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** The ends "-" and "+" of a lexicographic range: below and above every string. */
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;

/** A lexicographic interval (zlexrangespec), for members that all have the same score. */
export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** sdscmplex: string comparison where LEX_MIN and LEX_MAX are -inf and +inf. */
export function compareLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.minex ? score > range.min : score >= range.min;
}

export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.maxex ? score < range.max : score <= range.max;
}

export function lexGteMin(member: string, range: LexRange): boolean {
  const cmp = compareLex(member, range.min);
  return range.minex ? cmp > 0 : cmp >= 0;
}

export function lexLteMax(member: string, range: LexRange): boolean {
  const cmp = compareLex(member, range.max);
  return range.maxex ? cmp < 0 : cmp <= 0;
}

/** True when (score, member) sorts before (score2, member2). */
function before(score: number, member: string, score2: number, member2: string): boolean {
  return score < score2 || (score === score2 && member < member2);
}

function randomLevel(): number {
  let level = 1;
  while (Math.random() < P && level < MAX_LEVEL) level++;
  return level;
}

export class ZSkipList {
  /** A sentinel before the first element, with links on every level. */
  private readonly header = new ZSkipNode('', 0, MAX_LEVEL);
  private tailNode: ZSkipNode | null = null;
  /** Levels in use (1 when empty). */
  private level = 1;
  length = 0;

  get first(): ZSkipNode | null {
    return this.header.next;
  }

  get last(): ZSkipNode | null {
    return this.tailNode;
  }

  /** zslInsert: the member must not be in the list already (the caller checks its dict). */
  insert(score: number, member: string): ZSkipNode {
    const update = new Array<ZSkipNode>(MAX_LEVEL);
    const rank = new Array<number>(MAX_LEVEL).fill(0);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : (rank[i + 1] as number);
      for (let f = x.forward[i]; f && before(f.score, f.member, score, member); f = x.forward[i]) {
        rank[i] = (rank[i] as number) + (x.span[i] as number);
        x = f;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new ZSkipNode(member, score, level);
    const rank0 = rank[0] as number;
    for (let i = 0; i < level; i++) {
      const u = update[i] as ZSkipNode;
      node.forward[i] = u.forward[i] as ZSkipNode | null;
      u.forward[i] = node;
      node.span[i] = (u.span[i] as number) - (rank0 - (rank[i] as number));
      u.span[i] = rank0 - (rank[i] as number) + 1;
    }
    for (let i = level; i < this.level; i++) {
      const u = update[i] as ZSkipNode;
      u.span[i] = (u.span[i] as number) + 1;
    }
    const prev = update[0] as ZSkipNode;
    node.backward = prev === this.header ? null : prev;
    if (node.next) node.next.backward = node;
    else this.tailNode = node;
    this.length++;
    return node;
  }

  /** zslDelete: removes the element with exactly this score and member; false if absent. */
  delete(score: number, member: string): boolean {
    const update = this.seek(score, member);
    const x = (update[0] as ZSkipNode).next;
    if (!x || x.score !== score || x.member !== member) return false;
    this.unlink(x, update);
    return true;
  }

  /**
   * zslUpdateScore: moves an element to its new score. When it would stay where it is, only the
   * score changes, which spares a delete and an insert.
   */
  updateScore(curscore: number, member: string, newscore: number): ZSkipNode {
    const update = this.seek(curscore, member);
    const x = (update[0] as ZSkipNode).next;
    if (!x || x.score !== curscore || x.member !== member) throw new Error(`zset: ${member} is not at ${curscore}`);
    if ((x.backward === null || x.backward.score < newscore) && (x.next === null || x.next.score > newscore)) {
      x.score = newscore;
      return x;
    }
    this.unlink(x, update);
    return this.insert(newscore, member);
  }

  /** zslGetRank: the 1-based rank of the element, 0 when it is not in the list. */
  rank(score: number, member: string): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && (before(f.score, f.member, score, member) || (f.score === score && f.member === member)); f = x.forward[i]) {
        rank += x.span[i] as number;
        x = f;
      }
      if (x !== this.header && x.score === score && x.member === member) return rank;
    }
    return 0;
  }

  /** zslGetElementByRank: the element at a 1-based rank, or null. */
  byRank(rank: number): ZSkipNode | null {
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && traversed + (x.span[i] as number) <= rank; f = x.forward[i]) {
        traversed += x.span[i] as number;
        x = f;
      }
      if (traversed === rank) return x === this.header ? null : x;
    }
    return null;
  }

  /** zslFirstInRange: the lowest element inside the score range, or null. */
  firstInRange(range: ScoreRange): ZSkipNode | null {
    if (!this.isInRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && !scoreGteMin(f.score, range); f = x.forward[i]) x = f;
    }
    const first = x.next as ZSkipNode;
    return scoreLteMax(first.score, range) ? first : null;
  }

  /** zslLastInRange: the highest element inside the score range, or null. */
  lastInRange(range: ScoreRange): ZSkipNode | null {
    if (!this.isInRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && scoreLteMax(f.score, range); f = x.forward[i]) x = f;
    }
    return x !== this.header && scoreGteMin(x.score, range) ? x : null;
  }

  /** zslFirstInLexRange */
  firstInLexRange(range: LexRange): ZSkipNode | null {
    if (!this.isInLexRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && !lexGteMin(f.member, range); f = x.forward[i]) x = f;
    }
    const first = x.next as ZSkipNode;
    return lexLteMax(first.member, range) ? first : null;
  }

  /** zslLastInLexRange */
  lastInLexRange(range: LexRange): ZSkipNode | null {
    if (!this.isInLexRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && lexLteMax(f.member, range); f = x.forward[i]) x = f;
    }
    return x !== this.header && lexGteMin(x.member, range) ? x : null;
  }

  /** zslDeleteRangeByScore: removes the elements in range, telling `removed` of each. */
  deleteRangeByScore(range: ScoreRange, removed: (node: ZSkipNode) => void): number {
    return this.deleteFrom(
      (n) => !scoreGteMin(n.score, range),
      (n) => scoreLteMax(n.score, range),
      removed,
    );
  }

  /** zslDeleteRangeByLex */
  deleteRangeByLex(range: LexRange, removed: (node: ZSkipNode) => void): number {
    return this.deleteFrom(
      (n) => !lexGteMin(n.member, range),
      (n) => lexLteMax(n.member, range),
      removed,
    );
  }

  /** zslDeleteRangeByRank: start and end are 1-based and inclusive. */
  deleteRangeByRank(start: number, end: number, removed: (node: ZSkipNode) => void): number {
    let traversed = 0;
    const update = new Array<ZSkipNode>(MAX_LEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && traversed + (x.span[i] as number) < start; f = x.forward[i]) {
        traversed += x.span[i] as number;
        x = f;
      }
      update[i] = x;
    }
    traversed++;
    let count = 0;
    for (let n = x.next; n && traversed <= end; traversed++) {
      const next = n.next;
      this.unlink(n, update);
      removed(n);
      count++;
      n = next;
    }
    return count;
  }

  /** Elements in ascending order. */
  *[Symbol.iterator](): IterableIterator<ZSkipNode> {
    for (let n = this.header.next; n; n = n.next) yield n;
  }

  /** The update vector for (score, member): on each level, the last node before it. */
  private seek(score: number, member: string): ZSkipNode[] {
    const update = new Array<ZSkipNode>(MAX_LEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && before(f.score, f.member, score, member); f = x.forward[i]) x = f;
      update[i] = x;
    }
    return update;
  }

  /** Deletes the run of nodes that starts after those `skip` accepts and lasts while `keep` accepts. */
  private deleteFrom(skip: (n: ZSkipNode) => boolean, keep: (n: ZSkipNode) => boolean, removed: (node: ZSkipNode) => void): number {
    const update = new Array<ZSkipNode>(MAX_LEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let f = x.forward[i]; f && skip(f); f = x.forward[i]) x = f;
      update[i] = x;
    }
    let count = 0;
    for (let n = x.next; n && keep(n); ) {
      const next = n.next;
      this.unlink(n, update);
      removed(n);
      count++;
      n = next;
    }
    return count;
  }

  /** zslDeleteNode */
  private unlink(x: ZSkipNode, update: readonly ZSkipNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i] as ZSkipNode;
      if (u.forward[i] === x) {
        u.span[i] = (u.span[i] as number) + (x.span[i] as number) - 1;
        u.forward[i] = x.forward[i] as ZSkipNode | null;
      } else {
        u.span[i] = (u.span[i] as number) - 1;
      }
    }
    if (x.next) x.next.backward = x.backward;
    else this.tailNode = x.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** zslIsInRange: false when no element can be in the range. */
  isInRange(range: ScoreRange): boolean {
    if (range.min > range.max || (range.min === range.max && (range.minex || range.maxex))) return false;
    const last = this.tailNode;
    const first = this.header.next;
    return last !== null && scoreGteMin(last.score, range) && first !== null && scoreLteMax(first.score, range);
  }

  /** zslIsInLexRange */
  isInLexRange(range: LexRange): boolean {
    const cmp = compareLex(range.min, range.max);
    if (cmp > 0 || (cmp === 0 && (range.minex || range.maxex))) return false;
    const last = this.tailNode;
    const first = this.header.next;
    return last !== null && lexGteMin(last.member, range) && first !== null && lexLteMax(first.member, range);
  }
}
