// A user agent as a person reads it ("Chrome on Linux", "Safari on iOS, a phone"), read by bowser,
// which follows the browsers' own changes to their strings. The desktop app is named as itself:
// its window is Chromium, but the person knows it as Latchkey.
import Bowser from 'bowser';

export interface DeviceWords {
  /** "Chrome", "Latchkey desktop app", or null when not recognised. */
  browser: string | null;
  /** "Windows", "macOS", "Android"…, or null. */
  system: string | null;
  /** "a computer", "a phone", "a tablet", or null. */
  kind: string | null;
}

const KINDS: Record<string, string> = { desktop: 'a computer', mobile: 'a phone', tablet: 'a tablet', tv: 'a TV' };

export function deviceWords(userAgent: string | null): DeviceWords {
  if (!userAgent) return { browser: null, system: null, kind: null };
  const parser = Bowser.getParser(userAgent);
  const browser = /\bElectron\//.test(userAgent) ? 'Latchkey desktop app' : parser.getBrowserName() || null;
  return {
    browser,
    system: parser.getOSName() || null,
    kind: KINDS[parser.getPlatformType(true)] ?? null,
  };
}

/** "Chrome on Linux", "Latchkey desktop app on Windows", or null when nothing is recognised. */
export function describeUserAgent(userAgent: string | null): string | null {
  const { browser, system } = deviceWords(userAgent);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system;
}
