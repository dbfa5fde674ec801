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
