-- The closed list's columns: when a closed complaint was closed and how it
-- ended (invalid, satisfied with a score, not satisfied, unreachable, no
-- follow-up), projected like the dashboard's other columns so the list never
-- parses every complaint's JSON. Existing rows are filled from their stored
-- JSON once, here (the rule is `Complaint::closure`); from now on the
-- projection writes them with every complaint.
ALTER TABLE complaints ADD COLUMN closed_at INTEGER;
ALTER TABLE complaints ADD COLUMN closure TEXT;
ALTER TABLE complaints ADD COLUMN closure_score INTEGER;
ALTER TABLE complaint_overlay ADD COLUMN closed_at INTEGER;
ALTER TABLE complaint_overlay ADD COLUMN closure TEXT;
ALTER TABLE complaint_overlay ADD COLUMN closure_score INTEGER;

UPDATE complaints SET
    closed_at = (
        SELECT CAST(max(unixepoch(json_extract(t.value, '$.at'), 'subsec')) * 1000 AS INTEGER)
          FROM json_each(complaints.data, '$.timeline') AS t
         WHERE json_extract(t.value, '$.event.event') = 'closed'),
    closure = CASE
        WHEN json_extract(data, '$.validity.valid') = 0 THEN 'invalid'
        ELSE coalesce(json_extract(data, '$.callback.outcome.outcome'), 'no_callback')
    END,
    closure_score = CASE
        WHEN json_extract(data, '$.validity.valid') = 0 THEN NULL
        ELSE json_extract(data, '$.callback.outcome.score')
    END
 WHERE state = 'closed';
UPDATE complaint_overlay SET
    closed_at = (
        SELECT CAST(max(unixepoch(json_extract(t.value, '$.at'), 'subsec')) * 1000 AS INTEGER)
          FROM json_each(complaint_overlay.data, '$.timeline') AS t
         WHERE json_extract(t.value, '$.event.event') = 'closed'),
    closure = CASE
        WHEN json_extract(data, '$.validity.valid') = 0 THEN 'invalid'
        ELSE coalesce(json_extract(data, '$.callback.outcome.outcome'), 'no_callback')
    END,
    closure_score = CASE
        WHEN json_extract(data, '$.validity.valid') = 0 THEN NULL
        ELSE json_extract(data, '$.callback.outcome.score')
    END
 WHERE state = 'closed';

CREATE INDEX complaints_closed ON complaints (closed_at) WHERE closed_at IS NOT NULL;

DROP VIEW v_complaints;
CREATE VIEW v_complaints AS
SELECT id, number, state, open, kind, severity, channel, category,
       customer_name, customer_phone, customer_key, owner, department,
       public_exposure, repeat_ordinal, escalated, received_at,
       next_due_at, next_due_kind, next_warn_at, pending_approvals,
       callback_next_at, last_decided_at, closed_at, closure, closure_score,
       data, version, last_seq, updated_at,
       client_seq, 1 AS pending
  FROM complaint_overlay
UNION ALL
SELECT c.id, c.number, c.state, c.open, c.kind, c.severity, c.channel, c.category,
       c.customer_name, c.customer_phone, c.customer_key, c.owner, c.department,
       c.public_exposure, c.repeat_ordinal, c.escalated, c.received_at,
       c.next_due_at, c.next_due_kind, c.next_warn_at, c.pending_approvals,
       c.callback_next_at, c.last_decided_at, c.closed_at, c.closure, c.closure_score,
       c.data, c.version, c.last_seq, c.updated_at,
       NULL AS client_seq, 0 AS pending
  FROM complaints AS c
 WHERE NOT EXISTS (SELECT 1 FROM complaint_overlay AS o WHERE o.id = c.id);
