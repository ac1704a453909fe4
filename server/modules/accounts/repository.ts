export interface Account {
  id: number;
  username: string;
  usernameKey: string;
  passwordHash: string;
  createdAt: number;
}

export interface AccountRepository {
  /** Returns null when the username key is taken. */
  create(account: Omit<Account, 'id'>): Promise<Account | null>;
  findByKey(usernameKey: string): Promise<Account | null>;
  findById(id: number): Promise<Account | null>;
}
