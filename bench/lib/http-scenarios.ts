// What each HTTP row of the benchmark sends: one request per call (or two, for a whole two-step
// sign-in), with the single-use parts (tickets, TOTP codes, backup codes) fresh every time, and
// how a correct answer looks. The peer's (better-auth's) requests are in bench/peer/scenarios.ts.
import { codeAt, timeStep } from '../../server/modules/totp/totp-codes.js';
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
  twoFactorCount,
  username,
} from './population.js';

export const LATCHKEY_SCENARIOS = [
  'bare',
  'me',
  'totp',
  'backup-code',
  'password',
  'password-one-account',
  'password-four-accounts',
  'two-step',
] as const;
export const PEER_SCENARIOS = ['peer-session', 'peer-password', 'peer-two-step'] as const;
export type HttpScenario = (typeof LATCHKEY_SCENARIOS)[number] | (typeof PEER_SCENARIOS)[number];

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** An answer as the load generator sees it. */
export interface Answer {
  body: string;
  headers: Record<string, string | string[]>;
}

/** The second request of a two-step scenario, built from the first one's answer. */
export interface FollowUp {
  request(index: number, first: Answer): BenchRequest;
  accepts(body: string): boolean;
}

export interface RequestSource {
  /** The request with this index; single-use scenarios never repeat an index. */
  request(index: number): BenchRequest;
  /** True when a 2xx body (and headers) is the answer the row means to measure. */
  accepts(body: string, headers?: Answer['headers']): boolean;
  /** For a whole two-step sign-in: the second request, sent on the same connection. */
  followUp?: FollowUp;
  /** How many requests the seeded population allows (Infinity when they can repeat). */
  capacity: number;
  /** Why the population could not serve the load (a sentence), once it could not; else null. */
  shortfall?(): string | null;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const signedIn = (body: string) => body.includes('"status":"signed_in"');

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}): BenchRequest => ({
  method: 'POST',
  path,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/**
 * Whole two-step sign-ins take two-factor accounts in turn, each with a fresh TOTP code; Latchkey
 * accepts a time step once per account (docs/api.md "TOTP"), so the turn must take longer than one step. This
 * picks the k-th sign-in's account and notes when the population was too small for the load.
 */
export function twoStepAccounts(accounts: number): { account(k: number): number; shortfall(): string | null } {
  const count = twoFactorCount(accounts);
  const lastStep = new Map<number, number>();
  let shortfall: string | null = null;
  return {
    account(k) {
      const id = secondFactorAccount(k % count, accounts);
      const step = timeStep(Date.now());
      if (lastStep.get(id) === step) {
        shortfall ??=
          `the load went through all ${count.toLocaleString('en-US')} two-factor accounts within one ` +
          '30-second TOTP step, so codes came round again; seed more accounts for this machine.';
      }
      lastStep.set(id, step);
      return id;
    },
    shortfall: () => shortfall,
  };
}

/**
 * A whole two-step sign-in as a request source: the first request for the k-th sign-in's account
 * (taken in turn, see twoStepAccounts), the second built from the first one's answer.
 */
export function twoStepSource(
  accounts: number,
  steps: {
    first(account: number): BenchRequest;
    firstAccepts(body: string, headers?: Answer['headers']): boolean;
    second(account: number, first: Answer): BenchRequest;
    secondAccepts(body: string): boolean;
  },
): RequestSource {
  const turn = twoStepAccounts(accounts);
  const accountOf = new Map<number, number>();
  return {
    request: (k) => {
      const id = turn.account(k);
      accountOf.set(k, id);
      return steps.first(id);
    },
    accepts: steps.firstAccepts,
    followUp: {
      request: (k, first) => {
        const id = accountOf.get(k)!;
        accountOf.delete(k);
        return steps.second(id, first);
      },
      accepts: steps.secondAccepts,
    },
    capacity: Infinity,
    shortfall: turn.shortfall,
  };
}

export function requestSource(
  scenario: (typeof LATCHKEY_SCENARIOS)[number],
  accounts: number,
  totpTickets = 0,
  backupTickets = 0,
): RequestSource {
  const passwordSignIn = (account: (i: number) => number): RequestSource => ({
    request: (i) => postJson('/api/v1/session', { username: username(account(i)), password: BENCH_PASSWORD }),
    accepts: signedIn,
    capacity: Infinity,
  });
  const sources: Record<(typeof LATCHKEY_SCENARIOS)[number], () => RequestSource> = {
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
    password: () => passwordSignIn((i) => passwordAccount(i, accounts)),
    // Every connection on one account, against the same load spread over four accounts.
    'password-one-account': () => passwordSignIn(() => passwordAccount(0, accounts)),
    'password-four-accounts': () => passwordSignIn((i) => passwordAccount(i % 4, accounts)),
    totp: () => ({
      request: (k) => {
        const code = codeAt(totpSecret(secondFactorAccount(k, accounts)), Date.now());
        return postJson('/api/v1/session/totp', { ticket: totpTicket(k), code });
      },
      accepts: signedIn,
      capacity: Math.min(totpTickets, secondFactorCapacity(accounts).totp),
    }),
    'backup-code': () => ({
      request: (k) => {
        const code = backupCodes(secondFactorAccount(k, accounts))[backupCodeIndex(k, accounts)]!;
        return postJson('/api/v1/session/backup-code', { ticket: backupCodeTicket(k), code });
      },
      accepts: signedIn,
      capacity: Math.min(backupTickets, secondFactorCapacity(accounts).backupCode),
    }),
    'two-step': () =>
      twoStepSource(accounts, {
        first: (id) => postJson('/api/v1/session', { username: username(id), password: BENCH_PASSWORD }),
        firstAccepts: (body) => body.includes('"status":"second_factor_required"'),
        second: (id, first) => {
          const { ticket } = JSON.parse(first.body) as { ticket: string };
          return postJson('/api/v1/session/totp', { ticket, code: codeAt(totpSecret(id), Date.now()) });
        },
        secondAccepts: signedIn,
      }),
  };
  return sources[scenario]();
}
