// An ended session sends the person back to Sign in with a short explanation. Two honest ways
// to end one: the real idle timeout (server started with --session-idle-minutes 1, and the page
// left alone for over a minute), and the same session revoked from another tab (DELETE
// /api/v1/session with the shared cookie), which is what signing out elsewhere does.
import { expect, test, type Page } from '@playwright/test';
import { createAccount, openSecuritySettings } from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen } from './support/page-checks.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey(['--session-idle-minutes', '1']);
});
test.afterAll(async () => {
  await server?.stop();
});

const ENDED = 'Your session has ended, so you were signed out. Sign in again to continue.';

async function expectBackAtSignIn(page: Page, username: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('main').getByText(ENDED)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: ENDED })).toHaveCount(1);
  await expect(page.getByLabel('Username')).toHaveValue(username);
  await expect(page.getByLabel('Password')).toBeFocused();
}

test('a session revoked from another tab ends here on the next action', async ({ page, context }) => {
  await page.goto(server.origin);
  await createAccount(page, 'dave');
  await openSecuritySettings(page);

  const otherTab = await context.newPage();
  await otherTab.goto(server.origin);
  await expect(otherTab.getByRole('button', { name: 'dave account menu' })).toBeVisible();
  const status = await otherTab.evaluate(async () => (await fetch('/api/v1/session', { method: 'DELETE' })).status);
  expect(status).toBe(204);
  await otherTab.close();

  await page.getByRole('region', { name: 'Recent security activity' }).getByRole('button', { name: 'Refresh' }).click();
  await expectBackAtSignIn(page, 'dave');
  await checkScreen(page, 'session-ended');

  // Signing in again returns to the page the person was on.
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
});

test('a session that passed its idle timeout ends on the next action', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(server.origin);
  await createAccount(page, 'erin');
  await openSecuritySettings(page);
  // --session-idle-minutes 1: the session's last use is the sign-in and the page's loads just
  // after it; nothing polls (that would keep an idle session alive).
  await page.waitForTimeout(65_000);
  await page.getByRole('region', { name: 'Recent security activity' }).getByRole('button', { name: 'Refresh' }).click();
  await expectBackAtSignIn(page, 'erin');
});
