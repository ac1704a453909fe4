// scripts/package.mjs: which installers it agrees to build on which machine (read with
// electron-builder's own argument parser), the macOS Touch ID entitlements only together with a
// provisioning profile, and a real run from a folder whose path has spaces in it.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { listPackage } from '@electron/asar';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../../../scripts/electron-binary.mjs';
import { npmEntry } from '../../../scripts/node-commands.mjs';
import { macTouchIdPlan, refusal, requestedTargets, touchIdEntitlements } from '../../../scripts/package-plan.mjs';
import { APP_ID } from '../../../src-main/app/identity.js';
import { keychainAccessGroup } from '../../../src-main/webauthn/webauthn.js';
import { ROOT } from '../support/build.js';

const LINUX_X64 = { platform: 'linux', arch: 'x64' };
const MAC_ARM = { platform: 'darwin', arch: 'arm64' };
const WINDOWS_X64 = { platform: 'win32', arch: 'x64' };

describe('the installers package.mjs agrees to build', () => {
  it("reads the arguments as electron-builder does: no OS flag means this machine's OS", () => {
    expect(requestedTargets([])).toEqual([[process.platform, null]]);
    expect(requestedTargets(['-mwl']).map(([platform]) => platform)).toEqual(['darwin', 'linux', 'win32']);
    expect(requestedTargets(['--linux', 'deb:arm64'])).toEqual([['linux', 'arm64']]);
  });

  it("builds this machine's OS and CPU", () => {
    expect(refusal(['--linux'], LINUX_X64)).toBeNull();
    expect(refusal(['--linux', 'deb', 'rpm', '--x64'], LINUX_X64)).toBeNull();
    expect(refusal([])).toBeNull();
    expect(refusal(['--dir'])).toBeNull();
    expect(refusal(['--mac', '--arm64'], MAC_ARM)).toBeNull();
  });

  it('refuses another OS in one sentence, however it is asked for', () => {
    const linuxRefusal =
      'This is a Linux machine: build the Windows installers on Windows, since the native modules npm installed here are for this OS only.';
    expect(refusal(['--win'], LINUX_X64)).toBe(linuxRefusal);
    expect(refusal(['-w', 'nsis'], LINUX_X64)).toBe(linuxRefusal);
    expect(refusal(['--windows'], LINUX_X64)).toBe(linuxRefusal);
    expect(refusal(['-lw'], LINUX_X64)).toBe(linuxRefusal);
    expect(refusal(['--linux'], MAC_ARM)).toMatch(/^This is a macOS machine: build the Linux installers on Linux,/);
    expect(refusal(['-o'], WINDOWS_X64)).toMatch(/^This is a Windows machine: build the macOS installers on macOS,/);
  });

  it('refuses another CPU, or a universal macOS build (it would need both CPUs’ native modules)', () => {
    expect(refusal(['--linux', '--arm64'], LINUX_X64)).toBe(
      "This machine's CPU is x64: build arm64 installers on an arm64 machine, since the native modules npm installed here are for x64 only.",
    );
    expect(refusal(['--linux', 'AppImage:arm64'], LINUX_X64)).toMatch(/CPU is x64: build arm64/);
    expect(refusal(['--mac', '--universal'], MAC_ARM)).toMatch(/CPU is arm64: build universal/);
    expect(refusal(['--mac', '--x64'], MAC_ARM)).toMatch(/CPU is arm64: build x64/);
  });

  it('refuses before building anything: exit 2 and the sentence, from the real script', () => {
    const other = process.platform === 'win32' ? '--linux' : '--win';
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), other], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([`package: ${refusal([other])}`]);
    expect(result.stdout).toBe('');
  });
});

