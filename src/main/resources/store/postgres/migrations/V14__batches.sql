-- Batch delivery (#11 item 8): the batch an event is sent in, written before the batch's first POST, so a retry, a
-- restart or a replay sends the same members under the same batch id. NULL for events sent one per POST.
ALTER TABLE events ADD COLUMN batch_id TEXT;

CREATE INDEX events_by_batch ON events (batch_id) WHERE batch_id IS NOT NULL;
