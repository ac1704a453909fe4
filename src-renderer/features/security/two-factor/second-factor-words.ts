// How the page names the account's second factors, so that every section says the same thing:
// two-factor is on while TOTP or a security key exists (docs/api.md "Two-factor"), and "Disable Two-Factor
// Authentication" concerns only the authenticator app.
import type { TwoFactorStatus } from '../../../api/types.js';

export function securityKeyCount(count: number): string {
  return `${count} security ${count === 1 ? 'key' : 'keys'}`;
}

/** "Authenticator app and 2 security keys", or null while two-factor is off. */
export function secondFactorSummary(status: TwoFactorStatus): string | null {
  if (status.totp && status.securityKeys > 0) return `Authenticator app and ${securityKeyCount(status.securityKeys)}`;
  if (status.totp) return 'Authenticator app';
  if (status.securityKeys > 0) return securityKeyCount(status.securityKeys);
  return null;
}

/** What a backup code stands in for: "your authenticator app or security key". */
export function usualSecondStep(status: TwoFactorStatus): string {
  if (status.totp && status.securityKeys > 0) return 'your authenticator app or security key';
  if (status.securityKeys > 0) return 'your security key';
  return 'your authenticator app';
}

/**
 * The authenticator-app button: while security keys exist, turning the app off leaves two-factor
 * on, and setting it up does not turn two-factor on (it already is).
 */
export function authenticatorAppAction(status: TwoFactorStatus): string {
  if (status.totp) return status.securityKeys > 0 ? 'Turn off authenticator app' : 'Disable Two-Factor Authentication';
  return status.enabled ? 'Set up authenticator app' : 'Enable Two-Factor Authentication';
}
