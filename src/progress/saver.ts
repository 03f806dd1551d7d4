/**
 * Saves that come in bursts, written at most once per interval. Progress changes with every
 * command the learner runs (its attempts are counted), and each save is an atomic write with an
 * fsync: a pasted script of forty commands must not cost forty of them. The first save after a
 * quiet moment is written at once; those that follow within the interval are written together at
 * its end, the latest value only. flush() writes what is waiting now: on quit, and as the process
 * exits. So a crash loses at most the last interval's counts, never a step the learner saw pass
 * more than an interval ago.
 */
export const SAVE_INTERVAL_MS = 250;

export class CoalescingSaver<T> {
  private waiting: { readonly value: T } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;

  /**
   * `write` saves a value (and may throw); `onLateError` hears of a failure of a write made at
   * the end of an interval, when no caller is there to catch it.
   */
  constructor(
    private readonly write: (value: T) => void,
    private readonly onLateError: (e: unknown) => void,
    private readonly intervalMs = SAVE_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves `value`, now or at the end of the interval; a failure to write now is thrown. */
  save(value: T): void {
    this.waiting = { value };
    if (this.timer !== undefined) return;
    const wait = this.lastWrite + this.intervalMs - this.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (e) {
        this.onLateError(e);
      }
    }, wait);
  }

  /** Whether a value waits to be written. */
  get pending(): boolean {
    return this.waiting !== undefined;
  }

  /** Writes the waiting value now, if there is one. A value that fails to be written waits on (the next save or flush tries again). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    this.lastWrite = this.now();
    try {
      this.write(waiting.value);
    } catch (e) {
      this.waiting ??= waiting;
      throw e;
    }
  }
}
