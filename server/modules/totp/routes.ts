import * as contract from '../../../contract/api/totp.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';
import { wrongSetupCode } from './service.js';

export function totpRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/me/totp/setup',
    {
      schema: contract.beginTotpSetup,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      await services.accounts.reauthenticate(session.account, request.body.password, clientInfo(request));
      const setup = await services.totp.beginSetup(session.account);
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
      const client = clientInfo(request);
      const outcome = await services.db.transaction(async () => {
        // Read-then-change of the account's factors: one such change per account at a time.
        await services.db.lockAccount(session.userId);
        const before = await services.twoFactor.status(session.userId);
        const enabled = await services.totp.enable(session.userId, request.body.code);
        if (!enabled.enabled) {
          // Committed with the spent attempt: the owner sees every wrong code in the activity.
          await services.events.record(session.userId, 'second_factor_failed', client);
          return enabled;
        }
        const backupCodes = await services.twoFactor.afterFactorAdded(session.userId, before);
        await services.events.record(session.userId, 'totp_enabled', client);
        if (backupCodes) await services.events.record(session.userId, 'backup_codes_generated', client);
        return { enabled: true as const, backupCodes };
      });
      if (!outcome.enabled) throw wrongSetupCode(outcome.attemptsLeft);
      return { backupCodes: outcome.backupCodes };
    },
  );

  app.post(
    '/api/v1/me/totp/disable',
    {
      schema: contract.disableTotp,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const client = clientInfo(request);
      await services.accounts.reauthenticate(session.account, request.body.password, client);
      return services.db.transaction(async () => {
        await services.db.lockAccount(session.userId);
        await services.totp.disable(session.userId);
        await services.twoFactor.afterFactorRemoved(session.userId);
        await services.events.record(session.userId, 'totp_disabled', client);
        return { twoFactor: await services.twoFactor.status(session.userId) };
      });
    },
  );
}
