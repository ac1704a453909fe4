// `electron-builder --linux dir deb rpm` (through its API, with this repository's
// electron-builder.yml), then a look inside what it produced: the ASAR archive (listed with
// @electron/asar), the unpacked native modules and the resources, and the dependency lists the
// deb and rpm packages would declare.
//
// The Electron binary can't be downloaded here, so `electronDist` points at a STAND-IN folder:
// a shell script named `electron` and an empty locale, NOT Electron. One setting follows from
// that, for this build only: `electronFuses: null` (fuses are flipped inside the real Electron
// binary, which the stand-in is not), and `publish: null` (no update feed, see below). fpm, which writes the deb and rpm files, is a download
// from outside the registry too: its one call is replaced by a recorder of the arguments
// electron-builder hands it, after electron-builder has worked out the packages' dependencies.
// Everything else — which files go into the archive, what is unpacked, the extra resources, the
// dependency lists — is electron-builder's real work.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import fpmTargetModule from 'app-builder-lib/out/targets/FpmTarget.js';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBuild } from '../support/build.js';

const work = mkdtempSync(join(tmpdir(), 'latchkey-builder-'));
let appDir = '';
let asar = '';
let entries: string[] = [];
/** What electron-builder asked fpm to build, per package type (deb, rpm). */
// A CommonJS module with `exports.default`: Node gives the exports object, vitest the class.
const FpmTarget = (
  'default' in fpmTargetModule ? fpmTargetModule.default : fpmTargetModule
) as typeof fpmTargetModule.default;
const fpmCalls = new Map<string, { customDepends?: string[]; args: string[] }>();
// A Linux package holds the native modules npm installed, which are Linux ones only on Linux
// (package.mjs refuses other hosts); macOS and Windows packages are built for real, with the real
// Electron, by the workflow's `npm run package` (docs/desktop.md "What was proven where").
const onLinux = process.platform === 'linux';

