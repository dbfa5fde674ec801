-- Who runs each source, and the fencing epoch of that ownership: a node that takes a source over raises the epoch,
-- and every commit of the source checks it in the same transaction, so a former owner can never commit again.
-- A single SQLite node takes its sources at every start, which raises the epoch like a takeover would.
CREATE TABLE source_owners (
  source      TEXT    NOT NULL PRIMARY KEY,
  owner       TEXT    NOT NULL,
  epoch       INTEGER NOT NULL,
  acquired_at INTEGER NOT NULL
);

-- The history table of the migration runner Flyway replaced (FlywayMigrator baselines such files first).
DROP TABLE IF EXISTS schema_migrations;
