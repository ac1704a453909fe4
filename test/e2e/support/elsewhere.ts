// Sign-ins from elsewhere, beside the browser page: another device's own cookie jar and user
// agent, straight against the HTTP API (no Origin header, as a script or another app sends).
import { expect, request, type APIRequestContext } from '@playwright/test';
import { PASSWORD } from './flows.js';

export const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A complete sign-in with the password alone; the context keeps its session cookie. */
export async function signInElsewhere(
  origin: string,
  username: string,
  password = PASSWORD,
  userAgent = IPHONE_SAFARI,
): Promise<APIRequestContext> {
  const http = await request.newContext({ baseURL: origin, userAgent });
  const answer = await http.post('/api/v1/session', { data: { username, password } });
  expect(((await answer.json()) as { status: string }).status).toBe('signed_in');
  return http;
}

/** Signs in elsewhere once with each code (password, then the code); each must be accepted. */
export async function signInWithBackupCodes(origin: string, username: string, codes: string[]): Promise<void> {
  const http = await request.newContext({ baseURL: origin });
  for (const code of codes) {
    const first = await http.post('/api/v1/session', { data: { username, password: PASSWORD } });
    const { ticket } = (await first.json()) as { ticket: string };
    const second = await http.post('/api/v1/session/backup-code', { data: { ticket, code } });
    expect(second.status()).toBe(200);
  }
  await http.dispose();
}

/** The status of GET /api/v1/me for that context: 200 while its session lives, 401 after. */
export async function meStatus(http: APIRequestContext): Promise<number> {
  return (await http.get('/api/v1/me')).status();
}
