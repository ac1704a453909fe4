// Builds before a test that needs build output. Test files run in parallel and several of them
// build, so builds take turns under one lock file, and each step writes only what is missing or
// stale: tsc -b skips an up-to-date project and the preload build leaves an unchanged file alone.
// The User Center (vite empties its output folder first) is built only when it is missing, so a
// test reading it is never cut short by another test's rebuild. Under `npm test` everything is
// built before the tests start.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

type Script = 'build:server' | 'build:main' | 'build:renderer';

export function runBuild(target: 'build' | Script): void {
  let scripts: Script[] = target === 'build' ? ['build:server', 'build:main', 'build:renderer'] : [target];
  if (existsSync(join(ROOT, 'build', 'renderer', 'index.html'))) {
    scripts = scripts.filter((script) => script !== 'build:renderer');
  }
  const commands = scripts.map((script) => `npm run ${script} --silent`).join(' && ');
  if (!commands) return;
  const [command, ...args] =
    process.platform === 'linux' ? ['flock', '/tmp/latchkey-build.lock', 'sh', '-c', commands] : ['sh', '-c', commands];
  execFileSync(command!, args, { cwd: ROOT, stdio: 'pipe' });
}

/**
 * A private copy of the built server and the contract it imports (build/contract, beside it as in
 * build/) inside build/ (so it still finds node_modules and package.json by walking up), safe
 * from a rebuild another test file starts meanwhile.
 */
export function snapshotServer(): { main: string; remove: () => void } {
  const folder = mkdtempSync(join(ROOT, 'build', 'test-main-server-'));
  cpSync(join(ROOT, 'build', 'server'), join(folder, 'server'), { recursive: true });
  cpSync(join(ROOT, 'build', 'contract'), join(folder, 'contract'), { recursive: true });
  return { main: join(folder, 'server', 'main.js'), remove: () => rmSync(folder, { recursive: true, force: true }) };
}
