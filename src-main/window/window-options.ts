// The one window. Every renderer-side protection of Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security) is set explicitly, even where it is
// Electron's default, so that a test holds it and a later edit can't drop it silently. The
// options are written inline in the `new BrowserWindow({...})` call so that static checkers
// (electronegativity, test/main/security/electronegativity.test.ts) can read them too.
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's session, on disk ("persist:"): Electron keeps the secret that seals Touch ID
 * credentials' metadata per partition, so an in-memory one would orphan every passkey made with
 * Touch ID at the next start (Electron issue #52302). The session cookie still never reaches
 * the disk: it is held as a session cookie, which Electron's persistent partitions don't write,
 * and kept in the OS keychain (session/session-only-cookie.ts, session/cookie-keychain-sync.ts).
 */
export const SESSION_PARTITION = 'persist:latchkey';

export interface MainWindowOptions {
  /** False in packaged builds: no DevTools, by shortcut, menu or API (menu/application-menu.ts). */
  devTools: boolean;
}

/** Electron's BrowserWindow class, or a stand-in for it in the unit tests. */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

export function createMainWindow<W>(
  BrowserWindow: WindowConstructor<W>,
  preloadPath: string,
  options: MainWindowOptions,
): W {
  return new BrowserWindow({
    width: 1024,
    height: 760,
    minWidth: 360,
    minHeight: 480,
    title: 'Latchkey',
    // Shown once the first page has painted, so there's no white flash before the User Center.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed (test/main/security/electronegativity.test.ts): the sandboxed preload exposes two
      // typed functions through contextBridge, never ipcRenderer itself (preload/preload.ts).
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      partition: SESSION_PARTITION,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click would otherwise ask for a new window (the open handler refuses it anyway).
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
}
