import * as contract from '../../../contract/api/backup-codes.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import { otherSessionsAnswer, signOutChoice } from '../../http/other-sessions.js';
import type { AppServices } from '../../services.js';

export function backupCodeRoutes(app: ContractApp, services: AppServices): void {
  app.post(
    '/api/v1/me/backup-codes',
    {
      schema: contract.regenerateBackupCodes,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const replaced = await services.twoFactor.replaceBackupCodes(
        request.body.password,
        clientInfo(request),
        signOutChoice(session, request.body),
      );
      return { backupCodes: replaced.backupCodes, ...otherSessionsAnswer(replaced.otherSessionsEnded) };
    },
  );
}
