// The OS keychain (macOS Keychain, Windows Credential Manager, libsecret on Linux) through
// keytar. Only getPassword, setPassword and deletePassword are used: findCredentials crashes
// the process on a locked GNOME keyring. Every call is bounded in time, because a keychain
// waiting on an unlock prompt nobody can see would otherwise hold the app forever.
// keytar is loaded on first use (openKeychain), never imported at the top of a module: its
// native addon links against libsecret on Linux, and a machine without it must still get a
// window, one that says the keychain is unavailable.

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

/** keytar's module as a dynamic import hands it over (CommonJS: under `default`). */
export type KeytarModule = KeytarSubset | { default: KeytarSubset };

/** A store whose every call fails with the reason the keychain could not be opened. */
function unavailableStore(error: Error): SecretStore {
  const fail = () => Promise.reject(error);
  return { get: fail, set: fail, delete: fail };
}

export interface OpenedKeychain {
  store: SecretStore;
  availability: KeychainAvailability;
}

/**
 * Loads keytar and runs the start-up probe. A keytar that cannot load (its native addon or the
 * library it needs is missing) gives an unavailable keychain and a store that always fails,
 * never an exception: the app goes on without staying signed in.
 */
export async function openKeychain(
  randomValue: string,
  importKeytar: () => Promise<KeytarModule> = () => import('keytar'),
  timeoutMs?: number,
): Promise<OpenedKeychain> {
  let keytar: KeytarSubset;
  try {
    const loaded = await importKeytar();
    keytar = 'default' in loaded ? loaded.default : loaded;
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    return {
      store: unavailableStore(cause),
      availability: { available: false, reason: explainKeychainLoadFailure(cause) },
    };
  }
  const store = keytarStore(keytar, timeoutMs);
  return { store, availability: await probeKeychain(store, randomValue) };
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

/** Explains why keytar could not be loaded at all. */
export function explainKeychainLoadFailure(error: Error): string {
  const firstLine = error.message.split('\n')[0]!.trim();
  const library = /libsecret/i.test(error.message)
    ? ' Install libsecret (the libsecret-1-0 package on Debian and Ubuntu, libsecret on Fedora) and restart Latchkey to stay signed in.'
    : '';
  return `The OS keychain cannot be used: its library did not load (${firstLine}). ${CONSEQUENCE}${library}`;
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
