-- Claims name the incarnation of the delivery service that holds them, so a restarted node releases its previous
-- life's claims at once instead of waiting for their leases to run out.
ALTER TABLE events ADD COLUMN claimed_by TEXT;
