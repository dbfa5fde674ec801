package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoreFixture;
import io.tycostream.triggers.testkit.MigrationFiles;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.count;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.execute;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteSchemaMigrationTest {

  private static final String APPLIED = "SELECT group_concat(version, ',') FROM (SELECT version FROM "
    + "flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank)";

  @TempDir
  Path dir;

  /** Verifies that a fresh file gets every table and one Flyway history row per version. */
  @Test
  void createsSchemaAndRecordsVersionOnFreshFile(Vertx vertx) throws Exception {
    // GIVEN an empty data directory
    // WHEN the store is opened
    Store store = SqliteStoreFixture.open(vertx, dir);
    await(store.close());

    // THEN the tables exist and every version is recorded once, by Flyway
    for (String table : new String[] {"triggers", "trigger_state", "source_checkpoints", "events",
      "delivery_attempts", "source_owners"}) {
      assertThat(count(dir, table)).as(table).isZero();
    }
    assertThat(queryValue(dir, APPLIED)).isEqualTo(MigrationFiles.versions("sqlite"));
    assertThat(queryValue(dir, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'")).isEqualTo(0);
    assertThat(queryValue(dir, "PRAGMA journal_mode")).isEqualTo("wal");
  }

  /** Verifies that reopening a migrated file applies nothing again and keeps the data. */
  @Test
  void migrationIsIdempotentOnRestart(Vertx vertx) throws Exception {
    // GIVEN a migrated store holding a trigger
    Store first = SqliteStoreFixture.open(vertx, dir);
    await(first.createTrigger(StoreFixture.trigger("t1")));
    await(first.close());

    // WHEN it is opened and migrated twice more
    Store second = SqliteStoreFixture.open(vertx, dir);
    await(second.migrate());

    // THEN there is still one row per migration and the trigger survived
    assertThat(count(dir, "flyway_schema_history")).isEqualTo(MigrationFiles.count("sqlite"));
    assertThat(await(second.listTriggers())).extracting("name").containsExactly("t1");
    await(second.close());
  }

  /** Verifies that a database written by a newer build is refused instead of being used with a wrong schema. */
  @Test
  void refusesDatabaseWithUnknownNewerVersion(Vertx vertx) throws Exception {
    // GIVEN a migrated file that records a version this build does not know
    await(SqliteStoreFixture.open(vertx, dir).close());
    execute(dir, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
      + "installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 1, 'x', 0, 1)");

    // WHEN it is migrated again
    Throwable failure = migrateAgain(vertx);

    // THEN the migration fails with SCHEMA_MISMATCH
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.SCHEMA_MISMATCH);
  }

  /** Verifies that a file whose applied script differs from this build's is refused. */
  @Test
  void refusesDatabaseWhoseAppliedScriptChanged(Vertx vertx) throws Exception {
    // GIVEN a migrated file whose recorded checksum of V1 is not the script's
    await(SqliteStoreFixture.open(vertx, dir).close());
    execute(dir, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");

    // WHEN it is migrated again
    Throwable failure = migrateAgain(vertx);

    // THEN the migration fails with SCHEMA_MISMATCH and applies nothing
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.SCHEMA_MISMATCH);
    assertThat(failure).hasMessageContaining("1");
  }

  /** Verifies that a file written by the runner Flyway replaced moves forward and keeps its data. */
  @Test
  void migratesFileOfThePreviousRunnerForward(Vertx vertx) throws Exception {
    // GIVEN a file as the previous build left it: versions 1 and 2 applied and recorded in schema_migrations, with
    // a trigger and a pending event
    Files.createDirectories(SqliteStoreFixture.options(dir).databaseFile().getParent());
    for (String version : new String[] {"V1__init.sql", "V2__delivery_claims.sql"}) {
      for (String statement : statements("store/sqlite/migrations/" + version)) {
        execute(dir, statement);
      }
    }
    execute(dir, "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, "
      + "checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    execute(dir, "INSERT INTO schema_migrations VALUES (1, 'init', 'a', 0), (2, 'delivery claims', 'b', 0)");
    execute(dir, "INSERT INTO triggers VALUES ('t1', 'positions', '{}', 's', 'active', '5', 0, 0)");
    execute(dir, "INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, "
      + "status, next_attempt_at, created_at) VALUES ('e1', 't1', 'FIRE', '4', '[1]', '{}', 'pending', 0, 0)");

    // WHEN this build opens it
    Store store = SqliteStoreFixture.open(vertx, dir);

    // THEN Flyway baselined it at version 2, applied only the versions after it, dropped the old table, kept the data
    assertThat(queryValue(dir, "SELECT group_concat(version, ',') FROM (SELECT version FROM flyway_schema_history "
      + "ORDER BY installed_rank)")).isEqualTo(MigrationFiles.versions("sqlite").replaceFirst("^1,", ""));
    assertThat(queryValue(dir, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'")).isEqualTo(0);
    assertThat(await(store.listTriggers())).extracting("name").containsExactly("t1");
    assertThat(await(store.getEvent("e1"))).isPresent();
    await(store.close());
  }

  /** Verifies that every connection enforces foreign keys, which the state cascade relies on. */
  @Test
  void deletingTriggerCascadesItsStateThroughForeignKey(Vertx vertx) throws Exception {
    // GIVEN a trigger with a state row written directly into the file
    Store store = SqliteStoreFixture.open(vertx, dir);
    await(store.createTrigger(StoreFixture.trigger("t1")));
    execute(dir, "INSERT INTO trigger_state (trigger_name, key_json, row_json, frontier) "
        + "VALUES ('t1', '[1]', '{}', '5')");

    // WHEN the trigger is deleted through the store
    await(store.deleteTrigger("t1"));
    await(store.close());

    // THEN its state row is gone
    assertThat(count(dir, "trigger_state")).isZero();
  }

  private Throwable migrateAgain(Vertx vertx) {
    Store store = SqliteStore.create(vertx, SqliteStoreFixture.options(dir), StoreFixture.CLOCK);
    Throwable failure = failureOf(store.migrate());
    await(store.close());
    return failure;
  }

  /** The statements of a migration script, split at the semicolons that end its lines. */
  private static List<String> statements(String resource) throws Exception {
    try (InputStream in = SqliteSchemaMigrationTest.class.getClassLoader().getResourceAsStream(resource)) {
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Arrays.stream(script.split(";\\s*\\n"))
        .map(statement -> statement.lines().filter(line -> !line.trim().startsWith("--"))
          .reduce("", (a, b) -> a + "\n" + b).trim())
        .filter(statement -> !statement.isEmpty())
        .toList();
    }
  }
}
