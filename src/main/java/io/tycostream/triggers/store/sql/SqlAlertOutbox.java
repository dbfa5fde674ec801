package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.AlertOutbox;
import io.tycostream.triggers.store.NewAlert;
import io.tycostream.triggers.store.StoredAlert;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The {@link AlertOutbox} of {@link SqlStore}: statements {@code alerts.*} of the dialect. Stateless. */
final class SqlAlertOutbox implements AlertOutbox {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;

  SqlAlertOutbox(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public Future<Void> insert(List<NewAlert> alerts) {
    if (alerts.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(alerts.size());
    for (NewAlert alert : alerts) {
      rows.add(Tuple.tuple().addValue(alert.alertName()).addValue(alert.eventId()).addValue(alert.eventType())
          .addValue(alert.dataJson()).addValue(alert.createdAtMs()).addValue(alert.createdAtMs()));
    }
    return translated(writer.preparedQuery(sql.get("alerts.insert")).executeBatch(rows).mapEmpty());
  }

  @Override
  public Future<List<StoredAlert>> due(long nowMs, int limit) {
    return translated(reader.preparedQuery(sql.get("alerts.due")).execute(Tuple.of(nowMs, limit))
        .map(rows -> {
          List<StoredAlert> due = new ArrayList<>(rows.size());
          rows.forEach(row -> due.add(new StoredAlert(row.getString("alert_name"), row.getString("event_id"),
              row.getString("event_type"), row.getString("data_json"), "pending",
              (int) SqlRows.number(row, "attempts"), SqlRows.number(row, "created_at"), null, null)));
          return due;
        }));
  }

  @Override
  public Future<Boolean> claim(StoredAlert alert, long nowMs, long leaseUntilMs) {
    return translated(writer.preparedQuery(sql.get("alerts.claim"))
        .execute(Tuple.of(leaseUntilMs, alert.alertName(), alert.eventId(), nowMs))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Void> delivered(StoredAlert alert, long atMs) {
    return update("alerts.delivered", Tuple.of(atMs, alert.alertName(), alert.eventId()));
  }

  @Override
  public Future<Void> retry(StoredAlert alert, long nextAttemptAtMs, String error) {
    return update("alerts.retry", Tuple.of(nextAttemptAtMs, error, alert.alertName(), alert.eventId()));
  }

  @Override
  public Future<Void> dead(StoredAlert alert, String error) {
    return update("alerts.dead", Tuple.of(error, alert.alertName(), alert.eventId()));
  }

  @Override
  public Future<List<StoredAlert>> list(String alertName, int limit) {
    return translated(reader.preparedQuery(sql.get("alerts.list")).execute(Tuple.of(alertName, limit))
        .map(rows -> {
          List<StoredAlert> alerts = new ArrayList<>(rows.size());
          rows.forEach(row -> alerts.add(stored(row)));
          return alerts;
        }));
  }

  @Override
  public Future<Integer> prune(long olderThanMs, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return translated(writer.preparedQuery(sql.get("alerts.prune")).execute(Tuple.of(olderThanMs, limit))
        .map(rows -> rows.rowCount()));
  }

  private Future<Void> update(String statement, Tuple params) {
    return translated(writer.preparedQuery(sql.get(statement)).execute(params).mapEmpty());
  }

  private static StoredAlert stored(Row row) {
    Object deliveredAt = row.getValue("delivered_at");
    return new StoredAlert(row.getString("alert_name"), row.getString("event_id"), row.getString("event_type"),
        row.getString("data_json"), row.getString("status"), (int) SqlRows.number(row, "attempts"),
        SqlRows.number(row, "created_at"), deliveredAt == null ? null : SqlRows.number(row, "delivered_at"),
        row.getString("last_error"));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
