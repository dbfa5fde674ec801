-- Delivery gates (#11 items 2 and 9: cooldown, deliver_if). Why an event was recorded as 'suppressed' instead of
-- sent: 'debug' (the trigger's mode), 'cooldown' or 'deliver_if'. Before this version only debug mode suppressed.
ALTER TABLE events ADD COLUMN suppressed_reason TEXT;
UPDATE events SET suppressed_reason = 'debug' WHERE status = 'suppressed';

-- Per trigger and key, what its delivery gates remember between commits: the source time of the last delivered
-- FIRE (cooldown) and, while a match whose FIRE was suppressed by a gate is open, that reason (its CLEAR is
-- suppressed too). Written in the commit transaction with the events and matched-key state it belongs to.
CREATE TABLE trigger_key_gates (
  trigger_name      TEXT NOT NULL REFERENCES triggers (name) ON DELETE CASCADE,
  key_json          TEXT NOT NULL,
  delivered_fire_at TEXT,
  open_suppression  TEXT,
  PRIMARY KEY (trigger_name, key_json)
);
