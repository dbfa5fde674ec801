-- Named statements of the SQLite dialect, read by io.tycostream.triggers.store.sql.SqlStatements.
-- Each starts with a '-- name: <key>' line; other comment lines are dropped. Placeholders are JDBC '?'.
-- A PostgreSQL dialect provides the same names with its own SQL ($1 placeholders, FOR UPDATE SKIP LOCKED, …).

-- name: trigger.insert
INSERT INTO triggers (name, source, definition, secret, status, baseline_frontier, created_at, updated_at,
                      created_by, updated_by)
VALUES (?, ?, ?, ?, 'awaiting_baseline', NULL, ?, ?, ?, ?)

-- name: trigger.list
SELECT name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
       created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending
FROM triggers ORDER BY name

-- One page in name order: the triggers after a name (parameter 1, '' for the first page), of a source (parameters 2
-- and 3, NULL for any), in a status (4 and 5), enabled or not (6 and 7: 1/0), with a metadata label (8, 9: its key,
-- 10: its value), at most parameter 11 of them, cut once their definitions add up to parameter 12 characters (the
-- row crossing it is kept). 'candidates'
-- tells how many rows the LIMIT let through, so the caller knows whether more follow a page cut by size. The sizes
-- are summed over names and lengths only: definitions are read for the rows kept.
-- name: trigger.page
SELECT t.name, t.source, t.definition, t.secret, t.previous_secret, t.previous_secret_expires_at, t.status,
       t.baseline_frontier, t.created_at, t.updated_at, t.created_by, t.updated_by, t.version, t.enabled,
       t.reconcile_pending,
       w.candidates
FROM (
  SELECT p.name, count(*) OVER () AS candidates,
         sum(p.chars) OVER (ORDER BY p.name ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - p.chars AS chars_before
  FROM (SELECT name, length(definition) AS chars FROM triggers
        WHERE name > ? AND (? IS NULL OR source = ?) AND (? IS NULL OR status = ?) AND (? IS NULL OR enabled = ?)
          AND (? IS NULL OR json_extract(definition, '$.metadata."' || ? || '"') = ?)
        ORDER BY name LIMIT ?) AS p
) AS w
JOIN triggers AS t ON t.name = w.name
WHERE w.chars_before < ?
ORDER BY t.name

-- Serializes trigger creations so the counts below stay true until the insert commits. BEGIN IMMEDIATE already holds
-- SQLite's only write lock, so there is nothing more to take.
-- name: trigger.lock_for_insert
SELECT 1 AS locked

-- Parameters: the new trigger's source.
-- name: trigger.count_for_limits
SELECT count(*) AS total, count(CASE WHEN source = ? THEN 1 END) AS of_source FROM triggers

-- name: trigger.get
SELECT name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
       created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending
FROM triggers WHERE name = ?

-- name: trigger.delete_pending_events
DELETE FROM events WHERE trigger_name = ? AND status = 'pending'

-- name: trigger.delete
DELETE FROM triggers WHERE name = ?

-- name: trigger.mark_baselined
UPDATE triggers SET status = 'active', baseline_frontier = ?, updated_at = ?, reconcile_pending = 0 WHERE name = ?

-- name: checkpoint.get
SELECT frontier FROM source_checkpoints WHERE source = ?

-- Moves forward or stays (a replay); a lower frontier changes no row, which the caller turns into CONFLICT.
-- Decimal text without leading zeros orders numerically by (length, text).
-- name: checkpoint.advance
INSERT INTO source_checkpoints (source, frontier, updated_at) VALUES (?, ?, ?)
ON CONFLICT (source) DO UPDATE SET frontier = excluded.frontier, updated_at = excluded.updated_at
WHERE length(excluded.frontier) > length(source_checkpoints.frontier)
   OR (length(excluded.frontier) = length(source_checkpoints.frontier)
       AND excluded.frontier >= source_checkpoints.frontier)

-- name: state.load
SELECT key_json, row_json FROM trigger_state WHERE trigger_name = ?

-- Joins triggers so state of a trigger deleted meanwhile is dropped instead of failing the commit.
-- name: state.upsert
INSERT INTO trigger_state (trigger_name, key_json, row_json, frontier, matched_frontier)
SELECT t.name, ?, ?, ?, ?3 FROM triggers t WHERE t.name = ?
ON CONFLICT (trigger_name, key_json) DO UPDATE SET row_json = excluded.row_json, frontier = excluded.frontier

-- name: state.delete
DELETE FROM trigger_state WHERE trigger_name = ? AND key_json = ?

-- name: state.delete_trigger
DELETE FROM trigger_state WHERE trigger_name = ?

-- Joins triggers so events of a trigger deleted meanwhile are dropped; a known event id is skipped (replay).
-- A trigger whose stored definition says "mode": "debug" gets its events as 'suppressed' (never claimed): the
-- mode is read in the commit's own transaction, so a change of mode applies from the next commit on (#10).
-- name: event.insert
INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
                    next_attempt_at, claimed_until, created_at, suppressed_reason)
