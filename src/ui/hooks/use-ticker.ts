import { useEffect } from 'react';
import type { AppEvent } from '../state/types.js';

/** One `tick` event at the time `at` (a notice to take away), or none when it is undefined. */
export function useTickAt(dispatch: (event: AppEvent) => void, at: number | undefined): void {
  useEffect(() => {
    if (at === undefined) return;
    const timer = setTimeout(() => dispatch({ type: 'tick', at: Date.now() }), Math.max(0, at - Date.now()) + 5);
    return () => clearTimeout(timer);
  }, [dispatch, at]);
}

/**
 * `tick` events every `interval` ms, or none when it is undefined: the screen is still when
 * nothing moves (no spinner, no TTL counting down, no notice to take away).
 */
export function useTicker(dispatch: (event: AppEvent) => void, interval: number | undefined): void {
  useEffect(() => {
    if (interval === undefined) return;
    const timer = setInterval(() => dispatch({ type: 'tick', at: Date.now() }), interval);
    return () => clearInterval(timer);
  }, [dispatch, interval]);
}
