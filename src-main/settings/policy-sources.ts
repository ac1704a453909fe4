// Where each OS keeps Latchkey's IT policy, read the way IT tools write it (docs/deployment.md
// "IT policy"). Every source hands its values to the one parser (settings/policy.ts):
// - Windows: the registry key HKLM\Software\Policies\Latchkey (Group Policy writes it from
//   packaging/policy/latchkey.admx), read with reg.exe, so no native module is needed; when the
//   key has no values, the file policy.json under the ProgramData known folder.
// - macOS: the managed preferences of the app id, /Library/Managed Preferences/
//   org.latchkey.desktop.plist (an MDM profile writes it: packaging/policy/
//   org.latchkey.desktop.mobileconfig), read with plutil; when absent, the policy file.
// - Linux: /etc/latchkey/policy.json.
// No path comes from the environment a person controls: the ProgramData folder is the one the
// registry names, not %ProgramData% (which a user can set for their own programs).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { win32 } from 'node:path';
import { parsePolicyJson, parsePolicyValues, policyResult, type PolicyResult } from './policy.js';
import { deprecatedName, POLICY_KEYS } from './policy-schema.js';

export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\Latchkey';
export const MAC_MANAGED_PREFERENCES = '/Library/Managed Preferences/org.latchkey.desktop.plist';
export const MAC_POLICY_FILE = '/Library/Application Support/Latchkey/policy.json';
export const LINUX_POLICY_FILE = '/etc/latchkey/policy.json';
const SHELL_FOLDERS_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders';

export interface ToolResult {
  /** The exit code; null when the tool could not be run at all (`error` says why). */
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

/** The system the policy is read from (the real one, or recorded outputs in the tests). */
export interface SystemTools {
  run(file: string, args: string[]): Promise<ToolResult>;
  /** Rejects with an ENOENT error when the file does not exist. */
  readFile(path: string): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
}

export function systemTools(): SystemTools {
  return {
    run: (file, args) =>
      new Promise((resolve) => {
        execFile(file, args, { timeout: 10_000, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ code, stdout, stderr, ...(code === null && error ? { error: error.message } : {}) });
        });
      }),
    readFile: (path) => readFile(path, 'utf8'),
    env: process.env,
  };
}

export async function readPolicyFile(path: string, tools: SystemTools): Promise<PolicyResult> {
  let text: string;
  try {
    text = await tools.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none', source: path };
    return {
      kind: 'invalid',
      source: path,
      error: `The policy file ${path} cannot be read: ${(error as Error).message}.`,
    };
  }
  return policyResult(path, (warnings) => parsePolicyJson(text, warnings));
}

// --- Windows ---------------------------------------------------------------------------------

/**
 * The Windows folder: %SystemRoot% when it is a plain absolute path, else C:\Windows. reg.exe
 * is run by its full path there, never looked up on PATH.
 */
