// Steps a person takes, by the accessible names docs/user-center.md gives (they are part of the product).
import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery staple';

export async function createAccount(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create account' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
}

export async function signInWithPassword(page: Page, username: string, password = PASSWORD): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function verify(page: Page, code: string): Promise<void> {
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}

export async function openSecuritySettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: / account menu$/ }).click();
  await page.getByRole('menuitem', { name: 'Security settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
}

export async function signOutFromSecurity(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

/** Account menu > Sign out, from any screen of a signed-in person. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: / account menu$/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

export async function expectSignedIn(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
}

export function dialog(page: Page) {
  return page.getByRole('dialog');
}

const BACKUP_CODE = /^[a-z0-9]{5}-[a-z0-9]{5}$/;

/** The ten codes the open "Save your backup codes" step shows. */
export async function readBackupCodes(page: Page): Promise<string[]> {
  const list = dialog(page).getByRole('list', { name: 'Your backup codes' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  const codes = await list.getByRole('listitem').allTextContents();
  expect(codes).toHaveLength(10);
  for (const code of codes) expect(code).toMatch(BACKUP_CODE);
  return codes;
}
