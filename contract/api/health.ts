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

/** Why an instance should not be sent requests (docs/deployment.md "Health checks"). */
export const UNREADINESS = ['stopping', 'database_unreachable'] as const;
export type Unreadiness = (typeof UNREADINESS)[number];

const ok = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

export const live = endpoint({
  tags: ['health'],
  summary: 'For a load balancer: the process answers',
  response: { 200: ok },
});

export const ready = endpoint({
  tags: ['health'],
  summary: 'For a load balancer: send this instance requests (its database answers, it is not stopping)',
  response: {
    200: ok,
    503: {
      type: 'object',
      required: ['status', 'reason'],
      properties: {
        status: { type: 'string', enum: ['unavailable'] },
        reason: { type: 'string', enum: UNREADINESS },
      },
    },
  },
});
