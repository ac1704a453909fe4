import * as contract from '../../../contract/api/backup-codes.js';
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
      const backupCodes = await services.twoFactor.replaceBackupCodes(
        session.account,
        request.body.password,
        clientInfo(request),
      );
      return { backupCodes };
    },
  );
}
