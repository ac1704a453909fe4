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
  /** The page shown; tests set it. */
  url = 'about:blank';
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | null = null;

  getURL(): string {
    return this.url;
  }

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
    this.serverSets(details.url, details.name, details.value, undefined, {
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

  /**
   * What Chromium does with one Set-Cookie header from `url` (the attributes the tests use:
   * Max-Age wins over Expires, RFC 6265 §5.3).
   */
  applySetCookie(url: string, header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    const attribute = (wanted: string) =>
      attributes.find((part) => part.toLowerCase().startsWith(`${wanted}=`))?.slice(wanted.length + 1);
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    const expirationDate =
      maxAge !== undefined
        ? Date.now() / 1000 + Number(maxAge)
        : expires !== undefined
          ? Date.parse(expires) / 1000
          : undefined;
    this.serverSets(url, name, value, expirationDate, {
      httpOnly: attributes.some((part) => part.toLowerCase() === 'httponly'),
      sameSite: attribute('samesite')?.toLowerCase() ?? 'lax',
    });
  }

  /** The cookies Chromium would write to its cookie file: the persistent ones. */
  persistent(): StoredCookie[] {
    return [...this.cookies.values()].filter((cookie) => cookie.expirationDate !== undefined);
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
