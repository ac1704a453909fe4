// Where each OS keeps the IT policy, read through the one parser. Windows' reg.exe and macOS's
// plutil can't run here: a fake runner answers with outputs recorded from them, and records what
// the code ran (the edge). The Linux file is a real file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LINUX_POLICY_FILE,
  MAC_MANAGED_PREFERENCES,
  MAC_POLICY_FILE,
  parseRegQuery,
  programDataFolder,
  readMachinePolicy,
  windowsFolder,
  type SystemTools,
  type ToolResult,
} from '../../../src-main/settings/policy-sources.js';

const folder = mkdtempSync(join(tmpdir(), 'latchkey-policy-sources-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const enoent = (path: string) =>
  Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });

/** A machine: tool outputs by command line, files by path (anything else does not exist). */
function machine(options: {
  tools?: Record<string, ToolResult>;
  files?: Record<string, string>;
  env?: Record<string, string>;
}) {
  const ran: string[] = [];
  const read: string[] = [];
  const tools: SystemTools = {
    run: async (file, args) => {
      const line = [file, ...args].join(' ');
      ran.push(line);
      return options.tools?.[line] ?? { code: null, stdout: '', stderr: '', error: `spawn ${file} ENOENT` };
    },
    readFile: async (path) => {
      read.push(path);
      const text = options.files?.[path];
      if (text === undefined) throw enoent(path);
      return text;
    },
    env: options.env ?? { SystemRoot: 'C:\\Windows' },
  };
  const log: string[] = [];
  return {
    tools,
    ran,
    read,
    log,
    policy: (platform: NodeJS.Platform) => readMachinePolicy(platform, tools, (m) => log.push(m)),
  };
}

// Recorded from `reg.exe query` on Windows 11 (CRLF line ends, four-space columns).
const REG = 'C:\\Windows\\System32\\reg.exe';
const QUERY_POLICY = `${REG} query HKLM\\Software\\Policies\\Latchkey`;
const QUERY_SHELL_FOLDERS = `${REG} query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders /v Common AppData`;
const regOutput = (key: string, lines: string[]) =>
  `\r\n${key}\r\n${lines.map((line) => `    ${line}\r\n`).join('')}\r\n`;
const POLICY_KEY_OUTPUT = regOutput('HKEY_LOCAL_MACHINE\\Software\\Policies\\Latchkey', [
  'serverUrl    REG_SZ    https://id.corp.example',
  'allowUserServerUrl    REG_DWORD    0x0',
  'securityNotifications    REG_DWORD    0x1',
  'autoUpdate    REG_DWORD    0x0',
  'updateUrl    REG_SZ    https://updates.corp.example/latchkey/',
]);
const NOT_FOUND: ToolResult = {
  code: 1,
  stdout: '',
  stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
};
const SHELL_FOLDERS: ToolResult = {
  code: 0,
  stdout: regOutput('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders', [
    'Common AppData    REG_SZ    D:\\ProgramData',
  ]),
  stderr: '',
};

