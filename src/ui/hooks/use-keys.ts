import { useInput } from 'ink';
import { useCallback } from 'react';
import type { AppEvent } from '../state/types.js';

/** Every chunk of terminal input becomes a `key` event, stamped with the time it came. */
export function useKeys(dispatch: (event: AppEvent) => void): void {
  const onInput = useCallback((input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
    dispatch({ type: 'key', input, key, at: Date.now() });
  }, [dispatch]);
  useInput(onInput);
}
