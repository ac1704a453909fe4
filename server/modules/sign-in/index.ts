// What other modules may use of sign-in; the rest is the module's own (eslint.config.js).
export type { SignedIn, SignInService } from './service.js';