describe('Windows: the registry, then the file under the ProgramData known folder', () => {
  it('reads every setting from HKLM\\Software\\Policies\\Latchkey with reg.exe by its full path', async () => {
    const { policy, ran } = machine({ tools: { [QUERY_POLICY]: { code: 0, stdout: POLICY_KEY_OUTPUT, stderr: '' } } });
    expect(await policy('win32')).toEqual({
      kind: 'valid',
      source: 'the registry key HKLM\\Software\\Policies\\Latchkey',
      policy: {
        serverUrl: 'https://id.corp.example',
        allowUserServerUrl: false,
        securityNotifications: true,
        autoUpdate: false,
        updateUrl: 'https://updates.corp.example/latchkey',
      },
      warnings: [],
    });
    expect(ran).toEqual([QUERY_POLICY]);
  });

  it('matches value names without regard to case, as the registry does', async () => {
    const stdout = regOutput('HKEY_LOCAL_MACHINE\\Software\\Policies\\Latchkey', [
      'ServerURL    REG_SZ    https://id.corp.example',
      'AUTOUPDATE    REG_DWORD    0x0',
      'AllowUserServerChange    REG_DWORD    0x1',
    ]);
    const { policy } = machine({ tools: { [QUERY_POLICY]: { code: 0, stdout, stderr: '' } } });
    expect(await policy('win32')).toMatchObject({
      kind: 'valid',
      policy: { serverUrl: 'https://id.corp.example', autoUpdate: false, allowUserServerUrl: true },
      warnings: ['the policy setting allowUserServerChange is deprecated: rename it allowUserServerUrl'],
    });
  });

  it('reads an empty serverUrl (Group Policy enabled with an empty box) as the bundled server', async () => {
    const stdout = regOutput('HKEY_LOCAL_MACHINE\\Software\\Policies\\Latchkey', ['serverUrl    REG_SZ    ']);
    const { policy } = machine({ tools: { [QUERY_POLICY]: { code: 0, stdout, stderr: '' } } });
    expect(await policy('win32')).toMatchObject({ kind: 'valid', policy: { serverUrl: null } });
  });

  it('refuses a value of the wrong registry type or out of range, naming it', async () => {
    for (const [line, message] of [
      ['autoUpdate    REG_DWORD    0x2', /autoUpdate must be true or false \(in the registry: a REG_DWORD of 1 or 0\)/],
      ['autoUpdate    REG_SZ    false', /autoUpdate must be true or false/],
      ['serverUrl    REG_BINARY    68747470', /serverUrl is a REG_BINARY; use REG_SZ/],
      ['serverUrl    REG_SZ    http://intranet', /serverUrl .*must use https/],
      ['serverAddress    REG_SZ    https://id.corp.example', /unknown setting\(s\) "serverAddress"/],
    ] as const) {
      const stdout = regOutput('HKEY_LOCAL_MACHINE\\Software\\Policies\\Latchkey', [line]);
      const { policy, log } = machine({ tools: { [QUERY_POLICY]: { code: 0, stdout, stderr: '' } } });
      const result = await policy('win32');
      expect(result.kind).toBe('invalid');
      expect(result.kind === 'invalid' && result.error).toMatch(message);
      expect(log).toEqual([result.kind === 'invalid' && result.error]);
    }
  });

  it('falls back to policy.json under the ProgramData folder the registry names, never %ProgramData%', async () => {
    const { policy, ran, read } = machine({
      tools: { [QUERY_POLICY]: NOT_FOUND, [QUERY_SHELL_FOLDERS]: SHELL_FOLDERS },
      files: { 'D:\\ProgramData\\Latchkey\\policy.json': '{"autoUpdate": false}' },
      env: { SystemRoot: 'C:\\Windows', ProgramData: 'C:\\Users\\mallory\\fake' },
    });
    expect(await policy('win32')).toEqual({
      kind: 'valid',
      source: 'D:\\ProgramData\\Latchkey\\policy.json',
      policy: { autoUpdate: false },
      warnings: [],
    });
    expect(ran).toEqual([QUERY_POLICY, QUERY_SHELL_FOLDERS]);
    expect(read).toEqual(['D:\\ProgramData\\Latchkey\\policy.json']);
  });

  it('takes ProgramData on the Windows drive when the registry does not name it', async () => {
    const { tools } = machine({
      tools: {
        [`D:\\Win\\System32\\reg.exe query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders /v Common AppData`]:
          NOT_FOUND,
      },
      env: { SystemRoot: 'D:\\Win' },
    });
    expect(await programDataFolder(tools)).toBe('D:\\ProgramData');
  });

  it('reports no policy when neither the key nor the file exists', async () => {
    const { policy } = machine({ tools: { [QUERY_POLICY]: NOT_FOUND, [QUERY_SHELL_FOLDERS]: SHELL_FOLDERS } });
    expect(await policy('win32')).toEqual({ kind: 'none', source: 'D:\\ProgramData\\Latchkey\\policy.json' });
  });

  it('reports a reg.exe that cannot run as a policy it cannot read (never as no policy)', async () => {
    const { policy } = machine({});
    const result = await policy('win32');
    expect(result).toMatchObject({ kind: 'invalid' });
    expect(result.kind === 'invalid' && result.error).toMatch(
      /cannot read the registry key .* did not run \(spawn .* ENOENT\)/,
    );
  });

  it('runs reg.exe from the Windows folder, whatever PATH or a strange SystemRoot says', () => {
    expect(windowsFolder({ SystemRoot: 'C:\\WINDOWS\\' })).toBe('C:\\WINDOWS');
    expect(windowsFolder({ SystemRoot: '\\\\evil\\share' })).toBe('C:\\Windows');
    expect(windowsFolder({ SystemRoot: 'relative\\dir' })).toBe('C:\\Windows');
    expect(windowsFolder({})).toBe('C:\\Windows');
  });

  it('parses reg.exe output: only the queried key, values with spaces in their names, empty data', () => {
    const output =
      regOutput('HKEY_LOCAL_MACHINE\\Software\\Policies\\Latchkey', [
        'Common AppData    REG_SZ    C:\\ProgramData',
        'empty    REG_SZ    ',
        'big    REG_DWORD    0x10',
      ]) + 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Latchkey\\Sub\r\n';
    expect(Object.fromEntries(parseRegQuery(output))).toEqual({
      'Common AppData': 'C:\\ProgramData',
      empty: '',
      big: 16,
    });
  });
});

