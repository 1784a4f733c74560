-- Schema version 3: accounts that are systems rather than people.
--
-- An integration (a CRM, an IVR, a web form) feeds complaints in through the
-- intake API with a long-lived token. It has no usable password and is never
-- offered the sync endpoints; people keep the default kind.
ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'person'
    CHECK (kind IN ('person', 'integration'));
