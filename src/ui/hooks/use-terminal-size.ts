import { useStdout } from 'ink';
import { useEffect } from 'react';
import type { AppEvent, Size } from '../state/types.js';

/** The terminal's size; a pty that reports none (0 columns under `script`) counts as 80×24. */
export function terminalSize(stdout: { readonly columns?: number; readonly rows?: number }): Size {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** A resize of the terminal becomes a `resize` event. */
export function useTerminalSize(dispatch: (event: AppEvent) => void): void {
  const { stdout } = useStdout();
  useEffect(() => {
    const onResize = () => dispatch({ type: 'resize', size: terminalSize(stdout) });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, dispatch]);
}
