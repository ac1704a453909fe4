// What other modules may use of sessions; the rest is the module's own (eslint.config.js).
export type { AuthenticatedSession, SessionManager, SessionView } from './service.js';
export type { SignInMethod } from './repository.js';