describe('macOS: the Touch ID entitlements only with a provisioning profile', () => {
  const exists = (path: string) => path === '/profiles/Latchkey Developer ID.provisionprofile';
  const profile = '/profiles/Latchkey Developer ID.provisionprofile';

  it('with a team ID and a profile: Touch ID on', () => {
    expect(macTouchIdPlan({ APPLE_TEAM_ID: 'ABCDE12345', APPLE_PROVISIONING_PROFILE: profile }, exists)).toEqual({
      touchId: true,
      teamId: 'ABCDE12345',
      provisioningProfile: profile,
    });
  });

  it('with either missing: off, and one sentence says which is missing', () => {
    const noProfile = macTouchIdPlan({ APPLE_TEAM_ID: 'ABCDE12345' }, exists);
    expect(noProfile).toEqual({
      touchId: false,
      notice:
        'Building without the keychain access group, so Touch ID stays off: it needs APPLE_PROVISIONING_PROFILE ' +
        '(docs/deployment.md "Touch ID and the provisioning profile").',
    });
    const neither = macTouchIdPlan({}, exists);
    expect(neither).toMatchObject({ touchId: false });
    expect((neither as { notice: string }).notice).toContain('APPLE_TEAM_ID and APPLE_PROVISIONING_PROFILE');
    expect(macTouchIdPlan({ APPLE_PROVISIONING_PROFILE: profile }, exists)).toMatchObject({ touchId: false });
  });

  it('refuses a malformed team ID or a profile that is not there', () => {
    expect(macTouchIdPlan({ APPLE_TEAM_ID: 'abc', APPLE_PROVISIONING_PROFILE: profile }, exists)).toEqual({
      error: 'APPLE_TEAM_ID must be the 10-character team ID, such as ABCDE12345, not "abc".',
    });
    expect(
      macTouchIdPlan({ APPLE_TEAM_ID: 'ABCDE12345', APPLE_PROVISIONING_PROFILE: '/nope.provisionprofile' }, exists),
    ).toEqual({
      error: 'APPLE_PROVISIONING_PROFILE names /nope.provisionprofile, which is not a file.',
    });
  });

  it('fills in the team: the access group is the one the app asks macOS for, and no placeholder is left', () => {
    const template = readFileSync(join(ROOT, 'packaging', 'entitlements.mac.touch-id.plist'), 'utf8');
    const filled = touchIdEntitlements(template, 'ABCDE12345');
    expect(filled).toContain(`<string>${keychainAccessGroup('ABCDE12345', APP_ID)}</string>`);
    expect(filled).toContain(`<string>ABCDE12345.${APP_ID}</string>`);
    expect(filled).not.toContain('TEAM_ID');
  });
});

describe("npm's entry, run with this Node (no shell, no npm.cmd)", () => {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey npm entry '));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const fakeNpm = (base: string) => {
    const cli = join(base, 'node_modules', 'npm', 'bin', 'npm-cli.js');
    mkdirSync(join(cli, '..'), { recursive: true });
    writeFileSync(cli, '');
    return cli;
  };

  it('is the npm that runs the script, when npm runs it', () => {
    const cli = fakeNpm(join(folder, 'running'));
    expect(npmEntry({ npm_execpath: cli, PATH: '' }, '/nowhere/node')).toBe(cli);
  });

  it("else the npm on PATH: npm.cmd's folder on Windows, the npm link's target on Unix", () => {
    const windows = join(folder, 'Program Files', 'nodejs');
    const cli = fakeNpm(windows);
    expect(npmEntry({ PATH: ['/nowhere', windows].join(delimiter) }, '/nowhere/node')).toBe(cli);
    if (process.platform !== 'win32') {
      const unix = join(folder, 'unix');
      const linked = fakeNpm(join(unix, 'lib'));
      mkdirSync(join(unix, 'bin'));
      symlinkSync(linked, join(unix, 'bin', 'npm'));
      expect(npmEntry({ PATH: join(unix, 'bin') }, '/nowhere/node')).toBe(realpathSync(linked));
    }
  });

  it('else the npm installed beside this Node; else one sentence', () => {
    const cli = fakeNpm(join(folder, 'beside', 'lib'));
    expect(npmEntry({ PATH: '' }, join(folder, 'beside', 'bin', 'node'))).toBe(cli);
    expect(() => npmEntry({ PATH: '' }, join(folder, 'no', 'bin', 'node'))).toThrow(
      'npm was not found on PATH or beside this Node: run this through npm (npm run …).',
    );
  });
});

