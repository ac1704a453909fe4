// The session cookie ↔ OS keychain sync, with a stand-in for Electron's cookie store that
// reports changes the way Chromium does and tells which cookies Chromium would write to its
// cookie file (support/fake-electron.ts; the Electron runtime is not available here: the real
// cookie file is read by test/electron/), and an in-memory keychain (the real keychain is
// tested in keychain/).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CookieKeychainSync,
  keychainAccountFor,
  parseStoredSession,
  SESSION_COOKIE,
} from '../../../src-main/session/cookie-keychain-sync.js';
import { FakeCookieJar, MemorySecretStore } from '../support/fake-electron.js';

const ORIGIN = 'http://localhost:4812';
const ACCOUNT = 'http://localhost';
const TOKEN = 'a'.repeat(43);
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

function setup(origin = ORIGIN) {
  const jar = new FakeCookieJar();
  const store = new MemorySecretStore();
  const errors: unknown[] = [];
  const log: string[] = [];
  const sync = new CookieKeychainSync({
    jar,
    store,
    account: ACCOUNT,
    serverOrigin: () => origin,
    onKeychainError: (error) => errors.push(error),
    log: (message) => log.push(message),
  });
  /** A response from `url`: its headers pass the sync's rewrite, then Chromium stores the cookies. */
  const serverResponds = (url: string, ...setCookies: string[]) => {
    const headers = sync.responseHeaders(url, { 'content-type': ['application/json'], 'set-cookie': setCookies });
    for (const header of headers['set-cookie'] ?? []) jar.applySetCookie(url, header);
    return headers;
  };
  return { jar, store, sync, errors, log, serverResponds };
}

