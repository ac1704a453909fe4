// The desktop-only actions behind the preload bridge and the WebAuthn account picker, written
// against the few Electron functions they call (main.ts passes the real ones).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SaveTextFileResult } from '../ipc/channels.js';
import type { WebAuthnAccountChoice } from '../webauthn/webauthn.js';
import { keychainAccessGroup, parseKeychainAccessGroups, parseTeamIdentifier } from '../webauthn/webauthn.js';

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

/**
 * The team Touch ID can work under: the team of the running macOS app's signature, when that
 * signature also carries the team's keychain access group — an entitlement only a provisioning
 * profile allows (docs/deployment.md "Touch ID and the provisioning profile"). Null when the app
 * is unsigned, signed ad hoc, or signed without the entitlement: configuring Touch ID with a group
 * the app may not use would only make every Touch ID request fail.
 */
export async function readTeamIdentifier(executablePath: string, bundleId: string): Promise<string | null> {
  // .../Latchkey.app/Contents/MacOS/Latchkey → .../Latchkey.app
  const bundle = dirname(dirname(dirname(executablePath)));
  const codesign = (args: string[]) =>
    new Promise<string>((resolve) => {
      execFile('/usr/bin/codesign', [...args, bundle], { timeout: 5000 }, (_error, stdout, stderr) =>
        resolve(`${stdout}\n${stderr}`),
      );
    });
  const teamId = parseTeamIdentifier(await codesign(['-dv', '--verbose=2']));
  if (teamId === null) return null;
  const groups = parseKeychainAccessGroups(await codesign(['-d', '--entitlements', '-', '--xml']));
  return groups.includes(keychainAccessGroup(teamId, bundleId)) ? teamId : null;
}
