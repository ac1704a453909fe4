export interface Account {
  id: number;
  username: string;
  usernameKey: string;
  passwordHash: string;
  createdAt: number;
}

/**
 * The account as an authenticated request carries it: all but the password hash, which only
 * re-authentication needs and reads for itself (AccountService.reauthenticate), so that the hash
 * is not read, copied and kept on every request.
 */
export type AccountProfile = Omit<Account, 'passwordHash'>;

export interface NewAccount extends Omit<Account, 'id'> {
  /** What the name looks like (usernameSkeleton in username.ts): look-alikes share it. */
  usernameSkeleton: string;
}

export interface AccountRepository {
  /** Returns null when the username key is taken. */
  create(account: NewAccount): Promise<Account | null>;
  findByKey(usernameKey: string): Promise<Account | null>;
  findById(id: number): Promise<Account | null>;
  /** As findById, without the password hash: what a sign-in's second step and a passkey need. */
  findProfileById(id: number): Promise<AccountProfile | null>;
  /** Every account, by username key: what an administrator's list shows. */
  listAll(): Promise<Account[]>;
  /**
   * Replaces the password hash while it is still `currentHash`; false when another change got
   * there first (of two racing password changes, one wins and the other is refused).
   */
  replacePasswordHash(id: number, currentHash: string, newHash: string): Promise<boolean>;
  /**
   * An account whose name looks like one with this skeleton, or null. Call it in the transaction
   * that creates the account, after TransactionRunner.lockNames on the skeleton (PostgreSQL: a
   * transaction-scoped advisory lock), so that two look-alikes registering at once cannot both
   * pass: the second waits for the first to commit, then sees its account.
   */
  findBySkeleton(skeleton: string): Promise<Account | null>;
  /**
   * Gives up to `batch` accounts made before skeletons were kept their skeleton, computed by
   * `skeletonOf` from the username key; returns how many it gave one (0: none left).
   */
  fillMissingSkeletons(skeletonOf: (usernameKey: string) => string, batch: number): Promise<number>;
}
