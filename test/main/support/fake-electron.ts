// Stand-ins for the few Electron objects the main-process modules touch. The Electron runtime
// cannot run here (its binary is not installed: docs/desktop.md "What works where"), so the unit tests
// fake it at this edge only; everything behind it is the real module code.
import { EventEmitter } from 'node:events';
import type { CookieJar, SessionCookie } from '../../../src-main/session/cookie-keychain-sync.js';
import type { SecretStore } from '../../../src-main/keychain/keychain.js';

/** A navigation event as Electron passes it to 'will-navigate' listeners. */
export function navigationEvent(url: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | null = null;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.windowOpenHandler = handler;
  }

  /** Emits 'will-navigate' (or 'will-redirect') and tells whether a listener refused it. */
  navigate(url: string, event: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const navigation = navigationEvent(url);
    this.emit(event, navigation);
    return !navigation.prevented;
  }
}

interface StoredCookie extends SessionCookie {
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string;
}

/**
 * An in-memory cookie store that reports changes the way Chromium's does (Electron's
 * Cookies 'changed' event): replacing a cookie is 'overwrite' (removed) then 'inserted';
 * setting one that is already expired is 'expired-overwrite'; removing one is 'explicit'.
 */
export class FakeCookieJar extends EventEmitter implements CookieJar {
  readonly cookies = new Map<string, StoredCookie>();

  private key(domain: string, name: string): string {
    return `${domain}|${name}`;
  }

  async set(details: Parameters<CookieJar['set']>[0]): Promise<void> {
    this.serverSets(details.url, details.name, details.value, details.expirationDate, {
      secure: details.secure,
      httpOnly: details.httpOnly,
      sameSite: details.sameSite,
    });
  }

  /** What a Set-Cookie header from `url` does. */
  serverSets(
    url: string,
    name: string,
    value: string,
    expirationDate?: number,
    flags: { secure?: boolean; httpOnly?: boolean; sameSite?: string } = {},
  ): void {
    const domain = new URL(url).hostname;
    const key = this.key(domain, name);
    const previous = this.cookies.get(key);
    const expired = expirationDate !== undefined && expirationDate * 1000 <= Date.now();
    if (previous) {
      this.cookies.delete(key);
      this.emit('changed', {}, previous, expired ? 'expired-overwrite' : 'overwrite', true);
    }
    if (expired) return;
    const cookie: StoredCookie = {
      name,
      value,
      domain,
      path: '/',
      secure: flags.secure ?? false,
      httpOnly: flags.httpOnly ?? true,
      sameSite: flags.sameSite ?? 'strict',
      ...(expirationDate !== undefined ? { expirationDate } : {}),
    };
    this.cookies.set(key, cookie);
    this.emit('changed', {}, cookie, 'inserted', false);
  }

  async remove(url: string, name: string): Promise<void> {
    const key = this.key(new URL(url).hostname, name);
    const previous = this.cookies.get(key);
    if (!previous) return;
    this.cookies.delete(key);
    this.emit('changed', {}, previous, 'explicit', true);
  }

  value(url: string, name: string): StoredCookie | undefined {
    return this.cookies.get(this.key(new URL(url).hostname, name));
  }
}

/** An in-memory keychain; `failWith` makes every call fail like an unusable keychain. */
export class MemorySecretStore implements SecretStore {
  readonly entries = new Map<string, string>();
  failWith: Error | null = null;
  readonly calls: string[] = [];

  async get(account: string): Promise<string | null> {
    this.calls.push(`get ${account}`);
    if (this.failWith) throw this.failWith;
    return this.entries.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    this.calls.push(`set ${account}`);
    if (this.failWith) throw this.failWith;
    this.entries.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    this.calls.push(`delete ${account}`);
    if (this.failWith) throw this.failWith;
    return this.entries.delete(account);
  }
}