describe('macOS: managed preferences of org.latchkey.desktop, then the file', () => {
  const PLUTIL = `/usr/bin/plutil -convert json -o - ${MAC_MANAGED_PREFERENCES}`;

  it('reads the managed preferences an MDM profile wrote, through plutil', async () => {
    // Recorded: `plutil -convert json -o - ...` of a managed preferences file.
    const json =
      '{"serverUrl":"https://id.corp.example","autoUpdate":false,"PayloadUUID":"0F4C2A77-3D56-4B8E-A1C9-7E2D5F6B8A31"}';
    const { policy, ran } = machine({
      files: { [MAC_MANAGED_PREFERENCES]: 'bplist00…' },
      tools: { [PLUTIL]: { code: 0, stdout: json, stderr: '' } },
    });
    expect(await policy('darwin')).toEqual({
      kind: 'valid',
      source: MAC_MANAGED_PREFERENCES,
      policy: { serverUrl: 'https://id.corp.example', autoUpdate: false },
      warnings: [],
    });
    expect(ran).toEqual([PLUTIL]);
  });

  it('reports managed preferences plutil cannot read', async () => {
    const { policy } = machine({
      files: { [MAC_MANAGED_PREFERENCES]: 'garbage' },
      tools: {
        [PLUTIL]: {
          code: 1,
          stdout: '',
          stderr: `${MAC_MANAGED_PREFERENCES}: Property List error: Unexpected character g at line 1\n`,
        },
      },
    });
    const result = await policy('darwin');
    expect(result.kind === 'invalid' && result.error).toMatch(/cannot be read: .*Property List error/);
  });

  it('falls back to the policy file without managed preferences', async () => {
    const { policy, ran } = machine({ files: { [MAC_POLICY_FILE]: '{"allowUserServerChange": false}' } });
    expect(await policy('darwin')).toEqual({
      kind: 'valid',
      source: MAC_POLICY_FILE,
      policy: { allowUserServerUrl: false },
      warnings: ['the policy setting allowUserServerChange is deprecated: rename it allowUserServerUrl'],
    });
    expect(ran).toEqual([]);
  });
});

describe('Linux: /etc/latchkey/policy.json', () => {
  it('reads the real file at that path', async () => {
    const path = join(folder, 'policy.json');
    writeFileSync(path, '{"securityNotifications": false, "updateUrl": "https://updates.corp.example"}');
    const { tools } = machine({});
    const real: SystemTools = {
      ...tools,
      readFile: (requested) => readFile(requested === LINUX_POLICY_FILE ? path : requested, 'utf8'),
    };
    const log: string[] = [];
    expect(await readMachinePolicy('linux', real, (m) => log.push(m))).toEqual({
      kind: 'valid',
      source: LINUX_POLICY_FILE,
      policy: { securityNotifications: false, updateUrl: 'https://updates.corp.example' },
      warnings: [],
    });
    expect(log).toEqual([
      'IT policy from /etc/latchkey/policy.json: {"securityNotifications":false,"updateUrl":"https://updates.corp.example"}',
    ]);
  });

  it('reports no policy when there is no file', async () => {
    expect(await machine({}).policy('linux')).toEqual({ kind: 'none', source: LINUX_POLICY_FILE });
  });
});
