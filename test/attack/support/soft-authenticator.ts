// A software FIDO2 authenticator for tests that need many WebAuthn ceremonies fast, or in a
// server process that is killed and restarted (test/attack/crash-recovery): no browser in the
// loop. It only PRODUCES what an authenticator and browser would send (WebAuthn §6.1 authenticator
// data, §6.5 "none" attestation, §5.2 client data); every check stays the server's, through
// @simplewebauthn/server. Signing is node:crypto's ECDSA P-256 (COSE alg -7), CBOR encoding is
// @simplewebauthn's own encoder. Browser-made credentials are covered by
// test/server/modules/security-keys/browser-*.test.ts with Chromium's virtual authenticators.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL_DATA = 0x40;

export interface SoftAuthenticatorOptions {
  origin: string;
  /** Defaults to the origin's host name (docs/api.md "WebAuthn": RP ID `localhost` for the bundled server). */
  rpId?: string;
  /** A fingerprint reader verifies the user and keeps discoverable credentials (passkeys). */
  userVerifying?: boolean;
}

/** One credential on one authenticator, with its signature counter. */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly rpId: string;
  private userHandle: string | null = null;

  constructor(private readonly options: SoftAuthenticatorOptions) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.rpId = options.rpId ?? new URL(options.origin).hostname;
  }

  get id(): string {
    return this.credentialId.toString('base64url');
  }

  /** navigator.credentials.create() answered by this authenticator. */
  register(creation: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON {
    this.userHandle = creation.user.id;
    const clientDataJSON = this.clientData('webauthn.create', creation.challenge);
    const jwk = this.publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9053 §7.1.1): kty EC2, alg ES256, crv P-256, x, y.
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attestedCredentialData = Buffer.concat([
      Buffer.alloc(16), // AAGUID: all zero, as for "none" attestation
      idLength,
      this.credentialId,
      Buffer.from(isoCBOR.encode(coseKey)),
    ]);
    const authData = this.authenticatorData(FLAG_ATTESTED_CREDENTIAL_DATA, attestedCredentialData);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: this.options.userVerifying ? ['internal'] : ['usb'],
      },
      authenticatorAttachment: this.options.userVerifying ? 'platform' : 'cross-platform',
      clientExtensionResults: this.options.userVerifying ? { credProps: { rk: true } } : {},
    };
  }

  /** navigator.credentials.get() answered by this authenticator; each call counts one use. */
  assert(request: PublicKeyCredentialRequestOptionsJSON, counter = this.counter + 1): AuthenticationResponseJSON {
    this.counter = Math.max(this.counter, counter);
    const clientDataJSON = this.clientData('webauthn.get', request.challenge);
    const authData = this.authenticatorData(0, Buffer.alloc(0), counter);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, this.privateKey); // DER, as WebAuthn §6.5.6 expects
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(this.options.userVerifying && this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    };
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.options.origin, crossOrigin: false }));
  }

  private authenticatorData(extraFlags: number, attested: Buffer, counter = this.counter): Buffer {
    const flags = FLAG_USER_PRESENT | (this.options.userVerifying ? FLAG_USER_VERIFIED : 0) | extraFlags;
    const signCount = Buffer.alloc(4);
    signCount.writeUInt32BE(counter);
    return Buffer.concat([createHash('sha256').update(this.rpId).digest(), Buffer.from([flags]), signCount, attested]);
  }
}
