// Sessions: 256-bit random tokens, stored as SHA-256, carried in the HttpOnly cookie
// `latchkey_session` or as `Authorization: Bearer` (docs/api.md "Session"). Idle and absolute
// lifetimes are enforced here on every request.
// The cookie plugin's types (reply.setCookie, request.cookies), for every program that compiles
// this file, whether or not it also compiles app.ts, which registers the plugin.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../../contract/values.js';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import { errors, type ApiError } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import { assertOriginForCookieAuth } from '../../http/request-guards.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import { hashToken, isWellFormedToken, newToken } from '../../crypto/tokens.js';
import type { AccountProfile } from '../accounts/index.js';
import type { SecurityEventLog } from '../security-events/index.js';
import type { SessionRecord, SessionRepository, SignInMethod } from './repository.js';

export { SESSION_COOKIE };
/** last_seen_at is written at most this often (or a 30th of the idle limit, if shorter), so reads stay reads. */
const MAX_TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticatedSession {
  userId: number;
  account: AccountProfile;
  tokenHash: Buffer;
  via: 'cookie' | 'bearer';
}

/** A session as the list shows it (docs/api.md "GET /api/v1/me/sessions"). */
export interface SessionView extends Omit<SessionRecord, 'tokenHash' | 'userId' | 'expiresAt' | 'publicId'> {
  id: string;
  current: boolean;
}

/** The public id: 128 random bits as 32 hex digits, like the ids migration 005 gave older sessions. */
const PUBLIC_ID_BYTES = 16;
const PUBLIC_ID = /^[0-9a-f]{32}$/;

export interface SessionLifetimes {
  idleSeconds: number;
  absoluteSeconds: number;
}

export class SessionManager {
  constructor(
    private readonly db: TransactionRunner,
    private readonly repository: SessionRepository,
    private readonly events: SecurityEventLog,
    private readonly lifetimes: SessionLifetimes,
    private readonly secureCookies: () => boolean,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /**
   * Creates a fresh session (never reuses one) and returns its token. Call setCookie() only after
   * the surrounding transaction has committed, so no reply names a session that was rolled back.
   */
  async create(userId: number, client: ClientInfo, signInMethod: SignInMethod): Promise<string> {
    const token = newToken(this.random);
    const now = this.clock.now();
    await this.repository.create({
      tokenHash: hashToken(token),
      publicId: this.random.bytes(PUBLIC_ID_BYTES).toString('hex'),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.lifetimes.absoluteSeconds * 1000,
      // ClientInfo bounds the user agent (http/client-info.ts), so a row stays small.
      ip: client.ip,
      userAgent: client.userAgent,
      signInMethod,
    });
    return token;
  }

  /** Where the account is signed in: its live sessions, newest first, the asking one marked. */
  async list(current: AuthenticatedSession): Promise<SessionView[]> {
    const now = this.clock.now();
    const sessions = await this.repository.listLive(current.userId, now, now - this.idleLimitMs());
    return sessions.map(({ tokenHash, publicId, createdAt, lastSeenAt, ip, userAgent, signInMethod }) => ({
      id: publicId,
      current: tokenHash.equals(current.tokenHash),
      createdAt,
      lastSeenAt,
      ip,
      userAgent,
      signInMethod,
    }));
  }

  /** How many live sessions the account has. */
  async countLive(userId: number): Promise<number> {
    const now = this.clock.now();
    return (await this.repository.listLive(userId, now, now - this.idleLimitMs())).length;
  }

  /**
   * Ends one of the account's sessions by its public id: its very next request finds no row and
   * is 401. parse → change → record event. 404 for an id the account has no session by, whether
   * unknown, ended or another account's: the answer does not tell them apart.
   */
  async end(current: AuthenticatedSession, publicId: string, client: ClientInfo): Promise<void> {
    // parse
    if (!PUBLIC_ID.test(publicId)) throw sessionNotFound();
    // change → record event
    await this.db.transaction(async () => {
      if (!(await this.repository.deleteByPublicId(current.userId, publicId))) throw sessionNotFound();
      await this.events.record(current.userId, 'session_ended', client);
    });
  }

  /** "Sign out everywhere else": every session of the account but the asking one; how many ended. */
  signOutOthers(current: AuthenticatedSession, client: ClientInfo): Promise<number> {
    return this.db.transaction(() => this.endOthers(current, client));
  }

  /**
   * Ends every session of the account but `current`, recording other_sessions_ended when any
   * ended; how many did. Call inside the transaction of the change it goes with (a factor
   * removed, new backup codes), so that both commit or neither does.
   */
  async endOthers(current: AuthenticatedSession, client: ClientInfo): Promise<number> {
    const ended = await this.endAllBut(current.userId, current.tokenHash);
    if (ended > 0) await this.events.record(current.userId, 'other_sessions_ended', client);
    return ended;
  }

  /**
   * Ends every session of the account but the one with `keep` (all of them when null), recording
   * nothing: the caller's event says why (a password change, an administrator). How many live
   * ones ended.
   */
  endAllBut(userId: number, keep: Buffer | null): Promise<number> {
    const now = this.clock.now();
    return this.repository.deleteAllBut(userId, keep, now, now - this.idleLimitMs());
  }

  setCookie(reply: FastifyReply, token: string): void {
    reply.setCookie(SESSION_COOKIE, token, this.cookieOptions(this.lifetimes.absoluteSeconds));
  }

  /** The session the request carries, or null. When a Bearer header is present the cookie is ignored. */
  async authenticate(request: FastifyRequest): Promise<AuthenticatedSession | null> {
    const presented = presentedToken(request);
    if (!presented || !isWellFormedToken(presented.token)) return null;
    const tokenHash = hashToken(presented.token);
    const found = await this.repository.findWithAccount(tokenHash);
    if (!found) return null;
    const { session, account } = found;
    const now = this.clock.now();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.idleLimitMs()) {
      await this.repository.delete(tokenHash);
      return null;
    }
    if (now - session.lastSeenAt >= this.touchIntervalMs()) {
      await this.repository.touch(tokenHash, now, now - this.idleLimitMs());
    }
    return { userId: session.userId, account, tokenHash, via: presented.via };
  }

