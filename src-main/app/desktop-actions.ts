// The desktop-only actions behind the preload bridge and the WebAuthn account picker, written
// against the few Electron functions they call (main.ts passes the real ones).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SaveTextFileResult } from '../ipc/channels.js';
import type { WebAuthnAccountChoice } from '../webauthn/webauthn.js';
import { parseTeamIdentifier } from '../webauthn/webauthn.js';

export interface SaveDialog {
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    filters: { name: string; extensions: string[] }[];
    properties: ('createDirectory' | 'showOverwriteConfirmation')[];
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

/** Saves text where the person chooses; the file is private to them (it may hold backup codes). */
export async function saveTextFile(
  dialog: SaveDialog,
  documentsFolder: string,
  suggestedName: string,
  contents: string,
): Promise<SaveTextFileResult> {
  const result = await dialog.showSaveDialog({
    title: 'Save',
    defaultPath: join(documentsFolder, suggestedName),
    filters: [
      { name: 'Text files', extensions: ['txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (result.canceled || !result.filePath) return { saved: false };
  await writeFile(result.filePath, contents, { encoding: 'utf8', mode: 0o600 });
  return { saved: true };
}

export interface MessageBox {
  showMessageBox(options: {
    type: 'question';
    title: string;
    message: string;
    buttons: string[];
    cancelId: number;
    defaultId: number;
    noLink: boolean;
  }): Promise<{ response: number }>;
}

/** Asks which of several passkeys to use (macOS Touch ID and roaming keys with several accounts). */
export async function chooseWebAuthnAccount(
  box: MessageBox,
  accounts: WebAuthnAccountChoice[],
  relyingPartyId: string,
): Promise<string | null> {
  const labels = accounts.map((account) => account.displayName || account.name || 'Unnamed account');
  const { response } = await box.showMessageBox({
    type: 'question',
    title: 'Choose an account',
    message: `Sign in to ${relyingPartyId} as:`,
    buttons: [...labels, 'Cancel'],
    cancelId: labels.length,
    defaultId: 0,
    noLink: true,
  });
  return accounts[response]?.credentialId ?? null;
}

/** The team identifier of the running macOS app's signature, or null (unsigned or ad hoc). */
export function readTeamIdentifier(executablePath: string): Promise<string | null> {
  // .../Latchkey.app/Contents/MacOS/Latchkey → .../Latchkey.app
  const bundle = dirname(dirname(dirname(executablePath)));
  return new Promise((resolve) => {
    execFile('/usr/bin/codesign', ['-dv', '--verbose=2', bundle], { timeout: 5000 }, (_error, stdout, stderr) => {
      resolve(parseTeamIdentifier(`${stdout}\n${stderr}`));
    });
  });
}
