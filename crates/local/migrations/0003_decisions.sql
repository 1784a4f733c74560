-- The intake form looks a customer up by phone as well as by key.
CREATE INDEX complaints_phone ON complaints (customer_phone);

-- The approval queue's "decided" tab: when a complaint's latest approval
-- decision was taken, projected like the dashboard columns so the list of
-- recent decisions never parses every complaint's JSON. Existing rows are
-- filled from their stored JSON once, here; from now on the projection
-- writes it with every complaint.
ALTER TABLE complaints ADD COLUMN last_decided_at INTEGER;
ALTER TABLE complaint_overlay ADD COLUMN last_decided_at INTEGER;

UPDATE complaints SET last_decided_at = (
    SELECT CAST(max(unixepoch(json_extract(a.value, '$.decided_at'), 'subsec')) * 1000 AS INTEGER)
      FROM json_each(complaints.data, '$.approvals') AS a);
UPDATE complaint_overlay SET last_decided_at = (
    SELECT CAST(max(unixepoch(json_extract(a.value, '$.decided_at'), 'subsec')) * 1000 AS INTEGER)
      FROM json_each(complaint_overlay.data, '$.approvals') AS a);

CREATE INDEX complaints_decided ON complaints (last_decided_at) WHERE last_decided_at IS NOT NULL;

DROP VIEW v_complaints;
CREATE VIEW v_complaints AS
SELECT id, number, state, open, kind, severity, channel, category,
       customer_name, customer_phone, customer_key, owner, department,
       public_exposure, repeat_ordinal, escalated, received_at,
       next_due_at, next_due_kind, next_warn_at, pending_approvals,
       callback_next_at, last_decided_at, data, version, last_seq, updated_at,
       client_seq, 1 AS pending
  FROM complaint_overlay
UNION ALL
SELECT c.id, c.number, c.state, c.open, c.kind, c.severity, c.channel, c.category,
       c.customer_name, c.customer_phone, c.customer_key, c.owner, c.department,
       c.public_exposure, c.repeat_ordinal, c.escalated, c.received_at,
       c.next_due_at, c.next_due_kind, c.next_warn_at, c.pending_approvals,
       c.callback_next_at, c.last_decided_at, c.data, c.version, c.last_seq, c.updated_at,
       NULL AS client_seq, 0 AS pending
  FROM complaints AS c
 WHERE NOT EXISTS (SELECT 1 FROM complaint_overlay AS o WHERE o.id = c.id);
