import * as contract from '../../../contract/api/health.js';
import type { ContractApp } from '../../http/contract-app.js';

export interface HealthInfo {
  /** Whether POST /api/v1/accounts is open: the User Center offers "Create account" only then. */
  registrationOpen: boolean;
}

export function healthRoutes(app: ContractApp, version: string, info: HealthInfo): void {
  app.get(
    '/api/v1/health',
    {
      schema: contract.health,
    },
    async () => ({ status: 'ok' as const, version, registrationOpen: info.registrationOpen }),
  );
}
