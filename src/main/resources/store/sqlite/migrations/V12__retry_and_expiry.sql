-- Retry policies and expiry (#11 items 1 and 7). Why a dead-lettered event died: 'attempts_exhausted' (its retry
-- policy was spent), 'expired' (undelivered past its trigger's retry.max_age) or 'trigger_deleted'; NULL for events
-- dead-lettered before this column existed (read as 'attempts_exhausted').
ALTER TABLE events ADD COLUMN dead_reason TEXT;

-- The trigger version whose expiry (expires_at passed) was written to the audit log: the one conditional UPDATE that
-- sets it decides who records the entry, so the expiry is audited once per version even when several nodes notice.
ALTER TABLE triggers ADD COLUMN expiry_recorded_version INTEGER;
