package io.tycostream.triggers.store.postgres;

import static io.tycostream.triggers.store.StoreFixture.CLOCK;
import static io.tycostream.triggers.store.StoreFixture.await;

import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreTestDatabase;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of its own on the {@link EmbeddedPostgresServer}, read through one JDBC connection (autocommit) that
 * is opened on first use; {@link #close()} drops the database, ending any session still on it.
 */
final class PostgresTestDatabase implements StoreTestDatabase {

  private final PgConnectOptions connect;
  private Connection jdbc;

  private PostgresTestDatabase(PgConnectOptions connect) {
    this.connect = connect;
  }

  static PostgresTestDatabase create() {
    return new PostgresTestDatabase(EmbeddedPostgresServer.newDatabase());
  }

  PostgresStoreOptions options() {
    return new PostgresStoreOptions().setConnect(new PgConnectOptions(connect))
      .setSecretCipher(TestMasterKeys.cipher());
  }

  @Override
  public String dialect() {
    return "postgres";
  }

  @Override
  public Store open(Vertx vertx) {
    return await(PostgresStore.open(vertx, options(), CLOCK));
  }

  @Override
  public Store open(Vertx vertx, SecretCipher cipher) {
    return await(PostgresStore.open(vertx, options().setSecretCipher(cipher), CLOCK));
  }

  @Override
  public Store create(Vertx vertx) {
    return PostgresStore.create(vertx, options(), CLOCK);
  }

  @Override
  public void execute(String sql) throws SQLException {
    try (Statement statement = connection().createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public Object queryValue(String sql) throws SQLException {
    try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getObject(1) : null;
    }
  }

  @Override
  public void rejectInserts(String table, String column, String value) throws SQLException {
    // check_violation (23514), which the store reports as CONSTRAINT, as SQLite's RAISE(ABORT) is
    execute("CREATE FUNCTION reject_" + table + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      + "IF NEW." + column + " = " + quoted(value) + " THEN "
      + "RAISE EXCEPTION 'rejected by the test' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$");
    execute("CREATE TRIGGER reject_" + table + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION reject_"
      + table + "()");
  }

  @Override
  public void close() {
    try {
      if (jdbc != null) {
        jdbc.close();
      }
      try (Connection admin = EmbeddedPostgresServer.server().getPostgresDatabase().getConnection();
           Statement statement = admin.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + connect.getDatabase() + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("dropping database " + connect.getDatabase() + " failed", e);
    }
  }

  private Connection connection() throws SQLException {
    if (jdbc == null) {
      jdbc = EmbeddedPostgresServer.jdbc(connect);
    }
    return jdbc;
  }

  private static String quoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
