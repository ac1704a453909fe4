// Keeps the `latchkey_session` cookie in the OS keychain instead of Chromium's cookie store
// (the window's session lives in memory only: window/window-options.ts SESSION_PARTITION).
// - restore(): before the User Center loads, the saved cookie goes back into the session;
// - the server setting the cookie (sign-in) saves it; the server clearing it (sign-out) or the
//   cookie expiring removes it;
// - the server refusing it (a GET under /api/v1/me answering 401) removes it from both.
// Keychain writes are queued, so they land in the order the cookie changed.
import type { SecretStore } from '../keychain/keychain.js';

export const SESSION_COOKIE = 'latchkey_session';

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
    expirationDate?: number;
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

export class CookieKeychainSync {
  private queue: Promise<void> = Promise.resolve();
  private lastSaved: string | null = null;
  private stopped = false;

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
    const origin = this.options.serverOrigin();
    this.lastSaved = text;
    await this.options.jar.set({
      url: origin,
      name: SESSION_COOKIE,
      value: stored.token,
      path: '/',
      secure: origin.startsWith('https:'),
      httpOnly: true,
      sameSite: 'strict',
      ...(stored.expires !== undefined ? { expirationDate: stored.expires } : {}),
    });
    return 'restored';
  }

  /** Follows the cookie from now on. */
  watch(): void {
    this.options.jar.on('changed', (_event, cookie, cause, removed) => {
      if (this.stopped || !this.isOurs(cookie)) return;
      if (!removed) {
        const stored: StoredSession =
          cookie.expirationDate === undefined
            ? { token: cookie.value }
            : { token: cookie.value, expires: Math.floor(cookie.expirationDate) };
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
