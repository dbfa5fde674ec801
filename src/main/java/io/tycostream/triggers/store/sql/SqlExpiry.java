package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.DeadReason;
import io.tycostream.triggers.store.ExpiryStore;
import io.tycostream.triggers.store.NewAuditEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.util.Optional;

/** The {@link ExpiryStore} of {@link SqlStore}: statements {@code retry.*} and {@code expiry.*}. Stateless. */
final class SqlExpiry implements ExpiryStore {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;
  private final Clock clock;

  SqlExpiry(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader, Clock clock) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
    this.clock = clock;
  }

  @Override
  public Future<Optional<String>> deadReason(String eventId) {
    return translated(reader.preparedQuery(sql.get("retry.dead_reason")).execute(Tuple.of(eventId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      if (!"dead".equals(row.getString("status"))) {
        return Optional.empty();
      }
      String reason = row.getString("dead_reason");
      return Optional.of(reason != null ? reason : DeadReason.ATTEMPTS_EXHAUSTED.dbValue());
    }));
  }

  @Override
  public Future<Boolean> recordExpired(String triggerName, long version, String expiresAt, NewAuditEntry entry) {
    return translated(dialect.inTransaction(writer, conn -> conn.preparedQuery(sql.get("expiry.claim_record"))
        .execute(Tuple.of(expiresAt, triggerName, version, expiresAt))
        .compose(claimed -> claimed.rowCount() == 0
            ? Future.succeededFuture(false)
            : conn.preparedQuery(sql.get("audit.insert")).execute(Tuple.tuple().addValue(clock.millis())
                .addValue(entry.actor()).addValue(entry.action()).addValue(entry.target())
                .addValue(entry.beforeJson()).addValue(entry.afterJson()).addValue(entry.requestId()))
                .map(true))));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
