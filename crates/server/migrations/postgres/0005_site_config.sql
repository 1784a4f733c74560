-- Schema version 5: versions of the site configuration, and the audit log
-- of every configuration and account change (see docs/administration.md).

-- Each version holds a whole rules document, never edited after it is
-- written. The version in force at an instant is the highest-numbered one
-- whose effective_from is not after it.
CREATE TABLE config_versions (
    version        bigint PRIMARY KEY CHECK (version >= 1),
    document       text NOT NULL,
    digest         text NOT NULL,
    author         text NOT NULL,
    device_id      uuid,
    created_at     timestamptz NOT NULL,
    effective_from timestamptz NOT NULL,
    note           text NOT NULL DEFAULT ''
);

-- Append-only and hash-chained: each entry's hash covers its fields and the
-- previous entry's hash, so `redress-server audit verify` finds an edited,
-- removed or inserted row. The trigger refuses edits by mistake; the chain
-- catches whoever drops it. Times are kept as the RFC 3339 text that was
-- hashed.
CREATE TABLE audit_log (
    seq       bigint PRIMARY KEY CHECK (seq >= 1),
    at        text NOT NULL,
    actor     text NOT NULL,
    device_id uuid,
    action    text NOT NULL,
    subject   text NOT NULL,
    before    text NOT NULL,
    after     text NOT NULL,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
