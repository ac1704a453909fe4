// The steps a person takes in the User Center, as API calls from the page plus the browser's own
// WebAuthn ceremony. Each returns the server's answer so the tests can assert on it.
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { expect } from 'vitest';
import { PASSWORD } from '../../../support/test-server.js';
import { produced, type PageResponse, type WebAuthnPage } from '../../../support/webauthn-browser.js';

export async function createAccount(page: WebAuthnPage, username: string): Promise<void> {
  const created = await page.api('POST', '/api/v1/accounts', { username, password: PASSWORD });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const signedIn = await page.api('POST', '/api/v1/session', { username, password: PASSWORD });
  expect(signedIn.json).toMatchObject({ status: 'signed_in' });
}

export async function signOut(page: WebAuthnPage): Promise<void> {
  expect((await page.api('DELETE', '/api/v1/session')).status).toBe(204);
}

/** Password step of a sign-in that needs a second factor; returns the ticket. */
export async function passwordStep(page: WebAuthnPage, username: string): Promise<string> {
  const answer = await page.api('POST', '/api/v1/session', { username, password: PASSWORD });
  expect(answer.json, JSON.stringify(answer.json)).toMatchObject({ status: 'second_factor_required' });
  return answer.json.ticket as string;
}

/** Settings > Security > Security keys > Add: password → the browser's prompt → name. */
export async function addKey(
  page: WebAuthnPage,
  authenticatorId: string,
  name: string,
  attachment?: 'cross-platform' | 'platform',
): Promise<PageResponse> {
  const options = await page.api('POST', '/api/v1/me/security-keys/options', {
    password: PASSWORD,
    ...(attachment ? { attachment } : {}),
  });
  expect(options.status, JSON.stringify(options.json)).toBe(200);
  await page.use(authenticatorId);
  const credential = produced(await page.create(options.json.options));
  return page.api('POST', '/api/v1/me/security-keys', { name, credential });
}

/** A security-key assertion for a ticket, as the browser makes it. */
export async function keyAssertion(
  page: WebAuthnPage,
  authenticatorId: string,
  ticket: string,
): Promise<AuthenticationResponseJSON> {
  const options = await page.api('POST', '/api/v1/session/security-key/options', { ticket });
  expect(options.status, JSON.stringify(options.json)).toBe(200);
  await page.use(authenticatorId);
  return produced(await page.get(options.json.options));
}

/** The whole second step: password, then "Use your security key". */
export async function signInWithKey(
  page: WebAuthnPage,
  username: string,
  authenticatorId: string,
): Promise<PageResponse> {
  const ticket = await passwordStep(page, username);
  const credential = await keyAssertion(page, authenticatorId, ticket);
  return page.api('POST', '/api/v1/session/security-key', { ticket, credential });
}

/** "Sign in with a passkey": no username, no password. */
export async function passkeyAssertion(
  page: WebAuthnPage,
  authenticatorId: string,
  adjust: (options: Record<string, unknown>) => Record<string, unknown> = (options) => options,
): Promise<AuthenticationResponseJSON> {
  const options = await page.api('POST', '/api/v1/session/passkey/options', {});
  expect(options.status, JSON.stringify(options.json)).toBe(200);
  await page.use(authenticatorId);
  return produced(await page.get(adjust(options.json.options) as never));
}

export async function eventTypes(page: WebAuthnPage): Promise<string[]> {
  const events = await page.api('GET', '/api/v1/me/events');
  expect(events.status).toBe(200);
  return (events.json.events as { type: string }[]).map((event) => event.type);
}
