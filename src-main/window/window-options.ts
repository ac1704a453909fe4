// The one window's options. Every renderer-side protection of Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security) is set explicitly here, even where
// it is Electron's default, so that a test can hold it and a later edit can't drop it silently.
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's session. Without the "persist:" prefix Electron keeps it in memory only, so
 * cookies, cache and storage never reach the disk; the session cookie is kept in the OS
 * keychain instead (session/cookie-keychain-sync.ts).
 */
export const SESSION_PARTITION = 'latchkey';

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1024,
    height: 760,
    minWidth: 360,
    minHeight: 480,
    title: 'Latchkey',
    // Shown once the first page has painted, so there's no white flash before the User Center.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
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
      safeDialogs: true,
      spellcheck: false,
      devTools: true,
    },
  };
}
