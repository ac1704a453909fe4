import { endpoint, noContent } from './schema.js';

/** docs/api.md "Session": always 204, whatever the request carries. */
export const signOut = endpoint({
  tags: ['sign-in'],
  summary: 'Sign out: revoke the session on the server and clear the cookie (always 204)',
  response: { 204: noContent },
});
