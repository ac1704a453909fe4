// Keeps the `latchkey_session` cookie in the OS keychain instead of Chromium's cookie file.
// The window's session is persistent (window/window-options.ts SESSION_PARTITION), and the
// cookie is kept out of its file by holding it as a session cookie only (session-only-cookie.ts):
// - responseHeaders(): the server's Set-Cookie becomes session-only before Chromium stores it,
//   and the lifetime it had is kept for the keychain entry;
// - restore(): before the User Center loads, the saved cookie goes back into the session, as a
//   session cookie;
// - the server setting the cookie (sign-in) saves it; the server clearing it (sign-out) or the
//   cookie expiring removes it; a persistent copy that got past the rewrite anyway is replaced
//   by a session-only one at once;
// - the server refusing it (a GET under /api/v1/me answering 401) removes it from both.
// Keychain writes are queued, so they land in the order the cookie changed.
import type { SecretStore } from '../keychain/keychain.js';
import { SESSION_COOKIE, sessionOnlyResponseHeaders } from './session-only-cookie.js';

export { SESSION_COOKIE };

/** The fields of Electron's Cookie the sync reads. */
export interface SessionCookie {
  name: string;
  value: string;
  domain?: string;
  expirationDate?: number;
}

/** The part of Electron's Cookies the sync uses (faked in the unit tests). */
export interface CookieJar {
  set(details: {
    url: string;
    name: string;
    value: string;
    path: string;
    secure: boolean;
    httpOnly: boolean;
    sameSite: 'strict';
    // No expirationDate: the sync only ever sets session cookies, which stay off the disk.
  }): Promise<void>;
  remove(url: string, name: string): Promise<void>;
  on(
    event: 'changed',
    listener: (event: unknown, cookie: SessionCookie, cause: string, removed: boolean) => void,
  ): unknown;
}

/** What the keychain holds for one server. */
export interface StoredSession {
  token: string;
  /** Seconds since the epoch, as Chromium reports cookie expiry; absent for a session cookie. */
  expires?: number;
}

export interface CookieSyncOptions {
  jar: CookieJar;
  store: SecretStore;
  /** The keychain account: the server origin (see keychainAccountFor). */
  account: string;
  serverOrigin: () => string;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** A keychain operation failed: the session is then not kept across restarts. */
  onKeychainError?: (error: unknown) => void;
  /** Something worth a line in the log. */
  log?: (message: string) => void;
}

/**
 * The keychain account for a server. Remote servers: their origin. The bundled server is
 * `http://localhost` whatever its port, because its port may change from one start to the next
 * and cookies are not isolated by port anyway (RFC 6265 §8.5).
 */
export function keychainAccountFor(server: { mode: 'bundled' } | { mode: 'remote'; origin: string }): string {
  return server.mode === 'bundled' ? 'http://localhost' : server.origin;
}

export function parseStoredSession(text: string | null): StoredSession | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { token, expires } = value as Record<string, unknown>;
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null;
    if (expires !== undefined && typeof expires !== 'number') return null;
    return expires === undefined ? { token } : { token, expires };
  } catch {
    return null;
  }
}

export type RestoreResult = 'restored' | 'none' | 'expired' | 'damaged';

/** How many issued lifetimes are remembered until their cookie shows up (a few at most). */
const MAX_ISSUED = 8;

export class CookieKeychainSync {
  private queue: Promise<void> = Promise.resolve();
  private lastSaved: string | null = null;
  private stopped = false;
  /** The lifetime the server gave each recently issued token (seconds since the epoch). */
  private readonly issued = new Map<string, number | undefined>();

