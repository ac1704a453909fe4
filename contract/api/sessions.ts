import { SIGN_IN_METHODS } from '../values.js';
import { dateTime, endpoint, errorResponses, noContent, type JsonOf } from './schema.js';

/** docs/api.md "Session": always 204, whatever the request carries. */
export const signOut = endpoint({
  tags: ['sign-in'],
  summary: 'Sign out: revoke the session on the server and clear the cookie (always 204)',
  response: { 204: noContent },
});

/**
 * One place the account is signed in. `id` is opaque and never the token (SECURITY.md "Sessions");
 * `ip`, `userAgent` and `signInMethod` are what the server saw at sign-in, null for a session that
 * began before the server kept them.
 */
const session = {
  type: 'object',
  required: ['id', 'current', 'createdAt', 'lastSeenAt', 'ip', 'userAgent', 'signInMethod'],
  properties: {
    id: { type: 'string' },
    current: { type: 'boolean', description: 'the session this request came with' },
    createdAt: dateTime,
    lastSeenAt: dateTime,
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    signInMethod: { type: ['string', 'null'], enum: [...SIGN_IN_METHODS, null] },
  },
} as const;

const sessionIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64, description: 'the id from the session list' } },
} as const;

export const listSessions = endpoint({
  tags: ['sessions'],
  summary: 'Where the account is signed in: every live session, newest first',
  response: {
    200: { type: 'object', required: ['sessions'], properties: { sessions: { type: 'array', items: session } } },
    ...errorResponses(401),
  },
});

export const endSession = endpoint({
  tags: ['sessions'],
  summary: 'Sign one session out; its very next request is 401',
  params: sessionIdParams,
  response: { 204: noContent, ...errorResponses(401, 403, 404) },
});

export const endOtherSessions = endpoint({
  tags: ['sessions'],
  summary: 'Sign out everywhere else: every session of the account but this one ends',
  response: {
    200: { type: 'object', required: ['ended'], properties: { ended: { type: 'integer', minimum: 0 } } },
    ...errorResponses(401, 403),
  },
});

export type Session = JsonOf<typeof session>;
export type Sessions = JsonOf<(typeof listSessions.response)[200]>;
export type OtherSessionsEnded = JsonOf<(typeof endOtherSessions.response)[200]>;
