// What other modules may use of security keys; the rest (storage, challenges, the WebAuthn
// library) is the module's own (eslint.config.js). Passkey sign-in (modules/passkeys) asks
// KeyAssertions for its options and to check an answer, and answers a refusal as this module does.
export type { KeyAssertions } from './assertions.js';
export { credentialRefused, type CredentialRefusal } from './refusals.js';
export type { SecurityKeyRepository } from './repository.js';
