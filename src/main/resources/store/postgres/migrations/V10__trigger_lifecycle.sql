-- The lifecycle of a trigger changed through PATCH: its version (the ETag; raised by every change), whether it is
-- enabled (a disabled trigger is neither evaluated nor delivered; its state is kept), and whether its matched state
-- must be reconciled against a fresh snapshot of its source (conditions changed, or enabled again) before it
-- evaluates again.
ALTER TABLE triggers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE triggers ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE triggers ADD COLUMN reconcile_pending INTEGER NOT NULL DEFAULT 0;
