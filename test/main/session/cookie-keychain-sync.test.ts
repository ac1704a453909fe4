// The session cookie ↔ OS keychain sync, with a stand-in for Electron's cookie store that
// reports changes the way Chromium does (support/fake-electron.ts; the Electron runtime is not
// available here) and an in-memory keychain (the real keychain is tested in keychain/).
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
  const sync = new CookieKeychainSync({
    jar,
    store,
    account: ACCOUNT,
    serverOrigin: () => origin,
    onKeychainError: (error) => errors.push(error),
  });
  return { jar, store, sync, errors };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
afterEach(() => vi.useRealTimers());

describe('keychainAccountFor', () => {
  it('is the origin of a remote server and one stable name for the bundled one', () => {
    expect(keychainAccountFor({ mode: 'remote', origin: 'https://id.example.com' })).toBe('https://id.example.com');
    expect(keychainAccountFor({ mode: 'bundled' })).toBe('http://localhost');
  });
});

describe('restore (before the User Center loads)', () => {
  it('puts the saved cookie back as HttpOnly, SameSite=Strict, with its expiry', async () => {
    const { jar, store, sync } = setup();
    const expires = inAnHour();
    store.entries.set(ACCOUNT, JSON.stringify({ token: TOKEN, expires }));
    expect(await sync.restore()).toBe('restored');
    expect(jar.value(ORIGIN, SESSION_COOKIE)).toMatchObject({
      value: TOKEN,
      httpOnly: true,
      sameSite: 'strict',
      secure: false,
      expirationDate: expires,
    });
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
  it('saves the cookie the server sets at sign-in', async () => {
    const { jar, store, sync } = setup();
    sync.watch();
    const expires = inAnHour();
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, expires);
    await settle();
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)).toEqual({ token: TOKEN, expires });
  });

  it('keeps the newest cookie when a sign-in replaces it', async () => {
    const { jar, store, sync } = setup();
    sync.watch();
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, inAnHour());
    jar.serverSets(ORIGIN, SESSION_COOKIE, 'b'.repeat(43), inAnHour());
    await settle();
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)?.token).toBe('b'.repeat(43));
  });

  it('removes it when the server clears the cookie at sign-out', async () => {
    const { jar, store, sync } = setup();
    sync.watch();
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, inAnHour());
    await settle();
    jar.serverSets(ORIGIN, SESSION_COOKIE, '', 1); // Max-Age=0: already expired
    await settle();
    expect(store.entries.has(ACCOUNT)).toBe(false);
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
    const { jar, store, sync } = setup();
    sync.watch();
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, inAnHour());
    jar.serverSets(ORIGIN, SESSION_COOKIE, '', 1);
    jar.serverSets(ORIGIN, SESSION_COOKIE, 'c'.repeat(43), inAnHour());
    await settle();
    expect(store.calls).toEqual([`set ${ACCOUNT}`, `delete ${ACCOUNT}`, `set ${ACCOUNT}`]);
    expect(parseStoredSession(store.entries.get(ACCOUNT) ?? null)?.token).toBe('c'.repeat(43));
  });

  it('stops following once the app quits (the in-memory store going away is no sign-out)', async () => {
    const { jar, store, sync } = setup();
    sync.watch();
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, inAnHour());
    await sync.stop();
    await jar.remove(ORIGIN, SESSION_COOKIE);
    await settle();
    expect(store.entries.has(ACCOUNT)).toBe(true);
  });

  it('reports a keychain that fails', async () => {
    const { jar, store, sync, errors } = setup();
    sync.watch();
    store.failWith = new Error('Cannot create an item in a locked collection');
    jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, inAnHour());
    await settle();
    expect(errors).toHaveLength(1);
  });
});

describe('a session the server refuses', () => {
  async function signedIn() {
    const context = setup();
    context.sync.watch();
    context.jar.serverSets(ORIGIN, SESSION_COOKIE, TOKEN, inAnHour());
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
