// electron-builder.yml, loaded and validated by electron-builder's own code (app-builder-lib's
// getConfig and validateConfiguration, the JSON-schema check every build runs first), then held
// to what the installers must be.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../../src-main/app/identity.js';
import { keychainAccessGroup } from '../../../src-main/webauthn/webauthn.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const quietLogger = { isEnabled: false, add: () => undefined } as unknown as Parameters<
  typeof validateConfiguration
>[1];

let config: Configuration;
beforeAll(async () => {
  config = await getConfig(ROOT, null, null);
});

const targetNames = (targets: unknown) =>
  (targets as (string | { target: string })[]).map((target) => (typeof target === 'string' ? target : target.target));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own validation", async () => {
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
  });

  it('would be refused if it held an unknown option (the validation is live)', async () => {
    const broken = { ...config, nsis: { ...config.nsis, installEverywhere: true } } as Configuration;
    await expect(validateConfiguration(broken, quietLogger)).rejects.toThrow(/nsis/);
  });

  it('names the app and packs it into an ASAR archive', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.asar).toBe(true);
    expect(config.directories?.buildResources).not.toBe('build');
  });

  it('sets the Electron fuses, and signs a macOS build ad hoc again after flipping them', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      resetAdHocDarwinSignature: true,
    });
  });

  it('rebuilds no native module for Electron (each is Node-API: native-modules.test.ts)', () => {
    expect(config.npmRebuild).toBe(false);
  });

  it("packs only the better-sqlite3 prebuild for the OS and CPU being built (electron-builder's file macros)", () => {
    const files = (config.files as { filter: string[] }[]).flatMap((set) => set.filter);
    expect(files).toContain('!node_modules/better-sqlite3/prebuilds/!(${platform}-${arch}).node');
  });

  it('names no CPU in any target, so package.mjs, which refuses another CPU, sees every one asked for', () => {
    for (const platform of [config.win, config.mac, config.linux]) {
      for (const target of platform!.target as (string | { arch?: unknown })[]) {
        expect(typeof target === 'string' || target.arch === undefined).toBe(true);
      }
    }
  });

  it('builds NSIS (per user or per machine) and a per-machine MSI for Windows', () => {
    expect(targetNames(config.win?.target)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true });
  });

  it('builds a dmg and a pkg for macOS under the hardened runtime, with no restricted entitlement by default', () => {
    expect(targetNames(config.mac?.target)).toEqual(['dmg', 'pkg']);
    expect(config.mac?.hardenedRuntime).toBe(true);
    // macOS kills an app at launch whose keychain-access-groups no embedded provisioning profile
    // allows: the default entitlements hold none, and no profile is configured.
    const entitlements = readFileSync(join(ROOT, config.mac!.entitlements!), 'utf8');
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    expect(entitlements).not.toMatch(/keychain-access-groups|application-identifier|team-identifier/);
    expect(config.mac?.provisioningProfile).toBeUndefined();
    expect(existsSync(join(ROOT, config.mac!.entitlementsInherit!))).toBe(true);
  });

  it('keeps the Touch ID entitlements for builds with a profile: the access group the app asks for', () => {
    const touchId = readFileSync(join(ROOT, 'packaging', 'entitlements.mac.touch-id.plist'), 'utf8');
    expect(touchId).toContain('com.apple.security.cs.allow-jit');
    expect(touchId).toContain(`<string>${keychainAccessGroup('TEAM_ID', APP_ID)}</string>`);
    expect(touchId).toContain(`<string>TEAM_ID.${APP_ID}</string>`);
  });

  it("builds an AppImage, a deb and an rpm for Linux, keeping electron-builder's default dependencies", () => {
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb', 'rpm']);
    // `depends` would replace the defaults (GTK, NSS …); the effective lists are read in
    // builder-layout.test.ts.
    expect(config.deb?.depends).toBeUndefined();
    expect(config.rpm?.depends).toBeUndefined();
    expect(config.rpm?.fpm).toEqual(['--depends', 'libsecret']);
  });

  it('ships the main process and server in the archive, the User Center beside it, native modules unpacked', () => {
    const files = (config.files as { filter: string[] }[]).flatMap((set) => set.filter);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'build/main/**/*', 'build/server/**/*', '!**/*.map']),
    );
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'build/renderer', to: 'renderer' })]);
    for (const native of ['better-sqlite3', 'keytar', '@node-rs']) {
      expect(config.asarUnpack).toContain(`node_modules/${native}/**/*`);
    }
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(manifest.main).toBe('build/main/main.js');
  });
});
