// The real desktop app, driven by Playwright's Electron support: sign in, quit, reopen, still
// signed in, with the session in the OS keychain and in no file on disk. It needs the Electron
// binary, which this machine's network can't download (docs/desktop.md "What works where"): where the
// binary is missing the test is reported as skipped, with that reason; it runs wherever
// `node node_modules/electron/install.js` has installed it.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary, MISSING_BINARY_MESSAGE } from '../../scripts/electron-binary.mjs';
import { TestClient } from '../support/http-client.js';
import { runBuild } from './support/build.js';

const ROOT = join(import.meta.dirname, '..', '..');
const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason =
  binary === null
    ? `Electron binary not installed: ${MISSING_BINARY_MESSAGE}`
    : noDisplay
      ? 'No display (DISPLAY/WAYLAND_DISPLAY unset): run it under a desktop session or xvfb-run.'
      : null;

const work = mkdtempSync(join(tmpdir(), 'latchkey-electron-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** On Linux the app gets its own unlocked gnome-keyring, kept between the two launches. */
function executable(): string {
  if (process.platform !== 'linux') return binary!;
  const wrapper = join(work, 'electron-with-keyring.sh');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nKEYRING_HOME='${join(work, 'keyring-home')}' exec '${join(ROOT, 'test', 'main', 'support', 'with-keyring.sh')}' unlocked '${binary}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

async function launch(userData: string): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await electron.launch({
    executablePath: executable(),
    args: [ROOT],
    cwd: ROOT,
    env: { ...process.env, LATCHKEY_USER_DATA_DIR: userData } as Record<string, string>,
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  await page.waitForURL(/^http:\/\/localhost:\d+\//, { timeout: 60_000 });
  return { app, page };
}

function filesContaining(folder: string, needle: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesContaining(path, needle);
    return readFileSync(path).includes(needle) ? [path] : [];
  });
}

describe('the desktop app (Playwright _electron)', () => {
  it('keeps the person signed in across a restart, with the session in the OS keychain only', async (context) => {
    if (skipReason) {
      console.warn(`skipped: ${skipReason}`);
      context.skip(skipReason);
    }
    runBuild('build');
    const userData = join(work, 'user-data');

    const first = await launch(userData);
    const origin = new URL(first.page.url()).origin;
    // The page's world has no Node: no require, no process (contextIsolation, sandbox, no nodeIntegration).
    expect(
      await first.page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
    expect(
      await first.page.evaluate(() => Object.keys((window as unknown as { latchkey: object }).latchkey).sort()),
    ).toEqual(['getStatus', 'notify', 'saveTextFile']);
    const status = await first.page.evaluate(() =>
      (
        window as unknown as { latchkey: { getStatus(): Promise<{ keychain: { available: boolean } }> } }
      ).latchkey.getStatus(),
    );
    expect(status.keychain.available).toBe(true);

    const client = new TestClient(origin);
    expect(
      (await client.post('/api/v1/accounts', { username: 'desktop', password: 'correct horse battery' })).status,
    ).toBe(201);
    await first.page.getByLabel('Username').fill('desktop');
    await first.page.getByLabel('Password').fill('correct horse battery');
    await first.page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => first.page.evaluate(async () => (await fetch('/api/v1/me')).status), { timeout: 20_000 })
      .toBe(200);
    const token = await first.app.evaluate(async ({ session }) => {
      const cookies = await session.fromPartition('latchkey').cookies.get({ name: 'latchkey_session' });
      return cookies[0]?.value ?? null;
    });
    expect(token).toBeTruthy();
    await first.app.close();

    const second = await launch(userData);
    expect(await second.page.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(200);
    await second.app.close();

    // Not in Chromium's cookie store nor anywhere else in the app's folder.
    expect(filesContaining(userData, token!)).toEqual([]);
  }, 240_000);
});