SELECT ?, t.name, ?, ?, ?, ?,
       CASE WHEN json_extract(t.definition, '$.mode') = 'debug' THEN 'suppressed' ELSE 'pending' END,
       0, ?, 0, ?, CASE WHEN json_extract(t.definition, '$.mode') = 'debug' THEN 'debug' END
FROM triggers t WHERE t.name = ?
ON CONFLICT (event_id) DO NOTHING

-- name: event.get
SELECT rowid AS seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events WHERE event_id = ?

-- name: event.list
SELECT rowid AS seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events
WHERE (? IS NULL OR trigger_name = ?) AND (? IS NULL OR status = ?)
ORDER BY created_at DESC, event_id
LIMIT ?

-- name: event.count
SELECT count(*) AS total FROM events WHERE status = ?

-- Commit order is the rowid: events is a rowid table, the single writer inserts each commit's events in change
-- order, and a new rowid is always larger than every existing one (no VACUUM runs on this file; it could renumber).
-- Ties of next_attempt_at are broken by claimed_until (0 unless a lease ran out) and then rowid, which is exactly
-- the order of the events_due index: the claim walks the index and stops after LIMIT rows, it never sorts.
-- One statement, so it is atomic; SQLite has a single writer, PostgreSQL adds FOR UPDATE SKIP LOCKED.
-- Events staged for a trigger still awaiting its baseline (its include_snapshot FIREs) wait for its activation.
-- Each claimed row comes back as ONE JSON array (see SqlOutbox.claimed for its layout): vertx-jdbc-client reads the
-- JDBC metadata of every cell it decodes, which made decoding claimed rows cell by cell the largest cost of a claim.
-- A trigger with "ordering": "per_key" (#11 item 10) has an event claimed only while no older event (lower rowid) of
-- the same trigger and key is pending: leased, waiting for its retry, or not yet claimed. Its set of triggers is read
-- once per claim through the partial index triggers_ordered_per_key (the expression must stay exactly that index's);
-- the older event is one probe of events_pending_by_key per candidate of such a trigger (V13).
-- Parameters: lease end, claimer, now, now, excluded trigger names (JSON array), limit.
-- name: outbox.claim
UPDATE events SET claimed_until = ?, claimed_by = ?
WHERE rowid IN (SELECT rowid FROM events AS candidate INDEXED BY events_due
                WHERE status = 'pending' AND next_attempt_at <= ? AND claimed_until < ?
                  AND trigger_name NOT IN (SELECT name FROM triggers WHERE status = 'awaiting_baseline' OR enabled = 0)
                  AND trigger_name NOT IN (SELECT value FROM json_each(?))
                  AND (trigger_name NOT IN (SELECT name FROM triggers
                                            WHERE json_extract(definition, '$.ordering') = 'per_key')
                       OR NOT EXISTS (SELECT 1 FROM events AS earlier INDEXED BY events_pending_by_key
                                      WHERE earlier.trigger_name = candidate.trigger_name
                                        AND earlier.key_json = candidate.key_json
                                        AND earlier.status = 'pending' AND earlier.rowid < candidate.rowid))
                ORDER BY next_attempt_at, claimed_until, rowid
                LIMIT ?)
RETURNING json_array(rowid, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, attempts,
                     next_attempt_at, claimed_until, created_at, last_error) AS claimed

-- Outcomes of claimed events, executed as batches in one transaction. The attempt count is raised by the status
-- change itself; the attempt's number comes from the claimed row, so nothing is read back.
-- A 2xx is recorded whoever holds the event now. Parameters: delivered at, event id.
-- name: outbox.mark_delivered
UPDATE events SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, claimed_until = 0,
                  claimed_by = NULL, last_error = NULL
WHERE event_id = ? AND status = 'pending'

-- The other outcomes only move an event still held by the claim they answer (claimer and lease end are the fence).
-- Parameters: next attempt at, last error, event id, claimer, lease end.
-- name: outbox.reschedule
UPDATE events SET attempts = attempts + 1, next_attempt_at = ?, claimed_until = 0, claimed_by = NULL, last_error = ?
WHERE event_id = ? AND status = 'pending' AND claimed_by = ? AND claimed_until = ?

-- Parameters: last error, event id, claimer, lease end.
-- name: outbox.mark_dead
UPDATE events SET status = 'dead', attempts = attempts + 1, claimed_until = 0, claimed_by = NULL, last_error = ?
WHERE event_id = ? AND status = 'pending' AND claimed_by = ? AND claimed_until = ?

-- Ends a lease without counting an attempt (the event was claimed but not sent). Parameters: next attempt at, event
-- id, claimer, lease end.
-- name: outbox.postpone
UPDATE events SET next_attempt_at = ?, claimed_until = 0, claimed_by = NULL
WHERE event_id = ? AND status = 'pending' AND claimed_by = ? AND claimed_until = ?

-- Ends a lease and leaves the event at its place in the order. Parameters: event id, claimer, lease end.
-- name: outbox.release
UPDATE events SET claimed_until = 0, claimed_by = NULL
WHERE event_id = ? AND status = 'pending' AND claimed_by = ? AND claimed_until = ?

-- The attempt of an event deleted meanwhile (with its trigger) is dropped rather than failing the batch. A replayed
-- event counts its attempts from 0 again (a fresh retry budget): its new attempts are numbered after its history.
-- Parameters: event id, attempt, event id, started at, duration, status, error, outcome, response excerpt, event id.
-- name: outbox.insert_attempt
INSERT INTO delivery_attempts (event_id, attempt, started_at, duration_ms, http_status, error, outcome,
                               response_excerpt)
SELECT ?, max(?, coalesce((SELECT max(attempt) FROM delivery_attempts WHERE event_id = ?), 0) + 1), ?, ?, ?, ?, ?, ?
WHERE EXISTS (SELECT 1 FROM events WHERE event_id = ?)

-- Single node only: the claims of every other incarnation (a previous life of this process) end at once, in place.
-- Parameters: the current claimer.
-- name: outbox.release_foreign_claims
UPDATE events SET claimed_until = 0, claimed_by = NULL
WHERE status = 'pending' AND claimed_until > 0 AND (claimed_by IS NULL OR claimed_by <> ?)

-- A cluster's store releases the claims of the nodes that left (SQLite is single-node; kept for parity).
-- Parameters: their claimer ids (JSON array).
-- name: outbox.release_claims_of
UPDATE events SET claimed_until = 0, claimed_by = NULL
WHERE status = 'pending' AND claimed_until > 0 AND claimed_by IN (SELECT value FROM json_each(?))

-- The first unleased pending event in claim order; an event held behind an older one of its key (per_key, as in
-- outbox.claim) is not due. Parameters: now, excluded trigger names (JSON array).
-- name: outbox.next_due
SELECT next_attempt_at AS due FROM events AS candidate INDEXED BY events_due
WHERE status = 'pending' AND claimed_until < ?
  AND trigger_name NOT IN (SELECT name FROM triggers WHERE status = 'awaiting_baseline' OR enabled = 0)
  AND trigger_name NOT IN (SELECT value FROM json_each(?))
  AND (trigger_name NOT IN (SELECT name FROM triggers WHERE json_extract(definition, '$.ordering') = 'per_key')
       OR NOT EXISTS (SELECT 1 FROM events AS earlier INDEXED BY events_pending_by_key
                      WHERE earlier.trigger_name = candidate.trigger_name AND earlier.key_json = candidate.key_json
                        AND earlier.status = 'pending' AND earlier.rowid < candidate.rowid))
ORDER BY next_attempt_at, claimed_until
LIMIT 1

-- name: attempt.list
SELECT id, event_id, attempt, started_at, duration_ms, http_status, error, outcome, response_excerpt
FROM delivery_attempts WHERE event_id = ? ORDER BY attempt, id

-- Deletes finished history in bounded slices so one prune never holds the write lock for long.
-- name: event.prune_history
DELETE FROM events
WHERE event_id IN (SELECT event_id FROM events
                   WHERE status IN ('delivered', 'dead', 'suppressed') AND created_at < ?
                   ORDER BY created_at
                   LIMIT ?)

-- name: trigger.list_by_source
SELECT name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
       created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending
FROM triggers WHERE source = ? ORDER BY name

-- Staged starting state of a trigger awaiting its baseline; a trigger deleted or activated meanwhile gets nothing.
-- Parameters: key, row, frontier, trigger name.
-- name: state.stage
INSERT INTO trigger_state (trigger_name, key_json, row_json, frontier, matched_frontier)
SELECT t.name, ?, ?, ?, ?3 FROM triggers t WHERE t.name = ? AND t.status = 'awaiting_baseline'
ON CONFLICT (trigger_name, key_json) DO UPDATE SET row_json = excluded.row_json, frontier = excluded.frontier

-- Staged snapshot events (include_snapshot FIREs) of a trigger awaiting its baseline: not claimable until it is
-- active (see outbox.claim). Parameters as event.insert, then the trigger name.
-- name: event.stage
INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
                    next_attempt_at, claimed_until, created_at, suppressed_reason)
SELECT ?, t.name, ?, ?, ?, ?,
       CASE WHEN json_extract(t.definition, '$.mode') = 'debug' THEN 'suppressed' ELSE 'pending' END,
       0, ?, 0, ?, CASE WHEN json_extract(t.definition, '$.mode') = 'debug' THEN 'debug' END
FROM triggers t WHERE t.name = ? AND t.status = 'awaiting_baseline'
ON CONFLICT (event_id) DO NOTHING

-- Bounded slices of the staged state of triggers still awaiting their baseline, left by an attempt that did not
-- finish. Parameters: the trigger names as a JSON array, the limit.
-- name: state.clear_staged
DELETE FROM trigger_state
WHERE (trigger_name, key_json) IN (
  SELECT s.trigger_name, s.key_json FROM trigger_state s JOIN triggers t ON t.name = s.trigger_name
  WHERE t.status = 'awaiting_baseline' AND s.trigger_name IN (SELECT value FROM json_each(?))
  LIMIT ?)

-- All staged events of a trigger about to be baselined by a commit (its fresh-snapshot attempt is superseded).
-- Parameters: trigger name, trigger name.
-- name: event.delete_staged
DELETE FROM events
WHERE trigger_name = ? AND status IN ('pending', 'suppressed')
  AND EXISTS (SELECT 1 FROM triggers WHERE name = ? AND status = 'awaiting_baseline')

-- The same for their staged events. Parameters: the trigger names as a JSON array, the limit.
-- name: event.clear_staged
DELETE FROM events
WHERE event_id IN (
  SELECT e.event_id FROM events e JOIN triggers t ON t.name = e.trigger_name
  WHERE t.status = 'awaiting_baseline' AND e.status IN ('pending', 'suppressed')
    AND e.trigger_name IN (SELECT value FROM json_each(?))
  LIMIT ?)

-- Takes a source for a node and raises its fencing epoch, in one statement. Parameters: source, owner, now.
-- name: owner.take
INSERT INTO source_owners (source, owner, epoch, acquired_at) VALUES (?, ?, 1, ?)
ON CONFLICT (source) DO UPDATE SET owner = excluded.owner, epoch = source_owners.epoch + 1,
                                   acquired_at = excluded.acquired_at
RETURNING epoch

-- The fence of a commit: touches (and locks) the owner row only while the epoch is still this node's.
-- Parameters: source, owner, epoch.
-- name: owner.fence
UPDATE source_owners SET epoch = epoch WHERE source = ? AND owner = ? AND epoch = ?

-- name: owner.list
SELECT source, owner, epoch, acquired_at FROM source_owners ORDER BY source

-- A node gives a source up (it stopped its unit): no owner, the epoch kept, only while the ownership is still its.
-- Parameters: source, owner, epoch.
-- name: owner.release
UPDATE source_owners SET owner = '' WHERE source = ? AND owner = ? AND epoch = ?

-- A new API key; no row comes back when the name is taken.
-- Parameters: name, role, key_hash, created_at, created_by, expires_at (nullable).
-- name: apikey.insert
INSERT INTO api_keys (name, role, key_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO NOTHING
RETURNING name

-- The configured bootstrap admin key: created, or its hash replaced when the configured key changed.
-- Parameters: name, key_hash, created_at, created_by.
-- name: apikey.put_bootstrap
INSERT INTO api_keys (name, role, key_hash, created_at, created_by, expires_at) VALUES (?, 'admin', ?, ?, ?, NULL)
ON CONFLICT (name) DO UPDATE SET role = 'admin', key_hash = excluded.key_hash, expires_at = NULL
WHERE api_keys.key_hash <> excluded.key_hash OR api_keys.role <> 'admin' OR api_keys.expires_at IS NOT NULL

-- Parameters: key_hash.
-- name: apikey.find_by_hash
SELECT name, role, key_hash, created_at, created_by, expires_at FROM api_keys WHERE key_hash = ?

-- name: apikey.list
SELECT name, role, key_hash, created_at, created_by, expires_at FROM api_keys ORDER BY name

-- name: apikey.count
SELECT COUNT(*) AS key_count FROM api_keys

-- Removes a key unless it is the last admin key that has not expired (the service would be locked).
-- Parameters: name, name, now.
-- name: apikey.delete
DELETE FROM api_keys WHERE name = ?
  AND (role <> 'admin' OR EXISTS (SELECT 1 FROM api_keys other WHERE other.role = 'admin' AND other.name <> ?
                                    AND (other.expires_at IS NULL OR other.expires_at > ?)))

-- Secret rotation (see Store.rotateSecret). The replaced secret moves to previous_secret as it is: it is sealed
-- for the same trigger name, which is all its associated data binds. Parameters: new secret, overlap end, now,
-- actor, name.
-- name: trigger.rotate_secret
UPDATE triggers SET previous_secret = secret, previous_secret_expires_at = ?, secret = ?, updated_at = ?,
                    updated_by = ?
WHERE name = ?
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- A rotation without overlap: the replaced secret is gone at once. Parameters: new secret, now, actor, name.
-- name: trigger.replace_secret
UPDATE triggers SET previous_secret = NULL, previous_secret_expires_at = NULL, secret = ?, updated_at = ?,
                    updated_by = ?
WHERE name = ?
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- Every trigger's stored secrets, for sealing legacy plaintext, checking the keys at start and re-encrypting.
-- name: trigger.secrets
SELECT name, secret, previous_secret, previous_secret_expires_at FROM triggers ORDER BY name

-- Rewrites a trigger's secrets only while they are still the ones read (another node may have rewritten them).
-- Parameters: secret, previous secret, previous expiry, name, secret read, previous secret read (may be NULL).
-- name: trigger.reseal_secrets
UPDATE triggers SET secret = ?, previous_secret = ?, previous_secret_expires_at = ?
WHERE name = ? AND secret = ? AND previous_secret IS ?

-- trigger lifecycle (#10): PATCH and enable/disable
-- A change through PATCH, only while the trigger is still at the version the client read (NULL: any version).
-- Parameters: definition, enabled (1/0), reconcile (1/0), now, actor, name, expected version, expected version.
-- name: trigger.update
UPDATE triggers SET definition = ?, enabled = ?, reconcile_pending = CASE WHEN ? = 1 THEN 1 ELSE reconcile_pending END,
                    version = version + 1, updated_at = ?, updated_by = ?
WHERE name = ? AND (? IS NULL OR version = ?)
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- dead letters and replay (#10)

-- Replays one delivered or dead event: pending, due now, a fresh retry budget, the same event id; its attempt
-- history stays. Parameters: now, event id, trigger name.
-- name: replay.event
UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = ?, claimed_until = 0, claimed_by = NULL,
                  delivered_at = NULL, last_error = NULL
WHERE event_id = ? AND trigger_name = ? AND status IN ('dead', 'delivered')

-- Replays a trigger's events in one status created in [from, to). Parameters: now, trigger name, status, from, to.
-- name: replay.events
UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = ?, claimed_until = 0, claimed_by = NULL,
                  delivered_at = NULL, last_error = NULL
WHERE trigger_name = ? AND status = ? AND status IN ('dead', 'delivered') AND created_at >= ? AND created_at < ?

-- Events across triggers, newest first, keyset-paged by (created_at, rowid). Parameters: trigger, trigger, status,
-- status, created_at of the last row, the same, its rowid, limit.
-- name: events.page
SELECT rowid AS seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events
WHERE (? IS NULL OR trigger_name = ?) AND (? IS NULL OR status = ?)
  AND (created_at < ? OR (created_at = ? AND rowid < ?))
ORDER BY created_at DESC, rowid DESC
LIMIT ?

-- debug mode (#10)

-- Sets a trigger's mode ("live" or "debug") inside its stored definition; the next commit's events follow it.
-- Parameters: mode, now, actor, name.
-- name: trigger.change_mode
UPDATE triggers SET definition = json_set(definition, '$.mode', ?), updated_at = ?, updated_by = ?, version = version + 1
WHERE name = ?
RETURNING name, source, definition, secret, previous_secret, previous_secret_expires_at, status, baseline_frontier,
          created_at, updated_at, created_by, updated_by, version, enabled, reconcile_pending

-- history, audit, state (#10)

-- One page of a trigger's events, newest first: keyset on (created_at, rowid) below the previous page's last event,
-- walking events_by_trigger (trigger_name, created_at, and the rowid every index ends with) backwards.
-- Parameters: trigger, before created_at, before rowid, from created_at (inclusive), status, status, type, type,
-- key, key, suppressed reason, suppressed reason, limit.
-- name: history.events_page
SELECT rowid AS seq, event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
       next_attempt_at, claimed_until, claimed_by, created_at, delivered_at, last_error, suppressed_reason
FROM events INDEXED BY events_by_trigger
WHERE trigger_name = ? AND (created_at, rowid) < (?, ?) AND created_at >= ?
  AND (? IS NULL OR status = ?) AND (? IS NULL OR event_type = ?) AND (? IS NULL OR key_json = ?)
  AND (? IS NULL OR suppressed_reason = ?)
ORDER BY created_at DESC, rowid DESC
LIMIT ?

-- State of the triggers of one page, in one statement: running totals (kept by the database triggers of V7),
-- matched keys, and the pending and dead events still in the outbox (retrying: pending after a failed attempt).
-- Parameters: the trigger names (JSON array).
-- name: history.trigger_states
WITH page (name) AS (SELECT value FROM json_each(?)),
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

-- One page of a trigger's matched keys in key order, after a key ('' for the first page).
-- Parameters: trigger, after key, limit.
-- name: history.matches_page
SELECT key_json, row_json, frontier, matched_frontier FROM trigger_state
WHERE trigger_name = ? AND key_json > ?
ORDER BY key_json
LIMIT ?

-- Parameters: at, actor, action, target, before, after, request id.
-- name: audit.insert
INSERT INTO audit_log (at, actor, action, target, before_json, after_json, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)

-- Newest first below an id. Parameters: before id, target, target, actor, actor, action, action, limit.
-- name: audit.page
SELECT id, at, actor, action, target, before_json, after_json, request_id FROM audit_log
WHERE id < ? AND (? IS NULL OR target = ?) AND (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?)
ORDER BY id DESC
LIMIT ?

-- Bounded slices, oldest first. Parameters: older than, limit.
-- name: audit.prune
DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)

-- alerts (#10)

-- Stores an alert for one endpoint once; the same alert raised again is ignored.
-- Parameters: alert, event id, type, data, next attempt at, created at.
-- name: alerts.insert
INSERT INTO alert_events (alert_name, event_id, event_type, data_json, status, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, 'pending', ?, ?)
ON CONFLICT (alert_name, event_id) DO NOTHING

-- Pending alerts due now, oldest first. Parameters: now, limit.
-- name: alerts.due
SELECT alert_name, event_id, event_type, data_json, attempts, created_at FROM alert_events
WHERE status = 'pending' AND next_attempt_at <= ?
ORDER BY next_attempt_at, created_at
LIMIT ?

-- Leases one due alert by moving it past the lease; one claimer wins.
-- Parameters: lease end, alert, event id, now.
-- name: alerts.claim
UPDATE alert_events SET next_attempt_at = ?
WHERE alert_name = ? AND event_id = ? AND status = 'pending' AND next_attempt_at <= ?

-- Parameters: delivered at, alert, event id.
-- name: alerts.delivered
UPDATE alert_events SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL
WHERE alert_name = ? AND event_id = ? AND status = 'pending'

-- Parameters: next attempt at, error, alert, event id.
-- name: alerts.retry
UPDATE alert_events SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
WHERE alert_name = ? AND event_id = ? AND status = 'pending'

-- Parameters: error, alert, event id.
-- name: alerts.dead
UPDATE alert_events SET status = 'dead', attempts = attempts + 1, last_error = ?
WHERE alert_name = ? AND event_id = ? AND status = 'pending'

-- An endpoint's alerts, oldest first. Parameters: alert, limit.
-- name: alerts.list
SELECT alert_name, event_id, event_type, data_json, status, attempts, created_at, delivered_at, last_error
FROM alert_events WHERE alert_name = ?
ORDER BY created_at, event_id
LIMIT ?

-- Delivered and dead alerts older than a time, in bounded slices. Parameters: older than, limit.
-- name: alerts.prune
DELETE FROM alert_events WHERE (alert_name, event_id) IN (
  SELECT alert_name, event_id FROM alert_events WHERE status <> 'pending' AND created_at < ?
  ORDER BY created_at LIMIT ?)

-- retry policies and expiry (#11 items 1 and 7, slice "retry")

-- Why dead outcomes of one batch died, right after their transition (an event no longer dead, e.g. fenced away, is
-- left alone). Parameters: reason, event id.
-- name: retry.set_dead_reason
UPDATE events SET dead_reason = ? WHERE event_id = ? AND status = 'dead'

-- Parameters: event id.
-- name: retry.dead_reason
SELECT status, dead_reason FROM events WHERE event_id = ?

-- Claims the audit of a trigger's expiry at one expires_at, read at the trigger's current version; one row updated
-- means this caller records it. Parameters: expires_at, trigger name, version, expires_at.
-- name: expiry.claim_record
UPDATE triggers SET expiry_recorded_for = ?
WHERE name = ? AND version = ? AND (expiry_recorded_for IS NULL OR expiry_recorded_for <> ?)

-- batch delivery (#11 item 8)

-- Every pending event that shares a batch with one of the given events, with its batch id. Parameters: event ids
-- (JSON array).
-- name: batch.pending_members
SELECT e.event_id, e.batch_id FROM events e INDEXED BY events_by_batch
WHERE e.batch_id IS NOT NULL AND e.status = 'pending'
  AND e.batch_id IN (SELECT batch_id FROM events WHERE event_id IN (SELECT value FROM json_each(?))
                     AND batch_id IS NOT NULL)

-- Records a batch's members before its first POST and gives them one lease end, only while this claimer holds them.
-- Parameters: batch id, lease end, event ids (JSON array), claimer.
-- name: batch.assign
UPDATE events SET batch_id = ?, claimed_until = ?
WHERE event_id IN (SELECT value FROM json_each(?)) AND status = 'pending' AND claimed_by = ?

-- Parameters: event id.
-- name: batch.of_event
SELECT batch_id FROM events WHERE event_id = ?

-- delivery gates (#11 items 2 and 9: cooldown, deliver_if)

-- An event a delivery gate held back: recorded as 'suppressed' with the gate's reason, never claimed.
-- Parameters as event.insert, then the reason: event id, type, source timestamp, key, data, next attempt at, created
-- at, trigger name, reason.
-- name: event.insert_suppressed
INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, attempts,
                    next_attempt_at, claimed_until, created_at, suppressed_reason)
SELECT ?1, t.name, ?2, ?3, ?4, ?5, 'suppressed', 0, ?6, 0, ?7, ?9 FROM triggers t WHERE t.name = ?8
ON CONFLICT (event_id) DO NOTHING

-- A trigger's gate memory per key. Parameters: trigger name.
-- name: gates.load
SELECT key_json, delivered_fire_at, open_suppression FROM trigger_key_gates WHERE trigger_name = ?

-- Joins triggers so the memory of a trigger deleted meanwhile is dropped. Parameters: key, delivered fire at (NULL
-- for none), open suppression (NULL for none), trigger name.
-- name: gates.upsert
INSERT INTO trigger_key_gates (trigger_name, key_json, delivered_fire_at, open_suppression)
SELECT t.name, ?, ?, ? FROM triggers t WHERE t.name = ?
ON CONFLICT (trigger_name, key_json) DO UPDATE SET delivered_fire_at = excluded.delivered_fire_at,
                                                   open_suppression = excluded.open_suppression

-- Parameters: trigger name, key.
-- name: gates.delete
DELETE FROM trigger_key_gates WHERE trigger_name = ? AND key_json = ?
