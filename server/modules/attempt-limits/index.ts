// What other modules may use of the attempt limits; the rest is the module's own (eslint.config.js).
export type { AttemptLimiter, Reservation } from './service.js';
