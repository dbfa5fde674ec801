-- Admin API keys: only a slow hash of each key is kept (the key itself is shown once, at creation), with the role
-- it grants and its optional expiry. The key's name is the actor recorded on what it changes.
CREATE TABLE api_keys (
  name       TEXT    NOT NULL PRIMARY KEY,
  role       TEXT    NOT NULL CHECK (role IN ('read', 'write', 'admin')),
  key_hash   TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by TEXT    NOT NULL,
  expires_at INTEGER
);

-- Who created a trigger and who changed it last: the API key's name, 'config' for the configuration file; NULL for
-- triggers created before this was recorded.
ALTER TABLE triggers ADD COLUMN created_by TEXT;
ALTER TABLE triggers ADD COLUMN updated_by TEXT;
