import { SECURITY_EVENT_TYPES } from '../values.js';
import { endpoint, errorResponses, type JsonOf } from './schema.js';

const securityEvent = {
  type: 'object',
  required: ['type', 'at', 'ip', 'userAgent'],
  properties: {
    type: { type: 'string', enum: SECURITY_EVENT_TYPES },
    at: { type: 'string', format: 'date-time' },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
  },
} as const;

export const listEvents = endpoint({
  tags: ['security events'],
  summary: "The account's recent security events, newest first",
  response: {
    200: {
      type: 'object',
      required: ['events'],
      properties: { events: { type: 'array', items: securityEvent } },
    },
    ...errorResponses(401),
  },
});

export type SecurityEvent = JsonOf<typeof securityEvent>;
export type SecurityEvents = JsonOf<(typeof listEvents.response)[200]>;
