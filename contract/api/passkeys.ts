import { closedBody, endpoint, errorResponses, signedIn } from './schema.js';
import { authenticationCredential, requestOptions } from './webauthn.js';

export const passkeyOptions = endpoint({
  tags: ['sign-in'],
  summary: 'Sign in with a passkey: WebAuthn request options (no allowCredentials; user verification required)',
  body: closedBody({}),
  response: { 200: requestOptions },
});

export const signInWithPasskey = endpoint({
  tags: ['sign-in'],
  summary: 'Sign in with a passkey: a discoverable credential with user verification is both factors',
  body: closedBody({ credential: authenticationCredential }),
  response: { 200: signedIn, ...errorResponses(401, 429) },
});
