// The peer's (better-auth's) side of the comparison rows: the same jobs as Latchkey's scenarios
// (bench/lib/http-scenarios.ts) on the same accounts, through better-auth's own routes and cookies.
// - session lookup: GET /get-session with the session cookie (Latchkey: GET /api/v1/me);
// - password sign-in: POST /sign-in/email for an account without two-factor;
// - whole two-step sign-in: POST /sign-in/email, then POST /two-factor/verify-totp with the
//   two_factor cookie it set and the account's current TOTP code.
import { makeSignature } from 'better-auth/crypto';
import { codeAt } from '../../server/modules/totp/totp-codes.js';
import { twoStepSource, type Answer, type BenchRequest, type RequestSource } from '../lib/http-scenarios.js';
import {
  BENCH_PASSWORD,
  HOT_SET_SIZE,
  meAccount,
  passwordAccount,
  peerEmail,
  peerTotpSecret,
  sessionToken,
} from '../lib/population.js';
import { PEER_BASE_PATH, PEER_SECRET, PEER_SESSION_COOKIE } from './better-auth-config.js';

/** better-auth's signed cookie value (value.HMAC, URL-encoded), made by its own signing function. */
export async function signedCookieValue(value: string): Promise<string> {
  return encodeURIComponent(`${value}.${await makeSignature(value, PEER_SECRET)}`);
}

/** The name=value pairs of the Set-Cookie headers of an answer that set a value (not expired). */
export function cookiesSet(headers: Answer['headers']): string {
  const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'set-cookie')?.[1] ?? [];
  return (Array.isArray(header) ? header : [header])
    .map((cookie) => cookie.split(';')[0]!.trim())
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

export async function peerRequestSource(
  scenario: 'peer-session' | 'peer-password' | 'peer-two-step',
  origin: string,
  accounts: number,
): Promise<RequestSource> {
  // better-auth checks the Origin of requests that carry cookies against its base URL, as a
  // browser on its page would send it.
  const post = (path: string, body: unknown, cookie?: string): BenchRequest => ({
    method: 'POST',
    path: `${PEER_BASE_PATH}${path}`,
    headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const signIn = (id: number) => post('/sign-in/email', { email: peerEmail(id), password: BENCH_PASSWORD });
  const signedIn = (body: string) => body.includes('"token"') && body.includes('"user"');

  if (scenario === 'peer-session') {
    // The cookies of the sessions the load cycles through, signed once before it starts.
    const cookies = new Map<number, string>();
    for (let i = 0; i < HOT_SET_SIZE; i++) {
      const id = meAccount(i, accounts);
      if (!cookies.has(id)) cookies.set(id, `${PEER_SESSION_COOKIE}=${await signedCookieValue(sessionToken(id))}`);
    }
    return {
      request: (i) => ({
        method: 'GET',
        path: `${PEER_BASE_PATH}/get-session`,
        headers: { cookie: cookies.get(meAccount(i, accounts))! },
      }),
      accepts: (body) => body.includes('"session"') && body.includes('"user"'),
      capacity: Infinity,
    };
  }
  if (scenario === 'peer-password') {
    return {
      request: (i) => signIn(passwordAccount(i, accounts)),
      accepts: signedIn,
      capacity: Infinity,
    };
  }
  return twoStepSource(accounts, {
    first: signIn,
    firstAccepts: (body, headers) =>
      body.includes('"twoFactorRedirect":true') && cookiesSet(headers ?? {}).includes('two_factor='),
    second: (id, first) => {
      const code = codeAt(Buffer.from(peerTotpSecret(id), 'utf8'), Date.now());
      return post('/two-factor/verify-totp', { code }, cookiesSet(first.headers));
    },
    secondAccepts: signedIn,
  });
}
