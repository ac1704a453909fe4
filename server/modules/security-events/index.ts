// What other modules may use of the security events; the rest is the module's own (eslint.config.js).
export type { SecurityEvent, SecurityEventType } from './repository.js';
export type { SecurityEventLog } from './service.js';
