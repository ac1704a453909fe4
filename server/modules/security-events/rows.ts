// The security_events columns both backends list.
import type { SecurityEvent, SecurityEventType } from './repository.js';

export interface EventRow {
  type: string;
  at: number;
  ip: string | null;
  user_agent: string | null;
}

export const toEvent = (row: EventRow): SecurityEvent => ({
  type: row.type as SecurityEventType,
  at: row.at,
  ip: row.ip,
  userAgent: row.user_agent,
});
