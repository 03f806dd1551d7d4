import { useEffect } from 'react';
import type { AppEvent } from '../state/types.js';

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
