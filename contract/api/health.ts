import { endpoint, type JsonOf } from './schema.js';

export const health = endpoint({
  tags: ['health'],
  summary: 'Liveness, version, and whether registration is open',
  response: {
    200: {
      type: 'object',
      required: ['status', 'version', 'registrationOpen'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        version: { type: 'string' },
        /** Whether POST /api/v1/accounts is open: the User Center offers "Create account" only then. */
        registrationOpen: { type: 'boolean' },
      },
    },
  },
});

export type Health = JsonOf<(typeof health.response)[200]>;
