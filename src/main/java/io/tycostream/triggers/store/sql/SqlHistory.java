package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.EventPage;
import io.tycostream.triggers.store.EventQuery;
import io.tycostream.triggers.store.HistoryStore;
import io.tycostream.triggers.store.MatchPage;
import io.tycostream.triggers.store.MatchedKey;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.TriggerActivity;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link HistoryStore} of {@link SqlStore}: statements {@code history.*} of the dialect. Stateless. */
final class SqlHistory implements HistoryStore {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool reader;

  SqlHistory(SqlDialect dialect, SqlStatements sql, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.reader = reader;
  }

  @Override
  public Future<EventPage> listEvents(EventQuery query) {
    EventPage.Position below = query.upperBound();
    String status = query.status() == null ? null : query.status().dbValue();
    long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli();
    String reason = query.suppressedReason() == null ? null : query.suppressedReason().dbValue();
    // one row more than asked tells whether another page follows
    Tuple params = Tuple.tuple().addValue(query.triggerName())
      .addValue(below.createdAtMs()).addValue(below.sequence()).addValue(from)
      .addValue(status).addValue(status)
      .addValue(query.eventType()).addValue(query.eventType())
      .addValue(query.keyJson()).addValue(query.keyJson())
      .addValue(reason).addValue(reason)
      .addValue(query.limit() + 1);
    return translated(reader.preparedQuery(sql.get("history.events_page")).execute(params).map(rows -> {
      List<StoredEvent> events = new ArrayList<>(rows.size());
      rows.forEach(row -> events.add(SqlRows.event(row)));
      if (events.size() <= query.limit()) {
        return new EventPage(events, null);
      }
      List<StoredEvent> page = events.subList(0, query.limit());
      return new EventPage(page, EventPage.Position.of(page.get(page.size() - 1)));
    }));
  }

  @Override
  public Future<Map<String, TriggerActivity>> activityOf(List<String> triggerNames) {
    Map<String, TriggerActivity> activity = new LinkedHashMap<>();
    triggerNames.forEach(name -> activity.put(name, TriggerActivity.none(name)));
    if (triggerNames.isEmpty()) {
      return Future.succeededFuture(activity);
    }
    return translated(reader.preparedQuery(sql.get("history.trigger_states"))
      .execute(Tuple.of(dialect.nameList(triggerNames)))
      .map(rows -> {
        for (Row row : rows) {
          TriggerActivity one = new TriggerActivity(row.getString("trigger_name"),
            SqlRows.number(row, "matched_count"), SqlRows.number(row, "fired_total"),
            SqlRows.number(row, "cleared_total"), SqlRows.nullableInstant(row, "last_fired_at"),
            SqlRows.nullableInstant(row, "last_cleared_at"), SqlRows.number(row, "delivered_total"),
            SqlRows.number(row, "pending"), SqlRows.number(row, "dead"),
            SqlRows.number(row, "retrying"));
          activity.put(one.triggerName(), one);
        }
        return activity;
      }));
  }

  @Override
  public Future<MatchPage> listMatches(String triggerName, String source, String afterKey, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return translated(dialect.inReadSnapshot(reader, conn -> checkpoint(conn, source)
      .compose(frontier -> conn.preparedQuery(sql.get("history.matches_page"))
        .execute(Tuple.of(triggerName, afterKey == null ? "" : afterKey, limit + 1))
        .map(rows -> {
          List<MatchedKey> keys = new ArrayList<>(rows.size());
          for (Row row : rows) {
            String matchedFrontier = row.getString("matched_frontier");
            keys.add(new MatchedKey(row.getString("key_json"), row.getString("row_json"),
              new BigInteger(row.getString("frontier")),
              matchedFrontier == null ? null : new BigInteger(matchedFrontier)));
          }
          if (keys.size() <= limit) {
            return new MatchPage(frontier, keys, null);
          }
          List<MatchedKey> page = keys.subList(0, limit);
          return new MatchPage(frontier, page, page.get(limit - 1).keyJson());
        }))));
  }

  private Future<BigInteger> checkpoint(SqlConnection conn, String source) {
    return conn.preparedQuery(sql.get("checkpoint.get")).execute(Tuple.of(source))
      .map(rows -> rows.size() == 0 ? null : new BigInteger(rows.iterator().next().getString("frontier")));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
