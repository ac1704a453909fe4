// The User Center as an organisation runs it (docs/deployment.md "Several instances"), end to end
// in Debian's Chromium: two server processes on one PostgreSQL database (a private cluster started
// here), behind a proxy that sends each request to the next instance in turn, so a TOTP secret, a
// sign-in ticket and a WebAuthn challenge handed out by one are redeemed at the other. One person
// creates an account, turns two-factor on, signs in with a TOTP code, with a backup code and with
// a security key (a virtual authenticator over the DevTools protocol), and signs out: the other
// instance refuses the ended session at its next request. The proxy's counts prove both instances
// answered a fair share, so this cannot pass on one instance. Skipped, with the reason, where no
// PostgreSQL is installed; in CI that fails instead.
import { expect, test, type Page } from '@playwright/test';
import { TestClient } from '../support/http-client.js';
import {
  createAccount,
  dialog,
  expectSignedIn,
  openSecuritySettings,
  signInWithPassword,
  signOut,
  verify,
} from './support/flows.js';
import { organisationSkipReason, startOrganisation, type Organisation } from './support/organisation.js';
import { watchContentSecurityPolicy } from './support/page-checks.js';
import type { ProxiedRequest } from './support/round-robin-proxy.js';
import {
  enableAuthenticatorApp,
  keyItem,
  securityKeysSection,
  startAddingKey,
  USB_KEY,
  VirtualAuthenticators,
} from './support/security-keys.js';

const skipReason = organisationSkipReason();
test.skip(skipReason !== undefined, `PostgreSQL is needed: ${skipReason}`);

let organisation: Organisation;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  organisation = await startOrganisation();
});
test.afterAll(async () => {
  await organisation?.close();
});

/** The session cookie the browser holds now. */
async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'latchkey_session');
  expect(cookie, 'the browser holds a session cookie').toBeDefined();
  return cookie!.value;
}

/** GET /api/v1/me sent straight to instance `index` (past the proxy) with `session`, for the public origin. */
async function meStatus(index: number, session: string): Promise<number> {
  const { proxy, instances } = organisation;
  const client = new TestClient(proxy.origin, instances[index]!.port);
  client.sessionCookie = session;
  const response = await client.get('/api/v1/me', { headers: { host: new URL(proxy.origin).host } });
  return response.status;
}

/**
 * Steps that must meet in the database: what one request hands out (a TOTP secret being set up, a
 * sign-in ticket, a WebAuthn challenge) and the request that redeems it.
 */
const HANDED_OVER = [
  ['a TOTP secret', 'POST /api/v1/me/totp/setup', 'POST /api/v1/me/totp/enable'],
  ['a sign-in ticket', 'POST /api/v1/session', 'POST /api/v1/session/totp'],
  ['a sign-in ticket', 'POST /api/v1/session', 'POST /api/v1/session/backup-code'],
  ['a sign-in ticket', 'POST /api/v1/session', 'POST /api/v1/session/security-key/options'],
  ['a WebAuthn challenge', 'POST /api/v1/me/security-keys/options', 'POST /api/v1/me/security-keys'],
  ['a WebAuthn challenge', 'POST /api/v1/session/security-key/options', 'POST /api/v1/session/security-key'],
] as const;

interface HandOverTally {
  redeemed: number;
  /** Redeemed at the other instance than the one that handed it out. */
  crossed: number;
}

/** For each kind of thing handed over: how often it was redeemed, and how often at the other instance. */
function handedOverBetweenInstances(log: readonly ProxiedRequest[]): Record<string, HandOverTally> {
  const tallies: Record<string, HandOverTally> = {};
  for (const [kind] of HANDED_OVER) tallies[kind] = { redeemed: 0, crossed: 0 };
  const route = (entry: ProxiedRequest) => `${entry.method} ${entry.path}`;
  log.forEach((entry, index) => {
    for (const [kind, handOut, redeem] of HANDED_OVER) {
      if (route(entry) !== redeem) continue;
      const source = log.slice(0, index).findLast((earlier) => route(earlier) === handOut);
      if (!source) continue;
      tallies[kind]!.redeemed += 1;
      if (source.upstream !== entry.upstream) tallies[kind]!.crossed += 1;
    }
  });
  return tallies;
}

