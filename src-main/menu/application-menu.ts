// The application menu. In an installed (packaged) build it is minimal: the Edit roles, so that
// copy, paste and select-all work (on macOS the shortcuts exist only through the menu), the
// window roles, and Help with "Check for updates" and "Open logs folder". It has no View menu:
// no reload, no DevTools. Development builds add Electron's usual View menu.
// Electron: https://www.electronjs.org/docs/latest/api/menu#examples
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  checkForUpdates(): void;
  openLogsFolder(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  packaged: boolean;
  appName: string;
  actions: MenuActions;
}

export function applicationMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const help: MenuItemConstructorOptions[] = [
    { label: 'Check for Updates…', click: () => options.actions.checkForUpdates() },
    { label: 'Open Logs Folder', click: () => options.actions.openLogsFolder() },
  ];
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  } else {
    template.push({ label: '&File', submenu: [{ role: 'quit' }] });
  }
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  if (!options.packaged) {
    template.push({
      label: '&View',
      submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }],
    });
  }
  template.push({
    label: '&Window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({ label: '&Help', role: 'help', submenu: help });
  return template;
}

/** A key press as Electron's 'before-input-event' reports it. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

/**
 * Reload and DevTools shortcuts Chromium might still act on without the menu: F5, Ctrl/Cmd+R
 * (with Shift: reload past the cache), F12, Ctrl+Shift+I/J/C and Cmd+Alt+I/J/C. A reload would
 * leave the error screen, or the page the main process chose, for whatever the address says.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (key === 'f5' || key === 'f12') return true;
  if (command && key === 'r') return true;
  if (command && (input.shift || input.alt) && ['i', 'j', 'c'].includes(key)) return true;
  return false;
}

export interface ShortcutSource {
  on(event: 'before-input-event', listener: (event: { preventDefault(): void }, input: KeyInput) => void): unknown;
}

/** Swallows the reload and DevTools shortcuts (packaged builds). */
export function guardShortcuts(contents: ShortcutSource): void {
  contents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input)) event.preventDefault();
  });
}
