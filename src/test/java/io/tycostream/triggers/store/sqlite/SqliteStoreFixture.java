package io.tycostream.triggers.store.sqlite;

import static io.tycostream.triggers.store.StoreFixture.CLOCK;
import static io.tycostream.triggers.store.StoreFixture.await;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens SQLite stores in a test's temporary directory and reads the file directly with plain JDBC, so tests check
 * what is on disk rather than what the store says about itself. Blocking calls here run on the JUnit thread only.
 * Dialect-independent tests use {@link SqliteTestDatabase}, which builds on this; the shared clock and helpers are in
 * {@link io.tycostream.triggers.store.StoreFixture}.
 */
final class SqliteStoreFixture {

  private SqliteStoreFixture() {
  }

  /** Options of the store in {@code dir}, sealing secrets under {@link TestMasterKeys#FIRST}. */
  static SqliteStoreOptions options(Path dir) {
    return new SqliteStoreOptions().setDataDirectory(dir.resolve("data")).setSecretCipher(TestMasterKeys.cipher());
  }

  static Store open(Vertx vertx, Path dir) {
    return await(SqliteStore.open(vertx, options(dir), CLOCK));
  }

  /** Runs SQL against the database file with a connection of its own. */
  static void execute(Path dir, String sql) throws SQLException {
    try (Connection conn = DriverManager.getConnection(url(dir)); Statement statement = conn.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The single value of a query against the database file. */
  static Object queryValue(Path dir, String sql) throws SQLException {
    try (Connection conn = DriverManager.getConnection(url(dir)); Statement statement = conn.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getObject(1) : null;
    }
  }

  static long count(Path dir, String table) throws SQLException {
    return ((Number) queryValue(dir, "SELECT count(*) FROM " + table)).longValue();
  }

  private static String url(Path dir) {
    return "jdbc:sqlite:" + options(dir).databaseFile().toAbsolutePath() + "?busy_timeout=5000";
  }
}
