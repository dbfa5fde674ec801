package io.tycostream.triggers.store.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqlScriptTest {

  /** Verifies that a script splits at semicolons ending a line, skipping comments and blank lines. */
  @Test
  void splitsAtLineEndingSemicolons() {
    // GIVEN a script with a multi-line statement, a comment and a final statement without semicolon
    String script = """
      -- creates things
      CREATE TABLE a (
        x TEXT NOT NULL DEFAULT 'a;b'
      );

      CREATE INDEX a_x ON a (x);
      INSERT INTO a VALUES ('z')
      """;

    // WHEN split
    // THEN there are three statements, the inner ';' in a literal left alone
    assertThat(SqlScript.split(script)).containsExactly(
      "CREATE TABLE a (\n  x TEXT NOT NULL DEFAULT 'a;b'\n)",
      "CREATE INDEX a_x ON a (x)",
      "INSERT INTO a VALUES ('z')");
  }
}
