/**
 * The one place state changes: dispatch(event) runs the reducer, tells the screen, and hands the
 * reducer's effects to whoever performs them (the Session). React reads the state through
 * useSyncExternalStore (hooks/use-app-state.ts).
 */
import type { Result } from './state/common.js';
import type { AppEvent, AppState, Effect } from './state/types.js';
import { update } from './state/update.js';

export class Store {
  private state: AppState;
  /** Effects asked for before a performer is connected. */
  private pending: Effect[];
  private readonly listeners = new Set<() => void>();
  private perform: ((effect: Effect) => void) | undefined;

  constructor(initial: Result) {
    this.state = initial[0];
    this.pending = [...initial[1]];
  }

  /** Connects the effects' performer; the initial effects (opening the lesson to resume) run now. */
  connect(perform: (effect: Effect) => void): void {
    this.perform = perform;
    const first = this.pending;
    this.pending = [];
    for (const effect of first) perform(effect);
  }

  readonly getState = (): AppState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly dispatch = (event: AppEvent): void => {
    const [next, effects] = update(this.state, event);
    if (next !== this.state) {
      this.state = next;
      for (const l of this.listeners) l();
    }
    if (this.perform) for (const effect of effects) this.perform(effect);
    else this.pending.push(...effects);
  };
}
