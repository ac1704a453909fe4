// Where the bundled server's key comes from, with an in-memory keychain and real files.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeychainAvailability } from '../../../src-main/keychain/keychain.js';
import { obtainServerKey, SERVER_KEY_ACCOUNT } from '../../../src-main/keychain/server-secret-key.js';
import { MemorySecretStore } from '../support/fake-electron.js';

const AVAILABLE: KeychainAvailability = { available: true, reason: null };
const LOCKED: KeychainAvailability = { available: false, reason: 'The OS keychain is locked.' };
const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function dataDir() {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-key-'));
  folders.push(folder);
  const keyFile = join(folder, 'secret.key');
  return {
    folder,
    keyFile,
    files: {
      databaseExists: async () => existsSync(join(folder, 'latchkey.db')),
      readKeyFile: () => readFile(keyFile).catch(() => null),
      removeKeyFile: () => rm(keyFile, { force: true }),
    },
  };
}

describe('obtainServerKey', () => {
  it('creates a 32-byte key in the keychain on first start, and reads the same one later', async () => {
    const store = new MemorySecretStore();
    const { files, keyFile } = dataDir();
    const first = await obtainServerKey(store, AVAILABLE, files, randomBytes);
    expect(first.source).toBe('keychain');
    const key = first.source === 'keychain' ? first.key : Buffer.alloc(0);
    expect(key).toHaveLength(32);
    expect(store.entries.get(SERVER_KEY_ACCOUNT)).toBe(key.toString('base64'));
    const again = await obtainServerKey(store, AVAILABLE, files, randomBytes);
    expect(again.source === 'keychain' && again.key.equals(key)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('moves a key file into the keychain and deletes the file', async () => {
    const store = new MemorySecretStore();
    const { files, keyFile, folder } = dataDir();
    const onDisk = randomBytes(32);
    writeFileSync(keyFile, onDisk);
    writeFileSync(join(folder, 'latchkey.db'), '');
    const result = await obtainServerKey(store, AVAILABLE, files, randomBytes);
    expect(result.source === 'keychain' && result.key.equals(onDisk)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('lets the server keep its key file while the keychain is unavailable', async () => {
    const { files, keyFile, folder } = dataDir();
    expect(await obtainServerKey(new MemorySecretStore(), LOCKED, files, randomBytes)).toEqual({
      source: 'file',
      reason: LOCKED.reason,
    });
    writeFileSync(keyFile, randomBytes(32));
    writeFileSync(join(folder, 'latchkey.db'), '');
    expect((await obtainServerKey(new MemorySecretStore(), LOCKED, files, randomBytes)).source).toBe('file');
  });

  it('refuses to start over data whose key is in a keychain it cannot open', async () => {
    const { files, folder, keyFile } = dataDir();
    writeFileSync(join(folder, 'latchkey.db'), '');
    const result = await obtainServerKey(new MemorySecretStore(), LOCKED, files, randomBytes);
    expect(result).toMatchObject({ source: 'unavailable', error: expect.stringMatching(/Unlock the keychain/) });
    expect(existsSync(keyFile)).toBe(false);
  });

  it('refuses a damaged key, and data whose key is gone', async () => {
    const store = new MemorySecretStore();
    store.entries.set(SERVER_KEY_ACCOUNT, 'c2hvcnQ=');
    const { files, folder } = dataDir();
    expect(await obtainServerKey(store, AVAILABLE, files, randomBytes)).toMatchObject({
      source: 'unavailable',
      error: expect.stringMatching(/damaged/),
    });
    store.entries.clear();
    writeFileSync(join(folder, 'latchkey.db'), '');
    expect(await obtainServerKey(store, AVAILABLE, files, randomBytes)).toMatchObject({
      source: 'unavailable',
      error: expect.stringMatching(/missing from the OS keychain/),
    });
    expect(readFileSync(join(folder, 'latchkey.db'), 'utf8')).toBe('');
  });
});
