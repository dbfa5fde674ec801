-- Seeds the Materialize emulator of docker-compose.yml: a table of orders and a materialized view of each customer's
-- running total, which the service subscribes to (source customer_totals in conf/compose.yaml). Idempotent: the
-- objects are created when missing; materialize-seed.sh inserts the demo rows only into an empty table.
CREATE TABLE IF NOT EXISTS orders (id int NOT NULL, customer text NOT NULL, amount int NOT NULL);

-- RETAIN HISTORY lets the service resume from its checkpoint after a restart of the service (not of the emulator,
-- which keeps no data across restarts)
CREATE MATERIALIZED VIEW IF NOT EXISTS customer_totals WITH (RETAIN HISTORY FOR '1hr') AS
  SELECT customer, sum(amount)::bigint AS total, count(*)::bigint AS orders
  FROM orders
  GROUP BY customer;
