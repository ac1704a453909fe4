// The IT policy file: where each OS keeps it, and its format. An IT department writes it with
// administrator rights; the app only reads it. A file that exists but can't be read or isn't
// valid is reported as such and stops the app from connecting anywhere (settings/effective-
// settings.ts), because silently ignoring it could bypass what IT decided.
import { posix, win32 } from 'node:path';
import { parseServerOrigin, ServerUrlError } from '../security/origin.js';

export interface Policy {
  /** The server the app uses; null pins the app to its bundled server. */
  serverUrl?: string | null;
  /** Whether people may pick another server in their own settings. */
  allowUserServerChange?: boolean;
  /** OS notifications on security changes (two-factor off, backup code used, keys). */
  securityNotifications?: boolean;
}

export type PolicyResult =
  | { kind: 'none'; path: string }
  | { kind: 'valid'; path: string; policy: Policy }
  | { kind: 'invalid'; path: string; error: string };

export function policyFilePath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Latchkey', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Latchkey/policy.json';
  return posix.join('/etc', 'latchkey', 'policy.json');
}

const KNOWN_KEYS: ReadonlySet<string> = new Set(['serverUrl', 'allowUserServerChange', 'securityNotifications']);

/** Validates a policy document; throws an Error whose message names the problem. */
export function parsePolicy(text: string): Policy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('it must hold one JSON object, such as {"serverUrl": "https://id.example.com"}');
  }
  const entries = document as Record<string, unknown>;
  const unknownKeys = Object.keys(entries).filter((key) => !KNOWN_KEYS.has(key));
  if (unknownKeys.length > 0) {
    throw new Error(
      `it has unknown setting(s) ${unknownKeys.map((key) => `"${key}"`).join(', ')}; ` +
        'the known ones are serverUrl, allowUserServerChange and securityNotifications',
    );
  }
  const policy: Policy = {};
  if ('serverUrl' in entries) {
    const value = entries.serverUrl;
    if (value === null) policy.serverUrl = null;
    else if (typeof value === 'string') {
      try {
        policy.serverUrl = parseServerOrigin(value);
      } catch (error) {
        if (error instanceof ServerUrlError) throw new Error(`serverUrl ${error.message}`);
        throw error;
      }
    } else throw new Error('serverUrl must be a string (or null for the bundled server)');
  }
  for (const key of ['allowUserServerChange', 'securityNotifications'] as const) {
    if (key in entries) {
      const value = entries[key];
      if (typeof value !== 'boolean') throw new Error(`${key} must be true or false`);
      policy[key] = value;
    }
  }
  return policy;
}

export interface PolicyFileReader {
  readFile(path: string): Promise<string>;
}

export async function readPolicy(path: string, reader: PolicyFileReader): Promise<PolicyResult> {
  let text: string;
  try {
    text = await reader.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'none', path };
    return { kind: 'invalid', path, error: `The policy file ${path} cannot be read: ${(error as Error).message}.` };
  }
  try {
    return { kind: 'valid', path, policy: parsePolicy(text) };
  } catch (error) {
    return { kind: 'invalid', path, error: `The policy file ${path} is invalid: ${(error as Error).message}.` };
  }
}
