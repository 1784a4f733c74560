-- The shared server's schema on PostgreSQL, version 1 (see docs/postgres.md).
-- The same tables as the SQLite schema of the same version, with native
-- types: uuid ids, timestamptz times, jsonb documents.

-- Server-wide facts, e.g. the epoch that changes when the database is
-- restored from a backup.
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE devices (
    id            uuid PRIMARY KEY,
    user_id       text NOT NULL,
    name          text NOT NULL,
    registered_at timestamptz NOT NULL,
    last_seen_at  timestamptz
);

-- The highest client_seq of each device that the server has settled.
CREATE TABLE device_state (
    device_id       uuid PRIMARY KEY REFERENCES devices (id),
    last_client_seq bigint NOT NULL DEFAULT 0
);

-- Every settled mutation, exactly once, with the result returned on replay.
CREATE TABLE mutation_log (
    device_id          uuid NOT NULL REFERENCES devices (id),
    client_seq         bigint NOT NULL,
    mutation_id        uuid NOT NULL UNIQUE,
    author_user_id     text NOT NULL,
    actor_user_id      text NOT NULL,
    name               text NOT NULL,
    args               jsonb NOT NULL,
    complaint_id       uuid NOT NULL,
    base_seq           bigint NOT NULL,
    status             text NOT NULL CHECK (status IN ('applied', 'rejected')),
    code               text,
    first_change_seq   bigint,
    last_change_seq    bigint,
    result             jsonb NOT NULL,
    occurred_at_device timestamptz NOT NULL,
    occurred_at        timestamptz NOT NULL,
    clock_suspect      boolean NOT NULL,
    received_at        timestamptz NOT NULL,
    PRIMARY KEY (device_id, client_seq)
);

-- A (device, client_seq) under which an already settled mutation was pushed
-- again, e.g. renumbered by a device that re-registered after a fork.
CREATE TABLE mutation_alias (
    device_id   uuid NOT NULL REFERENCES devices (id),
    client_seq  bigint NOT NULL,
    mutation_id uuid NOT NULL REFERENCES mutation_log (mutation_id),
    PRIMARY KEY (device_id, client_seq)
);

-- The single total order of accepted changes and rejections: the pull feed
-- and the audit trail. Seqs come from the sequence and are never reused;
-- writers take the push advisory lock first, so they commit in seq order.
CREATE TABLE change_log (
    seq           bigserial PRIMARY KEY,
    entity        text NOT NULL,
    entity_id     uuid NOT NULL,
    op            text NOT NULL CHECK (op IN ('upsert', 'delete', 'rejection')),
    version       bigint NOT NULL,
    data          jsonb,
    mutation_id   uuid,
    device_id     uuid,
    client_seq    bigint,
    actor_user_id text,
    applied_at    timestamptz NOT NULL
);

CREATE INDEX change_log_entity ON change_log (entity, entity_id);

-- The authoritative complaint aggregates, with the columns repeat detection
-- needs beside the JSON.
CREATE TABLE complaints (
    id                  uuid PRIMARY KEY,
    number              text NOT NULL UNIQUE,
    customer_key        text NOT NULL,
    category            text NOT NULL,
    received_at         timestamptz NOT NULL,
    version             bigint NOT NULL,
    last_seq            bigint NOT NULL,
    created_by_mutation uuid NOT NULL,
    data                jsonb NOT NULL
);

CREATE INDEX complaints_customer ON complaints (customer_key);

-- The last complaint number given out per year (TS-<year>-NNNNNN).
CREATE TABLE number_counters (
    year integer PRIMARY KEY,
    last bigint NOT NULL
);
