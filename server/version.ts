import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let version: string | undefined;

/** The version in Latchkey's package.json, found by walking up from this file (source or build); read once. */
export function readVersion(): string {
  version ??= findVersion();
  return version;
}

function findVersion(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'latchkey' && manifest.version) return manifest.version;
    } catch {
      // not here; keep walking up
    }
    folder = dirname(folder);
  }
  return '0.0.0';
}
