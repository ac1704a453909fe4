import * as contract from '../../../contract/api/security-keys.js';
import { clientInfo } from '../../http/client-info.js';
import type { ContractApp } from '../../http/contract-app.js';
import { signOutChoice } from '../../http/other-sessions.js';
import type { AppServices } from '../../services.js';
import { keyJson } from './key-json.js';

export function securityKeyRoutes(app: ContractApp, services: AppServices): void {
  const { securityKeys } = services;

  app.post(
    '/api/v1/me/security-keys/options',
    {
      schema: contract.securityKeyOptions,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const { password, attachment } = request.body;
      return {
        options: await securityKeys.registrationOptions(session.account, password, clientInfo(request), attachment),
      };
    },
  );

  app.post(
    '/api/v1/me/security-keys',
    {
      schema: contract.addSecurityKey,
    },
    async (request, reply) => {
      const session = await services.sessions.require(request);
      const added = await securityKeys.register(
        session.account,
        request.body.name,
        request.body.credential,
        clientInfo(request),
      );
      return reply.code(201).send({ key: keyJson(added.key), backupCodes: added.backupCodes });
    },
  );

  app.get(
    '/api/v1/me/security-keys',
    {
      schema: contract.listSecurityKeys,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { keys: (await securityKeys.list(session.userId)).map(keyJson) };
    },
  );

  app.patch(
    '/api/v1/me/security-keys/:id',
    {
      schema: contract.renameSecurityKey,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const key = await securityKeys.rename(session.userId, request.params.id, request.body.name, clientInfo(request));
      return { key: keyJson(key) };
    },
  );

  app.delete(
    '/api/v1/me/security-keys/:id',
    {
      schema: contract.removeSecurityKey,
    },
    async (request, reply) => {
      const session = await services.sessions.require(request);
      const ended = await securityKeys.remove(
        request.params.id,
        request.body.password,
        clientInfo(request),
        signOutChoice(session, request.body),
      );
      return ended === null ? reply.code(204).send() : reply.code(200).send({ otherSessionsEnded: ended });
    },
  );

  app.post(
    '/api/v1/me/security-keys/:id/test/options',
    {
      schema: contract.securityKeyTestOptions,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { options: await securityKeys.testOptions(session.userId, request.params.id) };
    },
  );

  app.post(
    '/api/v1/me/security-keys/:id/test',
    {
      schema: contract.testSecurityKey,
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const key = await securityKeys.test(
        session.userId,
        request.params.id,
        request.body.credential,
        clientInfo(request),
      );
      return { key: keyJson(key) };
    },
  );

  app.post(
    '/api/v1/session/security-key/options',
    {
      schema: contract.securityKeySignInOptions,
    },
    async (request) => ({ options: await securityKeys.signInOptions(request.body.ticket) }),
  );

  app.post(
    '/api/v1/session/security-key',
    {
      schema: contract.signInWithSecurityKey,
    },
    async (request, reply) => {
      const { ticket, credential } = request.body;
      const signedIn = await securityKeys.signInWithKey(ticket, credential, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return { status: 'signed_in' as const, username: signedIn.account.username };
    },
  );
}
