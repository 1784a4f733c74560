-- 0001: the desktop's local store (design: sync.md §8.1).
--
-- Times are INTEGER unix milliseconds, JSON is TEXT, booleans are 0/1.
-- Applied in one transaction together with `PRAGMA user_version = 1`.

-- The mirror of the authoritative state, one row per complaint. Written only by
-- a sync pull (or, in standalone mode, by settling a local change). The columns
-- beside `data` are a projection of the complaint for the dashboard, so a list
-- never parses JSON; `data` is the whole `Complaint` as JSON.
CREATE TABLE complaints (
    id                TEXT    PRIMARY KEY NOT NULL,
    number            TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    open              INTEGER NOT NULL CHECK (open IN (0, 1)),
    kind              TEXT    NOT NULL,
    severity          INTEGER NOT NULL,
    channel           TEXT    NOT NULL,
    category          TEXT    NOT NULL,
    customer_name     TEXT    NOT NULL,
    customer_phone    TEXT    NOT NULL,
    customer_key      TEXT    NOT NULL,
    owner             TEXT,
    department        TEXT,
    public_exposure   INTEGER NOT NULL CHECK (public_exposure IN (0, 1)),
    repeat_ordinal    INTEGER,
    escalated         INTEGER NOT NULL CHECK (escalated IN (0, 1)),
    received_at       INTEGER NOT NULL,
    next_due_at       INTEGER,
    next_due_kind     TEXT,
    next_warn_at      INTEGER,
    pending_approvals INTEGER NOT NULL DEFAULT 0,
    callback_next_at  INTEGER,
    data              TEXT    NOT NULL,
    version           INTEGER NOT NULL DEFAULT 0,
    last_seq          INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

-- Dashboard: open complaints, soonest due first. It also covers the header
-- counters (at risk, breached, approvals, callbacks), which then never read
-- the table.
CREATE INDEX complaints_open_due ON complaints
    (open, next_due_at, next_warn_at, pending_approvals, callback_next_at, id);

-- Repeat detection: earlier complaints of one customer (about one category).
CREATE INDEX complaints_customer ON complaints (customer_key, category);

-- Lookup by the human-facing number, and number-prefix search.
CREATE INDEX complaints_number ON complaints (number);

-- Outstanding follow-up callbacks by when they are due.
CREATE INDEX complaints_callback ON complaints (callback_next_at) WHERE callback_next_at IS NOT NULL;

-- Complaints with remedies waiting for a decision.
CREATE INDEX complaints_approvals ON complaints (pending_approvals) WHERE pending_approvals > 0;

-- The optimistic overlay: the complaint as local, not yet confirmed changes
-- left it. Same columns as the mirror plus the outbox row that last staged it;
-- rebuilt after every pull.
CREATE TABLE complaint_overlay (
    id                TEXT    PRIMARY KEY NOT NULL,
    number            TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    open              INTEGER NOT NULL CHECK (open IN (0, 1)),
    kind              TEXT    NOT NULL,
    severity          INTEGER NOT NULL,
    channel           TEXT    NOT NULL,
    category          TEXT    NOT NULL,
    customer_name     TEXT    NOT NULL,
    customer_phone    TEXT    NOT NULL,
    customer_key      TEXT    NOT NULL,
    owner             TEXT,
    department        TEXT,
    public_exposure   INTEGER NOT NULL CHECK (public_exposure IN (0, 1)),
    repeat_ordinal    INTEGER,
    escalated         INTEGER NOT NULL CHECK (escalated IN (0, 1)),
    received_at       INTEGER NOT NULL,
    next_due_at       INTEGER,
    next_due_kind     TEXT,
    next_warn_at      INTEGER,
    pending_approvals INTEGER NOT NULL DEFAULT 0,
    callback_next_at  INTEGER,
    data              TEXT    NOT NULL,
    version           INTEGER NOT NULL DEFAULT 0,
    last_seq          INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL,
    client_seq        INTEGER NOT NULL
);

-- What every read sees: the overlay row where there is one, the mirror row
-- otherwise; `pending` is 1 for complaints with unconfirmed local changes.
CREATE VIEW v_complaints AS
SELECT id, number, state, open, kind, severity, channel, category,
       customer_name, customer_phone, customer_key, owner, department,
       public_exposure, repeat_ordinal, escalated, received_at,
       next_due_at, next_due_kind, next_warn_at, pending_approvals,
       callback_next_at, data, version, last_seq, updated_at,
       client_seq, 1 AS pending
  FROM complaint_overlay
UNION ALL
SELECT c.id, c.number, c.state, c.open, c.kind, c.severity, c.channel, c.category,
       c.customer_name, c.customer_phone, c.customer_key, c.owner, c.department,
       c.public_exposure, c.repeat_ordinal, c.escalated, c.received_at,
       c.next_due_at, c.next_due_kind, c.next_warn_at, c.pending_approvals,
       c.callback_next_at, c.data, c.version, c.last_seq, c.updated_at,
       NULL AS client_seq, 0 AS pending
  FROM complaints AS c
 WHERE NOT EXISTS (SELECT 1 FROM complaint_overlay AS o WHERE o.id = c.id);

-- The outbox: intents (mutations) waiting to be pushed, and their answers.
CREATE TABLE outbox (
    client_seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id        TEXT    NOT NULL UNIQUE,
    author_user_id     TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    args               TEXT    NOT NULL,
    occurred_at_device INTEGER NOT NULL,
    base_seq           INTEGER NOT NULL,
    state              TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (state IN ('pending', 'applied', 'rejected')),
    result             TEXT,
    created_at         INTEGER NOT NULL,
    acked_at           INTEGER
);

-- The push loop reads the pending intents in order.
CREATE INDEX outbox_pending ON outbox (client_seq) WHERE state = 'pending';

-- Sync bookkeeping: exactly one row, created at first open with a new device id.
CREATE TABLE sync_state (
    id               INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    device_id        TEXT    NOT NULL,
    cursor_seq       INTEGER NOT NULL DEFAULT 0,
    server_epoch     TEXT,
    clock_offset_ms  INTEGER NOT NULL DEFAULT 0,
    last_pull_at     INTEGER,
    last_push_at     INTEGER,
    last_error       TEXT,
    local_number_seq INTEGER NOT NULL DEFAULT 0
);

-- Every reminder this desktop showed, keyed by its ReminderKey string, so a
-- restart or a re-plan never shows one twice; also the in-app reminder inbox.
CREATE TABLE reminder_log (
    key           TEXT    PRIMARY KEY NOT NULL,
    complaint_id  TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    fired_at      INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    acked_at      INTEGER,
    snoozed_until INTEGER
);

-- The inbox, newest first.
CREATE INDEX reminder_log_fired ON reminder_log (fired_at);

-- Snoozed reminders by when they come back.
CREATE INDEX reminder_log_snoozed ON reminder_log (snoozed_until) WHERE snoozed_until IS NOT NULL;

-- Desktop settings (UI language, notification preferences, ...), JSON values.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
