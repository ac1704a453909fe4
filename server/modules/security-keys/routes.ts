import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import {
  backupCodesSchema,
  body,
  errorResponses,
  noBody,
  passwordField,
  signedInSchema,
  ticketField,
} from '../../http/schemas.js';
import type { AppServices } from '../../services.js';
import {
  authenticationCredentialSchema,
  creationOptionsSchema,
  keyJson,
  keyNameField,
  keySchema,
  registrationCredentialSchema,
  requestOptionsSchema,
} from './schemas.js';
import type { Attachment } from './webauthn.js';

const keyIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 32, description: 'the id from the key list' } },
};

export function securityKeyRoutes(app: FastifyInstance, services: AppServices): void {
  const { securityKeys } = services;

  app.post<{ Body: { password: string; attachment?: Attachment } }>(
    '/api/v1/me/security-keys/options',
    {
      schema: {
        tags: ['security keys'],
        summary: 'Start adding a security key (password): WebAuthn creation options, good for 5 minutes',
        description:
          '`attachment` (optional) is the person’s choice: "cross-platform" for a USB security key, "platform" for ' +
          'this device’s built-in authenticator (fingerprint reader); it sets `hints` and `authenticatorAttachment`.',
        ...body({ password: passwordField, attachment: { type: 'string', enum: ['cross-platform', 'platform'] } }, [
          'password',
        ]),
        response: { 200: creationOptionsSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const { password, attachment } = request.body;
      return {
        options: await securityKeys.registrationOptions(session.account, password, clientInfo(request), attachment),
      };
    },
  );

  app.post<{ Body: { name: string; credential: RegistrationResponseJSON } }>(
    '/api/v1/me/security-keys',
    {
      schema: {
        tags: ['security keys'],
        summary: 'Finish adding a security key; the first second factor also returns ten backup codes',
        ...body({ name: keyNameField, credential: registrationCredentialSchema }),
        response: {
          201: {
            type: 'object',
            required: ['key', 'backupCodes'],
            properties: { key: keySchema, backupCodes: { anyOf: [backupCodesSchema, { type: 'null' }] } },
          },
          ...errorResponses(401, 403, 409),
        },
      },
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
      schema: {
        tags: ['security keys'],
        summary: "The account's security keys, oldest first",
        ...noBody,
        response: {
          200: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: keySchema } } },
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { keys: (await securityKeys.list(session.userId)).map(keyJson) };
    },
  );

  app.patch<{ Params: { id: string }; Body: { name: string } }>(
    '/api/v1/me/security-keys/:id',
    {
      schema: {
        tags: ['security keys'],
        summary: 'Rename a security key',
        params: keyIdParams,
        ...body({ name: keyNameField }),
        response: {
          200: { type: 'object', required: ['key'], properties: { key: keySchema } },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const key = await securityKeys.rename(session.userId, request.params.id, request.body.name, clientInfo(request));
      return { key: keyJson(key) };
    },
  );

  app.delete<{ Params: { id: string }; Body: { password: string } }>(
    '/api/v1/me/security-keys/:id',
    {
      schema: {
        tags: ['security keys'],
        summary: 'Remove a security key (password); with no second factor left, the backup codes go too',
        params: keyIdParams,
        ...body({ password: passwordField }),
        response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const session = await services.sessions.require(request);
      await securityKeys.remove(session.account, request.params.id, request.body.password, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { ticket: string } }>(
    '/api/v1/session/security-key/options',
    {
      schema: {
        tags: ['sign-in'],
        summary: "Second step with a security key: WebAuthn request options listing the account's keys",
        ...body({ ticket: ticketField }),
        response: { 200: requestOptionsSchema, ...errorResponses(401, 409) },
      },
    },
    async (request) => ({ options: await securityKeys.signInOptions(request.body.ticket) }),
  );

  app.post<{ Body: { ticket: string; credential: AuthenticationResponseJSON } }>(
    '/api/v1/session/security-key',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Complete sign-in with a security key',
        ...body({ ticket: ticketField, credential: authenticationCredentialSchema }),
        response: { 200: signedInSchema, ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      const { ticket, credential } = request.body;
      const signedIn = await securityKeys.signInWithKey(ticket, credential, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return { status: 'signed_in', username: signedIn.account.username };
    },
  );
}
