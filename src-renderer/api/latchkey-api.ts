// The one HTTP client of the User Center: same origin, the session travels only in the HttpOnly
// cookie (the page never sees a token), every failure becomes an ApiError. Bodies and answers have
// the contract's types (api/types.ts): a field renamed there fails the type check here.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import axios, { type AxiosInstance } from 'axios';
import { ApiError, toApiError } from './api-error.js';
import type {
  AccountCreated,
  AddedSecurityKey,
  BackupCodes,
  ChangePasswordBody,
  CodeBody,
  CreateAccountBody,
  DisableTotpBody,
  EnableTotpBody,
  Health,
  Me,
  OtherSessionsEnded,
  PasswordBody,
  PasswordChanged,
  RegenerateBackupCodesBody,
  RemoveSecurityKeyBody,
  RenamedSecurityKey,
  RenameSecurityKeyBody,
  SecurityEvents,
  SecurityKeyOptionsBody,
  SecurityKeySignInOptionsBody,
  SecurityKeys,
  SecurityKeysSignedOut,
  Sessions,
  SignedIn,
  SignedInWithBackupCode,
  SignInBody,
  SignInResult,
  TestedSecurityKey,
  TestSecurityKeyBody,
  TotpDisabled,
  TotpEnabled,
  TotpSetup,
} from './types.js';

export interface LatchkeyApi {
  health(): Promise<Health>;
  createAccount(username: string, password: string): Promise<AccountCreated>;
  signIn(username: string, password: string): Promise<SignInResult>;
  verifyTotp(ticket: string, code: string): Promise<SignedIn>;
  verifyBackupCode(ticket: string, code: string): Promise<SignedInWithBackupCode>;
  signOut(): Promise<void>;
  me(): Promise<Me>;
  beginTotpSetup(password: string): Promise<TotpSetup>;
  enableTotp(code: string): Promise<TotpEnabled>;
  /** `signOutOtherSessions`: every other session of the account ends in the same step. */
  disableTotp(password: string, signOutOtherSessions?: boolean): Promise<TotpDisabled>;
  regenerateBackupCodes(password: string, signOutOtherSessions?: boolean): Promise<BackupCodes>;
  /** Every other session ends; the answer says how many. */
  changePassword(password: string, newPassword: string): Promise<PasswordChanged>;
  sessions(): Promise<Sessions>;
  endSession(id: string): Promise<void>;
  endOtherSessions(): Promise<OtherSessionsEnded>;
  events(): Promise<SecurityEvents>;
  /** Password → creation options for the browser's prompt (a challenge good for 5 minutes). */
  securityKeyOptions(password: string): Promise<{ options: PublicKeyCredentialCreationOptionsJSON }>;
  addSecurityKey(name: string, credential: RegistrationResponseJSON): Promise<AddedSecurityKey>;
  securityKeys(): Promise<SecurityKeys>;
  renameSecurityKey(id: string, name: string): Promise<RenamedSecurityKey>;
  /** The number of other sessions ended when asked to sign them out, else null. */
  removeSecurityKey(id: string, password: string, signOutOtherSessions?: boolean): Promise<number | null>;
  /** Request options that allow only this key, for "Test". */
  testSecurityKeyOptions(id: string): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }>;
  testSecurityKey(id: string, credential: AuthenticationResponseJSON): Promise<TestedSecurityKey>;
  /** The second sign-in step with a key: request options listing the ticket's account's keys. */
  securityKeySignInOptions(ticket: string): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }>;
  verifySecurityKey(ticket: string, credential: AuthenticationResponseJSON): Promise<SignedIn>;
  passkeyOptions(): Promise<{ options: PublicKeyCredentialRequestOptionsJSON }>;
  signInWithPasskey(credential: AuthenticationResponseJSON): Promise<SignedIn>;
  /** Called when any call answers 401 `unauthenticated`: the session ended on the server. */
  onUnauthenticated(handler: (() => void) | null): void;
}

export interface ApiOptions {
  /** Default `/api/v1` on the page's own origin. */
  baseURL?: string;
  /** Test seam: an axios instance whose adapter reaches the test server. */
  http?: AxiosInstance;
}

