// The one HTTP client of the User Center: same origin, the session travels only in the HttpOnly
// cookie (the page never sees a token), every failure becomes an ApiError.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import axios, { type AxiosInstance } from 'axios';
import { ApiError, toApiError } from './api-error.js';
import type {
  AddedSecurityKey,
  Health,
  Me,
  SecurityEvent,
  SecurityKey,
  SignedIn,
  SignInResult,
  TotpSetup,
  TwoFactorStatus,
} from './types.js';

export interface LatchkeyApi {
  health(): Promise<Health>;
  createAccount(username: string, password: string): Promise<{ username: string }>;
  signIn(username: string, password: string): Promise<SignInResult>;
  verifyTotp(ticket: string, code: string): Promise<SignedIn>;
  verifyBackupCode(ticket: string, code: string): Promise<SignedIn>;
  signOut(): Promise<void>;
  me(): Promise<Me>;
  beginTotpSetup(password: string): Promise<TotpSetup>;
  enableTotp(code: string): Promise<{ backupCodes: string[] | null }>;
  disableTotp(password: string): Promise<{ twoFactor: TwoFactorStatus }>;
  regenerateBackupCodes(password: string): Promise<{ backupCodes: string[] }>;
  events(): Promise<{ events: SecurityEvent[] }>;
  /** Password → creation options for the browser's prompt (a challenge good for 5 minutes). */
  securityKeyOptions(password: string): Promise<{ options: PublicKeyCredentialCreationOptionsJSON }>;
  addSecurityKey(name: string, credential: RegistrationResponseJSON): Promise<AddedSecurityKey>;
  securityKeys(): Promise<{ keys: SecurityKey[] }>;
  renameSecurityKey(id: string, name: string): Promise<{ key: SecurityKey }>;
  removeSecurityKey(id: string, password: string): Promise<void>;
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

  const get = async <T>(path: string): Promise<T> => (await http.get<T>(path)).data;
  const post = async <T>(path: string, body: object): Promise<T> => (await http.post<T>(path, body)).data;

  return {
    health: () => get<Health>('/health'),
    createAccount: (username, password) => post('/accounts', { username, password }),
    signIn: (username, password) => post('/session', { username, password }),
    verifyTotp: (ticket, code) => post('/session/totp', { ticket, code }),
    verifyBackupCode: (ticket, code) => post('/session/backup-code', { ticket, code }),
    signOut: async () => {
      await http.delete('/session');
    },
    me: () => get<Me>('/me'),
    beginTotpSetup: (password) => post('/me/totp/setup', { password }),
    enableTotp: (code) => post('/me/totp/enable', { code }),
    disableTotp: (password) => post('/me/totp/disable', { password }),
    regenerateBackupCodes: (password) => post('/me/backup-codes', { password }),
    events: () => get('/me/events'),
    securityKeyOptions: (password) => post('/me/security-keys/options', { password }),
    addSecurityKey: (name, credential) => post('/me/security-keys', { name, credential }),
    securityKeys: () => get('/me/security-keys'),
    renameSecurityKey: async (id, name) =>
      (await http.patch(`/me/security-keys/${encodeURIComponent(id)}`, { name })).data,
    removeSecurityKey: async (id, password) => {
      await http.delete(`/me/security-keys/${encodeURIComponent(id)}`, { data: { password } });
    },
    securityKeySignInOptions: (ticket) => post('/session/security-key/options', { ticket }),
    verifySecurityKey: (ticket, credential) => post('/session/security-key', { ticket, credential }),
    passkeyOptions: () => post('/session/passkey/options', {}),
    signInWithPasskey: (credential) => post('/session/passkey', { credential }),
    onUnauthenticated(handler) {
      unauthenticatedHandler = handler;
    },
  };
}

export { ApiError };
