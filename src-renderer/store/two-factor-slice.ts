import { ApiError } from '../api/api-error.js';
import type { TotpSetup, TwoFactorStatus } from '../api/types.js';
import type { SliceContext } from './app-store.js';

export type EnrolmentStep = 'password' | 'scan' | 'verify' | 'backup_codes';

/**
 * The authenticator-app set-up in progress. It holds the TOTP secret and then the backup codes, so
 * it exists only while the dialog is open: closing it drops both (SECURITY.md "Someone reading what
 * the User Center leaves in the browser": the renderer never keeps a TOTP secret after enrolment).
 */
export interface Enrolment {
  step: EnrolmentStep;
  setup: TotpSetup | null;
  backupCodes: string[] | null;
  /** Why the person is back at the password step (the pending set-up expired). */
  restartReason: string | null;
}

export interface TwoFactorState {
  status: TwoFactorStatus | null;
  enrolment: Enrolment | null;
  /** Codes from "Generate new backup codes", shown until their dialog closes. */
  newBackupCodes: string[] | null;
  refresh(): Promise<void>;
  setStatus(status: TwoFactorStatus): void;
  openEnrolment(): void;
  /** Password → a new pending secret and its QR code. */
  beginSetup(password: string): Promise<void>;
  goToStep(step: 'scan' | 'verify'): void;
  /** The first code from the app turns TOTP on; the first factor also brings ten backup codes. */
  confirmCode(code: string): Promise<void>;
  closeEnrolment(): void;
  /** `signOutOthers`: every other session ends too; the number ended is kept beside the codes. */
  regenerateBackupCodes(password: string, signOutOthers?: boolean): Promise<void>;
  /** How many other sessions "Generate new backup codes" signed out, or null when not asked. */
  newBackupCodesSignedOut: number | null;
  closeNewBackupCodes(): void;
  /** The number of other sessions ended with it, or null when not asked to. */
  disable(password: string, signOutOthers?: boolean): Promise<number | null>;
  /** Forget everything of the account (sign-out, ended session). */
  reset(): void;
}

export interface TwoFactorSlice {
  twoFactor: TwoFactorState;
}

export function createTwoFactorSlice({ api, get, update, accountChanged }: SliceContext): TwoFactorSlice {
  const setEnrolment = (patch: Partial<Enrolment>) => {
    const current = get().twoFactor.enrolment;
    if (current) update('twoFactor', { enrolment: { ...current, ...patch } });
  };

  return {
    twoFactor: {
      status: null,
      enrolment: null,
      newBackupCodes: null,
      newBackupCodesSignedOut: null,

      async refresh() {
        const me = await api.me();
        update('twoFactor', { status: me.twoFactor });
      },

      setStatus(status) {
        update('twoFactor', { status });
      },

      openEnrolment() {
        update('twoFactor', { enrolment: { step: 'password', setup: null, backupCodes: null, restartReason: null } });
      },

      async beginSetup(password) {
        const setup = await api.beginTotpSetup(password);
        // The dialog may have been closed while the request was on its way: keep nothing then.
        if (!get().twoFactor.enrolment) return;
        setEnrolment({ step: 'scan', setup, restartReason: null });
      },

      goToStep(step) {
        if (get().twoFactor.enrolment?.setup) setEnrolment({ step });
      },

      async confirmCode(code) {
        try {
          const { backupCodes } = await api.enableTotp(code);
          // The secret is no longer needed once the server accepted a code from it. No codes
          // (null) means two-factor was already on through a security key: the old ones stay.
          setEnrolment({ step: 'backup_codes', setup: null, backupCodes });
        } catch (error) {
          const apiError = ApiError.from(error);
          // The pending set-up expired (or was replaced): start again from the password.
          if (apiError.code === 'no_pending_setup') {
            setEnrolment({ step: 'password', setup: null, restartReason: apiError.message });
          }
          throw apiError;
        }
        await accountChanged();
      },

      closeEnrolment() {
        update('twoFactor', { enrolment: null });
      },

      async regenerateBackupCodes(password, signOutOthers = false) {
        const { backupCodes, otherSessionsEnded } = await api.regenerateBackupCodes(password, signOutOthers);
        update('twoFactor', { newBackupCodes: backupCodes, newBackupCodesSignedOut: otherSessionsEnded ?? null });
        await accountChanged();
      },

      closeNewBackupCodes() {
        update('twoFactor', { newBackupCodes: null, newBackupCodesSignedOut: null });
      },

      async disable(password, signOutOthers = false) {
        const { twoFactor, otherSessionsEnded } = await api.disableTotp(password, signOutOthers);
        update('twoFactor', { status: twoFactor });
        await accountChanged();
        return otherSessionsEnded ?? null;
      },

      reset() {
        update('twoFactor', { status: null, enrolment: null, newBackupCodes: null, newBackupCodesSignedOut: null });
      },
    },
  };
}
