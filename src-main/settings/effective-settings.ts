// What the app does, from the IT policy and the person's settings. The rules:
// - an invalid policy stops the app with the policy's error (never silently ignored);
// - a policy value wins over the person's;
// - when the policy names a server and says nothing about allowUserServerUrl, people may not
//   change it (IT pinned a server on purpose); without a policy server they may;
// - with no server named anywhere, the app runs its bundled server;
// - updates are on unless the policy turns them off; the policy may name the feed.
import type { PolicyResult } from './policy.js';
import type { UserSettings } from './user-settings.js';

export type ServerChoice = { mode: 'bundled' } | { mode: 'remote'; origin: string };

export interface EffectiveSettings {
  server: ServerChoice;
  chosenBy: 'policy' | 'user' | 'default';
  userMayChangeServer: boolean;
  securityNotifications: boolean;
  autoUpdate: boolean;
  /** The policy's update feed; null: the one the build was made with. */
  updateUrl: string | null;
  managed: boolean;
}

export type SettingsResolution =
  { ok: true; settings: EffectiveSettings } | { ok: false; policyError: string; policySource: string };

const toChoice = (serverUrl: string | null): ServerChoice =>
  serverUrl === null ? { mode: 'bundled' } : { mode: 'remote', origin: serverUrl };

export function resolveSettings(policyResult: PolicyResult, user: UserSettings): SettingsResolution {
  if (policyResult.kind === 'invalid') {
    return { ok: false, policyError: policyResult.error, policySource: policyResult.source };
  }
  const policy = policyResult.kind === 'valid' ? policyResult.policy : {};
  const policyNamesServer = policy.serverUrl !== undefined;
  const userMayChangeServer = policy.allowUserServerUrl ?? !policyNamesServer;

  let server: ServerChoice = { mode: 'bundled' };
  let chosenBy: EffectiveSettings['chosenBy'] = 'default';
  if (userMayChangeServer && user.serverUrl !== undefined) {
    server = toChoice(user.serverUrl);
    chosenBy = 'user';
  } else if (policy.serverUrl !== undefined) {
    server = toChoice(policy.serverUrl);
    chosenBy = 'policy';
  }
  return {
    ok: true,
    settings: {
      server,
      chosenBy,
      userMayChangeServer,
      securityNotifications: policy.securityNotifications ?? user.securityNotifications ?? true,
      autoUpdate: policy.autoUpdate ?? true,
      updateUrl: policy.updateUrl ?? null,
      managed: policyResult.kind === 'valid',
    },
  };
}
