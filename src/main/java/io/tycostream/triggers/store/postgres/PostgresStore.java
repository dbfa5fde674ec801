package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sql.FlywayMigrator;
import io.tycostream.triggers.store.sql.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;

/**
 * The shared store of a cluster: PostgreSQL over vertx-pg-client, one pool for writes and queries (PostgreSQL takes
 * concurrent writers and readers), the schema migrated by Flyway before first use.
 * <p>
 * Several processes may open the same database: commits of a source are fenced by its ownership epoch, and claims
 * lock the rows they take ({@code FOR UPDATE SKIP LOCKED}), so two nodes never hold one event.
 */
public final class PostgresStore {

  /** The pool name in Vert.x's pool metrics ({@code vertx_pool_*{pool_type="sql"}}). */
  static final String POOL_NAME = "postgres";

  /**
   * How long the server keeps a session idle inside a transaction. The store's transactions are pipelined and last
   * milliseconds, so only a frozen or partitioned node ever reaches it.
   */
  static final Duration IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(5);

  private PostgresStore() {
  }

  /** Builds the store and migrates the schema; a failed migration closes the pool again. */
  public static Future<Store> open(Vertx vertx, PostgresStoreOptions options, Clock clock) {
    Store store = create(vertx, options, clock);
    return store.migrate()
      .map(store)
      .recover(failure -> store.close().transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * Builds the store without touching the database; call {@link Store#migrate()} before use.
   *
   * @throws IllegalStateException when the options have no secret cipher
   */
  public static Store create(Vertx vertx, PostgresStoreOptions options, Clock clock) {
    SecretCipher cipher = options.getSecretCipher();
    if (cipher == null) {
      throw new IllegalStateException("PostgresStoreOptions.secretCipher is required");
    }
    // a node frozen (or cut off) inside a transaction holds its row locks, the source owner's among them, which a
    // take-over waits for: the server ends such a session after this long, so the take-over proceeds
    PgConnectOptions connect = new PgConnectOptions(options.getConnect())
      .addProperty("idle_in_transaction_session_timeout", Long.toString(IDLE_IN_TRANSACTION_TIMEOUT.toMillis()));
    connect.setMetricsName(POOL_NAME);
    Pool pool = PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(options.getPoolSize()).setName(POOL_NAME))
      .connectingTo(connect)
      .using(vertx)
      .build();
    FlywayMigrator migrator = new FlywayMigrator(vertx, PostgresDialect.NAME, options.jdbcDataSource());
    return new SqlStore(new PostgresDialect(), pool, pool, clock, migrator::migrate, Future::succeededFuture,
      () -> Future.succeededFuture(cipher));
  }
}
