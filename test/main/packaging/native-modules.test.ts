// Every native addon in the app's production dependencies is a Node-API module: it exports
// napi_register_module_v1, the entry point of Node-API, instead of node_register_module_v<ABI>
// (tied to one Node module ABI). Such a binary loads in the Node that installed it and in
// Electron's own Node alike, which is why electron-builder.yml has `npmRebuild: false`
// (docs/desktop.md). The tree is npm's own view of the production dependencies (`npm ls
// --omit=dev`), the symbols are read from each file's symbol table (support/native-exports.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { npmCommand } from '../../../scripts/node-commands.mjs';
import { exportedSymbols } from '../support/native-exports.js';
import { ROOT } from '../support/build.js';

/** The package folders of the production dependency tree, as npm resolves it. */
function productionPackages(): string[] {
  const [command, args] = npmCommand(['ls', '--omit=dev', '--all', '--parseable']);
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`npm ls failed: ${result.stderr}`);
  // The first line is the project itself, whose own files are no dependency.
  return result.stdout.trim().split(/\r?\n/).slice(1);
}

/** The .node files of one package, not descending into its own node_modules (listed separately). */
function addonsIn(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : addonsIn(path);
    return entry.isFile() && entry.name.endsWith('.node') ? [path] : [];
  });
}

let addons: string[] = [];
beforeAll(() => {
  addons = [...new Set(productionPackages().flatMap(addonsIn))].sort();
}, 60_000);

describe('native modules in the production dependencies', () => {
  it('are found: better-sqlite3, @node-rs/argon2 and keytar, for this OS and CPU at least', () => {
    const names = addons.map((path) => relative(join(ROOT, 'node_modules'), path).replaceAll('\\', '/'));
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^better-sqlite3\/prebuilds\/.+\.node$/),
        expect.stringMatching(/^@node-rs\/argon2-[^/]+\/argon2\..+\.node$/),
        expect.stringMatching(/^keytar\/build\/Release\/keytar\.node$/),
      ]),
    );
  });

  it('are all Node-API modules (they export napi_register_module_v1)', () => {
    const report = addons.map((path) => {
      const { format, tool, symbols } = exportedSymbols(path);
      return {
        file: relative(ROOT, path).replaceAll('\\', '/'),
        format,
        tool,
        nodeApi: symbols.includes('napi_register_module_v1'),
        abiSpecific: symbols.some((symbol) => /^node_register_module_v\d+$/.test(symbol)),
      };
    });
    expect(report.filter((entry) => !entry.nodeApi || entry.abiSpecific)).toEqual([]);
    // better-sqlite3's prebuilds for every OS were read, not only this machine's format.
    expect(new Set(report.map((entry) => entry.format))).toEqual(new Set(['elf', 'mach-o', 'pe']));
  });
});

describe('the symbol check itself', () => {
  it("tells Node-API's provider from an addon: Node's own binary exports napi_create_object, not the addon entry", () => {
    const node = exportedSymbols(realpathSync(process.execPath));
    expect(node.symbols).toContain('napi_create_object');
    expect(node.symbols).not.toContain('napi_register_module_v1');
  });
});
