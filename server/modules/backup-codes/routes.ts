import * as contract from '../../../contract/api/backup-codes.js';
import { ApiError } from '../../http/api-error.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';

export function backupCodeRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/me/backup-codes',
    {
      schema: contract.regenerateBackupCodes,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const client = clientInfo(request);
      await services.accounts.reauthenticate(session.account, request.body.password, client);
      return services.db.transaction(async () => {
        // Not while another request turns the last factor off (its codes would outlive it).
        await services.db.lockAccount(session.userId);
        const status = await services.twoFactor.status(session.userId);
        if (!status.enabled) {
          throw new ApiError(
            409,
            'two_factor_off',
            'Backup codes exist only while two-factor authentication is on. Turn it on first.',
          );
        }
        const backupCodes = await services.backupCodes.regenerate(session.userId);
        await services.events.record(session.userId, 'backup_codes_generated', client);
        return { backupCodes };
      });
    },
  );
}
