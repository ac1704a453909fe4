// Launching the real desktop app for a test, each with its own user-data folder and, on Linux,
// its own unlocked gnome-keyring in a private D-Bus session (test/main/support/with-keyring.sh),
// kept between launches of the same profile. Electron's own dialogs can't be clicked by a test:
// they are replaced from the test through Electron's dialog API in the main process.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary, MISSING_BINARY_MESSAGE, PROJECT_ROOT } from '../../../scripts/electron-binary.mjs';

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

/** Why these tests can't run here, or null. */
export const SKIP_REASON =
  binary === null
    ? `Electron binary not installed: ${MISSING_BINARY_MESSAGE}`
    : noDisplay
      ? 'No display (DISPLAY/WAYLAND_DISPLAY unset): run them under a desktop session or xvfb-run.'
      : null;

export type KeyringMode = 'unlocked' | 'none';

/** One person's Latchkey: a user-data folder and (Linux) a keyring, across launches. */
export class Profile {
  private static readonly created: Profile[] = [];
  readonly folder = mkdtempSync(join(tmpdir(), 'latchkey-electron-'));
  readonly userData = join(this.folder, 'user-data');

  constructor(private readonly keyring: KeyringMode = 'unlocked') {
    mkdirSync(this.userData, { recursive: true });
    Profile.created.push(this);
  }

  /** Removes every profile's folder (their apps are closed by then). */
  static removeAll(): void {
    for (const profile of Profile.created.splice(0)) rmSync(profile.folder, { recursive: true, force: true });
  }

  /** The executable: on Linux, Electron inside its own D-Bus session and secret service. */
  private executable(): string {
    if (process.platform !== 'linux') return binary!;
    const wrapper = join(this.folder, 'electron-with-keyring.sh');
    const harness = join(PROJECT_ROOT, 'test', 'main', 'support', 'with-keyring.sh');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nKEYRING_HOME='${join(this.folder, 'keyring-home')}' exec '${harness}' ${this.keyring} '${binary}' "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    return wrapper;
  }

  /** Starts the app and waits for its window to show a page (the User Center or the error screen). */
  async launch(): Promise<{ app: ElectronApplication; page: Page }> {
    const app = await electron.launch({
      executablePath: this.executable(),
      args: [PROJECT_ROOT],
      cwd: PROJECT_ROOT,
      env: { ...process.env, LATCHKEY_USER_DATA_DIR: this.userData } as Record<string, string>,
      timeout: 60_000,
    });
    const page = await app.firstWindow();
    await page.waitForURL(/^(http:\/\/localhost:\d+\/|data:)/, { timeout: 60_000 });
    return { app, page };
  }

  get logFile(): string {
    return join(this.userData, 'logs', 'latchkey.log');
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }
}

/** Every file under a folder whose bytes contain `needle`. */
export function filesContaining(folder: string, needle: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesContaining(path, needle);
    return readFileSync(path).includes(needle) ? [path] : [];
  });
}

/** Every file of that name under a folder. */
export function filesNamed(folder: string, wanted: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesNamed(path, wanted);
    return name === wanted ? [path] : [];
  });
}

/** The session cookie as the window's session holds it. */
export function sessionCookie(app: ElectronApplication) {
  return app.evaluate(async ({ session }) => {
    const [cookie] = await session.fromPartition('persist:latchkey').cookies.get({ name: 'latchkey_session' });
    return cookie ? { value: cookie.value, session: cookie.session, expirationDate: cookie.expirationDate } : null;
  });
}

/** The pid of the bundled server's utility process (its serviceName, server/process-launcher.ts). */
export async function serverPid(app: ElectronApplication): Promise<number> {
  let pid: number | undefined;
  await expect
    .poll(
      async () =>
        (pid = await app.evaluate(
          ({ app: electronApp }) =>
            electronApp
              .getAppMetrics()
              .find((metric) => metric.type === 'Utility' && metric.serviceName === 'Latchkey server')?.pid,
        )),
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  return pid!;
}

/** Replaces the native Save dialog: it "chooses" `filePath` and records what it was asked. */
export async function stubSaveDialog(app: ElectronApplication, filePath: string): Promise<void> {
  await app.evaluate(({ dialog }, chosen) => {
    const calls: unknown[] = [];
    (globalThis as { saveDialogCalls?: unknown[] }).saveDialogCalls = calls;
    dialog.showSaveDialog = (async (...args: unknown[]) => {
      calls.push(args.at(-1));
      return { canceled: false, filePath: chosen };
    }) as typeof dialog.showSaveDialog;
  }, filePath);
}

export function saveDialogCalls(app: ElectronApplication): Promise<{ title?: string; defaultPath?: string }[]> {
  return app.evaluate(
    () =>
      ((globalThis as { saveDialogCalls?: unknown[] }).saveDialogCalls ?? []) as {
        title?: string;
        defaultPath?: string;
      }[],
  );
}

/** Replaces shell.openPath and records the folders it was asked to open. */
export async function stubOpenPath(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ shell }) => {
    const opened: string[] = [];
    (globalThis as { openedPaths?: string[] }).openedPaths = opened;
    shell.openPath = async (path: string) => {
      opened.push(path);
      return '';
    };
  });
}

export function openedPaths(app: ElectronApplication): Promise<string[]> {
  return app.evaluate(() => (globalThis as { openedPaths?: string[] }).openedPaths ?? []);
}
