package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a dialect's pending {@link Migration}s in version order and records each in {@code schema_migrations}.
 * <p>
 * Each version runs in its own write transaction together with its {@code schema_migrations} row, so a failed
 * version leaves no trace and earlier versions stay applied. Inside that transaction the runner first executes the
 * dialect's optional {@code migrations.lock} statement (PostgreSQL: an advisory transaction lock) and re-checks
 * that the version is still pending, so concurrent starters apply each version once. Refuses to run against a
 * database that holds a version this build does not know, or whose applied script was edited since.
 * <p>
 * Threading: call from any thread; all work runs through the pool and the returned future completes on the
 * caller's context.
 */
public final class SchemaMigrator {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final List<Migration> migrations;
  private final Clock clock;

  public SchemaMigrator(SqlDialect dialect, SqlStatements sql, List<Migration> migrations, Clock clock) {
    this.dialect = dialect;
    this.sql = sql;
    this.migrations = List.copyOf(migrations);
    this.clock = clock;
  }

  /**
   * Brings the schema up to the latest version.
   *
   * @return how many versions this call applied
   */
  public Future<Integer> migrate(Pool pool) {
    return dialect.inTransaction(pool, conn -> conn.query(sql.get("migrations.create_table")).execute())
      .compose(created -> pool.query(sql.get("migrations.applied")).execute())
      .compose(rows -> checkApplied(toChecksums(rows)))
      .compose(applied -> applyPending(pool, applied));
  }

  private static Map<Integer, String> toChecksums(Iterable<Row> rows) {
    Map<Integer, String> applied = new HashMap<>();
    for (Row row : rows) {
      applied.put(row.getLong("version").intValue(), row.getString("checksum"));
    }
    return applied;
  }

  private Future<Map<Integer, String>> checkApplied(Map<Integer, String> applied) {
    Map<Integer, Migration> known = new HashMap<>();
    migrations.forEach(migration -> known.put(migration.version(), migration));
    for (Map.Entry<Integer, String> entry : applied.entrySet()) {
      Migration migration = known.get(entry.getKey());
      if (migration == null) {
        return Future.failedFuture(new StoreException(StoreErrorCode.SCHEMA_MISMATCH,
          "database schema version " + entry.getKey() + " is newer than this build understands"));
      }
      if (!migration.checksum().equals(entry.getValue())) {
        return Future.failedFuture(new StoreException(StoreErrorCode.SCHEMA_MISMATCH,
          "migration V" + entry.getKey() + " was changed after it was applied"));
      }
    }
    return Future.succeededFuture(applied);
  }

  private Future<Integer> applyPending(Pool pool, Map<Integer, String> applied) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (Migration migration : migrations) {
      if (!applied.containsKey(migration.version())) {
        chain = chain.compose(count -> applyOne(pool, migration).map(didApply -> didApply ? count + 1 : count));
      }
    }
    return chain;
  }

  private Future<Boolean> applyOne(Pool pool, Migration migration) {
    return dialect.inTransaction(pool, conn -> lock(conn)
      .compose(locked -> conn.preparedQuery(sql.get("migrations.is_applied"))
        .execute(Tuple.of(migration.version())))
      .compose(rows -> rows.iterator().next().getLong("applied") > 0
        ? Future.succeededFuture(false)
        : runScript(conn, migration).map(true)));
  }

  private Future<Void> lock(SqlConnection conn) {
    return sql.find("migrations.lock")
      .map(lockSql -> conn.query(lockSql).execute().<Void>mapEmpty())
      .orElseGet(Future::succeededFuture);
  }

  private Future<Void> runScript(SqlConnection conn, Migration migration) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : SqlScript.split(migration.script())) {
      chain = chain.compose(previous -> conn.query(statement).execute().mapEmpty());
    }
    return chain
      .compose(done -> conn.preparedQuery(sql.get("migrations.record")).execute(Tuple.of(migration.version(),
        migration.description(), migration.checksum(), clock.millis())))
      .onSuccess(recorded -> LOG.info("schema migration applied [dialect: {}, version: {}, description: {}]",
        dialect.name(), migration.version(), migration.description()))
      .mapEmpty();
  }
}
