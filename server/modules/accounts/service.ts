import { ApiError, errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import type { AttemptLimiter } from '../attempt-limits/index.js';
import type { SecurityEventLog } from '../security-events/index.js';
import { acceptNewPassword, checkPassword } from './password-policy.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Account, AccountProfile, AccountRepository } from './repository.js';
import { checkUsername, usernameKey, usernameSkeleton } from './username.js';

export class AccountService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly repository: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly limiter: AttemptLimiter,
    private readonly events: SecurityEventLog,
    private readonly clock: Clock,
    private readonly registrationOpen: boolean,
  ) {}

  /** parse → limit → verify (the name is free) → change → record event. */
  async register(username: string, password: string, client: ClientInfo): Promise<Account> {
    // parse
    if (!this.registrationOpen) {
      throw new ApiError(403, 'registration_closed');
    }
    const name = checkUsername(username);
    if (!name.ok) throw new ApiError(400, 'invalid_username', name.message);
    const normalizedPassword = acceptNewPassword(password);
    const key = usernameKey(username);
    // limit: each registration is one judged attempt for the address (the hash is slow work,
    // and the account a row someone without an account creates), before anything is looked up.
    return this.limiter.judge(null, client, async (reservation) => {
      // verify: neither the name nor a look-alike of it is taken
      const skeleton = usernameSkeleton(key);
      const taken = await this.nameInUse(key, skeleton);
      if (taken) {
        await this.limiter.recordFailure(reservation, { hasAccount: true });
        throw taken;
      }
      const passwordHash = await this.hasher.hash(normalizedPassword);
      return this.db.transaction(async () => {
        await this.limiter.recordFailure(reservation, { hasAccount: true });
        // Again inside the transaction, under the skeleton's lock: a look-alike registered
        // meanwhile is seen, and one registering now waits for this one to commit.
        await this.db.lockNames([`username skeleton ${skeleton}`]);
        const takenMeanwhile = await this.nameInUse(key, skeleton);
        if (takenMeanwhile) throw takenMeanwhile;
        // change
        const account = await this.repository.create({
          username: name.display,
          usernameKey: key,
          usernameSkeleton: skeleton,
          passwordHash,
          createdAt: this.clock.now(),
        });
        // The unique index decides between two registrations racing for one name.
        if (!account) throw usernameTaken();
        // Whatever was tried under this name before it had an account is not the new owner's.
        await this.limiter.forget(key);
        // record event
        await this.events.record(account.id, 'account_created', client);
        return account;
      });
    });
  }

  /** Gives accounts made before skeletons were kept theirs; call once at start. */
  async fillMissingSkeletons(): Promise<void> {
    while ((await this.repository.fillMissingSkeletons(usernameSkeleton, 1000)) > 0);
  }

  private async nameInUse(key: string, skeleton: string): Promise<ApiError | null> {
    if (await this.repository.findByKey(key)) return usernameTaken();
    if (await this.repository.findBySkeleton(skeleton)) return errors.usernameLooksTaken();
    return null;
  }

  /** The account without its password hash (AccountProfile), or null. */
  findProfile(id: number): Promise<AccountProfile | null> {
    return this.repository.findProfileById(id);
  }

  listAll(): Promise<Account[]> {
    return this.repository.listAll();
  }

  findByUsername(username: string): Promise<Account | null> {
    return this.repository.findByKey(usernameKey(username));
  }

  /**
   * docs/api.md "Re-authentication": sensitive changes ask for the password again, in the same request.
   * parse → limit → verify → record; a wrong password counts as a failed attempt. Returns the hash
   * the password was checked against: the account's stored hash, read here, not the session's copy
   * (a session carries no hash, AccountProfile).
   */
  async reauthenticate(account: AccountProfile, password: string, client: ClientInfo): Promise<string> {
    // parse
    const checked = checkPassword(password);
    // limit
    return this.limiter.judge(account.usernameKey, client, async (reservation) => {
      // verify
      const stored = await this.repository.findById(account.id);
      // The account went while its session was in use (deleting an account ends its sessions).
      if (!stored) throw errors.unauthenticated();
      if (checked.ok && (await this.hasher.verify(stored.passwordHash, checked.normalized))) {
        await this.limiter.recordPass(reservation);
        return stored.passwordHash;
      }
      // record event: a wrong password counts, with its event, in one commit
      await this.db.transaction(async () => {
        const outcome = await this.limiter.recordFailure(reservation, { hasAccount: true });
        await this.events.record(account.id, 'password_confirmation_failed', client);
        if (outcome.lockedNow) await this.events.record(account.id, 'locked_out', client);
      });
      throw errors.invalidPassword();
    });
  }
}

function usernameTaken(): ApiError {
  return new ApiError(409, 'username_taken');
}
