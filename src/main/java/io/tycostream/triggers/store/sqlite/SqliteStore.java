package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sql.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.time.Clock;

/**
 * The embedded default store: one SQLite file in WAL mode, accessed through {@link JDBCPool}, which runs every JDBC
 * call on Vert.x worker threads so no event loop blocks.
 * <p>
 * All writes go through a pool of exactly one connection. SQLite admits one writer at a time anyway; queueing writes
 * in Vert.x instead of in SQLite's busy handler keeps writes in submission order, never burns a worker on lock
 * waiting, and makes {@link Store#claimDue} exclusive without row locks. Queries use a separate pool and, thanks to
 * WAL, run while a write is in progress.
 * <p>
 * See {@link SqliteStoreOptions} for the durability guarantees.
 */
public final class SqliteStore {

  private SqliteStore() {
  }

  /**
   * Builds a store over an existing data directory without touching the file; call {@link Store#migrate()} before
   * use. Reads the SQL resources from the classpath.
   */
  public static Store create(Vertx vertx, SqliteStoreOptions options, Clock clock) {
    JDBCConnectOptions connect = new JDBCConnectOptions().setJdbcUrl(options.jdbcUrl());
    Pool writer = JDBCPool.pool(vertx, connect, new PoolOptions().setMaxSize(1));
    Pool reader = JDBCPool.pool(vertx, connect, new PoolOptions().setMaxSize(options.getReaderPoolSize()));
    return new SqlStore(new SqliteDialect(), writer, reader, clock);
  }

  /** Creates the data directory if needed, builds the store and migrates it. */
  public static Future<Store> open(Vertx vertx, SqliteStoreOptions options, Clock clock) {
    return vertx.fileSystem().mkdirs(options.databaseFile().getParent().toString())
      .map(created -> create(vertx, options, clock))
      .compose(store -> store.migrate()
        .map(store)
        .recover(failure -> store.close().transform(closed -> Future.failedFuture(failure))));
  }
}
