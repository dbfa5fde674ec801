package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * Opens SQLite stores in a test's temporary directory and reads the file directly with plain JDBC, so tests check
 * what is on disk rather than what the store says about itself. Blocking calls here run on the JUnit thread only.
 */
final class SqliteStoreFixture {

  static final Instant NOW = Instant.parse("2026-01-15T10:30:45.123Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private SqliteStoreFixture() {
  }

  static SqliteStoreOptions options(Path dir) {
    return new SqliteStoreOptions().setDataDirectory(dir.resolve("data"));
  }

  static Store open(Vertx vertx, Path dir) {
    return await(SqliteStore.open(vertx, options(dir), CLOCK));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("store call did not complete in time", e);
    }
  }

  /** The failure of a future that must fail. */
  static Throwable failureOf(Future<?> future) {
    try {
      future.await(20, TimeUnit.SECONDS);
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected the call to fail");
  }

  static NewTrigger trigger(String name) {
    return new NewTrigger(name, "positions", "{\"fire\":{\"net_position\":{\"_gt\":10000}}}", "secret-" + name);
  }

  static NewEvent event(String id, String trigger) {
    return new NewEvent(id, trigger, "FIRE", BigInteger.valueOf(1705316445123L), "[\"" + id + "\"]",
      "{\"account\":\"" + id + "\"}");
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
