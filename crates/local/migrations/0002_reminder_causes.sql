-- Reminders that clear on their own. A reminder row now keeps what it is
-- about (the planner's Reminder as JSON, so its text is rendered in the
-- language of the moment it is shown, never stored translated) and how it
-- ended: `resolved_at` and `resolution` ('done': its cause was dealt with;
-- 'superseded': a later reminder about the same cause replaced it). Rows
-- with `resolved_at` set are history, not inbox. Rows from before this
-- migration have no `reminder`; they keep their stored title and body.
ALTER TABLE reminder_log ADD COLUMN reminder TEXT;
ALTER TABLE reminder_log ADD COLUMN resolved_at INTEGER;
ALTER TABLE reminder_log ADD COLUMN resolution TEXT
    CHECK (resolution IS NULL OR resolution IN ('done', 'superseded'));

-- The open reminders of one complaint, looked up after each of its changes.
CREATE INDEX reminder_log_open ON reminder_log (complaint_id) WHERE resolved_at IS NULL;
