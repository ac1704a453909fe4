// The application menu's template (Electron's Menu.buildFromTemplate takes it in main.ts; the
// runtime is not available here) and the shortcut guard, on a stand-in for WebContents.
import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  applicationMenuTemplate,
  guardShortcuts,
  isBlockedShortcut,
  type KeyInput,
} from '../../../src-main/menu/application-menu.js';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function menu(platform: NodeJS.Platform, packaged: boolean) {
  const actions = { checkForUpdates: vi.fn(), openLogsFolder: vi.fn() };
  const template = applicationMenuTemplate({ platform, packaged, appName: 'Latchkey', actions });
  const items = flatten(template);
  return { template, items, actions, roles: items.map((item) => item.role).filter(Boolean) };
}

describe('the packaged application menu', () => {
  it.each(['darwin', 'win32', 'linux'] as const)('on %s has no reload and no DevTools', (platform) => {
    const { roles, template } = menu(platform, true);
    for (const role of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu']) expect(roles).not.toContain(role);
    expect(template.map((item) => item.label)).not.toContain('&View');
  });

  it.each(['darwin', 'win32', 'linux'] as const)('on %s keeps the Edit roles so copy and paste work', (platform) => {
    const { roles } = menu(platform, true);
    expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
  });

  it('has Check for Updates and Open Logs Folder under Help, calling their actions', () => {
    const { template, actions } = menu('win32', true);
    const help = template.find((item) => item.role === 'help')!;
    const [check, logs] = help.submenu as MenuItemConstructorOptions[];
    expect(check!.label).toBe('Check for Updates…');
    expect(logs!.label).toBe('Open Logs Folder');
    (check!.click as () => void)();
    (logs!.click as () => void)();
    expect(actions.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(actions.openLogsFolder).toHaveBeenCalledTimes(1);
  });

  it('has the app menu with Quit on macOS, and File > Quit elsewhere', () => {
    expect(menu('darwin', true).template[0]).toMatchObject({ label: 'Latchkey' });
    expect(menu('darwin', true).roles).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    expect(menu('linux', true).template[0]).toMatchObject({ label: '&File', submenu: [{ role: 'quit' }] });
  });
});

describe('the development menu', () => {
  it('adds reload and DevTools', () => {
    expect(menu('linux', false).roles).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });
});

describe('the shortcut guard (packaged builds)', () => {
  const key = (overrides: Partial<KeyInput>): KeyInput => ({
    type: 'keyDown',
    key: 'a',
    control: false,
    meta: false,
    shift: false,
    alt: false,
    ...overrides,
  });

  it.each([
    ['F5', key({ key: 'F5' })],
    ['Ctrl+R', key({ key: 'r', control: true })],
    ['Cmd+R', key({ key: 'r', meta: true })],
    ['Ctrl+Shift+R', key({ key: 'R', control: true, shift: true })],
    ['F12', key({ key: 'F12' })],
    ['Ctrl+Shift+I', key({ key: 'I', control: true, shift: true })],
    ['Ctrl+Shift+J', key({ key: 'J', control: true, shift: true })],
    ['Cmd+Alt+I', key({ key: 'i', meta: true, alt: true })],
    ['Cmd+Alt+C', key({ key: 'c', meta: true, alt: true })],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['Ctrl+C', key({ key: 'c', control: true })],
    ['Ctrl+V', key({ key: 'v', control: true })],
    ['Cmd+A', key({ key: 'a', meta: true })],
    ['r', key({ key: 'r' })],
    ['Ctrl+R released', key({ key: 'r', control: true, type: 'keyUp' })],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });

  it('prevents the blocked ones on the window', () => {
    const contents = new EventEmitter();
    guardShortcuts(contents);
    const press = (input: KeyInput) => {
      const event = { prevented: false, preventDefault: () => (event.prevented = true) };
      contents.emit('before-input-event', event, input);
      return event.prevented;
    };
    expect(press(key({ key: 'F5' }))).toBe(true);
    expect(press(key({ key: 'c', control: true }))).toBe(false);
  });
});
