// IT policy: parsing, reading real files, and how it combines with the person's settings
// (policy wins; an invalid policy is never ignored). Where each OS keeps it: policy-sources.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../src-main/settings/effective-settings.js';
import { parsePolicyJson, type PolicyResult } from '../../../src-main/settings/policy.js';
import { readPolicyFile } from '../../../src-main/settings/policy-sources.js';
import { parseUserSettings, readUserSettings, writeUserSettings } from '../../../src-main/settings/user-settings.js';
import { parseServerOrigin, ServerUrlError } from '../../../src-main/security/origin.js';

const folder = mkdtempSync(join(tmpdir(), 'latchkey-policy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const files = {
  readFile: (path: string) => readFile(path, 'utf8'),
  writeFile: async (path: string, contents: string) => writeFileSync(path, contents),
};

describe('server URLs', () => {
  it.each([
    ['https://id.example.com', 'https://id.example.com'],
    ['https://id.example.com/', 'https://id.example.com'],
    ['https://ID.Example.com:8443', 'https://id.example.com:8443'],
    ['http://localhost:4680', 'http://localhost:4680'],
    ['  https://id.example.com  ', 'https://id.example.com'],
  ])('accepts %s', (raw, origin) => {
    expect(parseServerOrigin(raw)).toBe(origin);
  });

  it.each([
    'http://id.example.com',
    'http://127.0.0.1:4680',
    'ftp://id.example.com',
    'https://id.example.com/path',
    'https://id.example.com/?q=1',
    'https://user:pw@id.example.com',
    'id.example.com',
    '',
  ])('refuses %s with a sentence', (raw) => {
    expect(() => parseServerOrigin(raw)).toThrow(ServerUrlError);
  });
});

describe('parsePolicyJson (the policy files)', () => {
  it('reads the known settings', () => {
    expect(
      parsePolicyJson(
        '{"serverUrl":"https://id.example.com/","allowUserServerUrl":false,"securityNotifications":true,' +
          '"autoUpdate":false,"updateUrl":"https://updates.example.com/latchkey/"}',
      ),
    ).toEqual({
      serverUrl: 'https://id.example.com',
      allowUserServerUrl: false,
      securityNotifications: true,
      autoUpdate: false,
      updateUrl: 'https://updates.example.com/latchkey',
    });
    expect(parsePolicyJson('{"serverUrl":null}')).toEqual({ serverUrl: null });
    expect(parsePolicyJson('{"serverUrl":""}')).toEqual({ serverUrl: null });
    expect(parsePolicyJson('{}')).toEqual({});
  });

  it('still reads the old name allowUserServerChange, with a warning', () => {
    const warnings: string[] = [];
    expect(parsePolicyJson('{"allowUserServerChange":true}', warnings)).toEqual({ allowUserServerUrl: true });
    expect(warnings).toEqual(['the policy setting allowUserServerChange is deprecated: rename it allowUserServerUrl']);
  });

  it.each([
    ['{', /not valid JSON/],
    ['[]', /one JSON object/],
    ['"https://id.example.com"', /one JSON object/],
    [
      '{"serverURL":"https://id.example.com"}',
      /unknown setting\(s\) "serverURL"; the known ones are serverUrl, allowUserServerUrl/,
    ],
    ['{"serverUrl":"http://id.example.com"}', /serverUrl .*https/],
    ['{"serverUrl":42}', /serverUrl must be a string/],
    ['{"allowUserServerUrl":"no"}', /allowUserServerUrl must be true or false/],
    ['{"allowUserServerChange":true,"allowUserServerUrl":false}', /both allowUserServerUrl and its old name/],
    ['{"securityNotifications":1}', /securityNotifications must be true or false/],
    ['{"autoUpdate":"false"}', /autoUpdate must be true or false/],
    ['{"updateUrl":"http://updates.example.com"}', /updateUrl .* must use https/],
    ['{"updateUrl":"https://u:p@updates.example.com"}', /updateUrl .* no user name/],
    ['{"updateUrl":"not a url"}', /updateUrl "not a url" is not a URL/],
    ['{"updateUrl":null}', /updateUrl must be a string/],
  ])('refuses %s', (text, message) => {
    expect(() => parsePolicyJson(text)).toThrow(message);
  });
});

describe('readPolicyFile', () => {
  const tools = { run: async () => ({ code: 0, stdout: '', stderr: '' }), readFile: files.readFile, env: {} };

  it('reports a missing file as no policy', async () => {
    expect(await readPolicyFile(join(folder, 'absent.json'), tools)).toEqual({
      kind: 'none',
      source: join(folder, 'absent.json'),
    });
  });

  it('reads a valid file', async () => {
    const path = join(folder, 'valid.json');
    writeFileSync(path, '{"serverUrl":"https://id.example.com"}');
    expect(await readPolicyFile(path, tools)).toEqual({
      kind: 'valid',
      source: path,
      policy: { serverUrl: 'https://id.example.com' },
      warnings: [],
    });
  });

  it('reports an invalid file with its path and problem', async () => {
    const path = join(folder, 'invalid.json');
    writeFileSync(path, '{"serverUrl": "http://intranet"}');
    const result = await readPolicyFile(path, tools);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.error).toMatch(
      new RegExp(`^The IT policy in ${path} is invalid: serverUrl`),
    );
  });

  it('reports a file it cannot read as invalid, not as absent', async () => {
    const path = join(folder, 'a-folder.json');
    mkdirSync(path);
    const result = await readPolicyFile(path, tools);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.error).toMatch(/cannot be read/);
  });
});

