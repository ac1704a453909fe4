import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { KEY_NAME_MAX_CHARACTERS } from '../../contract/values.js';
import { ApiError } from '../api/api-error.js';
import type { AddedSecurityKey, SecurityKey } from '../api/types.js';
import {
  createKeyCredential,
  getKeyAssertion,
  userVerifyingPlatformAuthenticatorAvailable,
  type KeyKind,
} from '../platform/webauthn.js';
import type { SliceContext } from './app-store.js';
import { loadList } from './load-list.js';

export type KeyRegistrationStep = 'password' | 'name' | 'kind' | 'backup_codes';

/** The server's limit, after trimming. */
export { KEY_NAME_MAX_CHARACTERS };

/**
 * "Add security key" in progress: password → name → USB key or this device's fingerprint reader →
 * the browser's prompt. It lives only while its dialog is open; the password is never kept (the
 * server answers it with creation options, whose challenge is single-use and public).
 */
export interface KeyRegistration {
  step: KeyRegistrationStep;
  options: PublicKeyCredentialCreationOptionsJSON | null;
  name: string;
  kind: KeyKind;
  /** Whether two-factor was off when the dialog opened: the first key brings backup codes. */
  firstFactor: boolean;
  added: SecurityKey | null;
  backupCodes: string[] | null;
  /** Why the person is back at the password step (the server refused and the challenge is spent). */
  restartReason: string | null;
}

export interface SecurityKeysState {
  /** Oldest first; null until loaded. */
  items: SecurityKey[] | null;
  loading: boolean;
  error: string | null;
  /** A fingerprint reader or face unlock the browser can use; null until asked. */
  platformAuthenticator: boolean | null;
  registration: KeyRegistration | null;
  load(): Promise<void>;
  openRegistration(): void;
  /** Password → creation options from the server, then the name step. */
  confirmPassword(password: string): Promise<void>;
  setName(name: string): void;
  setKind(kind: KeyKind): void;
  goToStep(step: 'name' | 'kind'): void;
  /** The browser's prompt, then the server; the first key of an account also brings backup codes. */
  register(): Promise<AddedSecurityKey>;
  closeRegistration(): void;
  rename(id: string, name: string): Promise<SecurityKey>;
  /** The number of other sessions ended with it, or null when not asked to. */
  remove(id: string, password: string, signOutOthers?: boolean): Promise<number | null>;
  /**
   * "Test": the browser's prompt for this key alone, checked by the server; signs nothing in or
   * out. The key as it now is (its last use updated).
   */
  test(id: string): Promise<SecurityKey>;
  reset(): void;
}

export interface SecurityKeysSlice {
  securityKeys: SecurityKeysState;
}

/** The sentence for a name the server would refuse, or null when it is fine. */
export function keyNameProblem(name: string): string | null {
  const length = [...name.trim()].length;
  if (length === 0) return 'Enter a name for the key, such as “Office USB key”.';
  if (length > KEY_NAME_MAX_CHARACTERS) return `Choose a name of at most ${KEY_NAME_MAX_CHARACTERS} characters.`;
  return null;
}

export function createSecurityKeysSlice({ api, get, update, accountChanged }: SliceContext): SecurityKeysSlice {
  const setRegistration = (patch: Partial<KeyRegistration>) => {
    const current = get().securityKeys.registration;
    if (current) update('securityKeys', { registration: { ...current, ...patch } });
  };

  return {
    securityKeys: {
      items: null,
      loading: false,
      error: null,
      platformAuthenticator: null,
      registration: null,

      load() {
        return loadList(update, 'securityKeys', async () => (await api.securityKeys()).keys);
      },

      openRegistration() {
        update('securityKeys', {
          registration: {
            step: 'password',
            options: null,
            name: '',
            kind: 'usb',
            firstFactor: get().twoFactor.status?.enabled === false,
            added: null,
            backupCodes: null,
            restartReason: null,
          },
        });
        // Asked each time: a fingerprint reader may have been set up (or plugged in) meanwhile.
        void userVerifyingPlatformAuthenticatorAvailable().then((available) =>
          update('securityKeys', { platformAuthenticator: available }),
        );
      },

      async confirmPassword(password) {
        const { options } = await api.securityKeyOptions(password);
        // The dialog may have been closed while the request was on its way.
        if (!get().securityKeys.registration) return;
        setRegistration({ step: 'name', options, restartReason: null });
      },

      setName(name) {
        setRegistration({ name });
      },

      setKind(kind) {
        setRegistration({ kind });
      },

      goToStep(step) {
        if (get().securityKeys.registration?.options) setRegistration({ step });
      },

      async register() {
        const registration = get().securityKeys.registration;
        if (!registration?.options) throw new ApiError(400, 'no_pending_setup', 'Start again with your password.');
        const problem = keyNameProblem(registration.name);
        if (problem) throw new ApiError(400, 'invalid_name', problem);
        if (registration.kind === 'platform' && get().securityKeys.platformAuthenticator === false) {
          throw new ApiError(400, 'no_platform_authenticator', NO_PLATFORM_AUTHENTICATOR_MESSAGE);
        }
        // A failed or cancelled prompt leaves the options as they were: "Add key" tries again.
        const credential = await createKeyCredential(registration.options, registration.kind);
        let added: AddedSecurityKey;
        try {
          added = await api.addSecurityKey(registration.name.trim(), credential);
        } catch (error) {
          const apiError = ApiError.from(error);
          // The server took the challenge with this answer (or the session ended): a new attempt
          // needs new options, and those need the password again.
          if (apiError.status !== 0 && apiError.code !== 'unauthenticated') {
            setRegistration({ step: 'password', options: null, restartReason: apiError.message });
          }
          throw apiError;
        }
        if (!get().securityKeys.registration) return added;
        if (added.backupCodes) {
          setRegistration({ step: 'backup_codes', options: null, added: added.key, backupCodes: added.backupCodes });
        } else update('securityKeys', { registration: null });
        await accountChanged();
        return added;
      },

      closeRegistration() {
        update('securityKeys', { registration: null });
      },

      async rename(id, name) {
        const problem = keyNameProblem(name);
        if (problem) throw new ApiError(400, 'invalid_name', problem);
        try {
          const { key } = await api.renameSecurityKey(id, name.trim());
          return key;
        } finally {
          await accountChanged();
        }
      },

      async remove(id, password, signOutOthers = false) {
        let ended: number | null;
        try {
          ended = await api.removeSecurityKey(id, password, signOutOthers);
        } catch (error) {
          // Already gone (another window removed it): show the list as it is now.
          if (ApiError.from(error).code === 'not_found') await accountChanged();
          throw error;
        }
        await accountChanged();
        return ended;
      },

      async test(id) {
        let key: SecurityKey;
        try {
          const { options } = await api.testSecurityKeyOptions(id);
          const credential = await getKeyAssertion(options, 'key_test');
          ({ key } = await api.testSecurityKey(id, credential));
        } catch (error) {
          // Removed meanwhile (another window): show the list as it is now.
          if (ApiError.from(error).code === 'not_found') await accountChanged();
          throw error;
        }
        // Its last use and the activity list show the test.
        await accountChanged();
        return key;
      },

      reset() {
        update('securityKeys', { items: null, loading: false, error: null, registration: null });
      },
    },
  };
}

export const NO_PLATFORM_AUTHENTICATOR_MESSAGE =
  'This device has no built-in fingerprint reader or face unlock that the browser can use (Firefox, for one, offers none).';