test('two instances on PostgreSQL behind one address serve one person from first sign-up to signing out', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { proxy } = organisation;
  const cspViolations = await watchContentSecurityPolicy(page);
  await page.goto(proxy.origin);
  const authenticators = await VirtualAuthenticators.attach(page);
  const usb = await authenticators.add(USB_KEY);
  await authenticators.use(usb);

  const { app, backupCodes } = await test.step('create an account and turn two-factor on', async () => {
    await createAccount(page, 'ngozi');
    await openSecuritySettings(page);
    const enabled = await enableAuthenticatorApp(page);
    await expect(page.getByText('Two-factor authentication is on.')).toBeVisible();
    await expect(page.getByText('10 of 10 backup codes left', { exact: false })).toBeVisible();
    return enabled;
  });

  await test.step('sign out, sign in with a code from the authenticator app', async () => {
    await signOut(page);
    await signInWithPassword(page, 'ngozi');
    await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
    await verify(page, await app.nextCode());
    await expectSignedIn(page);
  });

  await test.step('sign out, sign in with a backup code; the same code a second time is refused', async () => {
    await signOut(page);
    await signInWithPassword(page, 'ngozi');
    await verify(page, backupCodes[0]!);
    await expectSignedIn(page);
    await signOut(page);
    await signInWithPassword(page, 'ngozi');
    await verify(page, backupCodes[0]!);
    await expect(page.getByRole('alert')).toHaveText(/That code is not right or was already used/);
    await verify(page, backupCodes[1]!);
    await expectSignedIn(page);
    await openSecuritySettings(page);
    await expect(page.getByText('8 of 10 backup codes left', { exact: false })).toBeVisible();
  });

  await test.step('add a USB security key, sign out, sign in with it', async () => {
    await startAddingKey(page, 'Office USB key');
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(keyItem(page, 'Office USB key')).toContainText('USB security key');
    await expect(securityKeysSection(page).getByRole('listitem')).toHaveCount(1);
    await signOut(page);
    await signInWithPassword(page, 'ngozi');
    await page.getByRole('button', { name: 'Use your security key' }).click();
    await expectSignedIn(page);
    await openSecuritySettings(page);
    await expect(keyItem(page, 'Office USB key')).not.toContainText('Not used yet');
  });

  await test.step('a session signed out through one instance is refused by the other at its next request', async () => {
    const session = await sessionCookie(page);
    // Both instances know the session (and may keep whatever they keep of it) before it ends.
    expect([await meStatus(0, session), await meStatus(1, session)]).toEqual([200, 200]);
    const before = proxy.log.length;
    await signOut(page);
    const ended = proxy.log
      .slice(before)
      .find((entry) => entry.method === 'DELETE' && entry.path === '/api/v1/session');
    expect(ended, 'the sign-out went through the proxy').toBeDefined();
    expect(ended!.status).toBe(204);
    const other = 1 - ended!.upstream;
    expect(await meStatus(other, session), `instance ${other}, which did not end the session`).toBe(401);
    expect(await meStatus(ended!.upstream, session), `instance ${ended!.upstream}, which ended it`).toBe(401);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  });

  await test.step('both instances answered a fair share of the requests, and none went unanswered', async () => {
    const total = proxy.answered.reduce((sum, count) => sum + count, 0);
    test.info().annotations.push({ type: 'requests per instance', description: proxy.answered.join(' / ') });
    expect(total).toBeGreaterThan(20);
    for (const [index, count] of proxy.answered.entries()) {
      expect(count, `instance ${index} answered ${count} of ${total}`).toBeGreaterThanOrEqual(total * 0.4);
    }
    expect(proxy.failed).toBe(0);
    // Alternating per request, the step after a hand-out lands on the other instance unless a
    // background request came in between: each kind of hand-out crossed at least once.
    const handedOver = handedOverBetweenInstances(proxy.log);
    test.info().annotations.push({ type: 'handed over', description: JSON.stringify(handedOver) });
    for (const [kind, { crossed, redeemed }] of Object.entries(handedOver)) {
      expect(crossed, `${kind}: ${crossed} of ${redeemed} redeemed at the other instance`).toBeGreaterThan(0);
    }
    expect(await cspViolations()).toEqual([]);
  });
});
