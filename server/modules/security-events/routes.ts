import * as contract from '../../../contract/api/security-events.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';

export function securityEventRoutes(app: ContractApp, services: AppServices): void {
  app.get(
    '/api/v1/me/events',
    {
      schema: contract.listEvents,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const events = await services.events.list(session.userId);
      return { events: events.map((event) => ({ ...event, at: new Date(event.at).toISOString() })) };
    },
  );
}
