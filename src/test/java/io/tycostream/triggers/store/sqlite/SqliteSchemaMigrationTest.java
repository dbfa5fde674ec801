package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.await;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.count;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.execute;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.failureOf;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteSchemaMigrationTest {

  @TempDir
  Path dir;

  /** Verifies that a fresh file gets every table and one schema_migrations row per version. */
  @Test
  void createsSchemaAndRecordsVersionOnFreshFile(Vertx vertx) throws Exception {
    // GIVEN an empty data directory
    // WHEN the store is opened
    Store store = SqliteStoreFixture.open(vertx, dir);
    await(store.close());

    // THEN the tables exist and every version is recorded once
    for (String table : new String[] {"triggers", "trigger_state", "source_checkpoints", "events",
      "delivery_attempts"}) {
      assertThat(count(dir, table)).as(table).isZero();
    }
    assertThat(count(dir, "schema_migrations")).isEqualTo(2);
    assertThat(queryValue(dir, "SELECT group_concat(version) FROM schema_migrations")).isEqualTo("1,2");
    assertThat(queryValue(dir, "PRAGMA journal_mode")).isEqualTo("wal");
  }

  /** Verifies that reopening a migrated file applies nothing again and keeps the data. */
  @Test
  void migrationIsIdempotentOnRestart(Vertx vertx) throws Exception {
    // GIVEN a migrated store holding a trigger
    Store first = SqliteStoreFixture.open(vertx, dir);
    await(first.createTrigger(SqliteStoreFixture.trigger("t1")));
    await(first.close());

    // WHEN it is opened and migrated twice more
    Store second = SqliteStoreFixture.open(vertx, dir);
    await(second.migrate());

    // THEN there is still one row per migration and the trigger survived
    assertThat(count(dir, "schema_migrations")).isEqualTo(2);
    assertThat(await(second.listTriggers())).extracting("name").containsExactly("t1");
    await(second.close());
  }

  /** Verifies that a database written by a newer build is refused instead of being used with a wrong schema. */
  @Test
  void refusesDatabaseWithUnknownNewerVersion(Vertx vertx) throws Exception {
    // GIVEN a migrated file that records a version this build does not know
    await(SqliteStoreFixture.open(vertx, dir).close());
    execute(dir, "INSERT INTO schema_migrations (version, description, checksum, applied_at) "
      + "VALUES (99, 'future', 'x', 0)");

    // WHEN it is migrated again
    Store store = SqliteStore.create(vertx, SqliteStoreFixture.options(dir), SqliteStoreFixture.CLOCK);
    Throwable failure = failureOf(store.migrate());
    await(store.close());

    // THEN the migration fails with SCHEMA_MISMATCH
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.SCHEMA_MISMATCH);
  }

  /** Verifies that every connection enforces foreign keys, which the state cascade relies on. */
  @Test
  void deletingTriggerCascadesItsStateThroughForeignKey(Vertx vertx) throws Exception {
    // GIVEN a trigger with a state row written directly into the file
    Store store = SqliteStoreFixture.open(vertx, dir);
    await(store.createTrigger(SqliteStoreFixture.trigger("t1")));
    execute(dir, "INSERT INTO trigger_state VALUES ('t1', '[1]', '{}', '5')");

    // WHEN the trigger is deleted through the store
    await(store.deleteTrigger("t1"));
    await(store.close());

    // THEN its state row is gone
    assertThat(count(dir, "trigger_state")).isZero();
  }
}
