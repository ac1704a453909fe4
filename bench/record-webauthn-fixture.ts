// Records the WebAuthn assertion that the benchmark verifies in a loop: Chromium's virtual
// authenticator (a USB key, ES256) registers a credential and signs one assertion on
// http://localhost, and @simplewebauthn/server checks both before they are saved. Nothing is
// built by hand: the authenticator makes the bytes, the library reads them.
// Usage: node --import tsx bench/record-webauthn-fixture.ts [PORT]   (writes bench/fixtures/webauthn-assertion.json)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { launchChromium } from './lib/chromium.js';
import { serveStatic } from './lib/static-server.js';
import { WEBAUTHN_FIXTURE_PATH, type WebAuthnFixture } from './lib/webauthn-fixture.js';

const port = Number(process.argv[2] ?? 4904);
const folder = mkdtempSync(join(tmpdir(), 'latchkey-webauthn-page-'));
writeFileSync(join(folder, 'index.html'), '<!doctype html><title>record</title><p>recording</p>');
const site = await serveStatic(folder, port);
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(site.origin);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: false,
      hasUserVerification: false,
      automaticPresenceSimulation: true,
    },
  });
  const registrationChallenge = randomBytes(32).toString('base64url');
  const assertionChallenge = randomBytes(32).toString('base64url');
  // Page code as text: the TypeScript loader would otherwise add helpers the page does not have.
  const registration = (await page.evaluate(`(async () => {
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const credential = await navigator.credentials.create({
      publicKey: {
        challenge: bytes(${JSON.stringify(registrationChallenge)}),
        rp: { id: 'localhost', name: 'Latchkey benchmark' },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'bench', displayName: 'bench' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        attestation: 'none',
        authenticatorSelection: { userVerification: 'discouraged' },
      },
    });
    return credential.toJSON();
  })()`)) as RegistrationResponseJSON;
  const registered = await verifyRegistrationResponse({
    response: registration,
    expectedChallenge: registrationChallenge,
    expectedOrigin: site.origin,
    expectedRPID: 'localhost',
    requireUserVerification: false,
  });
  if (!registered.verified) throw new Error('The virtual authenticator’s registration did not verify.');
  const assertion = (await page.evaluate(`(async () => {
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const credential = await navigator.credentials.get({
      publicKey: {
        challenge: bytes(${JSON.stringify(assertionChallenge)}),
        rpId: 'localhost',
        allowCredentials: [{ type: 'public-key', id: bytes(${JSON.stringify(registration.id)}) }],
        userVerification: 'discouraged',
      },
    });
    return credential.toJSON();
  })()`)) as AuthenticationResponseJSON;
  const { credential } = registered.registrationInfo;
  const fixture: WebAuthnFixture = {
    recordedWith: `${browser.version()} virtual authenticator (ctap2, usb), ES256`,
    rpID: 'localhost',
    origin: site.origin,
    expectedChallenge: assertionChallenge,
    credential: { id: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: 0 },
    spkiPublicKey: registration.response.publicKey!,
    response: assertion,
  };
  const check = await verifyAuthenticationResponse({
    response: assertion,
    expectedChallenge: assertionChallenge,
    expectedOrigin: site.origin,
    expectedRPID: 'localhost',
    credential: { ...fixture.credential, publicKey: Buffer.from(fixture.credential.publicKey, 'base64url') },
    requireUserVerification: false,
  });
  if (!check.verified) throw new Error('The recorded assertion did not verify.');
  writeFileSync(WEBAUTHN_FIXTURE_PATH, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`Recorded ${WEBAUTHN_FIXTURE_PATH}`);
} finally {
  await browser.close();
  await site.close();
  rmSync(folder, { recursive: true, force: true });
}
