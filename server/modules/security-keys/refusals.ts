// Every refusal of a security-key or passkey answer is `invalid_credential` (docs/api.md "Error codes"); the
// sentence says which check failed, so the person (and the User Center) knows what to do next.
import { ApiError } from '../../http/api-error.js';
import type { WebAuthnRefusal } from './webauthn.js';

export type ChallengeRefusal = 'unknown_challenge' | 'challenge_used' | 'challenge_expired';
export type KeyRefusal = 'unknown_key' | 'unknown_passkey' | 'not_a_passkey' | 'other_key';
export type CredentialRefusal = WebAuthnRefusal | ChallengeRefusal | KeyRefusal;

export const REFUSAL_MESSAGES: Record<CredentialRefusal, string> = {
  malformed: 'The security key’s answer is incomplete or damaged. Try again with your key.',
  wrong_ceremony: 'That answer is for a different security-key step. Start this step again and touch your key.',
  wrong_origin:
    'The security key answered a page at another address, not this Latchkey server. Open Latchkey at its own address and try again.',
  wrong_rp_id:
    'The security key answered for another server name than this one. Open Latchkey at its own address and try again.',
  challenge_mismatch: 'The security key answered a different request. Start again and touch your key.',
  user_not_present: 'The security key did not confirm that you touched it. Try again and touch the key when it blinks.',
  user_verification_missing:
    'Your security key did not verify you with a fingerprint, face or PIN, which passkey sign-in needs. Try again and complete the check on the key.',
  counter_regression:
    'This security key’s use counter went backwards, which can mean the key was copied. Sign in another way and check this key.',
  wrong_user_handle: 'That passkey belongs to a different account than the key it names. Sign in another way.',
  user_handle_missing:
    'That key did not say which account it belongs to, so it cannot sign you in on its own. Sign in with your password.',
  unsupported_algorithm: 'This security key uses a signature type Latchkey does not accept. Use another key.',
  bad_signature: 'The security key’s signature could not be verified. Try again with your key.',
  unknown_challenge:
    'That security-key answer was not requested by this sign-in or set-up. Start again and touch your key.',
  challenge_used: 'That security-key answer was already used once. Start again and touch your key for a fresh one.',
  challenge_expired: 'The security-key request expired after 5 minutes. Start again and touch your key.',
  unknown_key:
    'That security key is not registered to this account. Use a key you added in Latchkey, or another method.',
  other_key:
    'Another security key answered, not the one being tested. Start the test again and use the key named in the list.',
  not_a_passkey:
    'That security key was added as a second step only, so it cannot sign you in on its own. Sign in with your password, then use the key.',
  unknown_passkey:
    'That passkey is not registered with this Latchkey server. Sign in with your password, or use a passkey you added here.',
};

/** 400 while adding a key (the request was wrong), 401 while signing in (docs/api.md "Error codes"). */
export function credentialRefused(reason: CredentialRefusal, status: 400 | 401): ApiError {
  return new ApiError(status, 'invalid_credential', REFUSAL_MESSAGES[reason]);
}

export function keyAlreadyRegistered(): ApiError {
  return new ApiError(409, 'key_already_registered');
}

export function keyNotFound(): ApiError {
  return new ApiError(404, 'not_found', 'That security key does not exist, or was already removed.');
}
