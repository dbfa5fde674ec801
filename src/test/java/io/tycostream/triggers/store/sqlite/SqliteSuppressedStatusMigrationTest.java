package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.count;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.execute;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies V8 on SQLite (#10): the CHECK of {@code events.status} is widened in place to admit {@code suppressed},
 * keeping every event and delivery attempt of a file written by the previous version, and still refusing any other
 * status.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteSuppressedStatusMigrationTest {

  @TempDir
  Path dir;

  /** Verifies that a file at version 5 with history moves to V8 with its data and accepts suppressed events. */
  @Test
  void widensTheStatusCheckKeepingEventsAndAttempts(Vertx vertx) throws Exception {
    // GIVEN a file migrated to version 5 holding a trigger, a delivered event and its attempt
    Path file = SqliteStoreFixture.options(dir).databaseFile();
    Files.createDirectories(file.getParent());
    Flyway.configure(getClass().getClassLoader()).dataSource("jdbc:sqlite:" + file.toAbsolutePath(), null, null)
        .locations("classpath:store/sqlite/migrations").target("5").load().migrate();
    execute(dir, "INSERT INTO triggers (name, source, definition, secret, status, baseline_frontier, created_at, "
        + "updated_at) VALUES ('t1', 'positions', '{}', 's', 'active', '5', 0, 0)");
    execute(dir, "INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, "
        + "status, next_attempt_at, created_at) VALUES ('e1', 't1', 'FIRE', '4', '[1]', '{}', 'delivered', 0, 0)");
    execute(dir, "INSERT INTO delivery_attempts (event_id, attempt, started_at, duration_ms, http_status, outcome) "
        + "VALUES ('e1', 1, 0, 3, 200, 'delivered')");

    // WHEN this build opens it
    Store store = SqliteStoreFixture.open(vertx, dir);
    await(store.close());

    // THEN the event and its attempt are kept, a suppressed event is accepted, and an unknown status still refused
    assertThat(queryValue(dir, "SELECT status FROM events WHERE event_id = 'e1'")).isEqualTo("delivered");
    assertThat(count(dir, "delivery_attempts")).isEqualTo(1);
    execute(dir, insertEvent("e2", EventStatus.SUPPRESSED.dbValue()));
    assertThat(queryValue(dir, "SELECT status FROM events WHERE event_id = 'e2'")).isEqualTo("suppressed");
    assertThatThrownBy(() -> execute(dir, insertEvent("e3", "bogus"))).isInstanceOf(SQLException.class)
        .hasMessageContaining("CHECK");
    assertThat(queryValue(dir, "PRAGMA integrity_check")).isEqualTo("ok");
    assertThat(queryValue(dir, "SELECT count(*) FROM sqlite_master WHERE name = 'v8_check_widened'")).isEqualTo(0);
  }

  private static String insertEvent(String id, String status) {
    return "INSERT INTO events (event_id, trigger_name, event_type, source_timestamp, key_json, data_json, status, "
        + "next_attempt_at, created_at) VALUES ('" + id + "', 't1', 'FIRE', '4', '[1]', '{}', '" + status + "', 0, 0)";
  }
}
