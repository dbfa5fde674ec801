package io.tycostream.triggers.source;

import java.util.Objects;

/**
 * One column of a source as discovered from the server.
 *
 * @param name    the column name, exactly as the server reports it
 * @param type    the logical type its values decode to
 * @param sqlType the server's type name (for example {@code numeric}, {@code int8}), for messages and diagnostics
 */
public record SourceColumn(String name, ColumnType type, String sqlType) {

  public SourceColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(sqlType, "sqlType");
  }
}
