// Brings build/server up to date for tests that run the built server, or import from it (npm test
// builds before vitest; a lone `vitest run` may not have). `tsc -b` is incremental: about a second
// when nothing changed. flock: several test files may ask at once; one build at a time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs `npm run build:server`; its exit status and everything it wrote. */
export function buildServer(): { status: number | null; output: string } {
  const built = spawnSync('flock', ['/tmp/latchkey-attack-build.lock', 'npm', 'run', '--silent', 'build:server'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: built.status, output: `${built.stdout}${built.stderr}` };
}
