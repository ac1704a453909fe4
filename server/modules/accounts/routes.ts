import * as contract from '../../../contract/api/accounts.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';

export function accountRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/accounts',
    {
      schema: contract.createAccount,
    },
    async (request, reply) => {
      const account = await services.accounts.register(
        request.body.username,
        request.body.password,
        clientInfo(request),
      );
      return reply.code(201).send({ username: account.username });
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: contract.changePassword,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const { password, newPassword } = request.body;
      return {
        otherSessionsEnded: await services.passwords.change(session, password, newPassword, clientInfo(request)),
      };
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: contract.me,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { username: session.account.username, twoFactor: await services.twoFactor.status(session.userId) };
    },
  );
}
