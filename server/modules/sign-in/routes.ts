import * as contract from '../../../contract/api/sign-in.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';

export function signInRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/session',
    {
      schema: contract.signIn,
    },
    async (request, reply) => {
      const result = await services.signIn.withPassword(
        request.body.username,
        request.body.password,
        clientInfo(request),
      );
      if (result.status === 'second_factor_required') {
        return { ...result, expiresAt: new Date(result.expiresAt).toISOString() };
      }
      services.sessions.setCookie(reply, result.sessionToken);
      return { status: 'signed_in' as const, username: result.account.username };
    },
  );

  app.post(
    '/api/v1/session/totp',
    {
      schema: contract.signInWithTotp,
    },
    async (request, reply) => {
      const { ticket, code } = request.body;
      const signedIn = await services.signIn.withTotp(ticket, code, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return { status: 'signed_in' as const, username: signedIn.account.username };
    },
  );

  app.post(
    '/api/v1/session/backup-code',
    {
      schema: contract.signInWithBackupCode,
    },
    async (request, reply) => {
      const { ticket, code } = request.body;
      const signedIn = await services.signIn.withBackupCode(ticket, code, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return {
        status: 'signed_in' as const,
        username: signedIn.account.username,
        backupCodesRemaining: signedIn.backupCodesRemaining,
      };
    },
  );
}
