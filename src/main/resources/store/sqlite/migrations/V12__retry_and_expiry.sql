-- Retry policies and expiry (#11 items 1 and 7). Why a dead-lettered event died: 'attempts_exhausted' (its retry
-- policy was spent), 'expired' (undelivered past its trigger's retry.max_age) or 'trigger_deleted'; NULL for events
-- dead-lettered before this column existed (read as 'attempts_exhausted').
ALTER TABLE events ADD COLUMN dead_reason TEXT;

-- The expires_at (as stored in the definition) whose passing was written to the audit log: the one conditional UPDATE
-- that sets it decides who records the entry, so an expiry is audited once even when several nodes notice it, and
-- again only after a PATCH moved expires_at (a revival) and the new one passed too.
ALTER TABLE triggers ADD COLUMN expiry_recorded_for TEXT;
