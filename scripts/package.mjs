// `npm run package -- --win | --mac | --linux [targets]`: builds everything, then the installers
// with electron-builder (electron-builder.yml; docs/deployment.md). For macOS the signing team's ID
// (APPLE_TEAM_ID) goes into the entitlements' keychain access group used by Touch ID; without it
// the group is left out and Touch ID stays off (an unsigned build can't use it anyway).
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './electron-binary.mjs';

const args = process.argv.slice(2);
const run = (command, commandArgs) => {
  const result = spawnSync(command, commandArgs, {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent']);

const extra = [];
if (args.some((arg) => arg === '--mac' || arg === '-m' || arg === '--macos')) {
  const template = readFileSync(join(PROJECT_ROOT, 'packaging', 'entitlements.mac.plist'), 'utf8');
  const teamId = process.env.APPLE_TEAM_ID;
  let entitlements;
  if (teamId && /^[A-Z0-9]{10}$/.test(teamId)) {
    entitlements = template.replace('TEAM_ID.', `${teamId}.`);
  } else {
    process.stderr.write(
      'APPLE_TEAM_ID is not set: building without the keychain access group, so Touch ID stays off.\n',
    );
    entitlements = template.replace(/\s*<key>keychain-access-groups<\/key>\s*<array>[\s\S]*?<\/array>/, '');
  }
  const folder = join(PROJECT_ROOT, 'build', 'packaging');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'entitlements.mac.plist'), entitlements);
  extra.push('-c.mac.entitlements=build/packaging/entitlements.mac.plist');
}

const builder = join(
  PROJECT_ROOT,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder',
);
run(builder, [...args, ...extra]);
