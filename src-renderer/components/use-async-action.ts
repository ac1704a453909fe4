import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../lib/error-message.js';

export interface AsyncAction<A extends unknown[]> {
  /** Runs the action unless it is already running (no double submit); true when it succeeded. */
  run: (...args: A) => Promise<boolean>;
  pending: boolean;
  /** The failure as a sentence for a person, or null. */
  error: string | null;
  setError: (message: string | null) => void;
}

export function useAsyncAction<A extends unknown[]>(action: (...args: A) => Promise<void>): AsyncAction<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A ref, not state: a second click in the same frame must see the first one.
  const inFlight = useRef(false);

  const run = useCallback(
    async (...args: A) => {
      if (inFlight.current) return false;
      inFlight.current = true;
      setPending(true);
      setError(null);
      try {
        await action(...args);
        return true;
      } catch (caught) {
        setError(errorMessage(caught));
        return false;
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, error, setError };
}
