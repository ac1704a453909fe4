import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import { body, codeField, errorResponses, passwordField, signedInSchema, ticketField } from '../../http/schemas.js';
import type { AppServices } from '../../services.js';

export function signInRoutes(app: FastifyInstance, services: AppServices): void {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/session',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Sign in with username and password; may ask for a second factor',
        ...body({ username: { type: 'string', maxLength: 256 }, password: passwordField }),
        response: {
          200: {
            oneOf: [
              signedInSchema,
              {
                type: 'object',
                required: ['status', 'ticket', 'methods', 'expiresAt'],
                properties: {
                  status: { type: 'string', enum: ['second_factor_required'] },
                  ticket: { type: 'string' },
                  methods: { type: 'array', items: { type: 'string', enum: ['totp', 'backup_code', 'security_key'] } },
                  expiresAt: { type: 'string', format: 'date-time' },
                },
              },
            ],
          },
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const result = await services.signIn.withPassword(
        request.body.username,
        request.body.password,
        clientInfo(request),
      );
      if (result.status === 'second_factor_required') {
        return { ...result, expiresAt: new Date(result.expiresAt).toISOString() };
      }
      services.sessions.setCookie(reply, result.sessionToken);
      return { status: 'signed_in', username: result.account.username };
    },
  );

  app.post<{ Body: { ticket: string; code: string } }>(
    '/api/v1/session/totp',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Complete sign-in with a 6-digit authenticator-app code',
        ...body({ ticket: ticketField, code: codeField }),
        response: { 200: signedInSchema, ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      const { ticket, code } = request.body;
      const signedIn = await services.signIn.withTotp(ticket, code, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return { status: 'signed_in', username: signedIn.account.username };
    },
  );

  app.post<{ Body: { ticket: string; code: string } }>(
    '/api/v1/session/backup-code',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Complete sign-in with a single-use backup code',
        ...body({ ticket: ticketField, code: codeField }),
        response: {
          200: {
            type: 'object',
            required: ['status', 'username', 'backupCodesRemaining'],
            properties: {
              status: { type: 'string', enum: ['signed_in'] },
              username: { type: 'string' },
              backupCodesRemaining: { type: 'integer' },
            },
          },
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const { ticket, code } = request.body;
      const signedIn = await services.signIn.withBackupCode(ticket, code, clientInfo(request));
      services.sessions.setCookie(reply, signedIn.sessionToken);
      return {
        status: 'signed_in',
        username: signedIn.account.username,
        backupCodesRemaining: signedIn.backupCodesRemaining,
      };
    },
  );
}
