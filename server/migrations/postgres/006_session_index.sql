-- PostgreSQL counterpart of ../006_session_index.sql: one index for a session's account and public
-- id, in place of one for each. Every statement that names a public id also names the account
-- (sessions/pg-repository.ts); each index is a b-tree every new session writes into.
DROP INDEX sessions_by_public_id;
DROP INDEX sessions_by_user;
CREATE UNIQUE INDEX sessions_by_user_and_public_id ON sessions(user_id, public_id);
