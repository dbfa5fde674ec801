-- Claims name the node (incarnation of the delivery service) that holds them, so its claims can be released at
-- once when it restarts or leaves the cluster, instead of waiting for their leases to run out.
ALTER TABLE events ADD COLUMN claimed_by TEXT;
