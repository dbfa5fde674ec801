package io.tycostream.triggers.store.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements, because drivers differ in whether one call may run several.
 * <p>
 * The rule is deliberately simple and documented in every script: a statement ends with {@code ;} at the end of a
 * line; lines starting with {@code --} are comments. Bodies containing {@code ;} at a line end (trigger bodies,
 * PL/pgSQL) need their own migration step type, not this splitter.
 */
final class SqlScript {

  private SqlScript() {
  }

  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        addStatement(statements, current);
      }
    }
    addStatement(statements, current);
    return statements;
  }

  private static void addStatement(List<String> statements, StringBuilder current) {
    String statement = current.toString().trim();
    if (statement.endsWith(";")) {
      statement = statement.substring(0, statement.length() - 1).trim();
    }
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }
}
