// The answer to the bridge's getStatus(): what the app runs against and what it could not do.
import type { AppStatus } from '../ipc/channels.js';
import type { KeychainAvailability } from '../keychain/keychain.js';

export interface RuntimeState {
  appVersion: string;
  mode: 'bundled' | 'remote';
  origin: string | null;
  healthy: boolean;
  keychain: KeychainAvailability;
  managed: boolean;
  policyError: string | null;
}

export function buildStatus(state: RuntimeState): AppStatus {
  return {
    appVersion: state.appVersion,
    server: { mode: state.mode, origin: state.origin ?? '', healthy: state.healthy },
    keychain: { available: state.keychain.available, reason: state.keychain.reason },
    policy: { managed: state.managed, error: state.policyError },
  };
}
