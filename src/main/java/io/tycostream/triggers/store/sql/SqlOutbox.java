package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox half of the store: leasing due events, recording attempt outcomes in batches, and the history queries.
 * <p>
 * Threading: see {@link io.tycostream.triggers.store.Store}; writes go through the writer pool, queries through the
 * reader pool; this class holds no mutable state.
 */
final class SqlOutbox {

  private static final Comparator<StoredEvent> CLAIM_ORDER =
    Comparator.comparingLong(StoredEvent::nextAttemptAtMs).thenComparingLong(StoredEvent::sequence);
  private static final Map<OutboxOutcome.Kind, String> TRANSITIONS = Map.of(
    OutboxOutcome.Kind.DELIVERED, "outbox.mark_delivered",
    OutboxOutcome.Kind.RETRY, "outbox.reschedule",
    OutboxOutcome.Kind.DEAD, "outbox.mark_dead",
    OutboxOutcome.Kind.POSTPONED, "outbox.postpone",
    OutboxOutcome.Kind.RELEASED, "outbox.release");
  private static final Map<OutboxOutcome.Kind, AttemptOutcome> ATTEMPT_OUTCOMES = Map.of(
    OutboxOutcome.Kind.DELIVERED, AttemptOutcome.DELIVERED,
    OutboxOutcome.Kind.RETRY, AttemptOutcome.RETRY,
    OutboxOutcome.Kind.DEAD, AttemptOutcome.DEAD);

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;

  SqlOutbox(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
  }

  Future<List<StoredEvent>> claimDue(String claimer, long nowMs, int limit, long leaseMs,
                                     Collection<String> excludedTriggers) {
    if (limit <= 0 || leaseMs <= 0) {
      throw new IllegalArgumentException("limit and leaseMs must be positive: " + limit + ", " + leaseMs);
    }
    Tuple params = Tuple.of(nowMs + leaseMs, Objects.requireNonNull(claimer, "claimer"), nowMs, nowMs,
      names(excludedTriggers), limit);
    return writer.preparedQuery(sql.get("outbox.claim")).execute(params)
      .map(rows -> {
        List<StoredEvent> claimed = new ArrayList<>(rows.size());
        rows.forEach(row -> claimed.add(claimed(row.getString("claimed"), claimer)));
        // RETURNING does not promise an order
        claimed.sort(CLAIM_ORDER);
        return claimed;
      });
  }

  /**
   * A claimed row packed as {@code [sequence, event_id, trigger_name, event_type, source_timestamp, key_json,
   * data_json, attempts, next_attempt_at, claimed_until, created_at, last_error]}; text columns are JSON strings, so
   * the key and data come back exactly as stored.
   */
  private static StoredEvent claimed(String packed, String claimer) {
    JsonArray row = new JsonArray(packed);
    return new StoredEvent(row.getString(1), row.getString(2), row.getString(3), new BigInteger(row.getString(4)),
      row.getString(5), row.getString(6), EventStatus.PENDING, row.getInteger(7), row.getLong(8), row.getLong(9),
      Instant.ofEpochMilli(row.getLong(10)), null, row.getString(11), claimer, row.getLong(0));
  }

  /**
   * One transaction for all outcomes: each statement is prepared once and executed as a batch of its rows, the
   * attempt rows last. Events are moved before their attempts are inserted, within the same transaction, so the two
   * are never apart.
   */
  Future<Void> recordOutcomes(List<OutboxOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<OutboxOutcome.Kind, List<Tuple>> transitions = new EnumMap<>(OutboxOutcome.Kind.class);
    List<Tuple> attempts = new ArrayList<>(outcomes.size());
    List<Tuple> deadReasons = new ArrayList<>();
    for (OutboxOutcome outcome : outcomes) {
      transitions.computeIfAbsent(outcome.kind(), kind -> new ArrayList<>()).add(transition(outcome));
      if (outcome.attempt() != null) {
        attempts.add(attemptRow(outcome));
      }
      if (outcome.deadReason() != null) {
        deadReasons.add(Tuple.of(outcome.deadReason().dbValue(), outcome.eventId()));
      }
    }
    return dialect.inTransaction(writer, conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<OutboxOutcome.Kind, List<Tuple>> entry : transitions.entrySet()) {
        chain = chain.compose(done -> batch(conn, TRANSITIONS.get(entry.getKey()), entry.getValue()));
      }
      return chain.compose(moved -> batch(conn, "retry.set_dead_reason", deadReasons))
        .compose(reasoned -> batch(conn, "outbox.insert_attempt", attempts));
    });
  }

  Future<Integer> releaseClaimsNotOf(String claimer) {
    return writer.preparedQuery(sql.get("outbox.release_foreign_claims"))
      .execute(Tuple.of(Objects.requireNonNull(claimer, "claimer")))
      .map(rows -> rows.rowCount());
  }

  Future<Integer> releaseClaimsOf(Collection<String> claimers) {
    if (claimers.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return writer.preparedQuery(sql.get("outbox.release_claims_of")).execute(Tuple.of(names(claimers)))
      .map(rows -> rows.rowCount());
  }

  Future<Optional<Long>> nextDueAt(long nowMs, Collection<String> excludedTriggers) {
    return reader.preparedQuery(sql.get("outbox.next_due")).execute(Tuple.of(nowMs, names(excludedTriggers)))
      .map(rows -> rows.size() == 0
        ? Optional.<Long>empty()
        : Optional.of(SqlRows.number(rows.iterator().next(), "due")));
  }

  private static Tuple transition(OutboxOutcome outcome) {
    return switch (outcome.kind()) {
      case DELIVERED -> Tuple.of(outcome.atMs(), outcome.eventId());
      case RETRY -> fenced(Tuple.of(outcome.atMs(), lastError(outcome.attempt()), outcome.eventId()), outcome);
      case DEAD -> fenced(Tuple.of(lastError(outcome.attempt()), outcome.eventId()), outcome);
      case POSTPONED -> fenced(Tuple.of(outcome.atMs(), outcome.eventId()), outcome);
      case RELEASED -> fenced(Tuple.of(outcome.eventId()), outcome);
    };
  }

  private static Tuple fenced(Tuple params, OutboxOutcome outcome) {
    return params.addValue(outcome.claimer()).addValue(outcome.claimedUntilMs());
  }

  private static Tuple attemptRow(OutboxOutcome outcome) {
    DeliveryAttempt attempt = outcome.attempt();
    return Tuple.tuple()
      .addValue(outcome.eventId())
      .addValue(outcome.attemptNumber())
      .addValue(outcome.eventId())
      .addValue(attempt.startedAt().toEpochMilli())
      .addValue(attempt.durationMs())
      .addValue(attempt.httpStatus())
      .addValue(attempt.error())
      .addValue(ATTEMPT_OUTCOMES.get(outcome.kind()).dbValue())
      .addValue(attempt.responseExcerpt())
      .addValue(outcome.eventId());
  }

  private Future<Void> batch(SqlConnection conn, String statement, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(sql.get(statement)).executeBatch(rows).mapEmpty();
  }

  private static String lastError(DeliveryAttempt attempt) {
    if (attempt.error() != null) {
      return attempt.error();
    }
    return attempt.httpStatus() == null ? "no response" : "http " + attempt.httpStatus();
  }

  /** The trigger names as the JSON array the statements read with {@code json_each}. */
  /** Names as one parameter, in the form the dialect's SQL expands (a JSON array for SQLite, text[] for PostgreSQL). */
  private Object names(Collection<String> names) {
    return dialect.nameList(List.copyOf(names));
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
