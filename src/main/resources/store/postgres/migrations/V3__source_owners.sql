-- Who runs each source, and the fencing epoch of that ownership: a node that takes a source over raises the epoch,
-- and every commit of the source checks it in the same transaction, so a former owner can never commit again.
CREATE TABLE source_owners (
  source      TEXT   NOT NULL PRIMARY KEY,
  owner       TEXT   NOT NULL,
  epoch       BIGINT NOT NULL,
  acquired_at BIGINT NOT NULL
);