  constructor(private readonly options: CookieSyncOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private enqueue(operation: () => Promise<unknown>): Promise<void> {
    this.queue = this.queue.then(operation).then(
      () => undefined,
      (error: unknown) => this.options.onKeychainError?.(error),
    );
    return this.queue;
  }

  private isOurs(cookie: SessionCookie): boolean {
    if (cookie.name !== SESSION_COOKIE) return false;
    const host = new URL(this.options.serverOrigin()).hostname;
    return (cookie.domain ?? host).replace(/^\./, '') === host;
  }

  /** Puts the saved session back into the window's session. Call before the first load. */
  async restore(): Promise<RestoreResult> {
    const text = await this.options.store.get(this.options.account);
    if (text === null) return 'none';
    const stored = parseStoredSession(text);
    if (stored === null || (stored.expires !== undefined && stored.expires * 1000 <= this.now())) {
      await this.options.store.delete(this.options.account);
      return stored === null ? 'damaged' : 'expired';
    }
    this.lastSaved = text;
    this.issued.set(stored.token, stored.expires);
    await this.setSessionOnly(stored.token);
    return 'restored';
  }

  /** Puts the token into the window's session as a session cookie: no expiry, never on disk. */
  private setSessionOnly(token: string): Promise<void> {
    const origin = this.options.serverOrigin();
    return this.options.jar.set({
      url: origin,
      name: SESSION_COOKIE,
      value: token,
      path: '/',
      secure: origin.startsWith('https:'),
      httpOnly: true,
      sameSite: 'strict',
    });
  }

  /**
   * The response headers to use for a response the window received (Electron's
   * onHeadersReceived): a session cookie from the server origin becomes session-only.
   */
  responseHeaders(url: string, headers: Record<string, string[]>): Record<string, string[]> {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return headers;
    }
    if (origin !== this.options.serverOrigin()) return headers;
    const rewritten = sessionOnlyResponseHeaders(headers, this.now());
    for (const session of rewritten.issued) {
      this.issued.set(session.token, session.expires);
      if (this.issued.size > MAX_ISSUED) this.issued.delete(this.issued.keys().next().value!);
    }
    return rewritten.headers;
  }

  /** Follows the cookie from now on. */
  watch(): void {
    this.options.jar.on('changed', (_event, cookie, cause, removed) => {
      if (this.stopped || !this.isOurs(cookie)) return;
      if (!removed) {
        if (cookie.expirationDate !== undefined) {
          // A persistent copy would be written to Chromium's cookie file: replace it now.
          this.options.log?.('the session cookie arrived with an expiry; it is kept as a session cookie instead');
          this.issued.set(cookie.value, Math.floor(cookie.expirationDate));
          void this.setSessionOnly(cookie.value).catch((error: Error) => this.options.log?.(error.message));
          return;
        }
        const expires = this.issued.get(cookie.value);
        const stored: StoredSession =
          expires === undefined ? { token: cookie.value } : { token: cookie.value, expires };
        const text = JSON.stringify(stored);
        if (text === this.lastSaved) return;
        this.lastSaved = text;
        void this.enqueue(() => this.options.store.set(this.options.account, text));
      } else if (cause !== 'overwrite') {
        // 'overwrite' is the old value giving way to a new one, whose 'inserted' follows.
        this.lastSaved = null;
        void this.enqueue(() => this.options.store.delete(this.options.account));
      }
    });
  }

  /** A response the window received: a refused session is forgotten. */
  observeResponse(response: { method: string; url: string; statusCode: number }): void {
    if (this.stopped || response.method !== 'GET' || response.statusCode !== 401) return;
    const url = new URL(response.url);
    if (url.origin !== this.options.serverOrigin()) return;
    if (url.pathname !== '/api/v1/me' && !url.pathname.startsWith('/api/v1/me/')) return;
    void this.forget();
  }

  /** Removes the session from the keychain and from the window's session. */
  forget(): Promise<void> {
    this.lastSaved = null;
    return this.enqueue(async () => {
      await this.options.store.delete(this.options.account);
      await this.options.jar.remove(this.options.serverOrigin(), SESSION_COOKIE);
    });
  }

  /** Ignores further changes (the app is quitting) and waits for the queued keychain writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }
}
