package io.tycostream.triggers.store;

import io.tycostream.triggers.secret.SecretCipher;
import io.vertx.core.Vertx;
import java.sql.SQLException;

/**
 * A fresh, empty database of one dialect for one test: stores open on it, and the test reads and changes it with
 * plain JDBC on a connection of its own, so it checks what is stored rather than what the store says about itself.
 * Every method blocks and runs on the JUnit thread only.
 * <p>
 * Implementations: {@code sqlite.SqliteTestDatabase} (a file in a temporary directory) and
 * {@code postgres.PostgresTestDatabase} (a database of its own on the embedded PostgreSQL).
 */
public interface StoreTestDatabase extends AutoCloseable {

  /** The dialect's resource folder name, {@code sqlite} or {@code postgres}. */
  String dialect();

  /** Opens a store on this database the way the application does (SQLite also locks the data directory) and migrates. */
  Store open(Vertx vertx);

  /** As {@link #open(Vertx)}, with webhook secrets sealed and opened by {@code cipher}; a failed open throws. */
  Store open(Vertx vertx, SecretCipher cipher);

  /**
   * Builds a store on this database without migrating it and, on SQLite, without locking the data directory, so a
   * second store can share the database with one that is open.
   */
  Store create(Vertx vertx);

  /** Runs SQL against the database. */
  void execute(String sql) throws SQLException;

  /** The first column of the first row of a query, or null when it returns no row. */
  Object queryValue(String sql) throws SQLException;

  default long count(String table) throws SQLException {
    return ((Number) queryValue("SELECT count(*) FROM " + table)).longValue();
  }

  /**
   * Installs a database trigger that fails every insert into {@code table} whose {@code column} equals
   * {@code value}, as a constraint failure of the dialect ({@code RAISE(ABORT)} in SQLite, SQLSTATE 23514 in
   * PostgreSQL): a way to make one row of a transaction fail.
   */
  void rejectInserts(String table, String column, String value) throws SQLException;

  /** Drops the database and its files; stores opened on it must be closed first. */
  @Override
  void close();
}
