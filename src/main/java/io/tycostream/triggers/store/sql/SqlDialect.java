package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

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

  /** Translates any failure of a database call; a {@link StoreException} is returned unchanged. */
  StoreException translate(Throwable failure);
}
