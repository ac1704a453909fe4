import * as contract from '../../../contract/api/passkeys.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';

export function passkeyRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/session/passkey/options',
    {
      schema: contract.passkeyOptions,
    },
    async () => ({ options: await services.passkeys.options() }),
  );

  app.post(
    '/api/v1/session/passkey',
    {
      schema: contract.signInWithPasskey,
    },
    async (request, reply) => {
      const signedIn = await services.passkeys.signIn(request.body.credential, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return { status: 'signed_in' as const, username: signedIn.account.username };
    },
  );
}
