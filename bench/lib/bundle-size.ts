// The User Center's weight as shipped: every JavaScript and CSS file of the built renderer
// folder, raw and gzip-compressed (zlib's default level, what `gzip` and most servers use).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface AssetWeight {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface BundleWeight {
  folder: string;
  js: AssetWeight;
  css: AssetWeight;
}

/** Null when the folder holds no built page (index.html) yet. */
export function measureBundle(folder: string): BundleWeight | null {
  if (!existsSync(join(folder, 'index.html'))) return null;
  const weight = (): AssetWeight => ({ files: 0, rawBytes: 0, gzipBytes: 0 });
  const result: BundleWeight = { folder, js: weight(), css: weight() };
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const kind = { '.js': 'js', '.mjs': 'js', '.css': 'css' }[extname(entry.name)] as 'js' | 'css' | undefined;
    if (!kind) continue;
    const bytes = readFileSync(join(entry.parentPath, entry.name));
    result[kind].files++;
    result[kind].rawBytes += bytes.length;
    result[kind].gzipBytes += gzipSync(bytes).length;
  }
  return result;
}
