-- Debug mode (#10): events of a trigger in debug mode are recorded with status 'suppressed' and never claimed.
-- V1 declared the CHECK on events.status inline, so PostgreSQL named it events_status_check.
ALTER TABLE events DROP CONSTRAINT events_status_check;
ALTER TABLE events ADD CONSTRAINT events_status_check
  CHECK (status IN ('pending', 'delivered', 'dead', 'suppressed'));
