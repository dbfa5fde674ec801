-- Initial schema, applied by Flyway (FlywayMigrator).
-- Times are epoch milliseconds; source frontiers and timestamps are decimal text because mz timestamps may
-- exceed 2^63 (compared as BigInteger in Java, or by length then text in SQL).

CREATE TABLE triggers (
  name              TEXT    NOT NULL PRIMARY KEY,
  source            TEXT    NOT NULL,
  definition        TEXT    NOT NULL,
  secret            TEXT    NOT NULL,
  status            TEXT    NOT NULL CHECK (status IN ('awaiting_baseline', 'active')),
  baseline_frontier TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE INDEX triggers_by_source ON triggers (source);

CREATE TABLE trigger_state (
  trigger_name TEXT NOT NULL REFERENCES triggers (name) ON DELETE CASCADE,
  key_json     TEXT NOT NULL,
  row_json     TEXT NOT NULL,
  frontier     TEXT NOT NULL,
  PRIMARY KEY (trigger_name, key_json)
) WITHOUT ROWID;

CREATE TABLE source_checkpoints (
  source     TEXT    NOT NULL PRIMARY KEY,
  frontier   TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);

-- No foreign key to triggers: delivered and dead events outlive their trigger as history.
CREATE TABLE events (
  event_id         TEXT    NOT NULL PRIMARY KEY,
  trigger_name     TEXT    NOT NULL,
  event_type       TEXT    NOT NULL,
  source_timestamp TEXT    NOT NULL,
  key_json         TEXT    NOT NULL,
  data_json        TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  claimed_until    INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  last_error       TEXT
);

-- Covers claiming and the next-due query; only pending rows are indexed, so history does not slow claims.
CREATE INDEX events_due ON events (next_attempt_at, claimed_until) WHERE status = 'pending';

CREATE INDEX events_by_trigger ON events (trigger_name, created_at);

CREATE INDEX events_by_status ON events (status, created_at);

CREATE TABLE delivery_attempts (
  id           INTEGER NOT NULL PRIMARY KEY,
  event_id     TEXT    NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
  attempt      INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  duration_ms  INTEGER NOT NULL,
  http_status  INTEGER,
  error        TEXT,
  outcome      TEXT    NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead'))
);

CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, attempt);
