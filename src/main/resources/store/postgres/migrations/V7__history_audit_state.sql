-- History, audit and trigger state (#10); the same tables as SQLite's V7.

-- The first bytes of a receiver's answer to an attempt (at most 512 bytes of the body, as text; invalid UTF-8
-- replaced), NULL when no answer arrived or the attempt predates this column.
ALTER TABLE delivery_attempts ADD COLUMN response_excerpt TEXT;

-- The frontier of the commit (or baseline) that made a key matched; kept while the key stays matched. NULL for keys
-- matched before this column existed.
ALTER TABLE trigger_state ADD COLUMN matched_frontier TEXT;

-- Every change made through the admin API or the configuration. before_json/after_json never hold secrets or keys.
-- Pruned with delivered events (delivery.history_retention_hours).
CREATE TABLE audit_log (
  id          BIGSERIAL NOT NULL PRIMARY KEY,
  at          BIGINT    NOT NULL,
  actor       TEXT      NOT NULL,
  action      TEXT      NOT NULL,
  target      TEXT,
  before_json TEXT,
  after_json  TEXT,
  request_id  TEXT
);

CREATE INDEX audit_by_target ON audit_log (target, id);
CREATE INDEX audit_by_actor ON audit_log (actor, id);
CREATE INDEX audit_by_action ON audit_log (action, id);
CREATE INDEX audit_by_time ON audit_log (at);

-- Running totals of a trigger's events, kept by the database trigger below in the transaction that inserts the
-- events (the source owner's commit), so they survive history pruning. Rows go with their trigger.
CREATE TABLE trigger_event_totals (
  trigger_name    TEXT   NOT NULL PRIMARY KEY REFERENCES triggers (name) ON DELETE CASCADE,
  fired_total     BIGINT NOT NULL DEFAULT 0,
  cleared_total   BIGINT NOT NULL DEFAULT 0,
  last_fired_at   BIGINT,
  last_cleared_at BIGINT
);

-- Deliveries (a 2xx recorded) per trigger; a separate row because outcomes are recorded by any node.
CREATE TABLE trigger_delivery_totals (
  trigger_name    TEXT   NOT NULL PRIMARY KEY REFERENCES triggers (name) ON DELETE CASCADE,
  delivered_total BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION count_trigger_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO trigger_event_totals AS t (trigger_name, fired_total, cleared_total, last_fired_at, last_cleared_at)
    SELECT NEW.trigger_name,
           CASE WHEN NEW.event_type = 'CLEAR' THEN 0 ELSE 1 END,
           CASE WHEN NEW.event_type = 'CLEAR' THEN 1 ELSE 0 END,
           CASE WHEN NEW.event_type = 'CLEAR' THEN NULL ELSE NEW.created_at END,
           CASE WHEN NEW.event_type = 'CLEAR' THEN NEW.created_at ELSE NULL END
    WHERE EXISTS (SELECT 1 FROM triggers WHERE name = NEW.trigger_name)
    ON CONFLICT (trigger_name) DO UPDATE SET
      fired_total = t.fired_total + excluded.fired_total,
      cleared_total = t.cleared_total + excluded.cleared_total,
      last_fired_at = GREATEST(t.last_fired_at, excluded.last_fired_at),
      last_cleared_at = GREATEST(t.last_cleared_at, excluded.last_cleared_at);
  ELSIF TG_OP = 'DELETE' THEN
    -- staged snapshot FIREs of a baseline attempt that did not finish are deleted unsent: they never happened
    UPDATE trigger_event_totals SET
      fired_total = fired_total - (CASE WHEN OLD.event_type = 'CLEAR' THEN 0 ELSE 1 END),
      cleared_total = cleared_total - (CASE WHEN OLD.event_type = 'CLEAR' THEN 1 ELSE 0 END)
    WHERE trigger_name = OLD.trigger_name
      AND EXISTS (SELECT 1 FROM triggers WHERE name = OLD.trigger_name AND status = 'awaiting_baseline');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_count_inserted AFTER INSERT ON events
FOR EACH ROW WHEN (NEW.event_type IN ('FIRE', 'MATCH', 'CLEAR'))
EXECUTE FUNCTION count_trigger_events();

CREATE TRIGGER events_uncount_staged AFTER DELETE ON events
FOR EACH ROW WHEN (OLD.status = 'pending' AND OLD.event_type IN ('FIRE', 'MATCH', 'CLEAR'))
EXECUTE FUNCTION count_trigger_events();

CREATE FUNCTION count_trigger_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trigger_delivery_totals AS t (trigger_name, delivered_total)
  SELECT NEW.trigger_name, 1 WHERE EXISTS (SELECT 1 FROM triggers WHERE name = NEW.trigger_name)
  ON CONFLICT (trigger_name) DO UPDATE SET delivered_total = t.delivered_total + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_count_delivered AFTER UPDATE OF status ON events
FOR EACH ROW WHEN (NEW.status = 'delivered' AND OLD.status <> 'delivered')
EXECUTE FUNCTION count_trigger_deliveries();

-- Totals of the history retained when this migration runs (older history was pruned and is not counted).
INSERT INTO trigger_event_totals (trigger_name, fired_total, cleared_total, last_fired_at, last_cleared_at)
SELECT e.trigger_name,
       sum(CASE WHEN e.event_type IN ('FIRE', 'MATCH') THEN 1 ELSE 0 END),
       sum(CASE WHEN e.event_type = 'CLEAR' THEN 1 ELSE 0 END),
       max(CASE WHEN e.event_type IN ('FIRE', 'MATCH') THEN e.created_at END),
       max(CASE WHEN e.event_type = 'CLEAR' THEN e.created_at END)
FROM events e JOIN triggers t ON t.name = e.trigger_name
WHERE e.event_type IN ('FIRE', 'MATCH', 'CLEAR')
GROUP BY e.trigger_name;

INSERT INTO trigger_delivery_totals (trigger_name, delivered_total)
SELECT e.trigger_name, count(*)
FROM events e JOIN triggers t ON t.name = e.trigger_name
WHERE e.status = 'delivered'
GROUP BY e.trigger_name;
