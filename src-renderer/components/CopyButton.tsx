import { useEffect, useId, useState } from 'react';
import { Button } from './Button.js';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies `text` to the clipboard and says so in a polite live region next to the button. */
export function CopyButton({
  text,
  label = 'Copy',
  copiedMessage = 'Copied.',
}: {
  text: string;
  label?: string;
  copiedMessage?: string;
}) {
  const [state, setState] = useState<CopyState>('idle');
  const statusId = useId();

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = window.setTimeout(() => setState('idle'), 4000);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy">
      <Button onClick={() => void copy()} aria-describedby={statusId}>
        {label}
      </Button>
      <span id={statusId} role="status" className="copy-status live-slot">
        {state === 'copied' && (
          <>
            <span aria-hidden="true">✓ </span>
            {copiedMessage}
          </>
        )}
        {state === 'failed' && "Couldn't copy here: select the text and copy it yourself."}
      </span>
    </span>
  );
}
