// The Electron tests start the built app (build/main, build/server, build/renderer). Where the
// Electron binary is installed they build it first; where it is not, every test skips anyway.
import { execFileSync } from 'node:child_process';
import { electronBinary, PROJECT_ROOT } from '../../../scripts/electron-binary.mjs';
import { npmCommand } from '../../../scripts/node-commands.mjs';

export default function globalSetup(): void {
  if (electronBinary() === null) return;
  // npm through this Node, no shell (scripts/node-commands.mjs says why).
  const [node, args] = npmCommand(['run', 'build', '--silent']);
  execFileSync(node, args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
