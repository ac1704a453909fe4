// Where the Electron binary is, found the way node_modules/electron/index.js finds it but
// without its side effect: requiring that module starts a download when the binary is missing.
import process from 'node:process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable, or null when it was installed without its binary. */
export function electronBinary() {
  const packageDir = join(PROJECT_ROOT, 'node_modules', 'electron');
  let relative;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8');
  } catch {
    return null;
  }
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : null;
}

export const MISSING_BINARY_MESSAGE =
  'The Electron binary is not installed (npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1): install it with ' +
  '`node node_modules/electron/install.js`, or use Latchkey in a browser with `npm run serve`.';
