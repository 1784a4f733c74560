-- Schema version 5: versions of the site configuration, and the audit log
-- of every configuration and account change (see docs/administration.md).

-- Each version holds a whole rules document (JSON), never edited after it
-- is written. The version in force at an instant is the highest-numbered
-- one whose effective_from is not after it.
CREATE TABLE config_versions (
    version        INTEGER PRIMARY KEY CHECK (version >= 1),
    document       TEXT NOT NULL,
    digest         TEXT NOT NULL,
    author         TEXT NOT NULL,
    device_id      TEXT,
    created_at     TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
) STRICT;

-- Append-only and hash-chained: each entry's hash covers its fields and the
-- previous entry's hash, so `redress-server audit verify` finds an edited,
-- removed or inserted row. The triggers refuse edits by mistake; the chain
-- catches whoever drops them.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    device_id TEXT,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
