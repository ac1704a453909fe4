// `npm start`: builds everything (server, User Center, main process and preload) and opens the
// desktop app with its bundled server on the embedded defaults.
import process from 'node:process';
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary, MISSING_BINARY_MESSAGE, PROJECT_ROOT } from './electron-binary.mjs';
import { npmCommand } from './node-commands.mjs';

const binary = electronBinary();
if (binary === null) {
  process.stderr.write(`${MISSING_BINARY_MESSAGE}\n`);
  process.exit(1);
}

const [npm, npmArgs] = npmCommand(['run', 'build', '--silent']);
const built = spawnSync(npm, npmArgs, { cwd: PROJECT_ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

// ELECTRON_RUN_AS_NODE would turn the app into a plain Node process.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [PROJECT_ROOT, ...process.argv.slice(2)], { cwd: PROJECT_ROOT, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
