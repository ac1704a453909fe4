// The Electron tests start the built app (build/main, build/server, build/renderer). Where the
// Electron binary is installed they build it first; where it is not, every test skips anyway.
import { execFileSync } from 'node:child_process';
import { electronBinary, PROJECT_ROOT } from '../../../scripts/electron-binary.mjs';

export default function globalSetup(): void {
  if (electronBinary() === null) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', 'build', '--silent'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}
