// The save-file and account-picker actions, with stand-ins for Electron's dialog module (the
// Electron runtime is not available here). The file is really written.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseWebAuthnAccount, saveTextFile, type SaveDialog } from '../../../src-main/app/desktop-actions.js';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe('saveTextFile', () => {
  it('writes where the person chose, readable by them only', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-save-'));
    folders.push(folder);
    const asked: Parameters<SaveDialog['showSaveDialog']>[0][] = [];
    const target = join(folder, 'chosen.txt');
    const result = await saveTextFile(
      {
        showSaveDialog: async (options) => {
          asked.push(options);
          return { canceled: false, filePath: target };
        },
      },
      '/home/person/Documents',
      'latchkey-backup-codes.txt',
      'k7m2p-x9q4t\n',
    );
    expect(result).toEqual({ saved: true });
    expect(asked[0]!.defaultPath).toBe(join('/home/person/Documents', 'latchkey-backup-codes.txt'));
    expect(readFileSync(target, 'utf8')).toBe('k7m2p-x9q4t\n');
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the person cancels', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-save-'));
    folders.push(folder);
    const result = await saveTextFile(
      { showSaveDialog: async () => ({ canceled: true, filePath: join(folder, 'x.txt') }) },
      folder,
      'x.txt',
      'secret',
    );
    expect(result).toEqual({ saved: false });
    expect(existsSync(join(folder, 'x.txt'))).toBe(false);
  });
});

describe('chooseWebAuthnAccount', () => {
  const accounts = [
    { credentialId: 'cred-a', name: 'alice' },
    { credentialId: 'cred-b', displayName: 'Bob B.' },
  ];

  it('returns the picked account, and nothing on Cancel', async () => {
    let buttons: string[] = [];
    const box = (response: number) => ({
      showMessageBox: async (options: { buttons: string[] }) => {
        buttons = options.buttons;
        return { response };
      },
    });
    await expect(chooseWebAuthnAccount(box(1), accounts, 'localhost')).resolves.toBe('cred-b');
    expect(buttons).toEqual(['alice', 'Bob B.', 'Cancel']);
    await expect(chooseWebAuthnAccount(box(2), accounts, 'localhost')).resolves.toBeNull();
  });
});
