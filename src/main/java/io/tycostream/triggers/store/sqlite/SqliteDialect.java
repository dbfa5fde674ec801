package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.sql.SqlDialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * SQLite specifics: explicit {@code BEGIN IMMEDIATE} transactions and result-code translation.
 * <p>
 * Transactions are issued as SQL on an autocommit connection rather than through {@code Pool.withTransaction}:
 * vertx-jdbc-client 5.0.7 leaves the JDBC connection with autocommit off after a commit, and sqlite-jdbc then opens
 * the next transaction at once, so the pooled connection would hold a transaction (and, with IMMEDIATE, the write
 * lock) while idle. {@code IMMEDIATE} takes the write lock up front, so a transaction never fails half-way with
 * {@code SQLITE_BUSY} when upgrading from read to write; {@code busy_timeout} makes other writers wait for it.
 */
final class SqliteDialect implements SqlDialect {

  static final String NAME = "sqlite";

  private static final Logger LOG = LoggerFactory.getLogger(SqliteDialect.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> transaction(conn, work));
  }

  /**
   * The transaction with {@code secure_delete} on for its connection, so the content it deletes or rewrites is
   * overwritten with zeros rather than left in free space, then a WAL truncation ({@link #emptyWal}). Only these
   * transactions pay for zeroing: with it on for every write, the p99 latency of deliveries doubled.
   */
  @Override
  public <T> Future<T> inErasingTransaction(Pool writer, Function<SqlConnection, Future<T>> work) {
    return writer.<T>withConnection(conn -> conn.query("PRAGMA secure_delete = ON").execute()
        .compose(on -> transaction(conn, work))
        .transform(done -> conn.query("PRAGMA secure_delete = OFF").execute()
          // the work's own failure comes first; a connection left zeroing would only be slower
          .<T>transform(off -> done.failed() ? Future.failedFuture(done.cause())
            : off.failed() ? Future.failedFuture(off.cause()) : Future.succeededFuture(done.result()))))
      .compose(result -> emptyWal(writer).map(result));
  }

  /** A deferred transaction: its first read fixes the snapshot, and it never takes the write lock. */
  @Override
  public <T> Future<T> inReadSnapshot(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> conn.query("BEGIN DEFERRED").execute()
      .compose(begun -> work.apply(conn))
      .transform(outcome -> outcome.succeeded()
        ? commit(conn, outcome.result())
        : rollback(conn, outcome.cause())));
  }

  private static <T> Future<T> transaction(SqlConnection conn, Function<SqlConnection, Future<T>> work) {
    return conn.query("BEGIN IMMEDIATE").execute()
      .compose(begun -> work.apply(conn))
      .transform(outcome -> outcome.succeeded()
        ? commit(conn, outcome.result())
        : rollback(conn, outcome.cause()));
  }

  private static <T> Future<T> commit(SqlConnection conn, T result) {
    // a failed COMMIT (disk full, I/O error) can leave the transaction open; roll it back before the connection
    // goes back to the pool
    return conn.query("COMMIT").execute()
      .transform(committed -> committed.succeeded()
        ? Future.succeededFuture(result)
        : rollback(conn, committed.cause()));
  }

  private static <T> Future<T> rollback(SqlConnection conn, Throwable cause) {
    // SQLite rolls back by itself after some errors; a ROLLBACK without a transaction then fails harmlessly
    return conn.query("ROLLBACK").execute().transform(rolledBack -> Future.failedFuture(cause));
  }

  /**
   * Truncates the WAL: with {@code secure_delete} on, the database pages no longer hold a deleted or rewritten
   * secret, but older WAL frames (copies of the pages before the change) would until the WAL wraps around. A
   * {@code TRUNCATE} checkpoint copies the WAL into the database and empties the file. It waits for readers up to
   * the busy timeout; a checkpoint that cannot finish is retried by the next deletion and by the close. Best effort:
   * never fails, a problem is logged.
   */
  private static Future<Void> emptyWal(Pool writer) {
    return writer.query("PRAGMA wal_checkpoint(TRUNCATE)").execute()
      .<Void>map(rows -> {
        Row result = rows.iterator().hasNext() ? rows.iterator().next() : null;
        if (result != null && ((Number) result.getValue(0)).intValue() != 0) {
          LOG.warn("the WAL was not emptied after secrets were removed (readers in the way); the next checkpoint "
            + "empties it");
        }
        return null;
      })
      .recover(failure -> {
        LOG.warn("the WAL was not emptied after secrets were removed [cause: {}]", failure.getMessage());
        return Future.succeededFuture();
      });
  }

  @Override
  public Object nameList(List<String> names) {
    return new JsonArray(List.copyOf(names)).encode();
  }

  @Override
  public StoreException translate(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StoreException storeException) {
        return storeException;
      }
      if (cause instanceof SQLiteException sqliteException) {
        return new StoreException(codeOf(sqliteException.getResultCode()), failure.getMessage(), failure);
      }
      if (cause instanceof SQLException sqlException) {
        return new StoreException(codeOfPrimary(sqlException.getErrorCode()), failure.getMessage(), failure);
      }
    }
    String message = String.valueOf(failure.getMessage());
    StoreErrorCode code = message.toLowerCase().contains("closed") ? StoreErrorCode.UNAVAILABLE
      : StoreErrorCode.INTERNAL;
    return new StoreException(code, message, failure);
  }

  static StoreErrorCode codeOf(SQLiteErrorCode resultCode) {
    return switch (resultCode) {
      case SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE -> StoreErrorCode.DUPLICATE;
      default -> codeOfPrimary(resultCode.code & 0xff);
    };
  }

  /** Maps a primary SQLite result code (https://sqlite.org/rescode.html). */
  static StoreErrorCode codeOfPrimary(int primaryCode) {
    return switch (primaryCode) {
      case 19 -> StoreErrorCode.CONSTRAINT;
      // BUSY, LOCKED, NOMEM, READONLY, INTERRUPT, IOERR, FULL, CANTOPEN, PROTOCOL
      case 5, 6, 7, 8, 9, 10, 13, 14, 15 -> StoreErrorCode.UNAVAILABLE;
      default -> StoreErrorCode.INTERNAL;
    };
  }
}
