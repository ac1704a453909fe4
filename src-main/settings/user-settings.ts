// The person's own settings, a small JSON file in the app's user-data folder. IT policy wins
// over it (settings/effective-settings.ts). A damaged file falls back to the defaults with a
// warning: unlike the policy, nothing an administrator decided is at stake.
import { parseServerOrigin } from '../security/origin.js';

export interface UserSettings {
  /** Unset or null: the bundled server. */
  serverUrl?: string | null;
  securityNotifications?: boolean;
}

export interface UserSettingsFile {
  readFile(path: string): Promise<string>;
  writeFile(path: string, contents: string): Promise<void>;
}

export async function readUserSettings(
  path: string,
  file: UserSettingsFile,
  warn: (message: string) => void,
): Promise<UserSettings> {
  let text: string;
  try {
    text = await file.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      warn(`Your settings file ${path} cannot be read (${(error as Error).message}); the defaults are used.`);
    }
    return {};
  }
  try {
    return parseUserSettings(text);
  } catch (error) {
    warn(`Your settings file ${path} is invalid (${(error as Error).message}); the defaults are used.`);
    return {};
  }
}

export function parseUserSettings(text: string): UserSettings {
  const document: unknown = JSON.parse(text);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('it must hold one JSON object');
  }
  const entries = document as Record<string, unknown>;
  const settings: UserSettings = {};
  if (entries.serverUrl === null) settings.serverUrl = null;
  else if (typeof entries.serverUrl === 'string') settings.serverUrl = parseServerOrigin(entries.serverUrl);
  else if (entries.serverUrl !== undefined) throw new Error('serverUrl must be a string or null');
  if (typeof entries.securityNotifications === 'boolean')
    settings.securityNotifications = entries.securityNotifications;
  else if (entries.securityNotifications !== undefined) throw new Error('securityNotifications must be true or false');
  return settings;
}

export async function writeUserSettings(path: string, file: UserSettingsFile, settings: UserSettings): Promise<void> {
  await file.writeFile(path, `${JSON.stringify(settings, null, 2)}\n`);
}
