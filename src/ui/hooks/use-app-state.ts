import { useSyncExternalStore } from 'react';
import type { AppState } from '../state/types.js';
import type { Store } from '../store.js';

/** The store's state; the component renders again whenever it changes. */
export function useAppState(store: Store): AppState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
