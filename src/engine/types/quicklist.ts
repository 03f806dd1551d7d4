/**
 * The storage behind a list (quicklist.c): a doubly linked list of nodes, each holding a run of
 * elements, so that a long list costs about its bytes, not a string object per element.
 *
 * A node is either
 * - packed, like a listpack: every element's bytes back to back in one string (`data`), with
 *   their boundaries in another (`offs`, one char code per boundary: see pack()). Pops at either
 *   end only move `lo`/`hi`; anything else rebuilds the node, which is small.
 * - open: a plain array of the elements. The nodes at the two ends are open while pushes go into
 *   them (a push is then an array push) and are packed once they are full and no longer an end.
 *   An element too big to share a node stays alone in an open node, like Redis' plain nodes.
 *
 * A node holds at most NODE_BYTES (8 KB, Redis' default list-max-listpack-size -2; the setting
 * itself is not read, as nothing a client sees depends on it), counting each element's length
 * plus ENTRY_OVERHEAD. Every index walks the nodes from the nearer end: O(number of nodes).
 */
import type { ListEnd } from './list.js';

/** The most a node holds, counted as in `Node.bytes`; packed boundaries then fit in a char code. */
export const NODE_BYTES = 8192;
/** What a listpack entry costs beyond its bytes (encoding and back-length), and an empty string's share. */
const ENTRY_OVERHEAD = 2;

/**
 * Packing writes a node's boundaries here and decodes them as UTF-16 into a string: one code unit
 * a boundary, kept inside the V8 heap (a typed array per node would cost more than its contents).
 * Boundaries are below NODE_BYTES, so never a surrogate or a byte-order mark the decoder would
 * replace or drop. bounds[0] stays 0.
 */
const bounds = new Uint16Array(NODE_BYTES / ENTRY_OVERHEAD + 1);
const boundsDecoder = new TextDecoder('utf-16le');

class Node {
  prev: Node | null = null;
  next: Node | null = null;
  /** Open: the elements, last pushed last (so head pushes store them in reverse: see `reversed`). */
  items: string[] | null = null;
  /** Open: items are stored last-to-first, so that pushes at the head are array pushes. */
  reversed = false;
  /** Packed: the elements' bytes, back to back. */
  data = '';
  /** Packed: element i spans offs.charCodeAt(i) .. offs.charCodeAt(i + 1) of `data`. */
  offs = '';
  /** Packed: the live elements are lo .. hi - 1. */
  lo = 0;
  hi = 0;
  count = 0;
  /** The sum of (length + ENTRY_OVERHEAD) over the live elements. */
  bytes = 0;

  static open(items: string[], reversed: boolean, bytes: number): Node {
    const node = new Node();
    node.items = items;
    node.reversed = reversed;
    node.count = items.length;
    node.bytes = bytes;
    return node;
  }

  /** The element at position k (0 ≤ k < count) in list order. */
  at(k: number): string {
    const items = this.items;
    if (items !== null) return items[this.reversed ? this.count - 1 - k : k] as string;
    const i = this.lo + k;
    return this.data.slice(this.offs.charCodeAt(i), this.offs.charCodeAt(i + 1));
  }

  /** Whether the element at position k is `element` (packed: compared in place, no copy). */
  equals(k: number, element: string): boolean {
    const items = this.items;
    if (items !== null) return items[this.reversed ? this.count - 1 - k : k] === element;
    const i = this.lo + k;
    const start = this.offs.charCodeAt(i);
    return this.offs.charCodeAt(i + 1) - start === element.length && this.data.startsWith(element, start);
  }

  /** The elements in list order, as a new array. */
  elements(): string[] {
    const items = this.items;
    if (items !== null) return this.reversed ? items.slice().reverse() : items.slice();
    const out = new Array<string>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.at(k);
    return out;
  }

  /**
   * Packs an open node of two or more elements (one alone stays open: packing it would save
   * nothing, and copy a big one). `join` copies the elements into one flat string, so the ones
   * pushed (and any string they were sliced from) can be collected. (Concatenating them is quicker,
   * but leaves a tree of cons strings that only costs more once flattened, as it must be.)
   */
  pack(): void {
    const items = this.items;
    if (items === null || items.length < 2) return;
    if (this.reversed) items.reverse();
    const n = items.length;
    let at = 0;
    for (let i = 0; i < n; i++) {
      at += (items[i] as string).length;
      bounds[i + 1] = at;
    }
    this.offs = boundsDecoder.decode(bounds.subarray(0, n + 1));
    this.data = items.join('');
    this.lo = 0;
    this.hi = n;
    this.items = null;
    this.reversed = false;
  }

