-- The shared server's schema, version 1 (see docs/sync-server.md).
-- Times are RFC 3339 text in UTC; ids are UUID text; JSON is text.

-- Server-wide facts, e.g. the epoch that changes when the database is
-- restored from a backup.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    last_seen_at  TEXT
) STRICT;

-- The highest client_seq of each device that the server has settled.
CREATE TABLE device_state (
    device_id       TEXT PRIMARY KEY REFERENCES devices (id),
    last_client_seq INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every settled mutation, exactly once, with the result returned on replay.
CREATE TABLE mutation_log (
    device_id          TEXT NOT NULL REFERENCES devices (id),
    client_seq         INTEGER NOT NULL,
    mutation_id        TEXT NOT NULL UNIQUE,
    author_user_id     TEXT NOT NULL,
    actor_user_id      TEXT NOT NULL,
    name               TEXT NOT NULL,
    args               TEXT NOT NULL,
    complaint_id       TEXT NOT NULL,
    base_seq           INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    code               TEXT,
    first_change_seq   INTEGER,
    last_change_seq    INTEGER,
    result             TEXT NOT NULL,
    occurred_at_device TEXT NOT NULL,
    occurred_at        TEXT NOT NULL,
    clock_suspect      INTEGER NOT NULL,
    received_at        TEXT NOT NULL,
    PRIMARY KEY (device_id, client_seq)
) STRICT;

-- A (device, client_seq) under which an already settled mutation was pushed
-- again, e.g. renumbered by a device that re-registered after a fork.
CREATE TABLE mutation_alias (
    device_id   TEXT NOT NULL REFERENCES devices (id),
    client_seq  INTEGER NOT NULL,
    mutation_id TEXT NOT NULL REFERENCES mutation_log (mutation_id),
    PRIMARY KEY (device_id, client_seq)
) STRICT;

-- The single total order of accepted changes and rejections: the pull feed
-- and the audit trail. Seqs are never reused.
CREATE TABLE change_log (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    op            TEXT NOT NULL CHECK (op IN ('upsert', 'delete', 'rejection')),
    version       INTEGER NOT NULL,
    data          TEXT,
    mutation_id   TEXT,
    device_id     TEXT,
    client_seq    INTEGER,
    actor_user_id TEXT,
    applied_at    TEXT NOT NULL
) STRICT;

CREATE INDEX change_log_entity ON change_log (entity, entity_id);

-- The authoritative complaint aggregates, with the columns repeat detection
-- needs beside the JSON.
CREATE TABLE complaints (
    id                  TEXT PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,
    customer_key        TEXT NOT NULL,
    category            TEXT NOT NULL,
    received_at         TEXT NOT NULL,
    version             INTEGER NOT NULL,
    last_seq            INTEGER NOT NULL,
    created_by_mutation TEXT NOT NULL,
    data                TEXT NOT NULL
) STRICT;

CREATE INDEX complaints_customer ON complaints (customer_key);

-- The last complaint number given out per year (TS-<year>-NNNNNN).
CREATE TABLE number_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT;
