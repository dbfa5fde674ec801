package io.tycostream.triggers.store.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqlStatementsTest {

  /** Verifies that named blocks are split, comments dropped and the trailing semicolon removed. */
  @Test
  void parsesNamedBlocks() {
    // GIVEN a statements file with two named blocks and comments
    String text = """
      -- header comment
      -- name: a.first
      SELECT 1
      FROM dual;

      -- explains the second
      -- name: a.second
      -- inner comment
      UPDATE t SET x = ? WHERE y = ?
      """;

    // WHEN parsed
    SqlStatements statements = SqlStatements.parse("test", text);

    // THEN each name maps to its SQL only
    assertThat(statements.get("a.first")).isEqualTo("SELECT 1\nFROM dual");
    assertThat(statements.get("a.second")).isEqualTo("UPDATE t SET x = ? WHERE y = ?");
    assertThat(statements.find("a.third")).isEmpty();
  }

  /** Verifies that a name defined twice is a packaging error. */
  @Test
  void rejectsDuplicateNames() {
    // GIVEN a file defining one name twice
    String text = "-- name: x\nSELECT 1\n-- name: x\nSELECT 2\n";

    // WHEN parsed THEN it fails naming the statement
    assertThatThrownBy(() -> SqlStatements.parse("test", text)).hasMessageContaining("x");
  }

  /** Verifies that the SQLite dialect file defines every statement the shared store uses. */
  @Test
  void sqliteFileDefinesEveryStatement() {
    // GIVEN the SQLite statements resource
    SqlStatements statements = SqlStatements.load("sqlite");

    // WHEN each statement the store asks for is looked up THEN none is missing
    for (String name : new String[] {"trigger.insert", "trigger.list", "trigger.get", "trigger.delete_pending_events",
      "trigger.delete", "trigger.mark_baselined", "checkpoint.get", "checkpoint.advance", "state.load",
      "state.upsert", "state.delete", "state.delete_trigger", "event.insert", "event.get", "event.list",
      "event.count", "outbox.claim", "outbox.mark_delivered", "outbox.reschedule", "outbox.mark_dead",
      "outbox.postpone", "outbox.release", "outbox.insert_attempt", "outbox.release_foreign_claims", "outbox.next_due",
      "attempt.list", "event.prune_history", "trigger.page", "trigger.lock_for_insert", "trigger.count_for_limits"}) {
      assertThat(statements.find(name)).as(name).isPresent();
    }
  }

  /** Verifies that the PostgreSQL dialect file defines exactly the statements of the SQLite one. */
  @Test
  void postgresFileDefinesTheSameStatements() {
    // GIVEN both dialects' statement resources
    SqlStatements sqlite = SqlStatements.load("sqlite");
    SqlStatements postgres = SqlStatements.load("postgres");

    // WHEN their names are compared THEN they are the same set
    assertThat(postgres.names()).containsExactlyInAnyOrderElementsOf(sqlite.names());
  }
}
