import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import { body, errorResponses, signedInSchema } from '../../http/schemas.js';
import type { AppServices } from '../../services.js';
import { authenticationCredentialSchema, requestOptionsSchema } from '../security-keys/index.js';

export function passkeyRoutes(app: FastifyInstance, services: AppServices): void {
  app.post(
    '/api/v1/session/passkey/options',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Sign in with a passkey: WebAuthn request options (no allowCredentials; user verification required)',
        ...body({}),
        response: { 200: requestOptionsSchema },
      },
    },
    async () => ({ options: await services.passkeys.options() }),
  );

  app.post<{ Body: { credential: AuthenticationResponseJSON } }>(
    '/api/v1/session/passkey',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Sign in with a passkey: a discoverable credential with user verification is both factors',
        ...body({ credential: authenticationCredentialSchema }),
        response: { 200: signedInSchema, ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await services.passkeys.signIn(request.body.credential, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return { status: 'signed_in', username: signedIn.account.username };
    },
  );
}
