// `electron-builder --linux dir` (through its API, with this repository's electron-builder.yml),
// then a look inside what it produced: the ASAR archive (listed with @electron/asar), the
// unpacked native modules and the resources.
//
// The Electron binary can't be downloaded here, so `electronDist` points at a STAND-IN folder:
// a shell script named `electron` and an empty locale, NOT Electron. Two settings follow from
// that, for this build only: `electronFuses: null` (fuses are flipped inside the real Electron
// binary, which the stand-in is not) and `npmRebuild: false` (rebuilding native modules for
// Electron needs its headers, also from outside the registry). Everything else — which files go
// into the archive, what is unpacked, the extra resources — is electron-builder's real work.
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
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBuild } from '../support/build.js';

const work = mkdtempSync(join(tmpdir(), 'latchkey-builder-'));
let appDir = '';
let asar = '';
let entries: string[] = [];

beforeAll(async () => {
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
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir'),
    config: {
      electronDist: standIn,
      electronFuses: null,
      npmRebuild: false,
      directories: { output: join(work, 'out') },
    },
  });
  const outputs = readdirSync(join(work, 'out')).filter(
    (name) => name.startsWith('linux') && name.endsWith('unpacked'),
  );
  appDir = join(work, 'out', outputs[0]!);
  asar = join(appDir, 'resources', 'app.asar');
  entries = listPackage(asar, { isPack: false }).map((entry) => entry.replaceAll('\\', '/'));
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packaged app (linux dir target)', () => {
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

  it("holds the server's and the main process's runtime dependencies, and no development tools", () => {
    for (const dependency of ['fastify', 'axios', 'keytar', 'better-sqlite3', '@simplewebauthn/server', 'otplib']) {
      expect(entries).toContain(`/node_modules/${dependency}/package.json`);
    }
    for (const tool of ['electron', 'electron-builder', 'vitest', 'typescript', 'vite', 'react']) {
      expect(entries).not.toContain(`/node_modules/${tool}`);
    }
  });

  it('leaves sources, tests, source maps and build intermediates out', () => {
    expect(entries.filter((entry) => /^\/(src-main|src-renderer|server|test|scripts|packaging)\//.test(entry))).toEqual(
      [],
    );
    expect(entries.filter((entry) => /^\/build\/.*\.(map|ts|tsbuildinfo)$/.test(entry))).toEqual([]);
    expect(entries).not.toContain('/electron-builder.yml');
    expect(entries.some((entry) => entry.startsWith('/node_modules/better-sqlite3/deps/'))).toBe(false);
  });

  it('unpacks the native modules next to the archive', () => {
    const unpacked = join(appDir, 'resources', 'app.asar.unpacked', 'node_modules');
    expect(existsSync(join(unpacked, 'keytar', 'build', 'Release', 'keytar.node'))).toBe(true);
    // better-sqlite3 13 ships Node-API binaries for each OS and CPU in prebuilds/; nothing compiles.
    expect(existsSync(join(unpacked, 'better-sqlite3', 'prebuilds', `${process.platform}-${process.arch}.node`))).toBe(
      true,
    );
    const argon2 = readdirSync(join(unpacked, '@node-rs')).filter((name) => name.startsWith('argon2-'));
    expect(argon2.length).toBeGreaterThan(0);
    expect(readdirSync(join(unpacked, '@node-rs', argon2[0]!)).some((name) => name.endsWith('.node'))).toBe(true);
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
