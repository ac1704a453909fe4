// Changing the password (docs/api.md "POST /api/v1/me/password"; SECURITY.md "Changing the
// password"): parse → limit and verify (the current password, as every re-authentication) →
// change → record event. A person whose password leaked takes the account back here, so the new
// hash, the end of every other session and of every sign-in waiting for its second factor, and the
// event commit in one transaction: there is no moment at which the new password is set and a
// session opened with the old one still works.
import { errors, ApiError } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import type { SecurityEventLog } from '../security-events/index.js';
import type { AuthenticatedSession, SessionManager } from '../sessions/index.js';
import type { SignInService } from '../sign-in/index.js';
import type { PasswordHasher } from './password-hasher.js';
import { acceptNewPassword } from './password-policy.js';
import type { AccountRepository } from './repository.js';
import type { AccountService } from './service.js';

export class PasswordChangeService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly repository: AccountRepository,
    private readonly accounts: AccountService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionManager,
    private readonly signIn: SignInService,
    private readonly events: SecurityEventLog,
  ) {}

  /** How many other sessions ended. The session that asked stays signed in. */
  async change(
    session: AuthenticatedSession,
    password: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<number> {
    const { account } = session;
    // parse: the new password meets the rules of registration (docs/api.md "Passwords")
    const normalized = acceptNewPassword(newPassword);
    // limit → verify: a wrong current password counts toward the account's limit
    const checkedHash = await this.accounts.reauthenticate(account, password, client);
    // Only now, once the current password is proven, may the answer say whether the new one is
    // the same: before, it would tell a guesser holding a session whether a guess is right.
    if (password.normalize('NFC') === normalized) {
      throw new ApiError(400, 'password_unchanged');
    }
    const newHash = await this.hasher.hash(normalized);
    // change → record event, in one commit
    return this.db.transaction(async () => {
      await this.db.lockAccount(account.id);
      // The hash the re-authentication checked must still be the account's: of two changes racing
      // with the same current password, the second is refused as a wrong current password.
      if (!(await this.repository.replacePasswordHash(account.id, checkedHash, newHash))) {
        throw errors.invalidPassword();
      }
      const ended = await this.sessions.endAllBut(account.id, session.tokenHash);
      await this.signIn.endPendingSignIns(account.id);
      await this.events.record(account.id, 'password_changed', client);
      return ended;
    });
  }
}
