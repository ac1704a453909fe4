// What `npm run package -- ...args` will do, decided before anything is built: which installers
// electron-builder is asked for (read with electron-builder's own argument parser), whether this
// machine can build them, and the macOS signing extras. Pure functions, so the tests can ask.
import { Arch } from 'electron-builder';
import { configureBuildCommand, createYargs, normalizeOptions } from 'electron-builder/out/builder.js';

const OS_NAMES = { darwin: 'macOS', linux: 'Linux', win32: 'Windows' };

/** The [OS, CPU] pairs the arguments ask for; no OS flag means this machine's OS. */
export function requestedTargets(args) {
  const parsed = configureBuildCommand(createYargs()).parse(args);
  const { targets } = normalizeOptions(parsed);
  return [...targets].flatMap(([platform, byArch]) =>
    byArch.size === 0 ? [[platform.nodeName, null]] : [...byArch.keys()].map((arch) => [platform.nodeName, Arch[arch]]),
  );
}

/**
 * One sentence when the arguments ask for an installer this machine can't build, else null. The
 * native modules in node_modules (better-sqlite3's prebuild, @node-rs/argon2's binary, keytar)
 * are the ones npm installed for this OS and CPU, so each installer is built on its own kind of
 * machine (docs/deployment.md).
 */
export function refusal(args, host = { platform: process.platform, arch: process.arch }) {
  for (const [platform, arch] of requestedTargets(args)) {
    if (platform !== host.platform) {
      return (
        `This is a ${OS_NAMES[host.platform] ?? host.platform} machine: build the ${OS_NAMES[platform] ?? platform} ` +
        `installers on ${OS_NAMES[platform] ?? platform}, since the native modules npm installed here are for this OS only.`
      );
    }
    if (arch !== null && arch !== host.arch) {
      return (
        `This machine's CPU is ${host.arch}: build ${arch} installers on an ${arch} machine, since the native ` +
        `modules npm installed here are for ${host.arch} only.`
      );
    }
  }
  return null;
}

/**
 * The macOS Touch ID setup. Its keychain access group is a restricted entitlement: macOS kills an
 * app at launch that claims one without an embedded provisioning profile allowing it. So the
 * Touch ID entitlements (packaging/entitlements.mac.touch-id.plist) and the profile go in
 * together, or neither does.
 *
 * @returns {{ error: string } | { touchId: false, notice: string } |
 *   { touchId: true, teamId: string, provisioningProfile: string }}
 */
export function macTouchIdPlan(env, fileExists) {
  const teamId = env.APPLE_TEAM_ID || undefined;
  const profile = env.APPLE_PROVISIONING_PROFILE || undefined;
  if (teamId !== undefined && !/^[A-Z0-9]{10}$/.test(teamId)) {
    return { error: `APPLE_TEAM_ID must be the 10-character team ID, such as ABCDE12345, not "${teamId}".` };
  }
  if (profile !== undefined && !fileExists(profile)) {
    return { error: `APPLE_PROVISIONING_PROFILE names ${profile}, which is not a file.` };
  }
  if (teamId && profile) return { touchId: true, teamId, provisioningProfile: profile };
  const missing = [teamId ? null : 'APPLE_TEAM_ID', profile ? null : 'APPLE_PROVISIONING_PROFILE'].filter(Boolean);
  return {
    touchId: false,
    notice:
      `Building without the keychain access group, so Touch ID stays off: it needs ${missing.join(' and ')} ` +
      '(docs/deployment.md "Touch ID and the provisioning profile").',
  };
}

/** The Touch ID entitlements for one team: the template with TEAM_ID filled in. */
export function touchIdEntitlements(template, teamId) {
  return template.replaceAll('TEAM_ID', teamId);
}
