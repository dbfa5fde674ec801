package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.secret.MasterKeyFile;
import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sql.FlywayMigrator;
import io.tycostream.triggers.store.sql.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default store: one SQLite file in WAL mode, accessed through {@link JDBCPool}, which runs every JDBC
 * call on Vert.x worker threads so no event loop blocks.
 * <p>
 * All writes go through a pool of exactly one connection. SQLite admits one writer at a time anyway; queueing writes
 * in Vert.x instead of in SQLite's busy handler keeps writes in submission order, never burns a worker on lock
 * waiting, and makes {@link Store#claimDue} exclusive without row locks. Queries use a separate pool and, thanks to
 * WAL, run while a write is in progress.
 * <p>
 * One process per data directory: {@link #open} locks the directory before it touches the database and
 * {@link Store#close()} releases it (see {@link DataDirectoryLock}); a second open fails while the first holds it.
 * <p>
 * See {@link SqliteStoreOptions} for the durability guarantees.
 */
public final class SqliteStore {

  /** The pool names in Vert.x's pool metrics. */
  static final String WRITER_POOL = "sqlite-writer";
  static final String READER_POOL = "sqlite-reader";

  static final String OWNER_ONLY_DIRECTORY = "rwx------";
  static final String OWNER_ONLY_FILE = "rw-------";

  private SqliteStore() {
  }

  /**
   * Builds a store over an existing data directory without touching the file and <em>without locking the
   * directory</em>; call {@link Store#migrate()} before use. Reads the SQL resources from the classpath. Prefer
   * {@link #open}.
   */
  public static Store create(Vertx vertx, SqliteStoreOptions options, Clock clock) {
    return create(vertx, options, clock, Future::succeededFuture);
  }

  /**
   * Creates the data directory if needed, locks it for this process, builds the store and migrates it. The lock is
   * held until {@link Store#close()}.
   *
   * @return the store, or a failed future: {@link io.tycostream.triggers.store.StoreException} with
   *     {@link io.tycostream.triggers.store.StoreErrorCode#UNAVAILABLE} naming the holder's pid when another process
   *     (or another store in this JVM) has the directory open
   */
  public static Future<Store> open(Vertx vertx, SqliteStoreOptions options, Clock clock) {
    Path directory = options.databaseFile().getParent();
    // the store holds webhook secrets: a directory this process creates is its user's alone
    return vertx.fileSystem().mkdirs(directory.toString(), OWNER_ONLY_DIRECTORY)
      .compose(created -> vertx.executeBlocking(() -> DataDirectoryLock.acquire(directory, clock.instant())))
      .compose(lock -> openLocked(vertx, options, clock, lock))
      .compose(store -> vertx.executeBlocking(() -> {
        restrictToOwner(options.databaseFile());
        return store;
      }));
  }

  /**
   * Makes the database file and its WAL companions readable by their owner only (SQLite creates the WAL with the
   * database file's permissions, so later ones follow). On a file system without POSIX permissions nothing changes.
   */
  static void restrictToOwner(Path databaseFile) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path file = databaseFile.resolveSibling(databaseFile.getFileName() + suffix);
      try {
        if (Files.exists(file)) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(OWNER_ONLY_FILE));
        }
      } catch (UnsupportedOperationException noPosix) {
        return;
      }
    }
  }

  private static Future<Store> openLocked(Vertx vertx, SqliteStoreOptions options, Clock clock,
                                          DataDirectoryLock lock) {
    Store store;
    try {
      store = create(vertx, options, clock, () -> release(vertx, lock));
    } catch (RuntimeException invalid) {
      return release(vertx, lock).transform(released -> Future.failedFuture(invalid));
    }
    return store.migrate()
      .map(store)
      .recover(failure -> store.close().transform(closed -> Future.failedFuture(failure)));
  }

  private static Store create(Vertx vertx, SqliteStoreOptions options, Clock clock,
                              Supplier<Future<Void>> afterClose) {
    // named apart, so Vert.x's metrics (vertx_pool_*{pool_type="sql"}, vertx_sql_*) show each pool, not one name twice
    JDBCConnectOptions writerConnect = new JDBCConnectOptions().setJdbcUrl(options.jdbcUrl())
        .setMetricsName(WRITER_POOL);
    JDBCConnectOptions readerConnect = new JDBCConnectOptions().setJdbcUrl(options.jdbcUrl())
        .setMetricsName(READER_POOL);
    Pool writer = JDBCPool.pool(vertx, writerConnect, new PoolOptions().setMaxSize(1).setName(WRITER_POOL));
    Pool reader = JDBCPool.pool(vertx, readerConnect, new PoolOptions().setMaxSize(options.getReaderPoolSize())
        .setName(READER_POOL));
    SQLiteDataSource migrationSource = new SQLiteDataSource();
    migrationSource.setUrl(options.jdbcUrl());
    FlywayMigrator migrator = new FlywayMigrator(vertx, SqliteDialect.NAME, migrationSource);
    return new SqlStore(new SqliteDialect(), writer, reader, clock, migrator::migrate, afterClose,
      () -> secretCipher(vertx, options));
  }

  /** The configured cipher, else one over the key file in the data directory (created on first use). */
  private static Future<SecretCipher> secretCipher(Vertx vertx, SqliteStoreOptions options) {
    if (options.getSecretCipher() != null) {
      return Future.succeededFuture(options.getSecretCipher());
    }
    Path keyFile = options.databaseFile().resolveSibling(MasterKeyFile.DEFAULT_FILE_NAME);
    return vertx.executeBlocking(() -> SecretCipher.create(MasterKeyFile.readOrCreate(keyFile), List.of()));
  }

  private static Future<Void> release(Vertx vertx, DataDirectoryLock lock) {
    return vertx.executeBlocking(() -> {
      lock.release();
      return null;
    });
  }
}