describe('resolveSettings: policy wins over the person', () => {
  const none: PolicyResult = { kind: 'none', source: '/etc/latchkey/policy.json' };
  const valid = (policy: object): PolicyResult => ({
    kind: 'valid',
    source: '/etc/latchkey/policy.json',
    policy,
    warnings: [],
  });

  it('runs the bundled server with neither', () => {
    const result = resolveSettings(none, {});
    expect(result).toEqual({
      ok: true,
      settings: {
        server: { mode: 'bundled' },
        chosenBy: 'default',
        userMayChangeServer: true,
        securityNotifications: true,
        autoUpdate: true,
        updateUrl: null,
        managed: false,
      },
    });
  });

  it("uses the person's server when there is no policy", () => {
    const result = resolveSettings(none, { serverUrl: 'https://mine.example.com', securityNotifications: false });
    expect(result.ok && result.settings).toMatchObject({
      server: { mode: 'remote', origin: 'https://mine.example.com' },
      chosenBy: 'user',
      securityNotifications: false,
    });
  });

  it("pins the policy's server and ignores the person's when changes aren't allowed", () => {
    const result = resolveSettings(valid({ serverUrl: 'https://id.corp.example' }), {
      serverUrl: 'https://mine.example.com',
    });
    expect(result.ok && result.settings).toMatchObject({
      server: { mode: 'remote', origin: 'https://id.corp.example' },
      chosenBy: 'policy',
      userMayChangeServer: false,
      managed: true,
    });
  });

  it("lets the person override the policy's default server when the policy allows it", () => {
    const result = resolveSettings(valid({ serverUrl: 'https://id.corp.example', allowUserServerUrl: true }), {
      serverUrl: 'https://mine.example.com',
    });
    expect(result.ok && result.settings).toMatchObject({
      server: { mode: 'remote', origin: 'https://mine.example.com' },
      chosenBy: 'user',
    });
  });

  it('can pin the bundled server', () => {
    const result = resolveSettings(valid({ allowUserServerUrl: false }), { serverUrl: 'https://mine.example.com' });
    expect(result.ok && result.settings).toMatchObject({ server: { mode: 'bundled' }, userMayChangeServer: false });
    const pinned = resolveSettings(valid({ serverUrl: null }), { serverUrl: 'https://mine.example.com' });
    expect(pinned.ok && pinned.settings).toMatchObject({ server: { mode: 'bundled' }, chosenBy: 'policy' });
  });

  it('turns updates off, and names their feed, when the policy says so', () => {
    const result = resolveSettings(valid({ autoUpdate: false, updateUrl: 'https://updates.corp.example' }), {});
    expect(result.ok && result.settings).toMatchObject({
      autoUpdate: false,
      updateUrl: 'https://updates.corp.example',
    });
  });

  it("overrides the person's notification choice", () => {
    const result = resolveSettings(valid({ securityNotifications: true }), { securityNotifications: false });
    expect(result.ok && result.settings.securityNotifications).toBe(true);
  });

  it('stops on an invalid policy, whatever the person set', () => {
    const result = resolveSettings(
      { kind: 'invalid', source: '/etc/latchkey/policy.json', error: 'The policy file … is invalid: x.' },
      { serverUrl: 'https://mine.example.com' },
    );
    expect(result).toEqual({
      ok: false,
      policyError: 'The policy file … is invalid: x.',
      policySource: '/etc/latchkey/policy.json',
    });
  });
});

describe('user settings', () => {
  it('round-trips through the file', async () => {
    const path = join(folder, 'settings.json');
    await writeUserSettings(path, files, { serverUrl: 'https://mine.example.com', securityNotifications: false });
    expect(await readUserSettings(path, files, () => undefined)).toEqual({
      serverUrl: 'https://mine.example.com',
      securityNotifications: false,
    });
  });

  it('falls back to the defaults with a warning when damaged', async () => {
    const path = join(folder, 'damaged.json');
    writeFileSync(path, '{"serverUrl":"http://evil.example"}');
    const warnings: string[] = [];
    expect(await readUserSettings(path, files, (message) => warnings.push(message))).toEqual({});
    expect(warnings[0]).toMatch(/is invalid .* the defaults are used/);
    expect(await readUserSettings(join(folder, 'none.json'), files, (message) => warnings.push(message))).toEqual({});
    expect(warnings).toHaveLength(1);
  });

  it('refuses wrong types', () => {
    expect(() => parseUserSettings('{"securityNotifications":"yes"}')).toThrow(/true or false/);
    expect(() => parseUserSettings('{"serverUrl":5}')).toThrow(/string or null/);
  });
});