  copy(): Node {
    const node = new Node();
    node.items = this.items === null ? null : this.items.slice();
    node.reversed = this.reversed;
    node.data = this.data;
    node.offs = this.offs;
    node.lo = this.lo;
    node.hi = this.hi;
    node.count = this.count;
    node.bytes = this.bytes;
    return node;
  }
}

function bytesOf(elements: readonly string[], from = 0, to = elements.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) bytes += (elements[i] as string).length + ENTRY_OVERHEAD;
  return bytes;
}

export class Quicklist {
  private head: Node | null = null;
  private tail: Node | null = null;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** The number of nodes (for tests and for the curious: DEBUG-like introspection). */
  get nodes(): number {
    let n = 0;
    for (let node = this.head; node !== null; node = node.next) n++;
    return n;
  }

  duplicate(): Quicklist {
    const copy = new Quicklist();
    for (let node = this.head; node !== null; node = node.next) copy.link(node.copy(), copy.tail, null);
    copy.size = this.size;
    return copy;
  }

  push(element: string, where: ListEnd): void {
    const atHead = where === 'head';
    const cost = element.length + ENTRY_OVERHEAD;
    let node = atHead ? this.head : this.tail;
    if (node === null || node.items === null || node.bytes + cost > NODE_BYTES || (node.reversed !== atHead && node.count > 1)) {
      node = this.openEnd(atHead);
    }
    // With one element (or none), the order of storage is free to follow this end.
    node.reversed = atHead;
    (node.items as string[]).push(element);
    node.count++;
    node.bytes += cost;
    this.size++;
  }

  /** Removes and returns the element at one end (undefined when empty). */
  pop(where: ListEnd): string | undefined {
    const atHead = where === 'head';
    const node = atHead ? this.head : this.tail;
    if (node === null) return undefined;
    let element: string;
    const items = node.items;
    if (items !== null) {
      // The end pushed to is the array's end; the other is its start.
      element = (atHead === node.reversed ? items.pop() : items.shift()) as string;
    } else {
      const i = atHead ? node.lo++ : --node.hi;
      element = node.data.slice(node.offs.charCodeAt(i), node.offs.charCodeAt(i + 1));
    }
    node.bytes -= element.length + ENTRY_OVERHEAD;
    this.size--;
    if (--node.count === 0) this.unlink(node);
    return element;
  }

  /** Removes up to `count` elements from one end, in the order they come off. */
  popMany(count: number, where: ListEnd): string[] {
    const n = Math.min(count, this.size);
    const popped = new Array<string>(n);
    for (let i = 0; i < n; i++) popped[i] = this.pop(where) as string;
    return popped;
  }

  /** The element at `index` (0 ≤ index < length). */
  get(index: number): string {
    const node = this.seek(index);
    return node.at(this.seekOffset);
  }

  /** Replaces the element at `index` (0 ≤ index < length). */
  set(index: number, element: string): void {
    const node = this.seek(index);
    const k = this.seekOffset;
    const items = node.items;
    if (items !== null) {
      const i = node.reversed ? node.count - 1 - k : k;
      const bytes = node.bytes - (items[i] as string).length + element.length;
      if (node.count === 1 || bytes <= NODE_BYTES) {
        items[i] = element;
        node.bytes = bytes;
        return;
      }
    }
    const elements = node.elements();
    elements[k] = element;
    this.replace(node, node, elements);
  }

  /** Elements start..end (valid indexes, start ≤ end), from end to start if `reverse`. */
  range(start: number, end: number, reverse = false): string[] {
    const n = end - start + 1;
    const out = new Array<string>(n);
    let node = this.seek(start);
    let k = this.seekOffset;
    for (let i = 0; i < n; k = 0, node = node.next as Node) {
      const stop = Math.min(node.count, k + n - i);
      for (; k < stop; k++, i++) out[reverse ? n - 1 - i : i] = node.at(k);
    }
    return out;
  }

  /** Inserts so that the element ends up at `index` (0 ≤ index ≤ length). */
  insert(index: number, element: string): void {
    if (index === 0) return this.push(element, 'head');
    if (index === this.size) return this.push(element, 'tail');
    const node = this.seek(index);
    const k = this.seekOffset;
    const items = node.items;
    const cost = element.length + ENTRY_OVERHEAD;
    // An open end node takes it in place; a middle one is open only for one element, so it is packed.
    if (items !== null && (node === this.head || node === this.tail) && node.bytes + cost <= NODE_BYTES) {
      items.splice(node.reversed ? node.count - k : k, 0, element);
      node.count++;
      node.bytes += cost;
      this.size++;
      return;
    }
    const elements = node.elements();
    elements.splice(k, 0, element);
    this.size++;
    this.replace(node, node, elements);
  }

