// What other modules may use of accounts; the rest is the module's own (eslint.config.js).
export type { PasswordHasher } from './password-hasher.js';
export { checkPassword } from './password-policy.js';
export type { Account, AccountProfile } from './repository.js';
export { toAccountProfile, type AccountProfileRow } from './rows.js';
export type { AccountService } from './service.js';
export type { PasswordChangeService } from './password-change.js';
export { usernameKey } from './username.js';