export function createLatchkeyApi(options: ApiOptions = {}): LatchkeyApi {
  const http =
    options.http ??
    axios.create({
      baseURL: options.baseURL ?? '/api/v1',
      withCredentials: true,
      timeout: 30_000,
      headers: { Accept: 'application/json' },
    });
  let unauthenticatedHandler: (() => void) | null = null;

  http.interceptors.response.use(undefined, (error: unknown) => {
    const apiError = toApiError(error);
    if (apiError.status === 401 && apiError.code === 'unauthenticated') unauthenticatedHandler?.();
    return Promise.reject(apiError);
  });

  // Answers take the type each method declares above; each body is checked against the
  // contract's type for it (`satisfies`).
  /** `signOutOtherSessions` only when asked for: the body stays as it was for every other change. */
  const signOutField = (signOut: boolean) => (signOut ? { signOutOtherSessions: true } : {});
  const get = async <Answer>(path: string): Promise<Answer> => (await http.get<Answer>(path)).data;
  const post = async <Answer>(path: string, body: object): Promise<Answer> =>
    (await http.post<Answer>(path, body)).data;

  return {
    health: () => get('/health'),
    createAccount: (username, password) => post('/accounts', { username, password } satisfies CreateAccountBody),
    signIn: (username, password) => post('/session', { username, password } satisfies SignInBody),
    verifyTotp: (ticket, code) => post('/session/totp', { ticket, code } satisfies CodeBody),
    verifyBackupCode: (ticket, code) => post('/session/backup-code', { ticket, code } satisfies CodeBody),
    signOut: async () => {
      await http.delete('/session');
    },
    me: () => get('/me'),
    beginTotpSetup: (password) => post('/me/totp/setup', { password } satisfies PasswordBody),
    enableTotp: (code) => post('/me/totp/enable', { code } satisfies EnableTotpBody),
    disableTotp: (password, signOutOtherSessions = false) =>
      post('/me/totp/disable', { password, ...signOutField(signOutOtherSessions) } satisfies DisableTotpBody),
    regenerateBackupCodes: (password, signOutOtherSessions = false) =>
      post('/me/backup-codes', { password, ...signOutField(signOutOtherSessions) } satisfies RegenerateBackupCodesBody),
    changePassword: (password, newPassword) =>
      post('/me/password', { password, newPassword } satisfies ChangePasswordBody),
    sessions: () => get('/me/sessions'),
    endSession: async (id) => {
      await http.delete(`/me/sessions/${encodeURIComponent(id)}`);
    },
    endOtherSessions: async () => (await http.delete<OtherSessionsEnded>('/me/sessions')).data,
    events: () => get('/me/events'),
    securityKeyOptions: (password) => post('/me/security-keys/options', { password } satisfies SecurityKeyOptionsBody),
    addSecurityKey: (name, credential) => post('/me/security-keys', { name, credential }),
    securityKeys: () => get('/me/security-keys'),
    renameSecurityKey: async (id, name) =>
      (await http.patch(`/me/security-keys/${encodeURIComponent(id)}`, { name } satisfies RenameSecurityKeyBody)).data,
    removeSecurityKey: async (id, password, signOutOtherSessions = false) => {
      const answer = await http.delete<SecurityKeysSignedOut | ''>(`/me/security-keys/${encodeURIComponent(id)}`, {
        data: { password, ...signOutField(signOutOtherSessions) } satisfies RemoveSecurityKeyBody,
      });
      // 204 without sign-out; 200 {"otherSessionsEnded"} with it.
      return typeof answer.data === 'object' ? answer.data.otherSessionsEnded : null;
    },
    testSecurityKeyOptions: (id) => post(`/me/security-keys/${encodeURIComponent(id)}/test/options`, {}),
    testSecurityKey: (id, credential) =>
      post(`/me/security-keys/${encodeURIComponent(id)}/test`, { credential } satisfies TestSecurityKeyBody),
    securityKeySignInOptions: (ticket) =>
      post('/session/security-key/options', { ticket } satisfies SecurityKeySignInOptionsBody),
    verifySecurityKey: (ticket, credential) => post('/session/security-key', { ticket, credential }),
    passkeyOptions: () => post('/session/passkey/options', {}),
    signInWithPasskey: (credential) => post('/session/passkey', { credential }),
    onUnauthenticated(handler) {
      unauthenticatedHandler = handler;
    },
  };
}

export { ApiError };
