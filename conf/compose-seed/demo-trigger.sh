#!/bin/sh
# Creates the demo trigger of docker-compose.yml through the admin API, with the bootstrap key from the environment.
# Waits for the source to report its schema (503 until then), at most 120 tries; 201 (created) and 409 (it already
# exists from an earlier run) both end it successfully.
set -eu
: "${TYCOSTREAM_ADMIN_KEY:?the admin API key (TYCOSTREAM_ADMIN_KEY) must be set}"
api="${TYCOSTREAM_URL:-http://tycostream:8080}/api/v1/triggers"
trigger='{
  "name": "big_customer",
  "source": "customer_totals",
  "description": "a customer whose orders total more than 1000; clears at 800 or below",
  "webhook": { "url": "http://tycostream:8080/demo/webhook" },
  "fire":  { "total": { "_gt": 1000 } },
  "clear": { "total": { "_lte": 800 } },
  "include_snapshot": true
}'
tries=0
while [ "$tries" -lt 120 ]; do
  status=$(curl -s -o /tmp/answer.json -w '%{http_code}' -X POST "$api" \
    -H "Authorization: Bearer $TYCOSTREAM_ADMIN_KEY" -H 'Content-Type: application/json' -d "$trigger" || echo 000)
  case "$status" in
    201) echo "demo trigger big_customer created"; exit 0 ;;
    409) echo "demo trigger big_customer already exists"; exit 0 ;;
    503|000) tries=$((tries + 1)); sleep 1 ;;
    *) echo "creating the demo trigger failed with HTTP $status:"; cat /tmp/answer.json; echo; exit 1 ;;
  esac
done
echo "the service did not accept the demo trigger within 120 s (is the customer_totals source connected?)"
exit 1
