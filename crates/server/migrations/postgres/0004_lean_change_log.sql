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
