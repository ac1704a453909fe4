// What each HTTP row of the benchmark sends: one request per call, with the single-use parts
// (tickets, TOTP codes, backup codes) fresh every time, and how a correct answer looks.
import { codeAt } from '../../server/modules/totp/totp-codes.js';
import {
  BENCH_PASSWORD,
  backupCodeIndex,
  backupCodes,
  backupCodeTicket,
  meAccount,
  passwordAccount,
  secondFactorAccount,
  secondFactorCapacity,
  sessionToken,
  totpSecret,
  totpTicket,
  username,
} from './population.js';

export const HTTP_SCENARIOS = ['bare', 'me', 'totp', 'backup-code', 'password'] as const;
export type HttpScenario = (typeof HTTP_SCENARIOS)[number];

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RequestSource {
  /** The request with this index; single-use scenarios never repeat an index. */
  request(index: number): BenchRequest;
  /** True when a 2xx body is the answer the row means to measure. */
  accepts(body: string): boolean;
  /** How many requests the seeded population allows (Infinity when they can repeat). */
  capacity: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const signedIn = (body: string) => body.includes('"status":"signed_in"');

export function requestSource(scenario: HttpScenario, accounts: number, totpTickets = 0, backupTickets = 0) {
  const sources: Record<HttpScenario, () => RequestSource> = {
    bare: () => ({
      request: () => ({ method: 'GET', path: '/', headers: {} }),
      accepts: (body) => body.includes('"hello"'),
      capacity: Infinity,
    }),
    me: () => ({
      request: (i) => ({
        method: 'GET',
        path: '/api/v1/me',
        headers: { authorization: `Bearer ${sessionToken(meAccount(i, accounts))}` },
      }),
      accepts: (body) => body.includes('"twoFactor"'),
      capacity: Infinity,
    }),
    password: () => ({
      request: (i) => ({
        method: 'POST',
        path: '/api/v1/session',
        headers: JSON_HEADERS,
        body: JSON.stringify({ username: username(passwordAccount(i, accounts)), password: BENCH_PASSWORD }),
      }),
      accepts: signedIn,
      capacity: Infinity,
    }),
    totp: () => ({
      request: (k) => {
        const code = codeAt(totpSecret(secondFactorAccount(k, accounts)), Date.now());
        return {
          method: 'POST',
          path: '/api/v1/session/totp',
          headers: JSON_HEADERS,
          body: JSON.stringify({ ticket: totpTicket(k), code }),
        };
      },
      accepts: signedIn,
      capacity: Math.min(totpTickets, secondFactorCapacity(accounts).totp),
    }),
    'backup-code': () => ({
      request: (k) => {
        const code = backupCodes(secondFactorAccount(k, accounts))[backupCodeIndex(k, accounts)]!;
        return {
          method: 'POST',
          path: '/api/v1/session/backup-code',
          headers: JSON_HEADERS,
          body: JSON.stringify({ ticket: backupCodeTicket(k), code }),
        };
      },
      accepts: signedIn,
      capacity: Math.min(backupTickets, secondFactorCapacity(accounts).backupCode),
    }),
  };
  return sources[scenario]();
}
