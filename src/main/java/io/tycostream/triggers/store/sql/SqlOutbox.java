package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outbox half of the store: leasing due events, recording attempt outcomes, and the history queries.
 * <p>
 * Threading: see {@link io.tycostream.triggers.store.Store}; writes go through the writer pool, queries through the
 * reader pool; this class holds no mutable state.
 */
final class SqlOutbox {

  private static final Comparator<StoredEvent> DUE_ORDER =
    Comparator.comparingLong(StoredEvent::nextAttemptAtMs).thenComparing(StoredEvent::eventId);

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;
  private final Clock clock;

  SqlOutbox(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader, Clock clock) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
    this.clock = clock;
  }

  Future<List<StoredEvent>> claimDue(long nowMs, int limit, long leaseMs) {
    if (limit <= 0 || leaseMs <= 0) {
      throw new IllegalArgumentException("limit and leaseMs must be positive: " + limit + ", " + leaseMs);
    }
    return writer.preparedQuery(sql.get("outbox.claim")).execute(Tuple.of(nowMs + leaseMs, nowMs, nowMs, limit))
      .map(rows -> {
        List<StoredEvent> claimed = events(rows);
        claimed.sort(DUE_ORDER);
        return claimed;
      });
  }

  Future<Boolean> recordDelivered(String eventId, DeliveryAttempt attempt) {
    return record(eventId, attempt, AttemptOutcome.DELIVERED,
      "outbox.mark_delivered", Tuple.of(clock.millis(), eventId));
  }

  Future<Boolean> recordFailure(String eventId, DeliveryAttempt attempt, long nextAttemptAtMs) {
    return record(eventId, attempt, AttemptOutcome.RETRY,
      "outbox.reschedule", Tuple.of(nextAttemptAtMs, lastError(attempt), eventId));
  }

  Future<Boolean> recordDead(String eventId, DeliveryAttempt attempt) {
    return record(eventId, attempt, AttemptOutcome.DEAD,
      "outbox.mark_dead", Tuple.of(lastError(attempt), eventId));
  }

  Future<Boolean> postpone(String eventId, long nextAttemptAtMs) {
    return writer.preparedQuery(sql.get("outbox.postpone")).execute(Tuple.of(nextAttemptAtMs, eventId))
      .map(rows -> rows.rowCount() > 0);
  }

  /**
   * Counts the attempt, moves a still-pending event on, and stores the attempt row, in one transaction. An event
   * that is no longer pending (another claimer finished it after this one's lease ran out) keeps its status.
   */
  private Future<Boolean> record(String eventId, DeliveryAttempt attempt, AttemptOutcome outcome,
                                 String transition, Tuple transitionParams) {
    return dialect.inTransaction(writer, conn -> conn.preparedQuery(sql.get("outbox.count_attempt"))
      .execute(Tuple.of(eventId))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(new StoreException(StoreErrorCode.NOT_FOUND, "no event " + eventId))
        : transitionIfPending(conn, rows.iterator().next(), transition, transitionParams)
          .compose(moved -> insertAttempt(conn, eventId, rows.iterator().next(), attempt, outcome).map(moved))));
  }

  private Future<Boolean> transitionIfPending(SqlConnection conn, Row counted, String transition, Tuple params) {
    if (!EventStatus.PENDING.dbValue().equals(counted.getString("status"))) {
      return Future.succeededFuture(false);
    }
    return conn.preparedQuery(sql.get(transition)).execute(params).map(rows -> rows.rowCount() > 0);
  }

  private Future<Void> insertAttempt(SqlConnection conn, String eventId, Row counted, DeliveryAttempt attempt,
                                     AttemptOutcome outcome) {
    Tuple row = Tuple.tuple()
      .addValue(eventId)
      .addValue(SqlRows.number(counted, "attempts"))
      .addValue(attempt.startedAt().toEpochMilli())
      .addValue(attempt.durationMs())
      .addValue(attempt.httpStatus())
      .addValue(attempt.error())
      .addValue(outcome.dbValue());
    return conn.preparedQuery(sql.get("outbox.insert_attempt")).execute(row).mapEmpty();
  }

  private static String lastError(DeliveryAttempt attempt) {
    if (attempt.error() != null) {
      return attempt.error();
    }
    return attempt.httpStatus() == null ? "no response" : "http " + attempt.httpStatus();
  }

  Future<Optional<Long>> nextDueAt() {
    return reader.query(sql.get("outbox.next_due")).execute()
      .map(rows -> {
        Object due = rows.iterator().next().getValue("due");
        return due == null ? Optional.<Long>empty() : Optional.of(((Number) due).longValue());
      });
  }

  Future<List<StoredEvent>> listEvents(String triggerName, EventStatus status, int limit) {
    String statusValue = status == null ? null : status.dbValue();
    Tuple params = Tuple.tuple().addValue(triggerName).addValue(triggerName)
      .addValue(statusValue).addValue(statusValue).addValue(limit);
    return reader.preparedQuery(sql.get("event.list")).execute(params).map(SqlOutbox::events);
  }

  Future<Optional<StoredEvent>> getEvent(String eventId) {
    return reader.preparedQuery(sql.get("event.get")).execute(Tuple.of(eventId))
      .map(rows -> events(rows).stream().findFirst());
  }

  Future<List<RecordedAttempt>> listAttempts(String eventId) {
    return reader.preparedQuery(sql.get("attempt.list")).execute(Tuple.of(eventId))
      .map(rows -> {
        List<RecordedAttempt> attempts = new ArrayList<>(rows.size());
        rows.forEach(row -> attempts.add(SqlRows.attempt(row)));
        return attempts;
      });
  }

  Future<Long> countEvents(EventStatus status) {
    return reader.preparedQuery(sql.get("event.count")).execute(Tuple.of(status.dbValue()))
      .map(rows -> SqlRows.number(rows.iterator().next(), "total"));
  }

  private static List<StoredEvent> events(RowSet<Row> rows) {
    List<StoredEvent> events = new ArrayList<>(rows.size());
    rows.forEach(row -> events.add(SqlRows.event(row)));
    return events;
  }
}
