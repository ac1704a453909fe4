// The one HTTP client of the User Center: same origin, the session travels only in the HttpOnly
// cookie (the page never sees a token), every failure becomes an ApiError.
import axios, { type AxiosInstance } from 'axios';
import { ApiError, toApiError } from './api-error.js';
import type { Health, Me, SecurityEvent, SignedIn, SignInResult, TotpSetup, TwoFactorStatus } from './types.js';

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
    onUnauthenticated(handler) {
      unauthenticatedHandler = handler;
    },
  };
}

export { ApiError };