describe('a real run from a path with spaces', () => {
  // A small project beside the real one, in a folder whose path has spaces: package.mjs and its
  // modules, a package.json whose `build` script records that npm ran it, one main file, and an
  // electron-builder.yml that packs it. node_modules is the real one (linked). Electron itself is
  // the real binary where it is installed, else (Linux only) a stand-in, NOT Electron: a shell
  // script named `electron`, enough for electron-builder to lay out a `dir` build.
  const work = mkdtempSync(join(tmpdir(), 'latchkey package with spaces '));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const installed = electronBinary();
  const skipReason =
    installed === null && process.platform !== 'linux'
      ? 'The Electron binary is not installed, and the stand-in for it is a Linux one.'
      : null;

  function standInElectron(folder: string): string {
    mkdirSync(join(folder, 'locales'), { recursive: true });
    writeFileSync(join(folder, 'electron'), '#!/bin/sh\necho "stand-in for Electron, not Electron" >&2\nexit 1\n', {
      mode: 0o755,
    });
    writeFileSync(join(folder, 'locales', 'en-US.pak'), '');
    return folder;
  }

  it('builds with npm and electron-builder, each given its arguments whole', ({ skip }) => {
    if (skipReason) skip(skipReason);
    const project = join(work, 'my project');
    mkdirSync(join(project, 'scripts'), { recursive: true });
    for (const file of ['package.mjs', 'package-plan.mjs', 'node-commands.mjs', 'electron-binary.mjs']) {
      cpSync(join(ROOT, 'scripts', file), join(project, 'scripts', file));
    }
    cpSync(join(ROOT, 'packaging'), join(project, 'packaging'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'junction');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'spaces-probe',
        version: '1.0.0',
        main: 'main.js',
        homepage: 'https://latchkey.invalid/',
        scripts: { build: 'node record-build.mjs' },
      }),
    );
    writeFileSync(
      join(project, 'record-build.mjs'),
      "import { writeFileSync } from 'node:fs';\nwriteFileSync('built.txt', process.cwd());\n",
    );
    writeFileSync(join(project, 'main.js'), '// the app\n');
    const electronDist = installed === null ? standInElectron(join(work, 'electron stand-in')) : join(installed, '..');
    writeFileSync(
      join(project, 'electron-builder.yml'),
      [
        'appId: org.latchkey.spaces-probe',
        'files: [main.js, package.json]',
        `electronDist: ${JSON.stringify(electronDist)}`,
        `electronVersion: ${JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version}`,
        'npmRebuild: false',
        'mac: { identity: null }',
        '',
      ].join('\n'),
    );

    const result = spawnSync(process.execPath, [join(project, 'scripts', 'package.mjs'), '--dir'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 240_000,
      // Run directly rather than through npm, so npm is found on PATH (npmEntry).
      env: { ...process.env, npm_execpath: '', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(readFileSync(join(project, 'built.txt'), 'utf8')).toBe(project);
    const archive = [
      join(project, 'dist', `${process.platform === 'win32' ? 'win' : 'linux'}-unpacked`, 'resources', 'app.asar'),
      join(
        project,
        'dist',
        process.arch === 'arm64' ? 'mac-arm64' : 'mac',
        'spaces-probe.app',
        'Contents',
        'Resources',
        'app.asar',
      ),
    ].find((path) => existsSync(path));
    expect(archive).toBeDefined();
    expect(listPackage(archive!, { isPack: false }).map((entry) => entry.replaceAll('\\', '/'))).toContain('/main.js');
  }, 300_000);
});
