// The browser's (or the OS's) own WebAuthn prompt, through @simplewebauthn/browser: it turns the
// server's options JSON into navigator.credentials calls and the credential back into JSON, and
// names why a ceremony failed. Every failure leaves here as an ApiError (status 0: nothing reached
// the server) whose sentence tells the person what happened and what to do next.
import {
  browserSupportsWebAuthn,
  platformAuthenticatorIsAvailable,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { ApiError } from '../api/api-error.js';

/** The person's choice when adding a key. */
export type KeyKind = 'usb' | 'platform';

/** Which prompt failed: the sentence differs (adding a key, the second step, a passkey, a test). */
export type Ceremony = 'registration' | 'second_factor' | 'passkey' | 'key_test';

export const CEREMONY_MESSAGES = {
  registration_cancelled:
    'Adding the key was cancelled, or the prompt timed out before the key answered. Choose “Add key” to try again.',
  second_factor_cancelled:
    'The security-key prompt was cancelled or timed out. Try again and touch one of your keys, or enter a code instead.',
  passkey_cancelled:
    'The passkey prompt was cancelled or timed out, or this device has no passkey for Latchkey. Try again, or sign in with your password.',
  key_test_cancelled:
    'The test was cancelled or timed out, or a different key was touched. Choose “Test” and touch this key.',
  already_registered:
    'This key is already added to your account, so it was not added again. Use a different key, or keep using this one.',
  unsupported:
    "This browser can't use security keys or passkeys. Open Latchkey in a current version of Chrome, Edge, Safari or Firefox, or sign in another way.",
  wrong_address:
    'Security keys work only when Latchkey is open at its own address (for the app on this computer, http://localhost). Open it there and try again.',
  no_user_verification:
    "This key can't check your fingerprint, face or PIN, which this step needs. Use a key that can, or another way to sign in.",
  no_supported_algorithm: 'This key supports no signature type that Latchkey accepts. Use a different key.',
  key_error: 'The key reported an error and did not answer. Try again, or use a different key.',
} as const;

export type CeremonyErrorCode = keyof typeof CEREMONY_MESSAGES;

/** True when this browser has WebAuthn at all (a secure context with PublicKeyCredential). */
export function webAuthnSupported(): boolean {
  return browserSupportsWebAuthn();
}

/**
 * Whether this device has a built-in authenticator that verifies the person (fingerprint reader,
 * face unlock, Windows Hello), as the browser reports it. Firefox reports none, for one.
 */
export async function userVerifyingPlatformAuthenticatorAvailable(): Promise<boolean> {
  try {
    return await platformAuthenticatorIsAvailable();
  } catch {
    return false;
  }
}

/**
 * The server's creation options with the person's choice of authenticator: the same two fields the
 * server's `attachment` sets (WebAuthn L3 §5.4.4 authenticatorAttachment, §5.4.8 hints). They only
 * steer which authenticator the browser offers; the server's verification does not depend on them.
 */
export function withKeyKind(
  options: PublicKeyCredentialCreationOptionsJSON,
  kind: KeyKind,
): PublicKeyCredentialCreationOptionsJSON {
  return {
    ...options,
    hints: kind === 'usb' ? ['security-key'] : ['client-device'],
    authenticatorSelection: {
      ...options.authenticatorSelection,
      authenticatorAttachment: kind === 'usb' ? 'cross-platform' : 'platform',
    },
  };
}

/** Adding a key: the browser's prompt; the new credential as JSON for the server. */
export async function createKeyCredential(
  options: PublicKeyCredentialCreationOptionsJSON,
  kind: KeyKind,
): Promise<RegistrationResponseJSON> {
  try {
    return await startRegistration({ optionsJSON: withKeyKind(options, kind) });
  } catch (error) {
    throw ceremonyError(error, 'registration');
  }
}

/** Signing in with a key (second step) or a passkey: the browser's prompt; the assertion as JSON. */
export async function getKeyAssertion(
  options: PublicKeyCredentialRequestOptionsJSON,
  ceremony: Exclude<Ceremony, 'registration'>,
): Promise<AuthenticationResponseJSON> {
  try {
    return await startAuthentication({ optionsJSON: options });
  } catch (error) {
    throw ceremonyError(error, ceremony);
  }
}

/** The failure of a prompt as an ApiError with its own code and sentence. */
export function ceremonyError(error: unknown, ceremony: Ceremony): ApiError {
  const code = ceremonyErrorCode(error, ceremony);
  return new ApiError(0, code, CEREMONY_MESSAGES[code]);
}

function ceremonyErrorCode(error: unknown, ceremony: Ceremony): CeremonyErrorCode {
  const cancelled: CeremonyErrorCode = `${ceremony}_cancelled`;
  if (!(error instanceof Error)) return 'key_error';
  if (!(error instanceof WebAuthnError)) {
    // Thrown before any prompt, when PublicKeyCredential is missing.
    if (!browserSupportsWebAuthn()) return 'unsupported';
    // The DOMException itself (the library passes some through unchanged).
    return domExceptionCode(error.name, cancelled);
  }
  switch (error.code) {
    case 'ERROR_CEREMONY_ABORTED':
    case 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY':
      return cancelled;
    case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
      return 'already_registered';
    case 'ERROR_INVALID_DOMAIN':
    case 'ERROR_INVALID_RP_ID':
      return 'wrong_address';
    case 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT':
    case 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT':
      return 'no_user_verification';
    case 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG':
      return 'no_supported_algorithm';
    default:
      return domExceptionCode(error.name, cancelled);
  }
}

/**
 * WebAuthn §5.1.3/§5.1.4.1: NotAllowedError covers a cancelled prompt, a timeout and (on purpose,
 * for privacy) "no such credential here"; AbortError an aborted request; InvalidStateError a key
 * listed in excludeCredentials; SecurityError an origin that does not match the RP ID.
 */
function domExceptionCode(name: string, cancelled: CeremonyErrorCode): CeremonyErrorCode {
  switch (name) {
    case 'NotAllowedError':
    case 'AbortError':
      return cancelled;
    case 'InvalidStateError':
      return 'already_registered';
    case 'SecurityError':
      return 'wrong_address';
    case 'NotSupportedError':
      return 'no_supported_algorithm';
    default:
      return 'key_error';
  }
}