const signInCookie = (token = TOKEN) => `${SESSION_COOKIE}=${token}; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict`;
const signOutCookie = `${SESSION_COOKIE}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
afterEach(() => vi.useRealTimers());

describe('keychainAccountFor', () => {
  it('is the origin of a remote server and one stable name for the bundled one', () => {
    expect(keychainAccountFor({ mode: 'remote', origin: 'https://id.example.com' })).toBe('https://id.example.com');
    expect(keychainAccountFor({ mode: 'bundled' })).toBe('http://localhost');
  });
});

describe('restore (before the User Center loads)', () => {
  it('puts the saved cookie back as an HttpOnly, SameSite=Strict session cookie, never written to disk', async () => {
    const { jar, store, sync } = setup();
    const expires = inAnHour();
    store.entries.set(ACCOUNT, JSON.stringify({ token: TOKEN, expires }));
    expect(await sync.restore()).toBe('restored');
    expect(jar.value(ORIGIN, SESSION_COOKIE)).toMatchObject({
      value: TOKEN,
      httpOnly: true,
      sameSite: 'strict',
      secure: false,
    });
    expect(jar.value(ORIGIN, SESSION_COOKIE)).not.toHaveProperty('expirationDate');
    expect(jar.persistent()).toEqual([]);
  });

  it('keeps the expiry in the keychain when the restored cookie is seen again', async () => {
    const { store, sync } = setup();
    const expires = inAnHour();
    store.entries.set(ACCOUNT, JSON.stringify({ token: TOKEN, expires }));
    sync.watch();
    await sync.restore();
    await settle();
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)).toEqual({ token: TOKEN, expires });
    expect(store.calls.filter((call) => call.startsWith('set'))).toEqual([]);
  });

  it('marks the cookie Secure for an https server', async () => {
    const { jar, store, sync } = setup('https://id.example.com');
    store.entries.set(ACCOUNT, JSON.stringify({ token: TOKEN }));
    await sync.restore();
    expect(jar.value('https://id.example.com', SESSION_COOKIE)?.secure).toBe(true);
  });

  it('drops an expired or damaged entry instead of restoring it', async () => {
    const expired = setup();
    expired.store.entries.set(ACCOUNT, JSON.stringify({ token: TOKEN, expires: Math.floor(Date.now() / 1000) - 1 }));
    expect(await expired.sync.restore()).toBe('expired');
    expect(expired.store.entries.has(ACCOUNT)).toBe(false);
    expect(expired.jar.cookies.size).toBe(0);

    const damaged = setup();
    damaged.store.entries.set(ACCOUNT, '{not json');
    expect(await damaged.sync.restore()).toBe('damaged');
    expect(damaged.store.entries.has(ACCOUNT)).toBe(false);
  });

  it('does nothing without a saved session', async () => {
    const { jar, sync } = setup();
    expect(await sync.restore()).toBe('none');
    expect(jar.cookies.size).toBe(0);
  });
});

describe('following the cookie', () => {
  it('saves the cookie the server sets at sign-in in the keychain, with its lifetime, and keeps it off the disk', async () => {
    const { jar, store, sync, serverResponds } = setup();
    sync.watch();
    const before = Math.floor(Date.now() / 1000);
    const headers = serverResponds(`${ORIGIN}/api/v1/session`, signInCookie());
    await settle();
    expect(headers['set-cookie']).toEqual([`${SESSION_COOKIE}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(headers['content-type']).toEqual(['application/json']);
    const stored = parseStoredSession(store.entries.get(ACCOUNT) ?? null);
    expect(stored?.token).toBe(TOKEN);
    expect(stored?.expires).toBeGreaterThanOrEqual(before + 3600);
    expect(stored?.expires).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    expect(jar.value(ORIGIN, SESSION_COOKIE)?.value).toBe(TOKEN);
    expect(jar.persistent()).toEqual([]);
  });

  it('replaces at once a persistent copy that got past the rewrite, keeping its lifetime in the keychain', async () => {
    const { jar, store, sync, log } = setup();
    sync.watch();
    const expires = inAnHour();
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, expires);
    await settle();
    expect(jar.persistent()).toEqual([]);
    expect(jar.value(ORIGIN, SESSION_COOKIE)?.value).toBe(TOKEN);
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)).toEqual({ token: TOKEN, expires });
    expect(log).toEqual([expect.stringMatching(/kept as a session cookie/)]);
  });

  it('leaves responses from other origins alone', () => {
    const { sync } = setup();
    const headers = { 'set-cookie': [signInCookie()] };
    expect(sync.responseHeaders('https://elsewhere.example/api/v1/session', headers)).toBe(headers);
    expect(sync.responseHeaders('not a url', headers)).toBe(headers);
  });

  it('keeps the newest cookie when a sign-in replaces it', async () => {
    const { store, sync, serverResponds } = setup();
    sync.watch();
    serverResponds(`${ORIGIN}/api/v1/session`, signInCookie());
    serverResponds(`${ORIGIN}/api/v1/session/totp`, signInCookie('b'.repeat(43)));
    await settle();
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)?.token).toBe('b'.repeat(43));
  });

  it('removes it when the server clears the cookie at sign-out', async () => {
    const { jar, store, sync, serverResponds } = setup();
    sync.watch();
    serverResponds(`${ORIGIN}/api/v1/session`, signInCookie());
    await settle();
    const headers = serverResponds(`${ORIGIN}/api/v1/session`, signOutCookie);
    await settle();
    expect(headers['set-cookie']).toEqual([signOutCookie]);
    expect(store.entries.has(ACCOUNT)).toBe(false);
    expect(jar.value(ORIGIN, SESSION_COOKIE)).toBeUndefined();
  });

  it('does not write again what it just restored', async () => {
    const { store, sync } = setup();
    store.entries.set(ACCOUNT, JSON.stringify({ token: TOKEN }));
    sync.watch();
    await sync.restore();
    await settle();
    expect(store.calls.filter((call) => call.startsWith('set'))).toEqual([]);
  });

  it('ignores other cookies and other hosts', async () => {
    const { jar, store, sync } = setup();
    sync.watch();
    jar.serverSets(ORIGIN, 'theme', 'dark');
    jar.serverSets('https://elsewhere.example', SESSION_COOKIE, TOKEN);
    await settle();
    expect(store.calls).toEqual([]);
  });

  it('writes in the order the cookie changed', async () => {
    const { store, sync, serverResponds } = setup();
    sync.watch();
    serverResponds(`${ORIGIN}/api/v1/session`, signInCookie());
    serverResponds(`${ORIGIN}/api/v1/session`, signOutCookie);
    serverResponds(`${ORIGIN}/api/v1/session`, signInCookie('c'.repeat(43)));
    await settle();
    expect(store.calls).toEqual([`set ${ACCOUNT}`, `delete ${ACCOUNT}`, `set ${ACCOUNT}`]);
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)?.token).toBe('c'.repeat(43));
  });

  it('stops following once the app quits (the session cookie going away is no sign-out)', async () => {
    const { jar, store, sync, serverResponds } = setup();
    sync.watch();
    serverResponds(`${ORIGIN}/api/v1/session`, signInCookie());
    await sync.stop();
    await jar.remove(ORIGIN, SESSION_COOKIE);
    await settle();
    expect(store.entries.has(ACCOUNT)).toBe(true);
  });

  it('reports a keychain that fails', async () => {
    const { jar, store, sync, errors } = setup();
    sync.watch();
    store.failWith = new Error('Cannot create an item in a locked collection');
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN);
    await settle();
    expect(errors).toHaveLength(1);
  });
});

describe('a session the server refuses', () => {
  async function signedIn() {
    const context = setup();
    context.sync.watch();
    context.serverResponds(`${ORIGIN}/api/v1/session`, signInCookie());
    await settle();
    return context;
  }

  it('is forgotten in the keychain and in the window when GET /api/v1/me answers 401', async () => {
    const { jar, store, sync } = await signedIn();
    sync.observeResponse({ method: 'GET', url: `${ORIGIN}/api/v1/me`, statusCode: 401 });
    await settle();
    expect(store.entries.has(ACCOUNT)).toBe(false);
    expect(jar.value(ORIGIN, SESSION_COOKIE)).toBeUndefined();
  });

  it('is kept after a wrong password (a POST answering 401) or a 401 elsewhere', async () => {
    const { store, sync } = await signedIn();
    sync.observeResponse({ method: 'POST', url: `${ORIGIN}/api/v1/me/backup-codes`, statusCode: 401 });
    sync.observeResponse({ method: 'GET', url: 'https://elsewhere.example/api/v1/me', statusCode: 401 });
    sync.observeResponse({ method: 'GET', url: `${ORIGIN}/api/v1/meta`, statusCode: 401 });
    sync.observeResponse({ method: 'GET', url: `${ORIGIN}/api/v1/me/events`, statusCode: 200 });
    await settle();
    expect(store.entries.has(ACCOUNT)).toBe(true);
  });
});
