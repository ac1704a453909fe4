import * as contract from '../../../contract/api/totp.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import { otherSessionsAnswer, signOutChoice } from '../../http/other-sessions.js';
import type { AppServices } from '../../services.js';

export function totpRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/me/totp/setup',
    {
      schema: contract.beginTotpSetup,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const setup = await services.totp.beginSetup(session.account, request.body.password, clientInfo(request));
      return { ...setup, expiresAt: new Date(setup.expiresAt).toISOString() };
    },
  );

  app.post(
    '/api/v1/me/totp/enable',
    {
      schema: contract.enableTotp,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { backupCodes: await services.totp.enable(session.account, request.body.code, clientInfo(request)) };
    },
  );

  app.post(
    '/api/v1/me/totp/disable',
    {
      schema: contract.disableTotp,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const disabled = await services.totp.disable(
        request.body.password,
        clientInfo(request),
        signOutChoice(session, request.body),
      );
      return { twoFactor: disabled.twoFactor, ...otherSessionsAnswer(disabled.otherSessionsEnded) };
    },
  );
}
