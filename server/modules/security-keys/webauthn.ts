// The one place that talks to @simplewebauthn/server. Every WebAuthn check (CBOR, COSE keys,
// signatures, flags, origin, RP ID hash, counter) is the library's; this wrapper only feeds it the
// stored state and turns its outcome into a reason the API can explain in a sentence.
//
// The library (with its X.509 and CBOR code) is imported on the first ceremony, not at start-up:
// its import alone took about a quarter of the server's start (docs/performance.md "Server ready").
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { KeyAttachment } from '../../../contract/values.js';
import { loadOnce } from '../../platform/load-once.js';
import type { SecurityKey, SecurityKeyType } from './repository.js';

const webauthnLibrary = loadOnce(() => import('@simplewebauthn/server'));
const webauthnHelpers = loadOnce(() => import('@simplewebauthn/server/helpers'));

/** The relying party: this server, as the browser sees it (docs/api.md "WebAuthn": RP ID = public host name). */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingPartyFor(publicOrigin: string, name: string): RelyingParty {
  const url = new URL(publicOrigin);
  return { id: url.hostname, name, origin: url.origin };
}

/** Why a WebAuthn response was refused; each has its own sentence in refusals.ts. */
export type WebAuthnRefusal =
  | 'malformed'
  | 'wrong_ceremony'
  | 'wrong_origin'
  | 'wrong_rp_id'
  | 'challenge_mismatch'
  | 'user_not_present'
  | 'user_verification_missing'
  | 'counter_regression'
  | 'wrong_user_handle'
  | 'user_handle_missing'
  | 'unsupported_algorithm'
  | 'bad_signature';

export type Verified<T> = ({ ok: true } & T) | { ok: false; reason: WebAuthnRefusal };

export type Attachment = KeyAttachment;

export interface RegistrationOptionsInput {
  rp: RelyingParty;
  userHandle: Uint8Array;
  userName: string;
  challenge: Uint8Array;
  timeoutMs: number;
  /** The person's choice: a roaming key (USB) or this device's built-in authenticator. */
  attachment?: Attachment;
  exclude: { credentialId: string; transports: string[] }[];
}

export async function registrationOptions(
  input: RegistrationOptionsInput,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { generateRegistrationOptions } = await webauthnLibrary();
  return generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.id,
    userName: input.userName,
    userDisplayName: input.userName,
    userID: new Uint8Array(input.userHandle),
    challenge: new Uint8Array(input.challenge),
    timeout: input.timeoutMs,
    attestationType: 'none',
    excludeCredentials: input.exclude.map((key) => ({ id: key.credentialId, transports: key.transports })),
    // A fresh object each call: the library writes into it.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    // Sets both `hints` (WebAuthn L3 §5.4.8) and the authenticatorAttachment fallback.
    ...(input.attachment === 'cross-platform' ? { preferredAuthenticatorType: 'securityKey' as const } : {}),
    ...(input.attachment === 'platform' ? { preferredAuthenticatorType: 'localDevice' as const } : {}),
  });
}

export interface AuthenticationOptionsInput {
  rp: RelyingParty;
  challenge: Uint8Array;
  timeoutMs: number;
  /** Empty for a passkey (discoverable credential) request. */
  allow: { credentialId: string; transports: string[] }[];
  userVerification: 'required' | 'discouraged';
}

export async function authenticationOptions(
  input: AuthenticationOptionsInput,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { generateAuthenticationOptions } = await webauthnLibrary();
  return generateAuthenticationOptions({
    rpID: input.rp.id,
    challenge: new Uint8Array(input.challenge),
    timeout: input.timeoutMs,
    userVerification: input.userVerification,
    ...(input.allow.length > 0
      ? { allowCredentials: input.allow.map((key) => ({ id: key.credentialId, transports: key.transports })) }
      : {}),
  });
}

/** The challenge a response answers, read from its clientDataJSON; null when unreadable. */
export async function answeredChallenge(credential: { response: { clientDataJSON: string } }): Promise<string | null> {
  const { decodeClientDataJSON } = await webauthnHelpers();
  try {
    const clientData = decodeClientDataJSON(credential.response.clientDataJSON);
    return typeof clientData.challenge === 'string' && clientData.challenge.length > 0 ? clientData.challenge : null;
  } catch {
    return null;
  }
}

/** A verified registration: what the key's row keeps (repository.ts), and how the key was made. */
export type RegisteredCredential = Pick<
  SecurityKey,
  'credentialId' | 'publicKey' | 'counter' | 'transports' | 'aaguid' | 'backupEligible' | 'backupState' | 'type'
> & {
  userVerified: boolean;
  /** From the credProps extension (WebAuthn §10.1.3); null when the client did not say. */
  discoverable: boolean | null;
};

