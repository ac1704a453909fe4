// What other modules may use of sessions; the rest is the module's own (eslint.config.js).
export type { SessionManager } from './service.js';
