-- Alerts (#10): operational events (source outages, gaps, dead letters) for the configured alert endpoints. An
-- outbox of their own, so alerts never appear among a trigger's events, counters or dead letters: one row per
-- endpoint and alert, keyed by both, so raising the same alert twice (a retry, a second node) stores it once.
CREATE TABLE alert_events (
  alert_name      TEXT    NOT NULL,
  event_id        TEXT    NOT NULL,
  event_type      TEXT    NOT NULL,
  data_json       TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  -- when a pending alert is due; a claim moves it by the lease, so a crashed sender's alert is due again after it
  next_attempt_at INTEGER  NOT NULL,
  created_at      INTEGER  NOT NULL,
  delivered_at    INTEGER,
  last_error      TEXT,
  PRIMARY KEY (alert_name, event_id)
);

CREATE INDEX alert_events_due ON alert_events (next_attempt_at) WHERE status = 'pending';

CREATE INDEX alert_events_by_time ON alert_events (created_at);
