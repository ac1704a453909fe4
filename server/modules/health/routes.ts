// Health for people and for load balancers (docs/deployment.md "Health checks").
// /api/v1/health is the User Center's: the version and whether registration is open.
// /api/v1/health/live says the process answers; /api/v1/health/ready says whether to send it
// requests: not while it stops, nor while its database does not answer. The probes carry nothing
// but that, so they answer whatever Host a load balancer sends (request-guards.ts).
import * as contract from '../../../contract/api/health.js';
import type { Unreadiness } from '../../../contract/api/health.js';
import type { ContractApp } from '../../http/contract-app.js';

export interface HealthInfo {
  /** Whether POST /api/v1/accounts is open: the User Center offers "Create account" only then. */
  registrationOpen: boolean;
  /** null while the server should be sent requests; else why not. */
  unreadiness(): Promise<Unreadiness | null>;
}

export function healthRoutes(app: ContractApp, version: string, info: HealthInfo): void {
  app.get('/api/v1/health', { schema: contract.health }, async () => ({
    status: 'ok' as const,
    version,
    registrationOpen: info.registrationOpen,
  }));

  app.get('/api/v1/health/live', { config: { anyHost: true }, schema: contract.live }, async () => ({
    status: 'ok' as const,
  }));

  app.get('/api/v1/health/ready', { config: { anyHost: true }, schema: contract.ready }, async (_request, reply) => {
    const reason = await info.unreadiness();
    if (reason === null) return { status: 'ok' as const };
    return reply.code(503).send({ status: 'unavailable' as const, reason });
  });
}