beforeAll(async () => {
  if (!onLinux) return;
  runBuild('build');
  if (!existsSync(join(ROOT, 'build', 'renderer', 'index.html'))) {
    throw new Error('build/renderer/index.html is missing: the User Center must be built (npm run build) first.');
  }
  const standIn = join(work, 'electron-stand-in');
  mkdirSync(join(standIn, 'locales'), { recursive: true });
  mkdirSync(join(standIn, 'resources'), { recursive: true });
  writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in for Electron, not Electron" >&2\nexit 1\n');
  chmodSync(join(standIn, 'electron'), 0o755);
  writeFileSync(join(standIn, 'locales', 'en-US.pak'), '');
  const fpm = FpmTarget.prototype as unknown as { executeFpm: (...args: unknown[]) => Promise<void> };
  const executeFpm = fpm.executeFpm;
  fpm.executeFpm = async (target, configuration) => {
    fpmCalls.set(target as string, configuration as { customDepends?: string[]; args: string[] });
  };
  try {
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget(['dir', 'deb', 'rpm']),
      config: {
        electronDist: standIn,
        electronFuses: null,
        // No update feed for this build: electron-builder would read the deb and rpm files fpm
        // did not write, to put their checksums in the feed's latest-linux.yml.
        publish: null,
        directories: { output: join(work, 'out') },
      },
    });
  } finally {
    fpm.executeFpm = executeFpm;
  }
  const outputs = readdirSync(join(work, 'out')).filter(
    (name) => name.startsWith('linux') && name.endsWith('unpacked'),
  );
  appDir = join(work, 'out', outputs[0]!);
  asar = join(appDir, 'resources', 'app.asar');
  entries = listPackage(asar, { isPack: false }).map((entry) => entry.replaceAll('\\', '/'));
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!onLinux)('the packaged app (linux dir target)', () => {
  it('starts the main process the package manifest names, from inside the archive', () => {
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; name: string };
    expect(manifest.name).toBe('latchkey');
    expect(entries).toContain(`/${manifest.main}`);
    expect(entries).toContain('/build/main/preload/preload.cjs');
    expect(existsSync(join(appDir, 'latchkey'))).toBe(true);
  });

  it('holds the server and every migration', () => {
    expect(entries).toContain('/build/server/main.js');
    const migrations = readdirSync(join(ROOT, 'server', 'migrations')).filter((name) => name.endsWith('.sql'));
    expect(migrations.length).toBeGreaterThan(0);
    for (const migration of migrations) expect(entries).toContain(`/build/server/migrations/${migration}`);
  });

  it('holds every module the server and the main process import by path, the contract beside them included', () => {
    const compiled = entries.filter((entry) => /^\/build\/(server|main|contract)\/.*\.js$/.test(entry));
    expect(compiled).toContain('/build/contract/values.js');
    const missing: string[] = [];
    for (const entry of compiled) {
      const source = extractFile(asar, entry.slice(1)).toString('utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = posix.join(posix.dirname(entry), specifier!);
        if (!entries.includes(target)) missing.push(`${entry} → ${specifier}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("holds the server's and the main process's runtime dependencies, and no development tools", () => {
    for (const dependency of ['fastify', 'axios', 'keytar', 'better-sqlite3', '@simplewebauthn/server', 'otplib']) {
      expect(entries).toContain(`/node_modules/${dependency}/package.json`);
    }
    for (const tool of ['electron', 'electron-builder', 'vitest', 'typescript', 'vite', 'react']) {
      expect(entries).not.toContain(`/node_modules/${tool}`);
    }
  });

  it('leaves sources, tests, source maps and build intermediates out', () => {
    expect(
      entries.filter((entry) => /^\/(src-main|src-renderer|server|contract|test|scripts|packaging)\//.test(entry)),
    ).toEqual([]);
    expect(entries.filter((entry) => /^\/build\/.*\.(map|ts|tsbuildinfo)$/.test(entry))).toEqual([]);
    expect(entries).not.toContain('/electron-builder.yml');
    expect(entries.some((entry) => entry.startsWith('/node_modules/better-sqlite3/deps/'))).toBe(false);
  });

  it('unpacks the native modules next to the archive', () => {
    const unpacked = join(appDir, 'resources', 'app.asar.unpacked', 'node_modules');
    expect(existsSync(join(unpacked, 'keytar', 'build', 'Release', 'keytar.node'))).toBe(true);
    // better-sqlite3 13 ships Node-API binaries for each OS and CPU in prebuilds/; nothing compiles,
    // and the package carries the one for the OS and CPU it is built for.
    expect(readdirSync(join(unpacked, 'better-sqlite3', 'prebuilds'))).toEqual([`linux-${process.arch}.node`]);
    const addons = readdirSync(unpacked, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.node'))
      .map((path) => path.replaceAll('\\', '/'))
      .sort();
    // Exactly one binary per native module, each for this OS and CPU (npmRebuild: false; the
    // Node-API check is native-modules.test.ts).
    const gnu = `linux-${process.arch}-gnu`;
    expect(addons).toEqual([
      `@node-rs/argon2-${gnu}/argon2.${gnu}.node`,
      `better-sqlite3/prebuilds/linux-${process.arch}.node`,
      'keytar/build/Release/keytar.node',
    ]);
  });

  it('ships the built User Center as a resource, with the assets its page loads', () => {
    const renderer = join(appDir, 'resources', 'renderer');
    const html = readFileSync(join(renderer, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(existsSync(join(renderer, asset))).toBe(true);
    expect(entries.some((entry) => entry.startsWith('/build/renderer/'))).toBe(false);
  });
});

describe.skipIf(!onLinux)('the deb and rpm packages', () => {
  /** The dependencies fpm is told to declare: electron-builder's list plus any `--depends` of ours. */
  const dependsOf = (target: string) => {
    const call = fpmCalls.get(target)!;
    const extra = call.args.flatMap((arg, index) =>
      arg === '--depends' || arg === '-d' ? [call.args[index + 1]!] : [],
    );
    return [...(call.customDepends ?? []), ...extra];
  };
  const defaultsOf = (target: string) =>
    (FpmTarget.prototype as unknown as { getDefaultDepends(target: string): string[] }).getDefaultDepends(target);

  it("declare electron-builder's default dependencies (GTK, NSS, libnotify, xdg-utils …) plus libsecret", () => {
    expect(defaultsOf('deb')).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'xdg-utils']));
    expect(dependsOf('deb')).toEqual(expect.arrayContaining([...defaultsOf('deb'), 'libsecret-1-0']));
    expect(defaultsOf('rpm')).toEqual(expect.arrayContaining(['gtk3', 'nss', 'xdg-utils']));
    expect(dependsOf('rpm')).toEqual(expect.arrayContaining([...defaultsOf('rpm'), 'libsecret']));
  });

  it('name each dependency once', () => {
    for (const target of ['deb', 'rpm']) expect(new Set(dependsOf(target)).size, target).toBe(dependsOf(target).length);
  });
});
