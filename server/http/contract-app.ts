// The Fastify instance the routes register on, typed by the contract's schemas (contract/api/):
// a route's body, parameters and answers have the types its schema describes, so an answer that
// leaves out or misnames a field fails the type check. Types only: json-schema-to-ts reads the
// `as const` schemas at compile time, and nothing of it runs.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { noContent } from '../../contract/api/schema.js';
import type {
  authenticationCredential,
  creationOptions,
  registrationCredential,
  requestOptions,
} from '../../contract/api/webauthn.js';

/** A schema recognised by its description: the contract's own, so the two cannot drift apart. */
type Described<S extends { description: string }, Output> = {
  pattern: { description: S['description'] };
  output: Output;
};

/**
 * The schemas check the WebAuthn objects loosely (their contents are the WebAuthn library's to
 * verify and to build), so those travel with the library's own types; a 204 sends no body.
 */
type Provider = JsonSchemaToTsProvider<{
  ValidatorSchemaOptions: {
    deserialize: [
      Described<typeof authenticationCredential, AuthenticationResponseJSON>,
      Described<typeof registrationCredential, RegistrationResponseJSON>,
    ];
  };
  SerializerSchemaOptions: {
    deserialize: [
      Described<(typeof creationOptions)['properties']['options'], PublicKeyCredentialCreationOptionsJSON>,
      Described<(typeof requestOptions)['properties']['options'], PublicKeyCredentialRequestOptionsJSON>,
      Described<typeof noContent, undefined>,
    ];
  };
}>;

export type ContractApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  Provider
>;

export function withContractTypes(app: FastifyInstance): ContractApp {
  return app.withTypeProvider<Provider>();
}