  /**
   * Visits the elements equal to `element` from the head (or from the tail; indexes are always
   * counted from the head), looking at no more than `maxlen` elements (0: all), and calls `found`
   * with each match's index until it returns false.
   */
  search(element: string, fromTail: boolean, maxlen: number, found: (index: number) => boolean): void {
    let left = maxlen === 0 ? this.size : Math.min(maxlen, this.size);
    if (fromTail) {
      let base = this.size;
      for (let node = this.tail; node !== null && left > 0; node = node.prev) {
        base -= node.count;
        for (let k = node.count - 1; k >= 0 && left > 0; k--, left--) {
          if (node.equals(k, element) && !found(base + k)) return;
        }
      }
    } else {
      let base = 0;
      for (let node = this.head; node !== null && left > 0; node = node.next) {
        for (let k = 0; k < node.count && left > 0; k++, left--) {
          if (node.equals(k, element) && !found(base + k)) return;
        }
        base += node.count;
      }
    }
  }

  /** The index of the first `element` from the head, or -1. */
  indexOf(element: string): number {
    let at = -1;
    this.search(element, false, 0, (index) => {
      at = index;
      return false;
    });
    return at;
  }

  /** LREM: removes up to `limit` elements equal to `element` (0: all), from the tail if `fromTail`. */
  remove(element: string, limit: number, fromTail: boolean): number {
    let removed = 0;
    let node = fromTail ? this.tail : this.head;
    while (node !== null && (limit === 0 || removed < limit)) {
      const next = fromTail ? node.prev : node.next;
      let matches = 0;
      for (let k = 0; k < node.count; k++) if (node.equals(k, element)) matches++;
      if (matches > 0) {
        const elements = node.elements();
        const kept: string[] = [];
        // Skip matches from the scan's side only, up to what the limit still allows.
        let allowed = limit === 0 ? matches : Math.min(matches, limit - removed);
        removed += allowed;
        this.size -= allowed;
        for (let j = 0; j < elements.length; j++) {
          const i = fromTail ? elements.length - 1 - j : j;
          const e = elements[i] as string;
          if (allowed > 0 && e === element) allowed--;
          else kept.push(e);
        }
        if (fromTail) kept.reverse();
        const before = node.prev;
        const after = node.next;
        this.replace(node, node, kept);
        // What is left may fit in the neighbour already scanned (not the next one: the scan goes on there).
        if (fromTail) {
          const last = after === null ? this.tail : after.prev;
          if (after !== null && last !== before && last !== null) this.mergeIfSmall(last, after);
        } else {
          const first = before === null ? this.head : before.next;
          if (before !== null && first !== after && first !== null) this.mergeIfSmall(before, first);
        }
      }
      node = next;
    }
    return removed;
  }

  /** LTRIM: drops `fromHead` elements at the head and `fromTail` at the tail. */
  trim(fromHead: number, fromTail: number): void {
    this.drop(fromHead, true);
    this.drop(fromTail, false);
  }

  /**
   * Checks the structure's invariants and throws an Error naming the first one broken (for tests,
   * and for anyone debugging a change to this file).
   */
  checkIntegrity(): void {
    let size = 0;
    let prev: Node | null = null;
    for (let node = this.head; node !== null; prev = node, node = node.next) {
      const fail = (what: string) => {
        throw new Error(`quicklist node ${size}…: ${what}`);
      };
      if (node.prev !== prev) fail('prev link');
      if (node.count < 1) fail('empty node');
      const items = node.items;
      if (items !== null) {
        if (items.length !== node.count) fail('open count');
        if (bytesOf(items) !== node.bytes) fail('open bytes');
        if (node.count > 1 && node.bytes > NODE_BYTES) fail('open node over the limit');
        if (node.count > 1 && node !== this.head && node !== this.tail) fail('open node in the middle');
      } else {
        if (node.hi - node.lo !== node.count || node.lo < 0 || node.hi > node.offs.length - 1) fail('packed range');
        const span = node.offs.charCodeAt(node.hi) - node.offs.charCodeAt(node.lo);
        if (span + node.count * ENTRY_OVERHEAD !== node.bytes) fail('packed bytes');
        if (node.offs.charCodeAt(node.offs.length - 1) !== node.data.length) fail('packed data length');
        if (node.data.length > NODE_BYTES) fail('packed node over the limit');
      }
      size += node.count;
    }
    if (prev !== this.tail) throw new Error('quicklist: tail link');
    if (size !== this.size) throw new Error(`quicklist: length ${this.size}, nodes hold ${size}`);
  }

