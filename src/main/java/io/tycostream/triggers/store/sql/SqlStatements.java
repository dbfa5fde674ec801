package io.tycostream.triggers.store.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named SQL statements of one dialect, read from {@code store/<dialect>/statements.sql}.
 * <p>
 * The file is a sequence of blocks, each opened by a {@code -- name: <key>} line; other {@code --} comment lines
 * are dropped and a trailing {@code ;} is removed. Keeping SQL in a file per dialect is what lets another database
 * be added by writing a second file rather than branching in Java. Immutable and thread-safe.
 */
public final class SqlStatements {

  private static final String NAME_MARKER = "-- name:";

  private final String dialect;
  private final Map<String, String> byName;

  private SqlStatements(String dialect, Map<String, String> byName) {
    this.dialect = dialect;
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** Loads {@code store/<dialect>/statements.sql} from the classpath. */
  public static SqlStatements load(String dialect) {
    return parse(dialect, ClasspathText.read("store/" + dialect + "/statements.sql"));
  }

  static SqlStatements parse(String dialect, String text) {
    Map<String, String> byName = new LinkedHashMap<>();
    String currentName = null;
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\r?\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith(NAME_MARKER)) {
        store(byName, currentName, current);
        currentName = trimmed.substring(NAME_MARKER.length()).trim();
        current.setLength(0);
      } else if (!trimmed.startsWith("--") && !trimmed.isEmpty() && currentName != null) {
        current.append(line).append('\n');
      }
    }
    store(byName, currentName, current);
    return new SqlStatements(dialect, byName);
  }

  private static void store(Map<String, String> byName, String name, StringBuilder sql) {
    if (name == null) {
      return;
    }
    String statement = sql.toString().trim();
    if (statement.endsWith(";")) {
      statement = statement.substring(0, statement.length() - 1).trim();
    }
    if (statement.isEmpty()) {
      throw new IllegalStateException("empty statement: " + name);
    }
    if (byName.put(name, statement) != null) {
      throw new IllegalStateException("statement defined twice: " + name);
    }
  }

  /** The statement named {@code name}; a missing one is a packaging bug, so this throws. */
  public String get(String name) {
    String sql = byName.get(name);
    if (sql == null) {
      throw new IllegalStateException("no statement '" + name + "' for dialect " + dialect);
    }
    return sql;
  }

  /** An optional statement, for dialect-specific steps such as a migration lock. */
  public Optional<String> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every statement name, in file order. */
  public java.util.Set<String> names() {
    return byName.keySet();
  }

  public String dialect() {
    return dialect;
  }
}
