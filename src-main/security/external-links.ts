// The one place a URL leaves the app for the person's default browser. Only https links without
// credentials get here (security/navigation.ts decides), and this checks again, so a bug
// elsewhere can't hand the OS a file:, smb: or custom-scheme URL to open
// (https://benjamin-altpeter.de/shell-openexternal-dangers/).

export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && !url.username && !url.password && url.hostname !== '';
  } catch {
    return false;
  }
}

export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/** Opens an https link in the default browser; returns false (and opens nothing) for anything else. */
export function openInBrowser(shell: ExternalOpener, raw: string): boolean {
  if (!isSafeExternalUrl(raw)) return false;
  // Reviewed (test/main/security/electronegativity.test.ts): https only, checked just above.
  void shell.openExternal(new URL(raw).href).catch(() => undefined); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true;
}
