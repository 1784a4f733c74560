-- Version 4: a change no longer carries the whole complaint.
--
-- A complaint upsert in change_log keeps only its seq, version and cause;
-- pull joins the complaint's current row instead (one copy per complaint
-- changed after the cursor). Rejections keep their small data.
UPDATE change_log SET data = NULL WHERE op = 'upsert';

-- Pull walks complaints by the seq of their last change ...
CREATE INDEX complaints_last_seq ON complaints (last_seq);

-- ... merged with the changes that are not complaint states.
CREATE INDEX change_log_not_upsert ON change_log (seq) WHERE op <> 'upsert';

-- The intake API's idempotency keys: one row per (integration, kind,
-- complaint, external_ref), naming the mutation it was settled as and the
-- random ids given out. complaint_scope is '' for a record.
CREATE TABLE intake_keys (
    integration     text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('record', 'progress')),
    complaint_scope text NOT NULL,
    external_ref    text NOT NULL,
    mutation_id     uuid NOT NULL UNIQUE REFERENCES mutation_log (mutation_id),
    complaint_id    uuid NOT NULL,
    update_id       uuid,
    PRIMARY KEY (integration, kind, complaint_scope, external_ref)
);
