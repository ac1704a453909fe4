-- One index for a session's account and public id, in place of one for each (docs/performance.md
-- "Second-factor sign-in"). Every statement that names a public id also names the account
-- (sessions/sqlite-repository.ts), so the account's index with the public id after it serves them
-- all: the session list, "sign out everywhere else", DELETE /api/v1/me/sessions/:id, the cascade
-- when an account is deleted. Each index is a b-tree keyed by random values, and every sign-in
-- writes a page of each into its durable commit: with one fewer, a session's insert writes about a
-- quarter fewer pages to the WAL (measured in docs/performance.md).
-- Unique per account: what DELETE /api/v1/me/sessions/:id names is one session of the asking account.
DROP INDEX sessions_by_public_id;
DROP INDEX sessions_by_user;
CREATE UNIQUE INDEX sessions_by_user_and_public_id ON sessions(user_id, public_id);
