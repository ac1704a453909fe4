// The keychain wrapper and its start-up probe, over a stand-in for keytar (the real secret
// service is exercised in keychain-secret-service.test.ts).
import { describe, expect, it } from 'vitest';
import {
  KEYCHAIN_SERVICE,
  KeychainTimeoutError,
  keytarStore,
  openKeychain,
  type KeytarModule,
  probeKeychain,
  PROBE_ACCOUNT,
  type KeytarSubset,
} from '../../../src-main/keychain/keychain.js';

function fakeKeytar(overrides: Partial<KeytarSubset> = {}) {
  const entries = new Map<string, string>();
  const keytar: KeytarSubset = {
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => void entries.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
    ...overrides,
  };
  return { keytar, entries };
}

describe('keytarStore', () => {
  it('keeps entries under the Latchkey service', async () => {
    const { keytar, entries } = fakeKeytar();
    const store = keytarStore(keytar);
    await store.set('https://id.example.com', 'v');
    expect([...entries.keys()]).toEqual([`${KEYCHAIN_SERVICE}/https://id.example.com`]);
    expect(await store.get('https://id.example.com')).toBe('v');
    expect(await store.delete('https://id.example.com')).toBe(true);
  });

  it('gives up on a keychain that does not answer', async () => {
    const { keytar } = fakeKeytar({ getPassword: () => new Promise(() => undefined) });
    await expect(keytarStore(keytar, 50).get('x')).rejects.toThrow(KeychainTimeoutError);
  });
});

describe('probeKeychain', () => {
  it('finds a working keychain and leaves nothing behind', async () => {
    const { keytar, entries } = fakeKeytar();
    expect(await probeKeychain(keytarStore(keytar), 'r4nd0m')).toEqual({ available: true, reason: null });
    expect(entries.has(`${KEYCHAIN_SERVICE}/${PROBE_ACCOUNT}`)).toBe(false);
  });

  it('says a locked keychain is locked and what that means', async () => {
    const { keytar } = fakeKeytar({
      setPassword: async () => {
        throw new Error('Cannot create an item in a locked collection');
      },
    });
    const result = await probeKeychain(keytarStore(keytar), 'r');
    expect(result.available).toBe(false);
    expect(result.reason).toMatch(/locked.*sign in each time.*Unlock the keychain and restart Latchkey/);
  });

  it('says a missing keychain is not available', async () => {
    const { keytar } = fakeKeytar({
      setPassword: async () => {
        throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
      },
    });
    expect((await probeKeychain(keytarStore(keytar), 'r')).reason).toMatch(/not available.*sign in each time/);
  });

  it('refuses a keychain that answers with something else', async () => {
    const { keytar } = fakeKeytar({ getPassword: async () => null });
    expect((await probeKeychain(keytarStore(keytar), 'r')).reason).toMatch(/did not return what Latchkey saved/);
  });

  it('counts a keychain that hangs as unavailable', async () => {
    const { keytar } = fakeKeytar({ setPassword: () => new Promise(() => undefined) });
    expect((await probeKeychain(keytarStore(keytar, 50), 'r')).reason).toMatch(/did not answer a write/);
  });
});

describe('keytar use in src-main', () => {
  it('is limited to get, set and delete (findCredentials crashes on a locked GNOME keyring)', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (folder: string): string[] =>
      readdirSync(folder).flatMap((name) =>
        statSync(join(folder, name)).isDirectory() ? files(join(folder, name)) : [join(folder, name)],
      );
    const sources = files(join(import.meta.dirname, '..', '..', '..', 'src-main')).filter((path) =>
      path.endsWith('.ts'),
    );
    const text = sources.map((path) => readFileSync(path, 'utf8')).join('\n');
    expect(text).not.toMatch(/\b(findCredentials|findPassword)\s*\(/);
    // keytar is reached only through the keychain module's dynamic import: a static import
    // anywhere would load libsecret before any window, and a machine without it would get none.
    const importers = sources.filter((path) => /['"]keytar['"]/.test(readFileSync(path, 'utf8')));
    expect(importers.map((path) => path.replaceAll('\\', '/').replace(/.*src-main\//, ''))).toEqual([
      'keychain/keychain.ts',
    ]);
    expect(text).not.toMatch(/^\s*import\s+(?!type\b)[^;]*from\s+['"]keytar['"]/m);
    expect(text).toMatch(/import\('keytar'\)/);
  });
});

describe('openKeychain (keytar loaded on first use)', () => {
  it('loads keytar from its CommonJS default export and probes it', async () => {
    const { keytar, entries } = fakeKeytar();
    const opened = await openKeychain('probe-value', async () => ({ default: keytar }));
    expect(opened.availability).toEqual({ available: true, reason: null });
    await opened.store.set('account', 'value');
    expect(entries.get(`${KEYCHAIN_SERVICE}/account`)).toBe('value');
  });

  it('turns a keytar that cannot load (no libsecret) into an unavailable keychain, not a crash', async () => {
    // What Node's dlopen reports on a Linux without libsecret (the addon links against it).
    const missing = new Error(
      'libsecret-1.so.0: cannot open shared object file: No such file or directory\n    at Module._extensions..node',
    );
    const opened = await openKeychain('probe-value', () => Promise.reject(missing));
    expect(opened.availability.available).toBe(false);
    expect(opened.availability.reason).toBe(
      'The OS keychain cannot be used: its library did not load (libsecret-1.so.0: cannot open shared object file: ' +
        'No such file or directory). Latchkey works, but you will have to sign in each time you open it. Install ' +
        'libsecret (the libsecret-1-0 package on Debian and Ubuntu, libsecret on Fedora) and restart Latchkey to stay signed in.',
    );
    await expect(opened.store.get('account')).rejects.toBe(missing);
    await expect(opened.store.set('account', 'v')).rejects.toBe(missing);
  });

  it('loads the real keytar module when asked to (the import the app makes)', async () => {
    const module = (await import('keytar')) as unknown as KeytarModule;
    const keytar = 'default' in module ? module.default : module;
    expect(typeof keytar.getPassword).toBe('function');
  });
});