  /** Where `seek` found its index within the node it returned. */
  private seekOffset = 0;

  /** The node holding `index` (0 ≤ index < length), walking from the nearer end; sets seekOffset. */
  private seek(index: number): Node {
    if (index < this.size / 2) {
      let node = this.head as Node;
      while (index >= node.count) {
        index -= node.count;
        node = node.next as Node;
      }
      this.seekOffset = index;
      return node;
    }
    let node = this.tail as Node;
    let after = this.size - 1 - index; // elements after `index`
    while (after >= node.count) {
      after -= node.count;
      node = node.prev as Node;
    }
    this.seekOffset = node.count - 1 - after;
    return node;
  }

  /** Drops `n` elements from one end: whole nodes, then a part of the next one. */
  private drop(n: number, atHead: boolean): void {
    this.size -= n;
    while (n > 0) {
      const node = (atHead ? this.head : this.tail) as Node;
      if (n >= node.count) {
        n -= node.count;
        this.unlink(node);
        continue;
      }
      const items = node.items;
      if (items !== null) {
        // Open nodes are small (or one element): cutting the array is cheap.
        const fromStart = atHead !== node.reversed;
        const cut = fromStart ? items.splice(0, n) : items.splice(items.length - n, n);
        node.bytes -= bytesOf(cut);
      } else {
        const from = atHead ? node.lo : node.hi - n;
        node.bytes -= node.offs.charCodeAt(from + n) - node.offs.charCodeAt(from) + n * ENTRY_OVERHEAD;
        if (atHead) node.lo += n;
        else node.hi -= n;
      }
      node.count -= n;
      n = 0;
    }
  }

  /**
   * A new open node at one end, for a push that does not fit the current end node. The node it
   * displaces is packed, unless it is still the other end (a list of one node), where pushes may
   * still go into it.
   */
  private openEnd(atHead: boolean): Node {
    const node = Node.open([], atHead, 0);
    const old = atHead ? this.head : this.tail;
    if (atHead) this.link(node, null, this.head);
    else this.link(node, this.tail, null);
    if (old !== null && old.items !== null && old !== this.head && old !== this.tail && old.bytes <= NODE_BYTES) old.pack();
    return node;
  }

  /**
   * Puts nodes built from `elements` (in list order) where first..last were. A run too big for
   * one node is split where its bytes are halved, so nodes stay at least about half full after
   * inserts. New nodes at an end of the list stay open for pushes; the others are packed.
   */
  private replace(first: Node, last: Node, elements: string[]): void {
    const before = first.prev;
    const after = last.next;
    // Cut first..last out (the new nodes go in between `before` and `after`).
    if (before === null) this.head = after;
    else before.next = after;
    if (after === null) this.tail = before;
    else after.prev = before;
    let prev = before;
    const build = (from: number, to: number): void => {
      const bytes = bytesOf(elements, from, to);
      if (bytes > NODE_BYTES && to - from > 1) {
        let mid = from + 1;
        for (let half = (elements[from] as string).length + ENTRY_OVERHEAD; mid < to - 1 && half * 2 < bytes; mid++) {
          half += (elements[mid] as string).length + ENTRY_OVERHEAD;
        }
        build(from, mid);
        build(mid, to);
        return;
      }
      const node = Node.open(elements.slice(from, to), false, bytes);
      this.link(node, prev, after);
      prev = node;
    };
    if (elements.length > 0) build(0, elements.length);
    for (let node = before === null ? this.head : before.next; node !== after; node = (node as Node).next) {
      const n = node as Node;
      if (n === this.head && n !== this.tail) {
        // Head pushes go into a reversed open node.
        (n.items as string[]).reverse();
        n.reversed = true;
      } else if (n !== this.tail) {
        n.pack();
      }
    }
  }

  /** Merges two adjacent nodes into one when they fit in one. */
  private mergeIfSmall(first: Node, second: Node): void {
    if (first.bytes + second.bytes > NODE_BYTES) return;
    this.replace(first, second, first.elements().concat(second.elements()));
  }

  /** Links `node` between `prev` and `next` (adjacent, or null at an end). */
  private link(node: Node, prev: Node | null, next: Node | null): void {
    node.prev = prev;
    node.next = next;
    if (prev === null) this.head = node;
    else prev.next = node;
    if (next === null) this.tail = node;
    else next.prev = node;
  }

  private unlink(node: Node): void {
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
  }
}
