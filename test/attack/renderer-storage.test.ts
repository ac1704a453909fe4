// SECURITY.md "Someone reading what the User Center leaves in the browser": after a person creates
// an account, turns two-factor on (TOTP secret shown, ten backup codes shown) and signs in with a
// backup code in the real User Center, none of the password, the TOTP secret, the backup codes or
// the session token is in the page's storage (localStorage, sessionStorage, IndexedDB, Cache
// Storage, cookies readable by script), nor anywhere in the browser profile on disk except
// Chromium's own HttpOnly cookie jar. Debian's Chromium through playwright-core, against the built
// server and built User Center.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../server/modules/totp/totp-codes.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { startChildServer, type ChildServer } from './support/child-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const UI_DIR = join(ROOT, 'build', 'renderer');
const PASSWORD = 'canary-Pa55phrase-4d1e';
const USERNAME = 'canary';

/** The User Center build; `npm test` makes it before vitest, a lone run may need it made. */
function ensureUserCenterBuilt(): void {
  if (existsSync(join(UI_DIR, 'index.html'))) return;
  const built = spawnSync('flock', ['/tmp/latchkey-attack-build.lock', 'npm', 'run', '--silent', 'build:renderer'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
}

/** Every file under `folder`, with its path relative to it. */
function filesUnder(folder: string): Array<[string, Buffer]> {
  const found: Array<[string, Buffer]> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size < 64 * 1024 * 1024)
        found.push([relative(folder, path), readFileSync(path)]);
    }
  };
  walk(folder);
  return found;
}

/** What the page itself can read back: every script-visible store, as one string. */
async function scriptVisibleStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const dump: Record<string, unknown> = {
      localStorage: Object.fromEntries(Object.entries(localStorage)),
      sessionStorage: Object.fromEntries(Object.entries(sessionStorage)),
      cookie: document.cookie,
      indexedDB: {},
      caches: {},
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const stores: Record<string, unknown> = {};
      for (const storeName of Array.from(db.objectStoreNames)) {
        stores[storeName] = await new Promise((resolve, reject) => {
          const request = db.transaction(storeName).objectStore(storeName).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      (dump.indexedDB as Record<string, unknown>)[info.name] = stores;
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const bodies: string[] = [];
      for (const request of await cache.keys()) bodies.push(await (await cache.match(request))!.text());
      (dump.caches as Record<string, unknown>)[name] = bodies;
    }
    return JSON.stringify(dump);
  });
}

describe('secrets in the renderer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-renderer-data-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'latchkey-renderer-profile-'));
  let server: ChildServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('leave no trace in script-readable storage or in the profile on disk', { timeout: 120_000 }, async () => {
    ensureUserCenterBuilt();
    server = await startChildServer({ port: 4853, dataDir, args: ['--ui-dir', UI_DIR] });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const dialog = page.getByRole('dialog');
    const shown = async (locator: ReturnType<Page['getByRole']>) => locator.waitFor({ state: 'visible' });

    // Create the account.
    await page.goto(server.origin);
    await page.getByRole('button', { name: 'Create account' }).click();
    await shown(page.getByRole('heading', { level: 1, name: 'Create account' }));
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await shown(page.getByRole('heading', { level: 1, name: 'Your account' }));

    // Turn two-factor on: password, the key under "Can't scan it?", a code, the ten codes.
    await page.getByRole('button', { name: / account menu$/ }).click();
    await page.getByRole('menuitem', { name: 'Security settings' }).click();
    await page.getByRole('button', { name: 'Enable Two-Factor Authentication' }).click();
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByRole('button', { name: "Can't scan it?" }).click();
    const grouped = (await dialog.locator('code.secret-key').textContent()) ?? '';
    const secret = grouped.replace(/ /g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByLabel('6-digit code').fill(codeAt(decodeSecret(secret), Date.now()));
    await dialog.getByRole('button', { name: 'Turn on' }).click();
    const list = dialog.getByRole('list', { name: 'Your backup codes' });
    await shown(list);
    const backupCodes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
    expect(backupCodes).toHaveLength(10);
    await dialog.getByLabel('I have saved these codes').check();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Sign out, sign in again with a backup code.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await shown(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Verification code').fill(backupCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await shown(page.getByRole('heading', { level: 1, name: 'Your account' }));

    const session = (await context.cookies(server.origin)).find((cookie) => cookie.name === 'latchkey_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    const canaries: Array<[string, string]> = [
      ['password', PASSWORD],
      ['TOTP secret', secret],
      ['TOTP secret (grouped)', grouped.trim()],
      ['session token', session!.value],
      ...backupCodes.flatMap((code): Array<[string, string]> => [
        ['backup code', code],
        ['backup code', code.replace('-', '')],
      ]),
    ];

    // The control that shows both searches can find something: a value the test itself stores.
    const control = 'control-canary-7b1f0c';
    await page.evaluate((value) => localStorage.setItem('attack-test-control', value), control);
    const visible = await scriptVisibleStorage(page);
    expect(visible).toContain(control);
    expect(visible).not.toMatch(/latchkey_session/);
    for (const [what, canary] of canaries) expect(visible.includes(canary), `${what} readable by script`).toBe(false);

    // Everything Chromium wrote for this profile (Local Storage, IndexedDB, Session Storage, the
    // HTTP cache, session restore ...), once it has flushed on close. Its cookie jar is the one
    // place a session token belongs (HttpOnly, out of the page's reach; the desktop app keeps it
    // in the OS keychain instead).
    await context.close();
    context = undefined;
    const files = filesUnder(profileDir).filter(([path]) => !/(^|\/)Cookies(-journal)?$/.test(path));
    const holds = (content: Buffer, text: string) =>
      content.includes(text) || content.includes(Buffer.from(text, 'utf16le'));
    expect(files.some(([, content]) => holds(content, control))).toBe(true);
    for (const [path, content] of files) {
      for (const [what, canary] of canaries) {
        expect(holds(content, canary), `${what} in the profile file ${path}`).toBe(false);
      }
    }
  });
});
