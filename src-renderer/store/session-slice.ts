import { ApiError } from '../api/api-error.js';
import type { SecondFactorMethod, SignedIn, SignedInWithBackupCode } from '../api/types.js';
import { classifyVerificationCode } from '../lib/verification-code.js';
import { getKeyAssertion } from '../platform/webauthn.js';
import type { SliceContext } from './app-store.js';

export type SessionStatus = 'loading' | 'unavailable' | 'signed_out' | 'second_factor' | 'signed_in';

export interface SecondFactorChallenge {
  username: string;
  ticket: string;
  methods: SecondFactorMethod[];
  expiresAt: string;
}

export interface Notice {
  tone: 'info' | 'warning';
  message: string;
}

export const SESSION_ENDED_MESSAGE = 'Your session has ended, so you were signed out. Sign in again to continue.';
export const SIGNED_OUT_MESSAGE = 'You have signed out.';

/** At this many backup codes or fewer, signing in with one leads straight to making new ones. */
export const LOW_BACKUP_CODES = 3;

export interface SessionState {
  status: SessionStatus;
  username: string | null;
  /** Prefills Username after a sign-out or an expired session. */
  lastUsername: string;
  registrationOpen: boolean;
  challenge: SecondFactorChallenge | null;
  /** A message for the next screen (session ended, signed out). */
  notice: Notice | null;
  /**
   * Backup codes left after signing in with one, when LOW_BACKUP_CODES or fewer: the signed-in
   * screen opens "Generate new backup codes" at once. Null otherwise.
   */
  lowBackupCodes: number | null;
  dismissLowBackupCodes(): void;
  /** Why the server could not be reached at start, while status is `unavailable`. */
  startError: string | null;
  start(): Promise<void>;
  createAccount(username: string, password: string): Promise<void>;
  signIn(username: string, password: string): Promise<void>;
  /** One field for both: six digits go to TOTP, anything else to the backup-code endpoint. */
  verify(input: string): Promise<void>;
  /** "Use your security key": the browser's prompt for one of the account's keys. */
  signInWithSecurityKey(): Promise<void>;
  /** "Sign in with a passkey": a discoverable credential with user verification, no username typed. */
  signInWithPasskey(): Promise<void>;
  cancelChallenge(): void;
  signOut(): Promise<void>;
  /** The server answered 401 `unauthenticated`. */
  sessionEnded(): void;
  dismissNotice(): void;
}

export interface SessionSlice {
  session: SessionState;
}

export function createSessionSlice({ api, get, update }: SliceContext): SessionSlice {
  const resetAccount = () => {
    get().twoFactor.reset();
    get().securityKeys.reset();
    get().events.reset();
    get().sessions.reset();
  };

  const completeSignIn = async (result: SignedIn | SignedInWithBackupCode) => {
    const remaining = 'backupCodesRemaining' in result ? result.backupCodesRemaining : undefined;
    // The account's two-factor state first, so that the first signed-in screen is complete.
    await get()
      .twoFactor.refresh()
      .catch(() => undefined);
    update('session', {
      status: 'signed_in',
      username: result.username,
      lastUsername: result.username,
      challenge: null,
      notice: null,
      lowBackupCodes: remaining !== undefined && remaining <= LOW_BACKUP_CODES ? remaining : null,
    });
  };

  /** The ticket expired or had too many wrong answers: only the password step helps now. */
  const ticketFailure = (error: unknown): ApiError => {
    const apiError = ApiError.from(error);
    if (apiError.code === 'invalid_ticket') {
      update('session', {
        status: 'signed_out',
        challenge: null,
        notice: { tone: 'warning', message: apiError.message },
      });
    }
    return apiError;
  };

  return {
    session: {
      status: 'loading',
      username: null,
      lastUsername: '',
      registrationOpen: false,
      challenge: null,
      notice: null,
      lowBackupCodes: null,
      startError: null,

      async start() {
        update('session', { status: 'loading', startError: null });
        // Both at once: the first screen waits for one round trip, not two.
        const [health, me] = await Promise.allSettled([api.health(), api.me()]);
        if (health.status === 'rejected') {
          update('session', { status: 'unavailable', startError: ApiError.from(health.reason).message });
          return;
        }
        const registrationOpen = health.value.registrationOpen === true;
        if (me.status === 'fulfilled') {
          get().twoFactor.setStatus(me.value.twoFactor);
          update('session', {
            status: 'signed_in',
            username: me.value.username,
            lastUsername: me.value.username,
            registrationOpen,
          });
          return;
        }
        const apiError = ApiError.from(me.reason);
        if (apiError.code === 'unauthenticated') update('session', { status: 'signed_out', registrationOpen });
        else update('session', { status: 'unavailable', startError: apiError.message });
      },

      async createAccount(username, password) {
        await api.createAccount(username, password);
        await get().session.signIn(username, password);
      },

      async signIn(username, password) {
        // A new attempt makes the last screen's message (signed out, session ended) old news.
        update('session', { notice: null });
        const result = await api.signIn(username, password);
        if (result.status === 'second_factor_required') {
          update('session', {
            status: 'second_factor',
            lastUsername: username,
            notice: null,
            challenge: { username, ticket: result.ticket, methods: result.methods, expiresAt: result.expiresAt },
          });
          return;
        }
        await completeSignIn(result);
      },

      async verify(input) {
        const challenge = get().session.challenge;
        if (!challenge) throw new ApiError(400, 'invalid_ticket', 'Sign in with your password first.');
        const code = classifyVerificationCode(input);
        if (code.kind === 'invalid') throw new ApiError(400, 'invalid_code_format', code.message);
        try {
          const result =
            code.kind === 'totp'
              ? await api.verifyTotp(challenge.ticket, code.code)
              : await api.verifyBackupCode(challenge.ticket, code.code);
          await completeSignIn(result);
        } catch (error) {
          throw ticketFailure(error);
        }
      },

      async signInWithSecurityKey() {
        const challenge = get().session.challenge;
        if (!challenge) throw new ApiError(400, 'invalid_ticket', 'Sign in with your password first.');
        try {
          const { options } = await api.securityKeySignInOptions(challenge.ticket);
          const credential = await getKeyAssertion(options, 'second_factor');
          await completeSignIn(await api.verifySecurityKey(challenge.ticket, credential));
        } catch (error) {
          throw ticketFailure(error);
        }
      },

      async signInWithPasskey() {
        update('session', { notice: null });
        const { options } = await api.passkeyOptions();
        const credential = await getKeyAssertion(options, 'passkey');
        await completeSignIn(await api.signInWithPasskey(credential));
      },

      cancelChallenge() {
        update('session', { status: 'signed_out', challenge: null });
      },

      async signOut() {
        try {
          await api.signOut();
        } finally {
          resetAccount();
          update('session', {
            status: 'signed_out',
            username: null,
            challenge: null,
            lowBackupCodes: null,
            notice: { tone: 'info', message: SIGNED_OUT_MESSAGE },
          });
        }
      },

      sessionEnded() {
        if (get().session.status !== 'signed_in') return;
        resetAccount();
        update('session', {
          status: 'signed_out',
          username: null,
          challenge: null,
          lowBackupCodes: null,
          notice: { tone: 'warning', message: SESSION_ENDED_MESSAGE },
        });
      },

      dismissNotice() {
        update('session', { notice: null });
      },

      dismissLowBackupCodes() {
        update('session', { lowBackupCodes: null });
      },
    },
  };
}
