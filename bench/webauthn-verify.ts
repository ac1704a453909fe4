// The WebAuthn row and its baseline, without a browser: the pre-recorded assertion
// (fixtures/webauthn-assertion.json) verified in a loop.
// - "library": @simplewebauthn/server's verifyAuthenticationResponse, as the security-keys module
//   calls it (clientDataJSON, RP ID hash, flags, counter and the ES256 signature);
// - "signature": the ES256 signature check alone with node:crypto, over the same bytes
//   (authenticatorData || SHA-256(clientDataJSON), WebAuthn §7.2 steps 19–20): the floor.
// Usage: node --import tsx bench/webauthn-verify.ts library|signature '{"warmupSeconds":1,…}'
import { createHash, createPublicKey, verify } from 'node:crypto';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { printRuns } from './lib/loop.js';
import { loadWebAuthnFixture } from './lib/webauthn-fixture.js';

const mode = process.argv[2];
const options = JSON.parse(process.argv[3] ?? '') as Parameters<typeof printRuns>[1];
const fixture = loadWebAuthnFixture();
const credential = { ...fixture.credential, publicKey: Buffer.from(fixture.credential.publicKey, 'base64url') };

async function viaLibrary(): Promise<boolean> {
  const result = await verifyAuthenticationResponse({
    response: fixture.response,
    expectedChallenge: fixture.expectedChallenge,
    expectedOrigin: fixture.origin,
    expectedRPID: fixture.rpID,
    credential,
    requireUserVerification: false,
  });
  return result.verified;
}

const publicKey = createPublicKey({
  key: Buffer.from(fixture.spkiPublicKey, 'base64url'),
  format: 'der',
  type: 'spki',
});
const clientDataHash = createHash('sha256')
  .update(Buffer.from(fixture.response.response.clientDataJSON, 'base64url'))
  .digest();
const signedBytes = Buffer.concat([
  Buffer.from(fixture.response.response.authenticatorData, 'base64url'),
  clientDataHash,
]);
const signature = Buffer.from(fixture.response.response.signature, 'base64url');

function signatureOnly(): Promise<boolean> {
  // The callback form runs on libuv's thread pool, like WebCrypto's verify inside the library.
  return new Promise((resolve, reject) =>
    verify('sha256', signedBytes, publicKey, signature, (error, valid) => (error ? reject(error) : resolve(valid))),
  );
}

if (mode !== 'library' && mode !== 'signature') throw new Error('Say "library" or "signature".');
await printRuns(mode === 'library' ? viaLibrary : signatureOnly, options);