export function windowsFolder(env: SystemTools['env']): string {
  const root = env.SystemRoot ?? env.windir;
  return root && /^[A-Za-z]:\\[^<>:"|?*]*$/.test(root) ? root.replace(/\\+$/, '') : 'C:\\Windows';
}

export type RegistryValue = string | number | boolean | { unsupported: string };

/**
 * The values of one key in `reg query KEY` output: lines of four-space-separated name, type
 * and data under the key's own line. REG_DWORD 1 and 0 read as true and false (how Group
 * Policy stores an enabled or disabled setting); any other number stays a number.
 */
export function parseRegQuery(output: string): Map<string, RegistryValue> {
  const values = new Map<string, RegistryValue>();
  let inFirstKey = false;
  for (const line of output.split(/\r?\n/)) {
    if (/^HKEY_/.test(line)) {
      // The queried key comes first; subkeys (with /s) follow and are not Latchkey's settings.
      if (inFirstKey || values.size > 0) break;
      inFirstKey = true;
      continue;
    }
    const match = /^ {4}(.+?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/.exec(line);
    if (!match) continue;
    const [, name, type, data = ''] = match;
    if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') values.set(name!, data);
    else if (type === 'REG_DWORD' || type === 'REG_QWORD') {
      const number = Number.parseInt(data, 16);
      values.set(name!, number === 1 ? true : number === 0 ? false : number);
    } else values.set(name!, { unsupported: type! });
  }
  return values;
}

/** Registry value names are case-insensitive: `ServerURL` is the setting `serverUrl`. */
function settingName(valueName: string): string {
  const lower = valueName.toLowerCase();
  for (const key of POLICY_KEYS) {
    const old = deprecatedName(key);
    if (key.toLowerCase() === lower) return key;
    if (old?.toLowerCase() === lower) return old;
  }
  return valueName;
}

/** The ProgramData known folder, as the registry names it; else the Windows drive's ProgramData. */
export async function programDataFolder(tools: SystemTools): Promise<string> {
  const reg = win32.join(windowsFolder(tools.env), 'System32', 'reg.exe');
  const result = await tools.run(reg, ['query', SHELL_FOLDERS_KEY, '/v', 'Common AppData']);
  const named = result.code === 0 ? parseRegQuery(result.stdout).get('Common AppData') : undefined;
  if (typeof named === 'string' && /^[A-Za-z]:\\/.test(named)) return named.replace(/\\+$/, '');
  return `${windowsFolder(tools.env).slice(0, 2)}\\ProgramData`;
}

export async function readWindowsPolicy(tools: SystemTools): Promise<PolicyResult> {
  const reg = win32.join(windowsFolder(tools.env), 'System32', 'reg.exe');
  const result = await tools.run(reg, ['query', WINDOWS_POLICY_KEY]);
  const source = `the registry key ${WINDOWS_POLICY_KEY}`;
  if (result.code === null) {
    return {
      kind: 'invalid',
      source,
      error: `Latchkey cannot read ${source}: ${reg} did not run (${result.error ?? 'no reason given'}).`,
    };
  }
  // reg.exe answers 1 when the key does not exist.
  const values = result.code === 0 ? parseRegQuery(result.stdout) : new Map<string, RegistryValue>();
  if (result.code !== 0 && result.code !== 1) {
    return {
      kind: 'invalid',
      source,
      error: `Latchkey cannot read ${source}: ${result.stderr.trim() || `reg.exe exit code ${result.code}`}.`,
    };
  }
  if (values.size > 0) {
    return policyResult(source, (warnings) => {
      const unsupported = [...values].filter(
        (entry): entry is [string, { unsupported: string }] => typeof entry[1] === 'object',
      );
      if (unsupported.length > 0) {
        const [name, value] = unsupported[0]!;
        throw new Error(`${name} is a ${value.unsupported}; use REG_SZ for text and REG_DWORD for on/off settings`);
      }
      return parsePolicyValues(
        Object.fromEntries([...values].map(([name, value]) => [settingName(name), value])),
        warnings,
      );
    });
  }
  return readPolicyFile(win32.join(await programDataFolder(tools), 'Latchkey', 'policy.json'), tools);
}

// --- macOS -----------------------------------------------------------------------------------

/** A managed-preferences dictionary without the keys a configuration profile carries about itself. */
export function withoutProfileKeys(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('Payload')));
}

export async function readMacPolicy(tools: SystemTools): Promise<PolicyResult> {
  try {
    await tools.readFile(MAC_MANAGED_PREFERENCES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return readPolicyFile(MAC_POLICY_FILE, tools);
  }
  const source = MAC_MANAGED_PREFERENCES;
  const result = await tools.run('/usr/bin/plutil', ['-convert', 'json', '-o', '-', MAC_MANAGED_PREFERENCES]);
  if (result.code !== 0) {
    return {
      kind: 'invalid',
      source,
      error: `The IT policy in ${source} cannot be read: ${(result.stderr || result.error || `plutil exit code ${result.code}`).trim()}.`,
    };
  }
  return policyResult(source, (warnings) => {
    const document = JSON.parse(result.stdout) as unknown;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new Error('it must hold one dictionary of settings');
    }
    return parsePolicyValues(withoutProfileKeys(document as Record<string, unknown>), warnings);
  });
}

// --- every OS --------------------------------------------------------------------------------

/** The machine's IT policy, from the place IT keeps it on this OS. */
export async function readMachinePolicy(
  platform: NodeJS.Platform,
  tools: SystemTools,
  log: (message: string) => void,
): Promise<PolicyResult> {
  const result =
    platform === 'win32'
      ? await readWindowsPolicy(tools)
      : platform === 'darwin'
        ? await readMacPolicy(tools)
        : await readPolicyFile(LINUX_POLICY_FILE, tools);
  if (result.kind === 'valid') {
    log(`IT policy from ${result.source}: ${JSON.stringify(result.policy)}`);
    for (const warning of result.warnings) log(warning);
  } else if (result.kind === 'invalid') log(result.error);
  return result;
}
