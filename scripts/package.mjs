// `npm run package -- [--win | --mac | --linux] [targets]`: builds everything, then this OS's
// installers with electron-builder (electron-builder.yml; docs/deployment.md). It refuses, before
// building anything, installers for another OS or CPU. On macOS, the Touch ID entitlements go in
// only together with a provisioning profile (APPLE_TEAM_ID and APPLE_PROVISIONING_PROFILE).
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './electron-binary.mjs';
import { electronBuilderCommand, npmCommand } from './node-commands.mjs';
import { macTouchIdPlan, refusal, requestedTargets, touchIdEntitlements } from './package-plan.mjs';

const args = process.argv.slice(2);

function stop(sentence) {
  process.stderr.write(`package: ${sentence}\n`);
  process.exit(2);
}

function run([command, commandArgs]) {
  const result = spawnSync(command, commandArgs, { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.error) stop(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The extra electron-builder arguments for macOS signing, or none. */
function macSigningArgs() {
  const isFile = (path) => existsSync(path) && statSync(path).isFile();
  const plan = macTouchIdPlan(process.env, (path) => isFile(resolve(PROJECT_ROOT, path)));
  if ('error' in plan) stop(plan.error);
  if (!plan.touchId) {
    process.stderr.write(`package: ${plan.notice}\n`);
    return [];
  }
  const template = readFileSync(join(PROJECT_ROOT, 'packaging', 'entitlements.mac.touch-id.plist'), 'utf8');
  const folder = join(PROJECT_ROOT, 'build', 'packaging');
  mkdirSync(folder, { recursive: true });
  const entitlements = join(folder, 'entitlements.mac.plist');
  writeFileSync(entitlements, touchIdEntitlements(template, plan.teamId));
  return [
    `-c.mac.entitlements=${entitlements}`,
    `-c.mac.provisioningProfile=${resolve(PROJECT_ROOT, plan.provisioningProfile)}`,
  ];
}

const refused = refusal(args);
if (refused) stop(refused);
const forMac = requestedTargets(args).some(([platform]) => platform === 'darwin');
const extra = forMac ? macSigningArgs() : [];

run(npmCommand(['run', 'build', '--silent']));
run(electronBuilderCommand([...args, ...extra]));