export async function verifyRegistration(input: {
  rp: RelyingParty;
  response: RegistrationResponseJSON;
  expectedChallenge: string;
  requireUserVerification: boolean;
}): Promise<Verified<{ credential: RegisteredCredential }>> {
  const { response } = input;
  const { verifyRegistrationResponse } = await webauthnLibrary();
  try {
    const result = await verifyRegistrationResponse({ response: withExtensions(response), ...expected(input) });
    if (!result.verified) return { ok: false, reason: 'bad_signature' };
    const info = result.registrationInfo;
    const transports = (info.credential.transports ?? response.response.transports ?? []).filter(
      (transport) => typeof transport === 'string',
    );
    const rk = (response.clientExtensionResults as { credProps?: { rk?: unknown } } | undefined)?.credProps?.rk;
    return {
      ok: true,
      credential: {
        credentialId: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports,
        aaguid: info.aaguid,
        backupEligible: info.credentialDeviceType === 'multiDevice',
        backupState: info.credentialBackedUp,
        userVerified: info.userVerified,
        discoverable: typeof rk === 'boolean' ? rk : null,
        type: keyType(transports, response.authenticatorAttachment),
      },
    };
  } catch (error) {
    return { ok: false, reason: classify(error, 'registration') };
  }
}

/** What an assertion is checked against: the key's row (repository.ts). */
export type StoredCredential = Pick<SecurityKey, 'credentialId' | 'publicKey' | 'counter' | 'transports'>;

export async function verifyAssertion(input: {
  rp: RelyingParty;
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  stored: StoredCredential;
  requireUserVerification: boolean;
  /**
   * The account's user handle. WebAuthn §7.2 step 6: when the response names a user handle it must
   * be the owner's; a passkey sign-in (no allowCredentials) requires one.
   */
  userHandle?: { value: Uint8Array; required: boolean };
}): Promise<Verified<{ newCounter: number; userVerified: boolean; backupState: boolean }>> {
  const { response } = input;
  const presentedHandle = response.response.userHandle;
  if (input.userHandle) {
    if (presentedHandle === undefined || presentedHandle === null || presentedHandle === '') {
      if (input.userHandle.required) return { ok: false, reason: 'user_handle_missing' };
    } else if (trimPadding(presentedHandle) !== Buffer.from(input.userHandle.value).toString('base64url')) {
      return { ok: false, reason: 'wrong_user_handle' };
    }
  }
  const { verifyAuthenticationResponse } = await webauthnLibrary();
  try {
    const result = await verifyAuthenticationResponse({
      response: withExtensions(response),
      ...expected(input),
      credential: {
        id: input.stored.credentialId,
        publicKey: new Uint8Array(input.stored.publicKey),
        counter: input.stored.counter,
        transports: input.stored.transports,
      },
    });
    if (!result.verified) return { ok: false, reason: 'bad_signature' };
    const info = result.authenticationInfo;
    return {
      ok: true,
      newCounter: info.newCounter,
      userVerified: info.userVerified,
      backupState: info.credentialBackedUp,
    };
  } catch (error) {
    return { ok: false, reason: classify(error, 'authentication') };
  }
}

/** What either ceremony's answer is checked against: this relying party and the challenge it issued. */
function expected(input: { rp: RelyingParty; expectedChallenge: string; requireUserVerification: boolean }) {
  return {
    expectedChallenge: input.expectedChallenge,
    expectedOrigin: input.rp.origin,
    expectedRPID: input.rp.id,
    requireUserVerification: input.requireUserVerification,
  };
}

/** The library reads clientExtensionResults, which a client may leave out: none is an empty object. */
function withExtensions<T extends { clientExtensionResults?: object }>(response: T): T {
  return { ...response, clientExtensionResults: response.clientExtensionResults ?? {} };
}

/**
 * WebAuthn has no field for "USB key" or "fingerprint reader"; the transports the authenticator
 * reports, and the attachment the browser saw, are the best signal (WebAuthn §5.8.4).
 */
export function keyType(transports: readonly string[], attachment: string | undefined): SecurityKeyType {
  if (transports.includes('internal') || attachment === 'platform') return 'platform';
  if (transports.includes('usb')) return 'usb';
  return 'other';
}

/**
 * The library reports a failed check by throwing an Error whose sentence names the check. The
 * reason only picks our explanation; the refusal itself was decided by the library.
 */
function classify(error: unknown, ceremony: 'registration' | 'authentication'): WebAuthnRefusal {
  const message = error instanceof Error ? error.message : '';
  if (/origin/i.test(message)) return 'wrong_origin';
  if (/RP ID/i.test(message)) return 'wrong_rp_id';
  if (/counter value/i.test(message)) return 'counter_regression';
  if (/user verification/i.test(message) || /user could not be verified/i.test(message)) {
    return 'user_verification_missing';
  }
  if (/not present/i.test(message)) return 'user_not_present';
  if (/challenge/i.test(message)) return 'challenge_mismatch';
  if (new RegExp(`${ceremony} response type`, 'i').test(message)) return 'wrong_ceremony';
  if (/public key alg|numeric alg|PQC/i.test(message)) return 'unsupported_algorithm';
  return 'malformed';
}

function trimPadding(value: string): string {
  return value.replace(/=+$/, '');
}
