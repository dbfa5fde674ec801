package io.tycostream.triggers.store.sqlite;

import static io.tycostream.triggers.store.StoreFixture.CLOCK;
import static io.tycostream.triggers.store.StoreFixture.await;

import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreTestDatabase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/** A SQLite database file in a temporary data directory of its own, deleted on {@link #close()}. */
final class SqliteTestDatabase implements StoreTestDatabase {

  private final Path dir;

  private SqliteTestDatabase(Path dir) {
    this.dir = dir;
  }

  static SqliteTestDatabase create() {
    try {
      return new SqliteTestDatabase(Files.createTempDirectory("sqlite-store-test"));
    } catch (IOException e) {
      throw new UncheckedIOException("creating a temporary directory failed", e);
    }
  }

  @Override
  public String dialect() {
    return "sqlite";
  }

  @Override
  public Store open(Vertx vertx) {
    return SqliteStoreFixture.open(vertx, dir);
  }

  @Override
  public Store open(Vertx vertx, SecretCipher cipher) {
    return await(SqliteStore.open(vertx, SqliteStoreFixture.options(dir).setSecretCipher(cipher), CLOCK));
  }

  /** The database file, for tests that read its raw bytes. */
  Path databaseFile() {
    return SqliteStoreFixture.options(dir).databaseFile();
  }

  @Override
  public Store create(Vertx vertx) {
    return SqliteStore.create(vertx, SqliteStoreFixture.options(dir), CLOCK);
  }

  @Override
  public void execute(String sql) throws SQLException {
    SqliteStoreFixture.execute(dir, sql);
  }

  @Override
  public Object queryValue(String sql) throws SQLException {
    return SqliteStoreFixture.queryValue(dir, sql);
  }

  @Override
  public void rejectInserts(String table, String column, String value) throws SQLException {
    execute("CREATE TRIGGER reject_" + table + " BEFORE INSERT ON " + table + " WHEN NEW." + column + " = "
      + quoted(value) + " BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END");
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + dir + " failed", e);
    }
  }

  private static String quoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
