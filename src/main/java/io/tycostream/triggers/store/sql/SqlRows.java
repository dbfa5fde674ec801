package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.SuppressedReason;
import io.vertx.sqlclient.Row;

import java.math.BigInteger;
import java.time.Instant;

/**
 * Maps result rows to store records. Column access goes through {@link Number} because drivers differ in whether
 * an integer column comes back as {@code Integer} or {@code Long}.
 */
final class SqlRows {

  private SqlRows() {
  }

  static StoredEvent event(Row row) {
    return new StoredEvent(row.getString("event_id"), row.getString("trigger_name"), row.getString("event_type"),
      new BigInteger(row.getString("source_timestamp")), row.getString("key_json"), row.getString("data_json"),
      EventStatus.fromDbValue(row.getString("status")), (int) number(row, "attempts"),
      number(row, "next_attempt_at"), number(row, "claimed_until"), instant(row, "created_at"),
      nullableInstant(row, "delivered_at"), row.getString("last_error"), row.getString("claimed_by"),
      number(row, "seq"), suppressedReason(row));
  }

  /** The reason column when the statement selects it (every event read of the API does). */
  private static SuppressedReason suppressedReason(Row row) {
    int column = row.getColumnIndex("suppressed_reason");
    return column < 0 ? null : SuppressedReason.of(row.getString(column)).orElse(null);
  }

  static RecordedAttempt attempt(Row row) {
    Object httpStatus = row.getValue("http_status");
    return new RecordedAttempt(number(row, "id"), row.getString("event_id"), (int) number(row, "attempt"),
      instant(row, "started_at"), number(row, "duration_ms"),
      httpStatus == null ? null : ((Number) httpStatus).intValue(), row.getString("error"),
      AttemptOutcome.fromDbValue(row.getString("outcome")), row.getString("response_excerpt"));
  }

  static long number(Row row, String column) {
    return ((Number) row.getValue(column)).longValue();
  }

  static Instant instant(Row row, String column) {
    return Instant.ofEpochMilli(number(row, column));
  }

  static Instant nullableInstant(Row row, String column) {
    Object value = row.getValue(column);
    return value == null ? null : Instant.ofEpochMilli(((Number) value).longValue());
  }
}
