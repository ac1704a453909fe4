// The desktop app's preload exposes `window.latchkey`; in a plain browser it is absent and the
// User Center does the same things with web APIs. The type comes from the preload itself, so the
// two cannot drift (type-only: no main-process code reaches the page).
import type { LatchkeyBridge } from '../../src-main/preload/bridge.js';

declare global {
  interface Window {
    latchkey?: LatchkeyBridge;
  }
}

export function desktopBridge(): LatchkeyBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.latchkey;
}

export type SaveOutcome = 'saved' | 'cancelled' | 'downloaded';

/** The native Save dialog in the desktop app; a browser download of a Blob elsewhere. */
export async function saveTextFile(fileName: string, contents: string): Promise<SaveOutcome> {
  const bridge = desktopBridge();
  if (bridge) {
    const { saved } = await bridge.saveTextFile(fileName, contents);
    return saved ? 'saved' : 'cancelled';
  }
  const url = URL.createObjectURL(new Blob([contents], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has started by the time the click returns; the URL is no longer needed soon.
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return 'downloaded';
}
