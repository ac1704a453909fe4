// The window's session is on disk (a "persist:" partition, window/window-options.ts), so that
// Touch ID credentials survive a restart, yet the session cookie must never reach Chromium's
// cookie file: it lives in the OS keychain only (docs/desktop.md "Staying signed in").
// Chromium writes a cookie to that file only when it is persistent: Electron opens every
// persistent partition with persist_session_cookies and restore_old_session_cookies off
// (shell/browser/net/network_context_service.cc in Electron's source), so a cookie without
// Expires or Max-Age stays in memory. The server sends `latchkey_session` with a Max-Age
// (docs/api.md "Session"); before Chromium stores it, the main process rewrites that Set-Cookie
// header into a session cookie and keeps the lifetime it had for the keychain entry.
// A deletion (Max-Age=0, or an Expires in the past) is left as it is.

import { SESSION_COOKIE } from '../../contract/values.js';

/** The server's session cookie (contract/values.ts). */
export { SESSION_COOKIE };

/** The session the server issued in one Set-Cookie header. */
export interface IssuedSession {
  token: string;
  /** Seconds since the epoch (how Chromium reports expiry); absent when the server set none. */
  expires?: number;
}

const LIFETIME_ATTRIBUTES = new Set(['max-age', 'expires']);

function attributeName(part: string): string {
  const equals = part.indexOf('=');
  return (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
}

function attributeValue(part: string): string {
  const equals = part.indexOf('=');
  return equals === -1 ? '' : part.slice(equals + 1).trim();
}

/**
 * One Set-Cookie header made session-only when it sets a live `latchkey_session`
 * (RFC 6265 §5.2 parsing; §5.3 step 3: Max-Age wins over Expires).
 */
export function toSessionOnlyCookie(header: string, nowMs: number): { header: string; issued: IssuedSession | null } {
  const [pair = '', ...attributes] = header.split(';');
  const equals = pair.indexOf('=');
  if (equals === -1 || pair.slice(0, equals).trim() !== SESSION_COOKIE) return { header, issued: null };
  const token = pair.slice(equals + 1).trim();
  let maxAge: number | null = null;
  let expiresAt: number | null = null;
  for (const attribute of attributes) {
    const name = attributeName(attribute);
    if (name === 'max-age' && /^-?\d+$/.test(attributeValue(attribute))) maxAge = Number(attributeValue(attribute));
    if (name === 'expires') {
      const parsed = Date.parse(attributeValue(attribute));
      if (Number.isFinite(parsed)) expiresAt = parsed;
    }
  }
  const expiresMs = maxAge !== null ? nowMs + maxAge * 1000 : expiresAt;
  // A deletion, or an empty value: Chromium removes the cookie, nothing is written anywhere.
  if (token === '' || (expiresMs !== null && expiresMs <= nowMs)) return { header, issued: null };
  const kept = attributes.filter((attribute) => !LIFETIME_ATTRIBUTES.has(attributeName(attribute)));
  return {
    header: [pair, ...kept].join(';'),
    issued: expiresMs === null ? { token } : { token, expires: Math.floor(expiresMs / 1000) },
  };
}

/**
 * Rewrites the Set-Cookie headers of one response (header names in any case, as Electron hands
 * them over). Returns the headers to use and the sessions issued.
 */
export function sessionOnlyResponseHeaders(
  headers: Record<string, string[]>,
  nowMs: number,
): { headers: Record<string, string[]>; issued: IssuedSession[] } {
  const issued: IssuedSession[] = [];
  const rewritten: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'set-cookie') {
      rewritten[name] = values;
      continue;
    }
    rewritten[name] = values.map((value) => {
      const result = toSessionOnlyCookie(value, nowMs);
      if (result.issued) issued.push(result.issued);
      return result.header;
    });
  }
  return { headers: rewritten, issued };
}
