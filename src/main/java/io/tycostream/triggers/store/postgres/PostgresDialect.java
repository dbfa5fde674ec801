package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.sql.SqlDialect;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.net.ConnectException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * PostgreSQL specifics: transactions through the pool ({@code BEGIN}/{@code COMMIT} pipelined by vertx-pg-client),
 * names as a {@code text[]} parameter, and SQLSTATE translation.
 */
final class PostgresDialect implements SqlDialect {

  static final String NAME = "postgres";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  @Override
  public <T> Future<T> inReadSnapshot(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
      .execute()
      .compose(set -> work.apply(conn)));
  }

  @Override
  public Object nameList(List<String> names) {
    return names.toArray(String[]::new);
  }

  @Override
  public StoreException translate(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StoreException storeException) {
        return storeException;
      }
      if (cause instanceof PgException pg) {
        return new StoreException(codeOf(pg.getSqlState()), failure.getMessage(), failure);
      }
      if (cause instanceof ClosedConnectionException || cause instanceof ConnectException) {
        return new StoreException(StoreErrorCode.UNAVAILABLE, String.valueOf(failure.getMessage()), failure);
      }
    }
    String message = String.valueOf(failure.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    // a closed pool fails every call with a bare "Pool closed" (a NoStackTraceThrowable, not a VertxException)
    boolean closed = lower.contains("pool closed");
    boolean unreachable = closed || failure instanceof VertxException && lower.contains("connection");
    return new StoreException(unreachable ? StoreErrorCode.UNAVAILABLE : StoreErrorCode.INTERNAL, message, failure);
  }

  /** Maps a SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
  static StoreErrorCode codeOf(String sqlState) {
    if (sqlState == null) {
      return StoreErrorCode.INTERNAL;
    }
    if (sqlState.equals("23505")) {
      return StoreErrorCode.DUPLICATE;
    }
    return switch (sqlState.substring(0, Math.min(2, sqlState.length()))) {
      case "23" -> StoreErrorCode.CONSTRAINT;
      // connection exceptions, serialization failures and deadlocks (retry), insufficient resources, operator
      // intervention (shutdown), system errors (I/O), read-only transactions
      case "08", "40", "53", "57", "58", "25" -> StoreErrorCode.UNAVAILABLE;
      default -> StoreErrorCode.INTERNAL;
    };
  }
}
