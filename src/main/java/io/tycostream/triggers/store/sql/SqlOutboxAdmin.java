package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.EventPage;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.OutboxAdmin;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The {@link OutboxAdmin} of {@link SqlStore}: statements {@code replay.*} and {@code events.page}. Stateless. */
final class SqlOutboxAdmin implements OutboxAdmin {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;

  SqlOutboxAdmin(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public Future<Replay> retryEvent(String triggerName, String eventId, long nowMs) {
    Tuple params = Tuple.of(nowMs, Objects.requireNonNull(eventId, "eventId"),
        Objects.requireNonNull(triggerName, "triggerName"));
    return translated(writer.preparedQuery(sql.get("replay.event")).execute(params)
        .compose(updated -> updated.rowCount() > 0
            ? Future.succeededFuture(Replay.RETRIED)
            : reader.preparedQuery(sql.get("event.get")).execute(Tuple.of(eventId)).map(rows -> {
              List<StoredEvent> found = new ArrayList<>();
              rows.forEach(row -> found.add(SqlRows.event(row)));
              return found.isEmpty() || !found.get(0).triggerName().equals(triggerName) ? Replay.NOT_FOUND
                  : found.get(0).status() == EventStatus.PENDING ? Replay.STILL_PENDING : Replay.RETRIED;
            })));
  }

  @Override
  public Future<Integer> retryEvents(String triggerName, EventStatus status, Instant from, Instant to, long nowMs) {
    if (status == EventStatus.PENDING) {
      throw new IllegalArgumentException("pending events cannot be replayed");
    }
    Tuple params = Tuple.of(nowMs, Objects.requireNonNull(triggerName, "triggerName"),
        Objects.requireNonNull(status, "status").dbValue(),
        from == null ? Long.MIN_VALUE : from.toEpochMilli(), to == null ? Long.MAX_VALUE : to.toEpochMilli());
    return translated(writer.preparedQuery(sql.get("replay.events")).execute(params).map(rows -> rows.rowCount()));
  }

  @Override
  public Future<EventPage> listEvents(EventStatus status, String triggerName, EventPage.Position after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    String statusValue = status == null ? null : status.dbValue();
    long createdAt = after == null ? Long.MAX_VALUE : after.createdAtMs();
    long sequence = after == null ? Long.MAX_VALUE : after.sequence();
    Tuple params = Tuple.tuple().addValue(triggerName).addValue(triggerName).addValue(statusValue)
        .addValue(statusValue).addValue(createdAt).addValue(createdAt).addValue(sequence).addValue(limit + 1);
    return translated(reader.preparedQuery(sql.get("events.page")).execute(params).map(rows -> {
      List<StoredEvent> events = new ArrayList<>(rows.size());
      rows.forEach(row -> events.add(SqlRows.event(row)));
      if (events.size() <= limit) {
        return new EventPage(events, null);
      }
      List<StoredEvent> page = events.subList(0, limit);
      return new EventPage(page, EventPage.Position.of(page.get(limit - 1)));
    }));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
