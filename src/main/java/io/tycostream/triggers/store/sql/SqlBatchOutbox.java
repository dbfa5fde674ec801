package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.BatchOutbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@link BatchOutbox} of {@link SqlStore}: statements {@code batch.*}. Stateless. */
final class SqlBatchOutbox implements BatchOutbox {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;

  SqlBatchOutbox(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public Future<Map<String, String>> pendingBatchMembers(Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return translated(reader.preparedQuery(sql.get("batch.pending_members"))
        .execute(Tuple.of(dialect.nameList(List.copyOf(eventIds))))
        .map(rows -> {
          Map<String, String> members = new HashMap<>();
          rows.forEach(row -> members.put(row.getString("event_id"), row.getString("batch_id")));
          return members;
        }));
  }

  @Override
  public Future<Integer> assign(String batchId, List<String> eventIds, String claimer, long claimedUntilMs) {
    Tuple params = Tuple.of(Objects.requireNonNull(batchId, "batchId"), claimedUntilMs,
        dialect.nameList(List.copyOf(eventIds)), Objects.requireNonNull(claimer, "claimer"));
    return translated(writer.preparedQuery(sql.get("batch.assign")).execute(params).map(rows -> rows.rowCount()));
  }

  @Override
  public Future<Optional<String>> batchOf(String eventId) {
    return translated(reader.preparedQuery(sql.get("batch.of_event")).execute(Tuple.of(eventId))
        .map(rows -> rows.size() == 0 ? Optional.<String>empty()
            : Optional.ofNullable(rows.iterator().next().getString("batch_id"))));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
