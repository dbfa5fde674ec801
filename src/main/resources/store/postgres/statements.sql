-- Named statements of the PostgreSQL dialect, read by io.tycostream.triggers.store.sql.SqlStatements: the same
-- names, and the same parameters in the same order, as store/sqlite/statements.sql (see that file for what each
-- does). Placeholders are $n, one per parameter the Java code binds, even where SQLite's statement repeats a value.
-- Each starts with a '-- name: <key>' line; other comment lines are dropped.

-- name: trigger.insert
INSERT INTO triggers (name, source, definition, secret, status, baseline_frontier, created_at, updated_at,
                      created_by, updated_by)
VALUES ($1, $2, $3, $4, 'awaiting_baseline', NULL, $5, $6, $7, $8)

-- name: trigger.list
SELECT name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
       created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending
FROM triggers ORDER BY name

-- See store/sqlite/statements.sql. Parameters: after name ('' for the first page), limit, definition characters.
-- name: trigger.page
SELECT t.name, t.source, t.definition, t.secret, t.previous_secret, t.previous_secret_expires_at, t.status,
       t.baseline_frontier, t.created_at, t.updated_at, t.created_by, t.updated_by, t.version, t.enabled,
       t.reconcile_pending,
       w.candidates
FROM (
  SELECT p.name, count(*) OVER () AS candidates,
         sum(p.chars) OVER (ORDER BY p.name ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - p.chars AS chars_before
  FROM (SELECT name, length(definition) AS chars FROM triggers
        WHERE name > $1 AND ($2::text IS NULL OR source = $3::text) AND ($4::text IS NULL OR status = $5::text)
          AND ($6::integer IS NULL OR enabled = $7::integer)
          AND ($8::text IS NULL OR (definition::jsonb -> 'metadata' ->> $9::text) = $10::text)
        ORDER BY name LIMIT $11) AS p
) AS w
JOIN triggers AS t ON t.name = w.name
WHERE w.chars_before < $12
ORDER BY t.name

-- Serializes trigger creations (READ COMMITTED would let two count the same total) until the insert commits; the
-- mode conflicts with itself and with writes to triggers, never with reads.
-- name: trigger.lock_for_insert
LOCK TABLE triggers IN SHARE ROW EXCLUSIVE MODE

-- Parameters: the new trigger's source.
-- name: trigger.count_for_limits
SELECT count(*) AS total, count(CASE WHEN source = $1 THEN 1 END) AS of_source FROM triggers

-- name: trigger.get
SELECT name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
       created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending
FROM triggers WHERE name = $1

-- name: trigger.delete_pending_events
DELETE FROM events WHERE trigger_name = $1 AND status = 'pending'

-- name: trigger.delete
DELETE FROM triggers WHERE name = $1

-- name: trigger.mark_baselined
UPDATE triggers SET status = 'active', baseline_frontier = $1, updated_at = $2, reconcile_pending = 0 WHERE name = $3

-- name: checkpoint.get
SELECT frontier FROM source_checkpoints WHERE source = $1

-- Moves forward or stays (a replay); a lower frontier changes no row, which the caller turns into CONFLICT.
-- Decimal text without leading zeros orders numerically by (length, text); the column collates as "C".
-- name: checkpoint.advance
INSERT INTO source_checkpoints AS c (source, frontier, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (source) DO UPDATE SET frontier = excluded.frontier, updated_at = excluded.updated_at
WHERE length(excluded.frontier) > length(c.frontier)
   OR (length(excluded.frontier) = length(c.frontier) AND excluded.frontier >= c.frontier)

-- name: state.load
SELECT key_json, row_json FROM trigger_state WHERE trigger_name = $1

-- name: state.upsert
INSERT INTO trigger_state (trigger_name, key_json, row_json, frontier, matched_frontier)
SELECT t.name, $1::text, $2::text, $3::text, $3::text FROM triggers t WHERE t.name = $4
ON CONFLICT (trigger_name, key_json) DO UPDATE SET row_json = excluded.row_json, frontier = excluded.frontier

-- name: state.delete
DELETE FROM trigger_state WHERE trigger_name = $1 AND key_json = $2

-- name: state.delete_trigger
DELETE FROM trigger_state WHERE trigger_name = $1

-- A trigger whose stored definition says "mode": "debug" gets its events as 'suppressed' (never claimed): the
-- mode is read in the commit's own transaction, so a change of mode applies from the next commit on (#10).
-- name: event.insert
INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
                    next_attempt_at, claimed_until, created_at, suppressed_reason)
SELECT $1::text, t.name, $2::text, $3::text, $4::text, $5::text,
       CASE WHEN t.definition::json ->> 'mode' = 'debug' THEN 'suppressed' ELSE 'pending' END,
       0, $6::bigint, 0, $7::bigint, CASE WHEN t.definition::json ->> 'mode' = 'debug' THEN 'debug' END
FROM triggers t WHERE t.name = $8
ON CONFLICT (event_id) DO NOTHING

-- name: event.get
SELECT seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events WHERE event_id = $1

-- name: event.list
SELECT seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events
WHERE ($1::text IS NULL OR trigger_name = $2::text) AND ($3::text IS NULL OR status = $4::text)
ORDER BY created_at DESC, event_id
LIMIT $5

-- name: event.count
SELECT count(*) AS total FROM events WHERE status = $1

-- Claims in commit order (seq) and locks what it takes: rows another node is claiming right now are skipped, not
-- waited for, so nodes claiming together get disjoint events. Each row comes back as ONE JSON array text, the
-- layout of SqlOutbox.claimed. A trigger with "ordering": "per_key" (#11 item 10) has an event claimed only while no
-- older event (lower seq) of the same trigger and key is pending; see the SQLite dialect and V13's indexes.
-- Parameters: lease end, claimer, now, now, excluded trigger names, limit.
-- name: outbox.claim
UPDATE events SET claimed_until = $1, claimed_by = $2
WHERE seq IN (SELECT seq FROM events AS candidate
              WHERE status = 'pending' AND next_attempt_at <= $3 AND claimed_until < $4
                AND trigger_name NOT IN (SELECT name FROM triggers WHERE status = 'awaiting_baseline' OR enabled = 0)
                AND trigger_name <> ALL ($5::text[])
                AND (trigger_name NOT IN (SELECT name FROM triggers
                                          WHERE (definition::jsonb ->> 'ordering') = 'per_key')
                     OR NOT EXISTS (SELECT 1 FROM events AS earlier
                                    WHERE earlier.trigger_name = candidate.trigger_name
                                      AND earlier.key_json = candidate.key_json
                                      AND earlier.status = 'pending' AND earlier.seq < candidate.seq))
              ORDER BY next_attempt_at, claimed_until, seq
              LIMIT $6
              FOR UPDATE SKIP LOCKED)
RETURNING json_build_array(seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, attempts,
                           next_attempt_at, claimed_until, created_at, last_error)::text AS claimed

-- name: outbox.mark_delivered
UPDATE events SET status = 'delivered', attempts = attempts + 1, delivered_at = $1, claimed_until = 0,
                  claimed_by = NULL, last_error = NULL
WHERE event_id = $2 AND status = 'pending'

-- name: outbox.reschedule
UPDATE events SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = 0, claimed_by = NULL,
                  last_error = $2
WHERE event_id = $3 AND status = 'pending' AND claimed_by = $4 AND claimed_until = $5

-- name: outbox.mark_dead
UPDATE events SET status = 'dead', attempts = attempts + 1, claimed_until = 0, claimed_by = NULL, last_error = $1
WHERE event_id = $2 AND status = 'pending' AND claimed_by = $3 AND claimed_until = $4

-- name: outbox.postpone
UPDATE events SET next_attempt_at = $1, claimed_until = 0, claimed_by = NULL
WHERE event_id = $2 AND status = 'pending' AND claimed_by = $3 AND claimed_until = $4

-- name: outbox.release
UPDATE events SET claimed_until = 0, claimed_by = NULL
WHERE event_id = $1 AND status = 'pending' AND claimed_by = $2 AND claimed_until = $3

-- name: outbox.insert_attempt
INSERT INTO delivery_attempts (event_id, attempt, started_at, duration_ms, http_status, error, outcome,
                               response_excerpt)
SELECT $1::text,
       greatest($2::bigint, coalesce((SELECT max(attempt) FROM delivery_attempts WHERE event_id = $3::text), 0) + 1),
       $4::bigint, $5::bigint, $6::bigint, $7::text, $8::text, $9::text
WHERE EXISTS (SELECT 1 FROM events WHERE event_id = $10)

-- Single node: the claims of every other incarnation end at once, in place. Parameters: the current claimer.
-- name: outbox.release_foreign_claims
UPDATE events SET claimed_until = 0, claimed_by = NULL
WHERE status = 'pending' AND claimed_until > 0 AND (claimed_by IS NULL OR claimed_by <> $1)

-- A cluster: the claims of the nodes that left end at once. Parameters: their claimer ids (JSON array text).
-- name: outbox.release_claims_of
UPDATE events SET claimed_until = 0, claimed_by = NULL
WHERE status = 'pending' AND claimed_until > 0
  AND claimed_by = ANY ($1::text[])

-- Parameters: now, excluded trigger names (JSON array text).
-- name: outbox.next_due
SELECT next_attempt_at AS due FROM events AS candidate
WHERE status = 'pending' AND claimed_until < $1
  AND trigger_name NOT IN (SELECT name FROM triggers WHERE status = 'awaiting_baseline' OR enabled = 0)
  AND trigger_name <> ALL ($2::text[])
  AND (trigger_name NOT IN (SELECT name FROM triggers WHERE (definition::jsonb ->> 'ordering') = 'per_key')
       OR NOT EXISTS (SELECT 1 FROM events AS earlier
                      WHERE earlier.trigger_name = candidate.trigger_name AND earlier.key_json = candidate.key_json
                        AND earlier.status = 'pending' AND earlier.seq < candidate.seq))
ORDER BY next_attempt_at, claimed_until
LIMIT 1

-- name: attempt.list
SELECT id, event_id, attempt, started_at, duration_ms, http_status, error, outcome, response_excerpt
FROM delivery_attempts WHERE event_id = $1 ORDER BY attempt, id

-- name: event.prune_history
DELETE FROM events
WHERE event_id IN (SELECT event_id FROM events
                   WHERE status IN ('delivered', 'dead', 'suppressed') AND created_at < $1
                   ORDER BY created_at
                   LIMIT $2)

-- name: trigger.list_by_source
SELECT name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
       created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending
FROM triggers WHERE source = $1 ORDER BY name

-- name: state.stage
INSERT INTO trigger_state (trigger_name, key_json, row_json, frontier, matched_frontier)
SELECT t.name, $1::text, $2::text, $3::text, $3::text FROM triggers t WHERE t.name = $4 AND t.status = 'awaiting_baseline'
ON CONFLICT (trigger_name, key_json) DO UPDATE SET row_json = excluded.row_json, frontier = excluded.frontier

-- name: event.stage
INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
                    next_attempt_at, claimed_until, created_at, suppressed_reason)
SELECT $1::text, t.name, $2::text, $3::text, $4::text, $5::text,
       CASE WHEN t.definition::json ->> 'mode' = 'debug' THEN 'suppressed' ELSE 'pending' END,
       0, $6::bigint, 0, $7::bigint, CASE WHEN t.definition::json ->> 'mode' = 'debug' THEN 'debug' END
FROM triggers t WHERE t.name = $8 AND t.status = 'awaiting_baseline'
ON CONFLICT (event_id) DO NOTHING

-- name: state.clear_staged
DELETE FROM trigger_state
WHERE (trigger_name, key_json) IN (
  SELECT s.trigger_name, s.key_json FROM trigger_state s JOIN triggers t ON t.name = s.trigger_name
  WHERE t.status = 'awaiting_baseline' AND s.trigger_name = ANY ($1::text[])
  LIMIT $2)

-- name: event.delete_staged
DELETE FROM events
WHERE trigger_name = $1 AND status IN ('pending', 'suppressed')
  AND EXISTS (SELECT 1 FROM triggers WHERE name = $2 AND status = 'awaiting_baseline')

-- name: event.clear_staged
DELETE FROM events
WHERE event_id IN (
  SELECT e.event_id FROM events e JOIN triggers t ON t.name = e.trigger_name
  WHERE t.status = 'awaiting_baseline' AND e.status IN ('pending', 'suppressed') AND e.trigger_name = ANY ($1::text[])
  LIMIT $2)

-- name: owner.take
INSERT INTO source_owners AS o (source, owner, epoch, acquired_at) VALUES ($1, $2, 1, $3)
ON CONFLICT (source) DO UPDATE SET owner = excluded.owner, epoch = o.epoch + 1, acquired_at = excluded.acquired_at
RETURNING epoch

-- name: owner.fence
UPDATE source_owners SET epoch = epoch WHERE source = $1 AND owner = $2 AND epoch = $3

-- name: owner.list
SELECT source, owner, epoch, acquired_at FROM source_owners ORDER BY source

-- name: owner.release
UPDATE source_owners SET owner = '' WHERE source = $1 AND owner = $2 AND epoch = $3

-- name: apikey.insert
INSERT INTO api_keys (name, role, key_hash, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (name) DO NOTHING
RETURNING name

-- name: apikey.put_bootstrap
INSERT INTO api_keys (name, role, key_hash, created_at, created_by, expires_at) VALUES ($1, 'admin', $2, $3, $4, NULL)
ON CONFLICT (name) DO UPDATE SET role = 'admin', key_hash = excluded.key_hash, expires_at = NULL
WHERE api_keys.key_hash <> excluded.key_hash OR api_keys.role <> 'admin' OR api_keys.expires_at IS NOT NULL

-- name: apikey.find_by_hash
SELECT name, role, key_hash, created_at, created_by, expires_at FROM api_keys WHERE key_hash = $1

-- name: apikey.list
SELECT name, role, key_hash, created_at, created_by, expires_at FROM api_keys ORDER BY name

-- name: apikey.count
SELECT COUNT(*) AS key_count FROM api_keys

-- name: apikey.delete
DELETE FROM api_keys WHERE name = $1
  AND (role <> 'admin' OR EXISTS (SELECT 1 FROM api_keys other WHERE other.role = 'admin' AND other.name <> $2
                                    AND (other.expires_at IS NULL OR other.expires_at > $3)))

-- name: trigger.rotate_secret
UPDATE triggers SET previous_secret = secret, previous_secret_expires_at = $1, secret = $2, updated_at = $3,
                    updated_by = $4
WHERE name = $5
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- name: trigger.replace_secret
UPDATE triggers SET previous_secret = NULL, previous_secret_expires_at = NULL, secret = $1, updated_at = $2,
                    updated_by = $3
WHERE name = $4
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- name: trigger.secrets
SELECT name, secret, previous_secret, previous_secret_expires_at FROM triggers ORDER BY name

-- name: trigger.reseal_secrets
UPDATE triggers SET secret = $1, previous_secret = $2, previous_secret_expires_at = $3
WHERE name = $4 AND secret = $5 AND previous_secret IS NOT DISTINCT FROM $6::text

-- trigger lifecycle (#10): PATCH and enable/disable
-- name: trigger.update
UPDATE triggers SET definition = $1, enabled = $2, reconcile_pending = CASE WHEN $3 = 1 THEN 1 ELSE reconcile_pending END,
                    version = version + 1, updated_at = $4, updated_by = $5
WHERE name = $6 AND ($7::bigint IS NULL OR version = $8)
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- dead letters and replay (#10)

-- Replays one delivered or dead event: pending, due now, a fresh retry budget, the same event id; its attempt
-- history stays. Parameters: now, event id, trigger name.
-- name: replay.event
UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = $1, claimed_until = 0, claimed_by = NULL,
                  delivered_at = NULL, last_error = NULL
WHERE event_id = $2 AND trigger_name = $3 AND status IN ('dead', 'delivered')

-- Replays a trigger's events in one status created in [from, to). Parameters: now, trigger name, status, from, to.
-- name: replay.events
UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = $1, claimed_until = 0, claimed_by = NULL,
                  delivered_at = NULL, last_error = NULL
WHERE trigger_name = $2 AND status = $3 AND status IN ('dead', 'delivered') AND created_at >= $4 AND created_at < $5

-- Events across triggers, newest first, keyset-paged by (created_at, seq). Parameters: trigger, trigger, status,
-- status, created_at of the last row, the same, its seq, limit.
-- name: events.page
SELECT seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events
WHERE ($1::text IS NULL OR trigger_name = $2::text) AND ($3::text IS NULL OR status = $4::text)
  AND (created_at < $5 OR (created_at = $6 AND seq < $7))
ORDER BY created_at DESC, seq DESC
LIMIT $8

-- debug mode (#10)

-- Sets a trigger's mode ("live" or "debug") inside its stored definition; the next commit's events follow it.
-- Parameters: mode, now, actor, name.
-- name: trigger.change_mode
UPDATE triggers SET definition = jsonb_set(definition::jsonb, '{mode}', to_jsonb($1::text))::text, updated_at = $2,
                    updated_by = $3, version = version + 1
WHERE name = $4
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- history, audit, state (#10)

-- One page of a trigger's events, newest first: keyset on (created_at, seq) below the previous page's last event.
-- Parameters: trigger, before created_at, before seq, from created_at (inclusive), status, status, type, type,
-- key, key, suppressed reason, suppressed reason, limit (the filters twice, as SQLite's).
-- name: history.events_page
SELECT seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events
WHERE trigger_name = $1 AND (created_at, seq) < ($2::bigint, $3::bigint) AND created_at >= $4::bigint
  AND ($5::text IS NULL OR status = $6::text) AND ($7::text IS NULL OR event_type = $8::text)
  AND ($9::text IS NULL OR key_json = $10::text) AND ($11::text IS NULL OR suppressed_reason = $12::text)
ORDER BY created_at DESC, seq DESC
LIMIT $13

-- State of the triggers of one page, in one statement: running totals (kept by the database triggers of V7),
-- matched keys, and the pending and dead events still in the outbox (retrying: pending after a failed attempt).
-- Parameters: the trigger names.
-- name: history.trigger_states
WITH page (name) AS (SELECT unnest($1::text[])),
     open_events AS (
       SELECT trigger_name, sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
              sum(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) AS dead,
              sum(CASE WHEN status = 'pending' AND attempts > 0 THEN 1 ELSE 0 END) AS retrying
       FROM events WHERE status IN ('pending', 'dead') AND trigger_name IN (SELECT name FROM page)
       GROUP BY trigger_name),
     matched AS (
       SELECT trigger_name, count(*) AS matched_count FROM trigger_state
       WHERE trigger_name IN (SELECT name FROM page) GROUP BY trigger_name)
SELECT page.name AS trigger_name,
       coalesce(m.matched_count, 0) AS matched_count,
       coalesce(e.fired_total, 0) AS fired_total, coalesce(e.cleared_total, 0) AS cleared_total,
       e.last_fired_at, e.last_cleared_at,
       coalesce(d.delivered_total, 0) AS delivered_total,
       coalesce(o.pending, 0) AS pending, coalesce(o.dead, 0) AS dead,
       coalesce(o.retrying, 0) AS retrying
FROM page
LEFT JOIN trigger_event_totals e ON e.trigger_name = page.name
LEFT JOIN trigger_delivery_totals d ON d.trigger_name = page.name
LEFT JOIN open_events o ON o.trigger_name = page.name
LEFT JOIN matched m ON m.trigger_name = page.name

-- One page of a trigger's matched keys in key order (the primary key's), after a key ('' for the first page).
-- Parameters: trigger, after key, limit.
-- name: history.matches_page
SELECT key_json, row_json, frontier, matched_frontier FROM trigger_state
WHERE trigger_name = $1 AND key_json > $2::text
ORDER BY key_json
LIMIT $3

-- Parameters: at, actor, action, target, before, after, request id.
-- name: audit.insert
INSERT INTO audit_log (at, actor, action, target, before_json, after_json, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)

-- Newest first below an id. Parameters: before id, target, target, actor, actor, action, action, limit.
-- name: audit.page
SELECT id, at, actor, action, target, before_json, after_json, request_id FROM audit_log
WHERE id < $1 AND ($2::text IS NULL OR target = $3::text) AND ($4::text IS NULL OR actor = $5::text)
  AND ($6::text IS NULL OR action = $7::text)
ORDER BY id DESC
LIMIT $8

-- Bounded slices, oldest first. Parameters: older than, limit.
-- name: audit.prune
DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)

-- alerts (#10)

-- Stores an alert for one endpoint once; the same alert raised again is ignored.
-- Parameters: alert, event id, type, data, next attempt at, created at.
-- name: alerts.insert
INSERT INTO alert_events (alert_name, event_id, event_type, data_json, status, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, 'pending', $5, $6)
ON CONFLICT (alert_name, event_id) DO NOTHING

-- Pending alerts due now, oldest first. Parameters: now, limit.
-- name: alerts.due
SELECT alert_name, event_id, event_type, data_json, attempts, created_at FROM alert_events
WHERE status = 'pending' AND next_attempt_at <= $1
ORDER BY next_attempt_at, created_at
LIMIT $2

-- Leases one due alert by moving it past the lease; one claimer wins.
-- Parameters: lease end, alert, event id, now.
-- name: alerts.claim
UPDATE alert_events SET next_attempt_at = $1
WHERE alert_name = $2 AND event_id = $3 AND status = 'pending' AND next_attempt_at <= $4

-- Parameters: delivered at, alert, event id.
-- name: alerts.delivered
UPDATE alert_events SET status = 'delivered', attempts = attempts + 1, delivered_at = $1, last_error = NULL
WHERE alert_name = $2 AND event_id = $3 AND status = 'pending'

-- Parameters: next attempt at, error, alert, event id.
-- name: alerts.retry
UPDATE alert_events SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2
WHERE alert_name = $3 AND event_id = $4 AND status = 'pending'

-- Parameters: error, alert, event id.
-- name: alerts.dead
UPDATE alert_events SET status = 'dead', attempts = attempts + 1, last_error = $1
WHERE alert_name = $2 AND event_id = $3 AND status = 'pending'

-- An endpoint's alerts, oldest first. Parameters: alert, limit.
-- name: alerts.list
SELECT alert_name, event_id, event_type, data_json, status, attempts, created_at, delivered_at, last_error
FROM alert_events WHERE alert_name = $1
ORDER BY created_at, event_id
LIMIT $2

-- Delivered and dead alerts older than a time, in bounded slices. Parameters: older than, limit.
-- name: alerts.prune
DELETE FROM alert_events WHERE (alert_name, event_id) IN (
  SELECT alert_name, event_id FROM alert_events WHERE status <> 'pending' AND created_at < $1
  ORDER BY created_at LIMIT $2)

-- retry policies and expiry (#11 items 1 and 7, slice "retry")

-- Why dead outcomes of one batch died, right after their transition (an event no longer dead, e.g. fenced away, is
-- left alone). Parameters: reason, event id.
-- name: retry.set_dead_reason
UPDATE events SET dead_reason = $1 WHERE event_id = $2 AND status = 'dead'

-- Parameters: event id.
-- name: retry.dead_reason
SELECT status, dead_reason FROM events WHERE event_id = $1

-- Claims the audit of a trigger's expiry at one expires_at, read at the trigger's current version; one row updated
-- means this caller records it. Parameters: expires_at, trigger name, version, expires_at.
-- name: expiry.claim_record
UPDATE triggers SET expiry_recorded_for = $1::text
WHERE name = $2 AND version = $3::bigint AND (expiry_recorded_for IS NULL OR expiry_recorded_for <> $4::text)

-- batch delivery (#11 item 8)

-- Every pending event that shares a batch with one of the given events, with its batch id. Parameters: event ids.
-- name: batch.pending_members
SELECT e.event_id, e.batch_id FROM events e
WHERE e.batch_id IS NOT NULL AND e.status = 'pending'
  AND e.batch_id IN (SELECT batch_id FROM events WHERE event_id = ANY ($1::text[]) AND batch_id IS NOT NULL)

-- Records a batch's members before its first POST and gives them one lease end, only while this claimer holds them.
-- Parameters: batch id, lease end, event ids, claimer.
-- name: batch.assign
UPDATE events SET batch_id = $1, claimed_until = $2
WHERE event_id = ANY ($3::text[]) AND status = 'pending' AND claimed_by = $4

-- Parameters: event id.
-- name: batch.of_event
SELECT batch_id FROM events WHERE event_id = $1

-- delivery gates (#11 items 2 and 9: cooldown, deliver_if)

-- An event a delivery gate held back: recorded as 'suppressed' with the gate's reason, never claimed.
-- Parameters as event.insert, then the reason.
-- name: event.insert_suppressed
INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
                    next_attempt_at, claimed_until, created_at, suppressed_reason)
SELECT $1::text, t.name, $2::text, $3::text, $4::text, $5::text, 'suppressed', 0, $6::bigint, 0, $7::bigint, $9::text
FROM triggers t WHERE t.name = $8
ON CONFLICT (event_id) DO NOTHING

-- A trigger's gate memory per key. Parameters: trigger name.
-- name: gates.load
SELECT key_json, delivered_fire_at, open_suppression FROM trigger_key_gates WHERE trigger_name = $1

-- Joins triggers so the memory of a trigger deleted meanwhile is dropped. Parameters: key, delivered fire at (NULL
-- for none), open suppression (NULL for none), trigger name.
-- name: gates.upsert
INSERT INTO trigger_key_gates (trigger_name, key_json, delivered_fire_at, open_suppression)
SELECT t.name, $1::text, $2::text, $3::text FROM triggers t WHERE t.name = $4
ON CONFLICT (trigger_name, key_json) DO UPDATE SET delivered_fire_at = excluded.delivered_fire_at,
                                                   open_suppression = excluded.open_suppression

-- Parameters: trigger name, key.
-- name: gates.delete
DELETE FROM trigger_key_gates WHERE trigger_name = $1 AND key_json = $2
