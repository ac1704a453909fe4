// The bundled server's secret key (it encrypts TOTP secrets and keys backup-code hashes). It is
// created in and read from the OS keychain and handed to the server process in memory
// (server/supervisor.ts), so it never sits on the disk beside the database it protects.
// Without a keychain the server keeps its key in a 0600 file in its data folder instead, and a
// key already in that file moves into the keychain once one is available.
import type { KeychainAvailability, SecretStore } from './keychain.js';

export const SERVER_KEY_ACCOUNT = 'bundled-server-secret-key';
/** The server's key size (server/crypto/secret-key.ts SECRET_KEY_BYTES). */
export const SERVER_KEY_BYTES = 32;

export interface ServerKeyFiles {
  /** Whether the server's database exists already (then a key exists somewhere). */
  databaseExists(): Promise<boolean>;
  /** The key file's bytes, or null when there is none. */
  readKeyFile(): Promise<Buffer | null>;
  removeKeyFile(): Promise<void>;
}

export type ServerKey =
  { source: 'keychain'; key: Buffer } | { source: 'file'; reason: string } | { source: 'unavailable'; error: string };

function decode(stored: string): Buffer | null {
  const key = Buffer.from(stored, 'base64');
  return key.length === SERVER_KEY_BYTES && key.toString('base64') === stored ? key : null;
}

async function storeAndVerify(store: SecretStore, key: Buffer): Promise<void> {
  const encoded = key.toString('base64');
  await store.set(SERVER_KEY_ACCOUNT, encoded);
  if ((await store.get(SERVER_KEY_ACCOUNT)) !== encoded) {
    throw new Error('the OS keychain did not return the key Latchkey saved in it');
  }
}

export async function obtainServerKey(
  store: SecretStore,
  keychain: KeychainAvailability,
  files: ServerKeyFiles,
  randomBytes: (size: number) => Buffer,
): Promise<ServerKey> {
  if (!keychain.available) {
    if ((await files.readKeyFile()) !== null || !(await files.databaseExists())) {
      return { source: 'file', reason: keychain.reason };
    }
    return {
      source: 'unavailable',
      error:
        "The bundled server's key is kept in the OS keychain, which Latchkey cannot use right now. " +
        `${keychain.reason} Unlock the keychain and open Latchkey again.`,
    };
  }
  const stored = await store.get(SERVER_KEY_ACCOUNT);
  if (stored !== null) {
    const key = decode(stored);
    if (key === null) {
      return {
        source: 'unavailable',
        error: `The bundled server's key in the OS keychain (service "Latchkey", account "${SERVER_KEY_ACCOUNT}") is damaged.`,
      };
    }
    return { source: 'keychain', key };
  }
  const fromFile = await files.readKeyFile();
  if (fromFile !== null) {
    if (fromFile.length !== SERVER_KEY_BYTES) {
      return { source: 'unavailable', error: `The bundled server's key file must hold ${SERVER_KEY_BYTES} bytes.` };
    }
    await storeAndVerify(store, fromFile);
    await files.removeKeyFile();
    return { source: 'keychain', key: fromFile };
  }
  if (await files.databaseExists()) {
    return {
      source: 'unavailable',
      error:
        "The bundled server's key is missing from the OS keychain, so its two-factor data cannot be read. " +
        'Restore the keychain entry (service "Latchkey") or remove the server folder to start afresh.',
    };
  }
  const key = randomBytes(SERVER_KEY_BYTES);
  await storeAndVerify(store, key);
  return { source: 'keychain', key };
}
