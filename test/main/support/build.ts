// Builds before a test that needs build output. Test files run in parallel and several of them
// build, so builds take turns under one lock file (a second, up-to-date build is then a no-op
// for tsc). Run from `npm test`, everything is built already.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

export function runBuild(script: 'build' | 'build:server' | 'build:main'): void {
  const npm = ['npm', 'run', script, '--silent'];
  const [command, ...args] = process.platform === 'linux' ? ['flock', '/tmp/latchkey-build.lock', ...npm] : npm;
  execFileSync(command!, args, { cwd: ROOT, stdio: 'pipe' });
}

/**
 * A private copy of the built server inside build/ (so it still finds node_modules and
 * package.json by walking up), safe from a rebuild another test file starts meanwhile.
 * Returns the copy's main.js and a function that removes it.
 */
export function snapshotServer(): { main: string; remove: () => void } {
  const folder = mkdtempSync(join(ROOT, 'build', 'test-main-server-'));
  cpSync(join(ROOT, 'build', 'server'), join(folder, 'server'), { recursive: true });
  return { main: join(folder, 'server', 'main.js'), remove: () => rmSync(folder, { recursive: true, force: true }) };
}
