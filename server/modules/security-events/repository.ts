import type { SecurityEventType } from '../../../contract/values.js';

export { SECURITY_EVENT_TYPES, type SecurityEventType } from '../../../contract/values.js';

export interface SecurityEvent {
  type: SecurityEventType;
  at: number;
  ip: string | null;
  userAgent: string | null;
}

export interface SecurityEventRepository {
  add(userId: number, event: SecurityEvent): Promise<void>;
  /** Newest first. */
  listRecent(userId: number, limit: number): Promise<SecurityEvent[]>;
}
