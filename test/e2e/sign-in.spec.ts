// Sign-in refusals in the browser: a wrong password, a locked-out account (the server started
// with --lockout-threshold 3, so the fourth try meets the lock), one request however fast the
// button is pressed, and no "Create account" when the server's registration is closed.
import { expect, test } from '@playwright/test';
import { createAccount, PASSWORD, signInWithPassword } from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen, expectAccessible } from './support/page-checks.js';

const LOCKOUT_THRESHOLD = 3;
let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey(['--lockout-threshold', String(LOCKOUT_THRESHOLD)]);
});
test.afterAll(async () => {
  await server?.stop();
});

test("a wrong password is refused with the server's sentence, and a double click sends one request", async ({
  page,
}) => {
  await page.goto(server.origin);
  await createAccount(page, 'bob');
  await page.getByRole('button', { name: / account menu$/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  const signInPosts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/session') {
      signInPosts.push(request.url());
    }
  });
  await page.getByLabel('Username').fill('bob');
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).dblclick();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(/The username or password is not right/);
  expect(signInPosts).toHaveLength(1);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await checkScreen(page, 'sign-in-error');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('button', { name: 'bob account menu' })).toBeVisible();
});

test('a locked-out account is told when it can try again', async ({ page }) => {
  await page.goto(server.origin);
  await createAccount(page, 'carol');
  await page.getByRole('button', { name: / account menu$/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  for (let attempt = 1; attempt <= LOCKOUT_THRESHOLD; attempt++) {
    await signInWithPassword(page, 'carol', `wrong password ${attempt}`);
    await expect(page.getByRole('alert')).toHaveText(/The username or password is not right/);
  }
  // Locked now: even the right password is answered 429, with Retry-After.
  const started = Date.now();
  const response = page.waitForResponse((candidate) => new URL(candidate.url()).pathname === '/api/v1/session');
  await signInWithPassword(page, 'carol', PASSWORD);
  expect((await response).status()).toBe(429);
  const retryAfter = Number((await response).headers()['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(/Too many failed attempts\. Try again in \d+ (second|minute)s?\./);
  await expect(alert).toHaveText(/You can try again at \d{1,2}:\d{2}:\d{2}\s?(AM|PM)\./);
  // The clock time shown is Retry-After from now.
  const shown = /try again at (\d{1,2}):(\d{2}):(\d{2})\s?(AM|PM)/.exec((await alert.textContent()) ?? '');
  expect(shown).not.toBeNull();
  const [, hours, minutes, seconds, half] = shown ?? [];
  const expected = new Date(started + retryAfter * 1000);
  const shownDate = new Date(expected);
  shownDate.setHours((Number(hours) % 12) + (half === 'PM' ? 12 : 0), Number(minutes), Number(seconds), 0);
  expect(Math.abs(shownDate.getTime() - expected.getTime())).toBeLessThan(5000);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await checkScreen(page, 'sign-in-locked');
});

test('no "Create account" when the server keeps registration closed', async ({ page }) => {
  const closed = await startLatchkey(['--registration', 'closed']);
  try {
    await page.goto(closed.origin);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create account' })).toHaveCount(0);
    await expectAccessible(page, 'sign-in, registration closed');
  } finally {
    await closed.stop();
  }
});
