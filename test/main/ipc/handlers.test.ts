// IPC handlers registered on a stand-in for Electron's ipcMain and invoked with stand-in events
// (the Electron runtime is not available here). The sender check and the argument narrowing are
// the real code.
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../src-main/ipc/channels.js';
import { IpcSenderError, registerIpcHandlers, type IpcServices } from '../../../src-main/ipc/handlers.js';
import type { IpcSender } from '../../../src-main/ipc/sender.js';
import { isTrustedSender } from '../../../src-main/ipc/sender.js';
import { IpcInputError, LIMITS } from '../../../src-main/ipc/validate.js';
import type { AppStatus } from '../../../src-main/ipc/channels.js';

const ORIGIN = 'http://localhost:4812';
const WINDOW_ID = 7;

const STATUS: AppStatus = {
  appVersion: '0.1.0',
  server: { mode: 'bundled', origin: ORIGIN, healthy: true },
  keychain: { available: true, reason: null },
  policy: { managed: false, error: null },
};

function setup() {
  const listeners = new Map<string, (event: IpcSender, ...args: unknown[]) => unknown>();
  const services = {
    appContentsId: () => WINDOW_ID,
    serverOrigin: () => ORIGIN,
    saveTextFile: vi.fn(async () => ({ saved: true })),
    status: vi.fn(() => STATUS),
  } satisfies IpcServices;
  registerIpcHandlers({ handle: (channel, listener) => listeners.set(channel, listener) }, services);
  const invoke = async (channel: string, event: IpcSender, ...args: unknown[]) =>
    listeners.get(channel)!(event, ...args);
  return { listeners, services, invoke };
}

const trusted: IpcSender = { sender: { id: WINDOW_ID }, senderFrame: { url: `${ORIGIN}/settings`, parent: null } };

describe('IPC registration', () => {
  it('handles exactly the declared channels', () => {
    expect([...setup().listeners.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });
});

describe('the sender check', () => {
  const untrusted: [string, IpcSender][] = [
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
    ['a subframe', { sender: { id: WINDOW_ID }, senderFrame: { url: `${ORIGIN}/`, parent: {} } }],
    ['another webContents', { sender: { id: 99 }, senderFrame: { url: `${ORIGIN}/`, parent: null } }],
    ['another origin', { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['another port', { sender: { id: WINDOW_ID }, senderFrame: { url: 'http://localhost:4813/', parent: null } }],
    ['the error page', { sender: { id: WINDOW_ID }, senderFrame: { url: 'data:text/html,x', parent: null } }],
    ['a file', { sender: { id: WINDOW_ID }, senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
  ];

  it.each(untrusted)('refuses %s on every channel', async (_name, event) => {
    const { invoke, services } = setup();
    await expect(invoke(IPC_CHANNELS.getStatus, event)).rejects.toThrow(IpcSenderError);
    await expect(invoke(IPC_CHANNELS.saveTextFile, event, 'a.txt', 'x')).rejects.toThrow(IpcSenderError);
    expect(services.status).not.toHaveBeenCalled();
    expect(services.saveTextFile).not.toHaveBeenCalled();
  });

  it('refuses everything while there is no window', () => {
    expect(isTrustedSender(trusted, null, ORIGIN)).toBe(false);
    expect(isTrustedSender(trusted, WINDOW_ID, ORIGIN)).toBe(true);
  });
});

describe('the handlers', () => {
  it('answer the app window with the services', async () => {
    const { invoke, services } = setup();
    await expect(invoke(IPC_CHANNELS.getStatus, trusted)).resolves.toEqual(STATUS);
    await expect(invoke(IPC_CHANNELS.saveTextFile, trusted, 'latchkey-backup-codes.txt', 'codes')).resolves.toEqual({
      saved: true,
    });
    expect(services.saveTextFile).toHaveBeenCalledWith('latchkey-backup-codes.txt', 'codes');
  });

  it.each([
    ['no arguments', []],
    ['one argument', ['a.txt']],
    ['three arguments', ['a.txt', 'x', 'y']],
    ['a number for the name', [42, 'x']],
    ['an object for the contents', ['a.txt', { toString: () => 'x' }]],
    ['an empty name', ['', 'x']],
    ['a path', ['../../.bashrc', 'x']],
    ['an absolute path', ['/etc/passwd', 'x']],
    ['a Windows path', ['C:\\Users\\a.txt', 'x']],
    ['a control character', ['a\u0000.txt', 'x']],
    ['dots only', ['..', 'x']],
    ['a name too long', ['a'.repeat(LIMITS.fileNameLength + 1), 'x']],
    ['contents too large', ['a.txt', 'x'.repeat(LIMITS.fileContentsBytes + 1)]],
  ])('saveTextFile refuses %s', async (_name, args) => {
    const { invoke, services } = setup();
    await expect(invoke(IPC_CHANNELS.saveTextFile, trusted, ...args)).rejects.toThrow(IpcInputError);
    expect(services.saveTextFile).not.toHaveBeenCalled();
  });

  it('getStatus takes no arguments', async () => {
    const { invoke } = setup();
    await expect(invoke(IPC_CHANNELS.getStatus, trusted, 'extra')).rejects.toThrow(IpcInputError);
  });
});
