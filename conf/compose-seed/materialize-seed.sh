#!/bin/sh
# Seeds the Materialize emulator of docker-compose.yml: waits for it to accept SQL (at most 120 tries), creates the
# table and view of materialize.sql, and inserts the demo orders when the table is empty.
set -eu
mz="psql -v ON_ERROR_STOP=1 -h ${MZ_HOST:-materialized} -p 6875 -U materialize -d materialize"
tries=0
until $mz -tAc 'SELECT 1' > /dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "Materialize did not accept connections within 120 s"
    exit 1
  fi
  sleep 1
done
$mz -f /seed/materialize.sql
if [ "$($mz -tAc 'SELECT count(*) FROM orders')" = "0" ]; then
  $mz -c "INSERT INTO orders VALUES (1, 'acme', 400), (2, 'globex', 300), (3, 'initech', 900)"
  echo "seeded: table orders, materialized view customer_totals, 3 demo orders"
else
  echo "already seeded: table orders has rows"
fi
