import { KEY_ATTACHMENTS, KEY_NAME_MAX_CHARACTERS, SECURITY_KEY_TYPES } from '../values.js';
import {
  closedBody,
  endpoint,
  errorResponses,
  newBackupCodes,
  noContent,
  otherSessionsEnded,
  passwordField,
  signedIn,
  signOutOtherSessionsField,
  ticketField,
  type JsonOf,
} from './schema.js';
import { authenticationCredential, creationOptions, registrationCredential, requestOptions } from './webauthn.js';

/** Read to its 256th character only; the name itself is trimmed and then checked. */
const keyNameField = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  description: `1 to ${KEY_NAME_MAX_CHARACTERS} characters after trimming`,
} as const;

const securityKey = {
  type: 'object',
  required: ['id', 'name', 'type', 'createdAt', 'lastUsedAt', 'passkey'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: SECURITY_KEY_TYPES },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    passkey: {
      type: 'boolean',
      description: 'registered with user verification as a discoverable credential: it can sign in on its own',
    },
  },
} as const;

const keyIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 32, description: 'the id from the key list' } },
} as const;

export const securityKeyOptions = endpoint({
  tags: ['security keys'],
  summary: 'Start adding a security key (password): WebAuthn creation options, good for 5 minutes',
  description:
    '`attachment` (optional) is the person’s choice: "cross-platform" for a USB security key, "platform" for ' +
    'this device’s built-in authenticator (fingerprint reader); it sets `hints` and `authenticatorAttachment`.',
  body: closedBody({ password: passwordField, attachment: { type: 'string', enum: KEY_ATTACHMENTS } }, ['password']),
  response: { 200: creationOptions, ...errorResponses(401, 403, 429) },
});

export const addSecurityKey = endpoint({
  tags: ['security keys'],
  summary: 'Finish adding a security key; the first second factor also returns ten backup codes',
  body: closedBody({ name: keyNameField, credential: registrationCredential }),
  response: {
    201: {
      type: 'object',
      required: ['key', 'backupCodes'],
      properties: { key: securityKey, backupCodes: newBackupCodes },
    },
    ...errorResponses(401, 403, 409),
  },
});

export const listSecurityKeys = endpoint({
  tags: ['security keys'],
  summary: "The account's security keys, oldest first",
  response: {
    200: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: securityKey } } },
    ...errorResponses(401),
  },
});

export const renameSecurityKey = endpoint({
  tags: ['security keys'],
  summary: 'Rename a security key',
  params: keyIdParams,
  body: closedBody({ name: keyNameField }),
  response: {
    200: { type: 'object', required: ['key'], properties: { key: securityKey } },
    ...errorResponses(401, 403, 404),
  },
});

export const removeSecurityKey = endpoint({
  tags: ['security keys'],
  summary: 'Remove a security key (password); with no second factor left, the backup codes go too',
  description:
    'With `signOutOtherSessions: true` every other session of the account ends too, and the answer is 200 ' +
    '`{"otherSessionsEnded": n}`; without it, 204.',
  params: keyIdParams,
  body: closedBody({ password: passwordField, signOutOtherSessions: signOutOtherSessionsField }, ['password']),
  response: {
    200: { type: 'object', required: ['otherSessionsEnded'], properties: { otherSessionsEnded } },
    204: noContent,
    ...errorResponses(401, 403, 404, 429),
  },
});

export const securityKeyTestOptions = endpoint({
  tags: ['security keys'],
  summary: 'Start testing one security key: WebAuthn request options allowing only that key',
  params: keyIdParams,
  body: closedBody({}),
  response: { 200: requestOptions, ...errorResponses(401, 403, 404) },
});

export const testSecurityKey = endpoint({
  tags: ['security keys'],
  summary: "Finish testing a security key: its answer is verified and its last use updated; nobody's session changes",
  params: keyIdParams,
  body: closedBody({ credential: authenticationCredential }),
  response: {
    200: { type: 'object', required: ['key'], properties: { key: securityKey } },
    ...errorResponses(401, 403, 404),
  },
});

export const securityKeySignInOptions = endpoint({
  tags: ['sign-in'],
  summary: "Second step with a security key: WebAuthn request options listing the account's keys",
  body: closedBody({ ticket: ticketField }),
  response: { 200: requestOptions, ...errorResponses(401, 409) },
});

export const signInWithSecurityKey = endpoint({
  tags: ['sign-in'],
  summary: 'Complete sign-in with a security key',
  body: closedBody({ ticket: ticketField, credential: authenticationCredential }),
  response: { 200: signedIn, ...errorResponses(401, 429) },
});

export type SecurityKey = JsonOf<typeof securityKey>;
export type SecurityKeyOptionsBody = JsonOf<typeof securityKeyOptions.body>;
export type AddedSecurityKey = JsonOf<(typeof addSecurityKey.response)[201]>;
export type SecurityKeys = JsonOf<(typeof listSecurityKeys.response)[200]>;
export type RemoveSecurityKeyBody = JsonOf<typeof removeSecurityKey.body>;
export type SecurityKeysSignedOut = JsonOf<(typeof removeSecurityKey.response)[200]>;
export type TestSecurityKeyBody = JsonOf<typeof testSecurityKey.body>;
export type TestedSecurityKey = JsonOf<(typeof testSecurityKey.response)[200]>;
export type RenameSecurityKeyBody = JsonOf<typeof renameSecurityKey.body>;
export type SecurityKeySignInOptionsBody = JsonOf<typeof securityKeySignInOptions.body>;
export type RenamedSecurityKey = JsonOf<(typeof renameSecurityKey.response)[200]>;
