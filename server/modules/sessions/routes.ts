import * as contract from '../../../contract/api/sessions.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import type { AppServices } from '../../services.js';

export function sessionRoutes(app: ContractApp, services: AppServices): void {
  // docs/api.md "Session": sign-out is always 204, so it is never refused for the shape of its request. In a
  // scope of its own, any body of any type (an empty JSON one, text, broken JSON) is left unread.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    signOutRoute(scope, services);
  });

  app.get(
    '/api/v1/me/sessions',
    {
      schema: contract.listSessions,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const sessions = await services.sessions.list(session);
      return {
        sessions: sessions.map((listed) => ({
          ...listed,
          createdAt: new Date(listed.createdAt).toISOString(),
          lastSeenAt: new Date(listed.lastSeenAt).toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: contract.endSession,
    },
    async (request, reply) => {
      const session = await services.sessions.require(request);
      await services.sessions.end(session, request.params.id, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/v1/me/sessions',
    {
      schema: contract.endOtherSessions,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { ended: await services.sessions.signOutOthers(session, clientInfo(request)) };
    },
  );
}

function signOutRoute(app: ContractApp, services: AppServices): void {
  app.delete(
    '/api/v1/session',
    {
      schema: contract.signOut,
    },
    async (request, reply) => {
      await services.sessions.signOut(request, clientInfo(request));
      services.sessions.clearCookie(reply);
      return reply.code(204).send();
    },
  );
}
