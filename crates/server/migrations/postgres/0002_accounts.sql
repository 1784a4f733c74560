-- Schema version 2: the people who may sign in, and their sessions.

-- A user's name is also the user id that mutations and changes carry.
-- The role and the personal approval limit are the server's policy: pushes
-- are decided with these, never with what a desktop claims.
CREATE TABLE users (
    name                 text PRIMARY KEY,
    role                 text NOT NULL
                         CHECK (role IN ('agent', 'supervisor', 'manager', 'admin')),
    -- Overrides the role's approval limit when set (minor currency units).
    approval_limit_minor bigint CHECK (approval_limit_minor >= 0),
    -- An argon2id hash in PHC string form.
    password_hash        text NOT NULL,
    disabled             boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL,
    disabled_at          timestamptz
);

-- A signed-in device. Only the SHA-256 of the bearer token is kept, so a
-- copy of the database does not let anyone sign in.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_name  text NOT NULL REFERENCES users (name),
    device_id  uuid NOT NULL REFERENCES devices (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE INDEX sessions_user ON sessions (user_name);
