// Keyboard only, end to end: sign in, the account menu, the two-factor dialog (focus trapped
// inside, Escape closes and focus goes back), the whole enrolment; and the layout in a narrow
// window.
import { expect, test, type Page } from '@playwright/test';
import { Authenticator } from './support/authenticator.js';
import { createAccount, dialog, PASSWORD } from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen } from './support/page-checks.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey();
});
test.afterAll(async () => {
  await server?.stop();
});

/** Presses Tab until the focused element has `name` (an accessible-name substring). */
async function tabTo(page: Page, name: string | RegExp, maxPresses = 30): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      // Past the last control focus is on the body, whose text holds every name on the page.
      if (!element || element === document.body) return '';
      const label = element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`) : null;
      return element.getAttribute('aria-label') ?? label?.textContent ?? element.textContent ?? '';
    });
    if (typeof name === 'string' ? focused.includes(name) : name.test(focused)) return;
  }
  throw new Error(`Tab never reached "${String(name)}".`);
}

async function focusIsInsideDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
}

test('everything works from the keyboard, and the dialog traps and restores focus', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(server.origin);
  await createAccount(page, 'frank');
  await page.getByRole('button', { name: 'frank account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  // Sign in on a fresh load: Username has focus; type, Tab, type, Enter.
  await page.reload();
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.type('frank');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeFocused();

  // Account menu: Enter opens it on the first item; arrows move; Escape returns to the button.
  await tabTo(page, 'frank account menu');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Security settings' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'frank account menu' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeFocused();

  // The dialog: focus moves in, Tab and Shift+Tab stay in, Escape closes, focus comes back.
  await tabTo(page, 'Enable Two-Factor Authentication');
  await page.keyboard.press('Enter');
  await expect(dialog(page).getByLabel('Password')).toBeFocused();
  for (let press = 0; press < 8; press++) {
    await page.keyboard.press('Tab');
    expect(await focusIsInsideDialog(page)).toBe(true);
  }
  for (let press = 0; press < 8; press++) {
    await page.keyboard.press('Shift+Tab');
    expect(await focusIsInsideDialog(page)).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Enable Two-Factor Authentication' })).toBeFocused();

  // The whole enrolment by keyboard.
  await page.keyboard.press('Enter');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(dialog(page).getByRole('heading', { name: 'Set up your authenticator app' })).toBeFocused();
  await tabTo(page, "Can't scan it?");
  await page.keyboard.press('Enter');
  const secret = ((await dialog(page).locator('code.secret-key').textContent()) ?? '').replace(/ /g, '');
  const authenticator = new Authenticator(secret);
  await tabTo(page, 'Next');
  await page.keyboard.press('Enter');
  await expect(dialog(page).getByRole('heading', { name: 'Enter the 6-digit code' })).toBeFocused();
  await tabTo(page, '6-digit code');
  await page.keyboard.type(await authenticator.nextCode());
  await page.keyboard.press('Enter');
  await expect(dialog(page).getByRole('heading', { name: 'Save your backup codes' })).toBeFocused();
  await tabTo(page, 'I have saved these codes');
  await page.keyboard.press('Space');
  await tabTo(page, 'Done');
  await page.keyboard.press('Enter');
  await expect(dialog(page)).toHaveCount(0);
  // The opener became "Disable…": focus goes to the section, whose status says what happened.
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeFocused();
  await expect(page.getByText('Two-factor authentication is on.')).toBeVisible();
});

test('the layout holds in a narrow window', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(server.origin);
  await createAccount(page, 'grace');
  await page.getByRole('link', { name: 'Review your security settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await checkScreen(page, 'security-narrow', { fullPage: true });
  await page.getByRole('button', { name: 'Enable Two-Factor Authentication' }).click();
  await dialog(page).getByLabel('Password').fill(PASSWORD);
  await dialog(page).getByRole('button', { name: 'Continue' }).click();
  await expect(dialog(page).getByRole('img', { name: /QR code/ })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await checkScreen(page, 'enable-scan-narrow');
});
