// The one window. Every renderer-side protection of Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security) is set explicitly, even where it is
// Electron's default, so that a test holds it and a later edit can't drop it silently. The
// options are written inline in the `new BrowserWindow({...})` call so that static checkers
// (electronegativity, test/main/security/electronegativity.test.ts) can read them too.
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's session. Without the "persist:" prefix Electron keeps it in memory only, so
 * cookies, cache and storage never reach the disk; the session cookie is kept in the OS
 * keychain instead (session/cookie-keychain-sync.ts).
 */
export const SESSION_PARTITION = 'latchkey';

/** Electron's BrowserWindow class, or a stand-in for it in the unit tests. */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

export function createMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string): W {
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
      // Reviewed (test/main/security/electronegativity.test.ts): the sandboxed preload exposes three
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
    },
  });
}
