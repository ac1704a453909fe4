// The User Center's weight as shipped: its JavaScript and CSS files in the built renderer folder,
// raw and gzip-compressed (zlib's default level, what `gzip` and most servers use). JavaScript is
// counted in two parts: what the first page load fetches (the files index.html names and their
// static imports, the part the target is about) and what a later action loads with a dynamic
// import (the password-strength dictionaries load only when a new password is typed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface AssetWeight {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface BundleWeight {
  folder: string;
  /** JavaScript the first page load fetches. */
  js: AssetWeight;
  /** JavaScript only a dynamic import fetches, later. */
  jsOnDemand: AssetWeight;
  css: AssetWeight;
}

/** File names a page or module names: `src="/assets/x.js"`, `from"./x.js"`, `import"./x.js"`. */
function namedFiles(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => basename(match[1] ?? ''));
}

const PAGE_REFERENCE = /(?:src|href)="([^"]+\.m?js)"/g;
// A static import; `import("./x.js")` (dynamic) has a parenthesis and does not match.
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["']([^"']+\.m?js)["']/g;

/** Null when the folder holds no built page (index.html) yet. */
export function measureBundle(folder: string): BundleWeight | null {
  const page = join(folder, 'index.html');
  if (!existsSync(page)) return null;
  const weight = (): AssetWeight => ({ files: 0, rawBytes: 0, gzipBytes: 0 });
  const result: BundleWeight = { folder, js: weight(), jsOnDemand: weight(), css: weight() };
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(entry.name, readFileSync(join(entry.parentPath, entry.name)));
  }

  const withPage = new Set<string>();
  const pending = namedFiles(readFileSync(page, 'utf8'), PAGE_REFERENCE);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (withPage.has(name) || !files.has(name)) continue;
    withPage.add(name);
    pending.push(...namedFiles(files.get(name)!.toString('utf8'), STATIC_IMPORT));
  }

  for (const [name, bytes] of files) {
    const extension = extname(name);
    const part =
      extension === '.css'
        ? result.css
        : extension === '.js' || extension === '.mjs'
          ? withPage.has(name)
            ? result.js
            : result.jsOnDemand
          : null;
    if (!part) continue;
    part.files++;
    part.rawBytes += bytes.length;
    part.gzipBytes += gzipSync(bytes).length;
  }
  return result;
}
