-- Secret rotation with overlap: the secret a rotation replaced keeps signing (next to the new one) until
-- previous_secret_expires_at (epoch ms). Both secret columns hold sealed text (v1:<key id>:<base64>), written by
-- the store; rows of older databases still holding plaintext are sealed when the store opens.
ALTER TABLE triggers ADD COLUMN previous_secret TEXT;
ALTER TABLE triggers ADD COLUMN previous_secret_expires_at INTEGER;