  /** The session, or 401 unauthenticated; a cookie-authenticated change must carry an Origin. */
  async require(request: FastifyRequest): Promise<AuthenticatedSession> {
    const session = await this.authenticate(request);
    if (!session) throw errors.unauthenticated();
    if (session.via === 'cookie') assertOriginForCookieAuth(request);
    return session;
  }

  /**
   * Sign-out: revokes the session the request carries, if any, on the server; call clearCookie()
   * once this has returned. Never refused for a missing or unknown session: sign-out always answers 204.
   */
  async signOut(request: FastifyRequest, client: ClientInfo): Promise<void> {
    // parse
    const session = await this.authenticate(request);
    if (!session) return;
    if (session.via === 'cookie') assertOriginForCookieAuth(request);
    // change → record event: they commit together. A failed write leaves the session as it was,
    // and the answer (503) does not clear the cookie of a session that still exists.
    await this.db.transaction(async () => {
      await this.repository.delete(session.tokenHash);
      await this.events.record(session.userId, 'signed_out', client);
    });
  }

  clearCookie(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, this.cookieOptions(0));
  }

  /** Deletes sessions that can no longer authenticate (they would be refused anyway). */
  sweepExpired(): Promise<number> {
    const now = this.clock.now();
    return this.repository.deleteExpired(now, now - this.idleLimitMs());
  }

  /**
   * A request less than one touch interval after the stored last_seen_at does not write it, so
   * the stored time can trail the real last request by up to that interval. The idle check adds
   * the interval back: a session never ends sooner than the idle limit after its last request,
   * and at most one touch interval later (SECURITY.md "Sessions").
   */
  private idleLimitMs(): number {
    return this.lifetimes.idleSeconds * 1000 + this.touchIntervalMs();
  }

  private touchIntervalMs(): number {
    return Math.min(MAX_TOUCH_INTERVAL_MS, (this.lifetimes.idleSeconds * 1000) / 30);
  }

  private cookieOptions(maxAgeSeconds: number) {
    return {
      httpOnly: true,
      sameSite: 'strict' as const,
      path: '/',
      secure: this.secureCookies(),
      maxAge: maxAgeSeconds,
    };
  }
}

function sessionNotFound(): ApiError {
  return errors.notFound('That session');
}

function presentedToken(request: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
    return match ? { token: match[1]!, via: 'bearer' } : null;
  }
  // Cookies do not tell ports or paths apart as origins do: another page on this host can add a
  // second session cookie (a longer path is sent first). Two of them are ambiguous; use neither.
  const named = (request.headers.cookie ?? '')
    .split(';')
    .filter((pair) => pair.split('=', 1)[0]!.trim() === SESSION_COOKIE);
  if (named.length > 1) return null;
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}
