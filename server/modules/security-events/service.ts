import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { SecurityEvent, SecurityEventRepository, SecurityEventType } from './repository.js';

const LIST_LIMIT = 50;

export type SecurityEventListener = (userId: number, event: SecurityEvent) => void;

/** The account's security history: what happened, when, and from where. */
export class SecurityEventLog {
  private readonly listeners: SecurityEventListener[] = [];

  constructor(
    private readonly repository: SecurityEventRepository,
    private readonly clock: Clock,
  ) {}

  async record(userId: number, type: SecurityEventType, client: ClientInfo | null): Promise<void> {
    const event: SecurityEvent = {
      type,
      at: this.clock.now(),
      ip: client?.ip ?? null,
      userAgent: client?.userAgent ?? null,
    };
    await this.repository.add(userId, event);
    for (const listener of this.listeners) listener(userId, event);
  }

  list(userId: number): Promise<SecurityEvent[]> {
    return this.repository.listRecent(userId, LIST_LIMIT);
  }

  onEvent(listener: SecurityEventListener): void {
    this.listeners.push(listener);
  }
}
