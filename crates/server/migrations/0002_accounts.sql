-- Schema version 2: the people who may sign in, and their sessions
-- (see docs/sync-server.md).

-- A user's name is also the user id that mutations and changes carry.
-- The role and the personal approval limit are the server's policy: pushes
-- are decided with these, never with what a desktop claims.
CREATE TABLE users (
    name                 TEXT PRIMARY KEY,
    role                 TEXT NOT NULL
                         CHECK (role IN ('agent', 'supervisor', 'manager', 'admin')),
    -- Overrides the role's approval limit when set (minor currency units).
    approval_limit_minor INTEGER CHECK (approval_limit_minor >= 0),
    -- An argon2id hash in PHC string form.
    password_hash        TEXT NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at           TEXT NOT NULL,
    disabled_at          TEXT
) STRICT;

-- A signed-in device. Only the SHA-256 of the bearer token is kept, so a
-- copy of the database does not let anyone sign in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    user_name  TEXT NOT NULL REFERENCES users (name),
    device_id  TEXT NOT NULL REFERENCES devices (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

CREATE INDEX sessions_user ON sessions (user_name);
