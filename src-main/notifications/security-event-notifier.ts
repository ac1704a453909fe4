// OS notifications for the security changes a person must hear about even when they didn't make
// them: two-factor disabled, a backup code used, a security key added or removed, the password
// changed, and what an administrator did to the account (docs/deployment.md "Helpdesk recovery").
//
// The main process reads the account's own event list (docs/api.md "GET /api/v1/me/events") rather
// than trusting the page to report: it catches changes made in another browser or on another
// device, and a compromised page can't suppress them. It reads only at moments the person is
// using the app (the window gains focus; the User Center just made a change), never on a timer,
// so a background poll never keeps an idle session alive past the server's idle sign-out.
// A high-water mark per server, kept in the user-data folder, makes each event notify once,
// also across restarts; the first read on a new server only sets the mark (no history replay).

import type { SecurityEventType } from '../../contract/values.js';

interface Notification {
  title: string;
  body: string;
}

export interface SecurityEvent {
  type: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** The events that notify; every other type (contract/values.ts) stays in the activity list. */
export const NOTIFIED_EVENTS: Readonly<Partial<Record<SecurityEventType, Notification>>> = {
  totp_disabled: {
    title: 'Two-factor authentication was turned off',
    body: 'If this wasn’t you, change your password and turn two-factor authentication back on.',
  },
  backup_code_used: {
    title: 'A backup code was used to sign in',
    body: 'Each backup code works once. If this wasn’t you, change your password and generate new codes.',
  },
  security_key_added: {
    title: 'A security key was added',
    body: 'If this wasn’t you, remove the key in Settings > Security and change your password.',
  },
  security_key_removed: {
    title: 'A security key was removed',
    body: 'If this wasn’t you, change your password and review your security keys.',
  },
  // Every other session ends with it: when it was changed elsewhere, this shows once the person
  // signs in here again (the mark keeps it until then).
  password_changed: {
    title: 'Your Latchkey password was changed',
    body: 'If this wasn’t you, reset your password with your administrator and review where you are signed in.',
  },
  // What an administrator did with `npm run admin`: the person hears it from the app, not only
  // from the activity list.
  two_factor_reset_by_admin: {
    title: 'An administrator reset your two-factor authentication',
    body: 'Your password alone signs you in now. Turn two-factor authentication back on in Settings > Security.',
  },
  account_unlocked_by_admin: {
    title: 'An administrator unlocked your sign-in',
    body: 'Sign-in was paused after failed attempts. If you did not ask for this, tell your administrator.',
  },
  sessions_ended_by_admin: {
    title: 'An administrator signed you out everywhere',
    body: 'Every place you were signed in has ended. If you did not ask for this, tell your administrator.',
  },
};

/** What to show for an event type read from the server, or undefined when it does not notify. */
function notificationFor(type: string): Notification | undefined {
  return Object.hasOwn(NOTIFIED_EVENTS, type) ? NOTIFIED_EVENTS[type as SecurityEventType] : undefined;
}

/** Narrows the body of GET /api/v1/me/events; entries that don't fit are skipped. */
export function parseEvents(body: unknown): SecurityEvent[] {
  if (typeof body !== 'object' || body === null) throw new Error('The events answer is not an object.');
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) throw new Error('The events answer has no events list.');
  const parsed: SecurityEvent[] = [];
  for (const entry of events) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { type, at } = entry as Record<string, unknown>;
    const time = typeof at === 'string' ? Date.parse(at) : NaN;
    if (typeof type === 'string' && Number.isFinite(time)) parsed.push({ type, at: time });
  }
  return parsed;
}

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string> },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/** Reads the events with the session token as a Bearer header; null when not signed in. */
export function eventFeed(
  origin: () => string,
  sessionToken: () => Promise<string | null>,
  fetch: FetchLike,
): () => Promise<SecurityEvent[] | null> {
  return async () => {
    const token = await sessionToken();
    if (token === null) return null;
    const response = await fetch(`${origin()}/api/v1/me/events`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (response.status === 401) return null;
    if (response.status !== 200) throw new Error(`GET /api/v1/me/events answered ${response.status}.`);
    return parseEvents(await response.json());
  };
}

export interface EventMarks {
  get(server: string): Promise<number | undefined>;
  set(server: string, at: number): Promise<void>;
}

export interface NotifierOptions {
  server: () => string;
  fetchEvents: () => Promise<SecurityEvent[] | null>;
  marks: EventMarks;
  notify: (title: string, body: string) => void;
  enabled: () => boolean;
}

export class SecurityEventNotifier {
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly options: NotifierOptions) {}

  /** Reads the events and notifies the new ones; resolves with how many were shown. */
  check(): Promise<number> {
    if (this.running) {
      // A check is under way: run one more after it, so a change made meanwhile is not missed.
      this.again = true;
      return this.running;
    }
    this.running = this.checkOnce().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.check();
      }
    });
    return this.running;
  }

  private async checkOnce(): Promise<number> {
    if (!this.options.enabled()) return 0;
    const events = await this.options.fetchEvents();
    if (events === null) return 0;
    const server = this.options.server();
    const newest = events.reduce((max, event) => Math.max(max, event.at), 0);
    const mark = await this.options.marks.get(server);
    if (mark === undefined) {
      await this.options.marks.set(server, newest);
      return 0;
    }
    const fresh = events.filter((event) => event.at > mark && notificationFor(event.type)).sort((a, b) => a.at - b.at);
    for (const event of fresh) {
      const text = notificationFor(event.type)!;
      this.options.notify(text.title, text.body);
    }
    if (newest > mark) await this.options.marks.set(server, newest);
    return fresh.length;
  }
}

/** Whether a response from the window is a change worth a look at the events. */
export function isAccountChange(
  response: { method: string; url: string; statusCode: number },
  origin: string,
): boolean {
  if (!['POST', 'PATCH', 'DELETE'].includes(response.method)) return false;
  if (response.statusCode < 200 || response.statusCode >= 300) return false;
  try {
    const url = new URL(response.url);
    return url.origin === origin && url.pathname.startsWith('/api/v1/');
  } catch {
    return false;
  }
}
