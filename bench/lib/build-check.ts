// "Builds if needed": the benchmark measures build/, so it rebuilds when a source is newer.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Why a rebuild is needed, or null when build/ is newer than every source it comes from. */
export function staleBuildReason(repoRoot: string, rendererDir: string): string | null {
  const serverOutput = join(repoRoot, 'build/server/main.js');
  if (!existsSync(serverOutput)) return 'build/server/main.js does not exist';
  for (const sources of ['server', 'contract']) {
    if (newestMtime(join(repoRoot, sources)) > statSync(serverOutput).mtimeMs)
      return `${sources}/ changed since the build`;
  }
  const rendererSources = join(repoRoot, 'src-renderer');
  if (existsSync(rendererSources)) {
    const page = join(rendererDir, 'index.html');
    if (!existsSync(page)) return 'the User Center is not built';
    if (newestMtime(rendererSources) > statSync(page).mtimeMs) return 'src-renderer/ changed since the build';
  }
  return null;
}

export function runBuild(repoRoot: string): void {
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (result.status !== 0)
    throw new Error('`npm run build` failed (its output is above); the benchmark needs a build.');
}
