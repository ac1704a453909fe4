// The pre-recorded WebAuthn assertion (see record-webauthn-fixture.ts) and how to load it.
import { readFileSync } from 'node:fs';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';

export const WEBAUTHN_FIXTURE_PATH = new URL('../fixtures/webauthn-assertion.json', import.meta.url).pathname;

export interface WebAuthnFixture {
  recordedWith: string;
  rpID: string;
  origin: string;
  expectedChallenge: string;
  /** As the server stores it: COSE public key in base64url, counter at registration. */
  credential: { id: string; publicKey: string; counter: number };
  /** The same public key as SubjectPublicKeyInfo DER (base64url), for the signature-only baseline. */
  spkiPublicKey: string;
  response: AuthenticationResponseJSON;
}

export function loadWebAuthnFixture(): WebAuthnFixture {
  return JSON.parse(readFileSync(WEBAUTHN_FIXTURE_PATH, 'utf8')) as WebAuthnFixture;
}
