-- Strict per-key order (#11 item 10): a trigger with "ordering": "per_key" has an event claimed only while no older
-- event of the same trigger and key is pending. The claim looks that up once per candidate row, so it needs the
-- pending events by trigger and key (SQLite ends every index with the rowid, the commit order the lookup compares).
CREATE INDEX events_pending_by_key ON events (trigger_name, key_json) WHERE status = 'pending';

-- The per-key triggers, read once per claim: a partial index over the definition's ordering, so the claim visits
-- only those triggers' rows instead of reading every definition. The claim's WHERE repeats this exact expression.
CREATE INDEX triggers_ordered_per_key ON triggers (name) WHERE json_extract(definition, '$.ordering') = 'per_key';
