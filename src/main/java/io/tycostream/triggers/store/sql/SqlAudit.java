package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.AuditEntry;
import io.tycostream.triggers.store.AuditPage;
import io.tycostream.triggers.store.AuditQuery;
import io.tycostream.triggers.store.AuditStore;
import io.tycostream.triggers.store.NewAuditEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The {@link AuditStore} of {@link SqlStore}: statements {@code audit.*} of the dialect. Stateless. */
final class SqlAudit implements AuditStore {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;
  private final Clock clock;

  SqlAudit(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader, Clock clock) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
    this.clock = clock;
  }

  @Override
  public Future<Void> record(NewAuditEntry entry) {
    Tuple row = Tuple.tuple().addValue(clock.millis()).addValue(entry.actor()).addValue(entry.action())
      .addValue(entry.target()).addValue(entry.beforeJson()).addValue(entry.afterJson()).addValue(entry.requestId());
    return translated(writer.preparedQuery(sql.get("audit.insert")).execute(row).mapEmpty());
  }

  @Override
  public Future<AuditPage> list(AuditQuery query) {
    Tuple params = Tuple.tuple().addValue(query.beforeId() == null ? Long.MAX_VALUE : query.beforeId())
      .addValue(query.target()).addValue(query.target())
      .addValue(query.actor()).addValue(query.actor())
      .addValue(query.action()).addValue(query.action())
      .addValue(query.limit() + 1);
    return translated(reader.preparedQuery(sql.get("audit.page")).execute(params).map(rows -> {
      List<AuditEntry> entries = new ArrayList<>(rows.size());
      rows.forEach(row -> entries.add(entry(row)));
      if (entries.size() <= query.limit()) {
        return new AuditPage(entries, null);
      }
      List<AuditEntry> page = entries.subList(0, query.limit());
      return new AuditPage(page, page.get(page.size() - 1).id());
    }));
  }

  @Override
  public Future<Integer> prune(long olderThanMs, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return translated(writer.preparedQuery(sql.get("audit.prune")).execute(Tuple.of(olderThanMs, limit))
      .map(rows -> rows.rowCount()));
  }

  private static AuditEntry entry(Row row) {
    return new AuditEntry(SqlRows.number(row, "id"), SqlRows.instant(row, "at"), row.getString("actor"),
      row.getString("action"), row.getString("target"), row.getString("before_json"), row.getString("after_json"),
      row.getString("request_id"));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
