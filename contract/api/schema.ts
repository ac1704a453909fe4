// The building blocks of the endpoint schemas: JSON Schema objects written `as const`, so that
// json-schema-to-ts derives their TypeScript types at compile time and nothing but the plain
// objects exists at run time (no schema library is loaded when the server starts, and the page
// may import any of this). Fastify validates requests with them (Ajv), serialises answers with them
// (fast-json-stringify) and @fastify/swagger publishes them as the OpenAPI document.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { ERROR_CODES } from '../errors.js';
import { BACKUP_CODE_COUNT, PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS } from '../values.js';

/**
 * The TypeScript type of a schema. Objects without `additionalProperties: false` (every answer:
 * an answer may gain fields) would read as holding any other key too; here they hold only what the
 * schema names, so a misspelt or renamed field fails the type check.
 */
export type JsonOf<S extends JSONSchema> = Named<FromSchema<S>>;

type Named<T> = T extends readonly (infer Item)[]
  ? Named<Item>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Named<T[K]> }
    : T;

/** The parts of a route's schema (Fastify's `schema` option) that the contract writes. */
export interface Endpoint {
  tags: string[];
  summary: string;
  description?: string;
  body?: JSONSchema;
  params?: JSONSchema;
  response: Record<number, JSONSchema>;
}

/** An endpoint's schema, its body and answers keeping their literal types for the type provider. */
export function endpoint<const E extends Endpoint>(definition: E): E {
  return definition;
}

// A GET has no body schema: Fastify never reads the body of a GET, whatever it holds
// (docs/api.md "Bodies"), so a schema there would refuse nothing.
/**
 * A request body: exactly these fields (docs/api.md "Bodies": an unknown field is 400
 * invalid_request), the named ones required (all of them unless listed).
 */
export function closedBody<
  const P extends Record<string, JSONSchema>,
  const R extends readonly (keyof P & string)[] = (keyof P & string)[],
>(properties: P, required?: R) {
  return {
    type: 'object',
    additionalProperties: false,
    required: (required ?? Object.keys(properties)) as R,
    properties,
  } as const;
}

export const passwordField = {
  type: 'string',
  description: `${PASSWORD_MIN_CHARACTERS} to ${PASSWORD_MAX_CHARACTERS} characters after NFC normalisation`,
} as const;

/** Read to its 256th character only: longer is no username at all. */
export const usernameField = { type: 'string', maxLength: 256 } as const;

export const codeField = {
  type: 'string',
  maxLength: 64,
  description: 'spaces and dashes are ignored',
} as const;

/**
 * docs/api.md "Signing out everywhere else": a sensitive change may end every other session of the
 * account in the same step; the answer then says how many ended (`otherSessionsEnded`).
 */
export const signOutOtherSessionsField = {
  type: 'boolean',
  description: 'true: every other session of the account ends in the same step',
} as const;

/** How many other sessions a change ended; present when the body asked for it. */
export const otherSessionsEnded = { type: 'integer', minimum: 0 } as const;

export const ticketField = { type: 'string', maxLength: 128 } as const;

/** A 204 answer: no body at all. */
export const noContent = { type: 'null', description: 'No content' } as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;

export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ERROR_CODES },
        message: { type: 'string' },
        driftSeconds: {
          type: 'integer',
          description: "clock_drift only: seconds the phone's clock is off, negative when it is behind",
        },
      },
    },
  },
} as const;

/** The error answers a route documents: the statuses given, and 400 and 503, which any route may give. */
export function errorResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries([...new Set([400, ...statuses, 503])].map((status) => [status, errorBody])) as Record<
    400 | S[number] | 503,
    typeof errorBody
  >;
}

export const twoFactorStatus = {
  type: 'object',
  required: ['enabled', 'totp', 'securityKeys', 'backupCodesRemaining'],
  properties: {
    enabled: { type: 'boolean' },
    totp: { type: 'boolean' },
    securityKeys: { type: 'integer' },
    backupCodesRemaining: { type: 'integer' },
  },
} as const;

export const signedIn = {
  type: 'object',
  required: ['status', 'username'],
  properties: { status: { type: 'string', enum: ['signed_in'] }, username: { type: 'string' } },
} as const;

export const backupCodes = {
  type: 'array',
  minItems: BACKUP_CODE_COUNT,
  maxItems: BACKUP_CODE_COUNT,
  items: { type: 'string', pattern: '^[a-z0-9]{5}-[a-z0-9]{5}$' },
} as const;

/** Ten codes when this change turned two-factor on; null when it was on already. */
export const newBackupCodes = { anyOf: [backupCodes, { type: 'null' }] } as const;

export type TwoFactorStatus = JsonOf<typeof twoFactorStatus>;
export type SignedIn = JsonOf<typeof signedIn>;
export type { ErrorBody } from '../errors.js';
