package io.tycostream.triggers.store.postgres;

import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.testkit.MigrationFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the PostgreSQL schema migrations as SqliteSchemaMigrationTest does for SQLite, where it applies: a fresh
 * database, a restart, a database this build must refuse, and nodes starting together. (PostgreSQL never had the
 * runner Flyway replaced, so there is no legacy history to move forward.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresSchemaMigrationTest {

  private static final String APPLIED = "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM "
    + "flyway_schema_history WHERE success AND version IS NOT NULL";

  private PostgresTestDatabase database;

  @BeforeEach
  void createDatabase() {
    database = PostgresTestDatabase.create();
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  /** Verifies that a fresh database gets every table and one Flyway history row per version. */
  @Test
  void createsSchemaAndRecordsVersionsOnFreshDatabase(Vertx vertx) throws Exception {
    // GIVEN an empty database
    // WHEN the store is opened
    await(database.open(vertx).close());

    // THEN the tables exist and every version is recorded once, by Flyway
    for (String table : new String[] {"triggers", "trigger_state", "source_checkpoints", "events",
      "delivery_attempts", "source_owners"}) {
      assertThat(database.count(table)).as(table).isZero();
    }
    assertThat(database.queryValue(APPLIED)).isEqualTo(MigrationFiles.versions("postgres"));
  }

  /** Verifies that reopening a migrated database applies nothing again and keeps the data. */
  @Test
  void migrationIsIdempotentOnRestart(Vertx vertx) throws Exception {
    // GIVEN a migrated store holding a trigger
    Store first = database.open(vertx);
    await(first.createTrigger(trigger("t1")));
    await(first.close());

    // WHEN it is opened and migrated twice more
    Store second = database.open(vertx);
    await(second.migrate());

    // THEN there is still one row per migration and the trigger survived
    assertThat(database.count("flyway_schema_history")).isEqualTo(MigrationFiles.count("postgres"));
    assertThat(await(second.listTriggers())).extracting("name").containsExactly("t1");
    await(second.close());
  }

  /** Verifies that a database written by a newer build is refused instead of being used with a wrong schema. */
  @Test
  void refusesDatabaseWithUnknownNewerVersion(Vertx vertx) throws Exception {
    // GIVEN a migrated database that records a version this build does not know
    await(database.open(vertx).close());
    database.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
      + "checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 1, "
      + "'x', 0, true)");

    // WHEN it is migrated again
    Throwable failure = migrateAgain(vertx);

    // THEN the migration fails with SCHEMA_MISMATCH
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.SCHEMA_MISMATCH);
  }

  /** Verifies that a database whose applied script differs from this build's is refused. */
  @Test
  void refusesDatabaseWhoseAppliedScriptChanged(Vertx vertx) throws Exception {
    // GIVEN a migrated database whose recorded checksum of V1 is not the script's
    await(database.open(vertx).close());
    database.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");

    // WHEN it is migrated again
    Throwable failure = migrateAgain(vertx);

    // THEN the migration fails with SCHEMA_MISMATCH naming the version, and applies nothing
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.SCHEMA_MISMATCH);
    assertThat(failure).hasMessageContaining("1");
    assertThat(database.count("flyway_schema_history")).isEqualTo(MigrationFiles.count("postgres"));
  }

  /**
   * Verifies that two nodes starting together on a fresh database both migrate successfully and each version is
   * applied once (Flyway serialises them with an advisory lock).
   */
  @Test
  void nodesMigratingTogetherApplyEachVersionOnce(Vertx vertx) throws Exception {
    // GIVEN two stores, as two nodes have, on the same fresh database
    Store first = database.create(vertx);
    Store second = database.create(vertx);

    // WHEN both migrate at the same time
    Future<Void> firstMigrated = first.migrate();
    Future<Void> secondMigrated = second.migrate();

    // THEN both succeed, each version is recorded once, and both stores work on the schema
    await(firstMigrated);
    await(secondMigrated);
    assertThat(database.queryValue(APPLIED)).isEqualTo(MigrationFiles.versions("postgres"));
    assertThat(database.count("flyway_schema_history")).isEqualTo(MigrationFiles.count("postgres"));
    await(first.createTrigger(trigger("t1")));
    assertThat(await(second.listTriggers())).extracting("name").containsExactly("t1");
    await(first.close());
    await(second.close());
  }

  /** Verifies that deleting a trigger cascades to its state rows through the foreign key. */
  @Test
  void deletingTriggerCascadesItsStateThroughForeignKey(Vertx vertx) throws Exception {
    // GIVEN a trigger with a state row written directly into the database
    Store store = database.open(vertx);
    await(store.createTrigger(trigger("t1")));
    database.execute("INSERT INTO trigger_state (trigger_name, key_json, row_json, frontier) "
        + "VALUES ('t1', '[1]', '{}', '5')");

    // WHEN the trigger is deleted through the store
    await(store.deleteTrigger("t1"));
    await(store.close());

    // THEN its state row is gone
    assertThat(database.count("trigger_state")).isZero();
  }

  private Throwable migrateAgain(Vertx vertx) {
    Store store = database.create(vertx);
    Throwable failure = failureOf(store.migrate());
    await(store.close());
    return failure;
  }
}
