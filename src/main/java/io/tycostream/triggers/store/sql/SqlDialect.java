package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.function.Function;

/**
 * What differs between databases beyond the SQL text: how a write transaction is opened and how driver errors
 * translate to {@link StoreException}. The SQL itself lives in {@code store/<name>/statements.sql} and
 * {@code store/<name>/migrations/}.
 * <p>
 * Implementations are stateless and thread-safe.
 */
public interface SqlDialect {

  /** The resource folder name under {@code store/}, e.g. {@code sqlite}. */
  String name();

  /**
   * Runs {@code work} in one write transaction on a connection of {@code pool}: commits when its future succeeds,
   * rolls back when it fails, and always returns the connection in autocommit state.
   */
  <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work);

  /**
   * A list of names as one statement parameter, in the form this dialect's SQL expands ({@code json_each(?)} in
   * SQLite reads a JSON array; PostgreSQL would take an array for {@code = ANY(?)}).
   */
  Object nameList(List<String> names);

  /**
   * {@link #inTransaction} for work that deletes or rewrites rows holding secrets: where this dialect can, the
   * database files keep no copy of the old bytes afterwards (SQLite zeroes the freed content and empties its WAL).
   * By default a plain transaction.
   */
  default <T> Future<T> inErasingTransaction(Pool writer, Function<SqlConnection, Future<T>> work) {
    return inTransaction(writer, work);
  }

  /**
   * Runs {@code work}, which only reads, on a connection of {@code pool} inside one snapshot: every statement of it
   * sees the same committed state (SQLite: one deferred read transaction on a WAL database; PostgreSQL: a
   * {@code REPEATABLE READ, READ ONLY} transaction). By default {@link #inTransaction}.
   */
  default <T> Future<T> inReadSnapshot(Pool pool, Function<SqlConnection, Future<T>> work) {
    return inTransaction(pool, work);
  }

  /** Translates any failure of a database call; a {@link StoreException} is returned unchanged. */
  StoreException translate(Throwable failure);
}
