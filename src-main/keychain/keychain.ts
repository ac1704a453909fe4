// The OS keychain (macOS Keychain, Windows Credential Manager, libsecret on Linux) through
// keytar. Only getPassword, setPassword and deletePassword are used: findCredentials crashes
// the process on a locked GNOME keyring. Every call is bounded in time, because a keychain
// waiting on an unlock prompt nobody can see would otherwise hold the app forever.

export const KEYCHAIN_SERVICE = 'Latchkey';
/** The account the start-up probe writes, reads back and deletes. */
export const PROBE_ACCOUNT = 'latchkey-probe';

/** The three keytar functions Latchkey uses (the real module satisfies it). */
export interface KeytarSubset {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export class KeychainTimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new KeychainTimeoutError(`the OS keychain did not answer ${what} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function keytarStore(keytar: KeytarSubset, timeoutMs = 10_000): SecretStore {
  return {
    get: (account) => withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, account), timeoutMs, 'a read'),
    set: (account, value) => withTimeout(keytar.setPassword(KEYCHAIN_SERVICE, account, value), timeoutMs, 'a write'),
    delete: (account) => withTimeout(keytar.deletePassword(KEYCHAIN_SERVICE, account), timeoutMs, 'a delete'),
  };
}

export type KeychainAvailability = { available: true; reason: null } | { available: false; reason: string };

const CONSEQUENCE = 'Latchkey works, but you will have to sign in each time you open it.';

/** Explains a keychain failure in a sentence a person can act on. */
export function explainKeychainFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/locked/i.test(message)) {
    return `The OS keychain is locked (${message}). ${CONSEQUENCE} Unlock the keychain and restart Latchkey to stay signed in.`;
  }
  return `The OS keychain is not available (${message}). ${CONSEQUENCE}`;
}

/**
 * The start-up probe: writes a random value, reads it back and deletes it. A keychain that is
 * missing, locked (a locked GNOME keyring reads as "nothing there" but refuses writes) or
 * answers with something else counts as unavailable.
 */
export async function probeKeychain(store: SecretStore, randomValue: string): Promise<KeychainAvailability> {
  try {
    await store.set(PROBE_ACCOUNT, randomValue);
    const readBack = await store.get(PROBE_ACCOUNT);
    await store.delete(PROBE_ACCOUNT);
    if (readBack !== randomValue) {
      return {
        available: false,
        reason: `The OS keychain did not return what Latchkey saved in it. ${CONSEQUENCE}`,
      };
    }
    return { available: true, reason: null };
  } catch (error) {
    return { available: false, reason: explainKeychainFailure(error) };
  }
}
