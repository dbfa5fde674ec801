package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a dialect's schema to the latest version with Flyway, from {@code classpath:store/<dialect>/migrations}
 * ({@code V<n>__<description>.sql}), over a JDBC connection of its own, on a worker thread.
 * <p>
 * Flyway validates before it migrates: a database holding a version this build does not know, or an applied script
 * that was edited since, is refused with {@link StoreErrorCode#SCHEMA_MISMATCH} and nothing is changed. On
 * PostgreSQL Flyway takes an advisory lock, so nodes starting together apply each version once.
 * <p>
 * Files written before Flyway (their versions are in the {@code schema_migrations} table of the runner this
 * replaced) are baselined at their highest applied version, so only later versions run on them; a later migration
 * drops that table.
 */
public final class FlywayMigrator {

  /** The history table of the migration runner that Flyway replaced. */
  static final String LEGACY_HISTORY = "schema_migrations";
  static final String HISTORY = "flyway_schema_history";

  private static final Logger LOG = LoggerFactory.getLogger(FlywayMigrator.class);

  private final Vertx vertx;
  private final String dialect;
  private final DataSource dataSource;

  /**
   * @param dialect    the resource folder under {@code store/}
   * @param dataSource JDBC connections to the same database the store's pools use
   */
  public FlywayMigrator(Vertx vertx, String dialect, DataSource dataSource) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Applies the pending versions.
   *
   * @return how many versions this call applied; fails with a {@link StoreException}
   */
  public Future<Integer> migrate() {
    return vertx.executeBlocking(this::migrateBlocking, false);
  }

  private int migrateBlocking() {
    try {
      OptionalInt legacy = legacyVersion();
      var configuration = Flyway.configure(FlywayMigrator.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:store/" + dialect + "/migrations")
        .table(HISTORY)
        // refuse a database a newer build migrated (Flyway ignores such "future" versions by default)
        .ignoreMigrationPatterns(new ValidatePattern[0])
        .validateMigrationNaming(true);
      if (legacy.isPresent()) {
        LOG.info("schema migrations move to Flyway: baselining at the version already applied [dialect: {}, "
          + "version: {}]", dialect, legacy.getAsInt());
        configuration.baselineOnMigrate(true).baselineVersion(Integer.toString(legacy.getAsInt()));
      }
      MigrateResult result = configuration.load().migrate();
      result.migrations.forEach(applied -> LOG.info("schema migration applied [dialect: {}, version: {}, "
        + "description: {}]", dialect, applied.version, applied.description));
      return result.migrationsExecuted;
    } catch (FlywayValidateException invalid) {
      throw new StoreException(StoreErrorCode.SCHEMA_MISMATCH, "the database schema does not match this build's "
        + "migrations (a newer version, or an applied script that changed): " + invalid.getMessage(), invalid);
    } catch (FlywayException failed) {
      throw new StoreException(StoreErrorCode.UNAVAILABLE, "schema migration failed: " + failed.getMessage(), failed);
    } catch (SQLException failed) {
      throw new StoreException(StoreErrorCode.UNAVAILABLE, "schema migration could not read the database: "
        + failed.getMessage(), failed);
    }
  }

  /** The highest version the old runner applied, when the database has its table but no Flyway history yet. */
  private OptionalInt legacyVersion() throws SQLException {
    try (Connection conn = dataSource.getConnection()) {
      DatabaseMetaData meta = conn.getMetaData();
      if (!hasTable(meta, LEGACY_HISTORY) || hasTable(meta, HISTORY)) {
        return OptionalInt.empty();
      }
      try (Statement statement = conn.createStatement();
           ResultSet rows = statement.executeQuery("SELECT max(version) FROM " + LEGACY_HISTORY)) {
        int version = rows.next() ? rows.getInt(1) : 0;
        return version > 0 ? OptionalInt.of(version) : OptionalInt.empty();
      }
    }
  }

  private static boolean hasTable(DatabaseMetaData meta, String table) throws SQLException {
    try (ResultSet tables = meta.getTables(null, null, table, new String[] {"TABLE"})) {
      return tables.next();
    }
  }
}
