package io.tycostream.triggers.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a source's relation, in relation order, and which of them form the key (in key order).
 * <p>
 * Immutable and safe to share between threads.
 */
public final class SourceSchema {

  private final List<SourceColumn> columns;
  private final List<String> keyColumns;
  private final Map<String, SourceColumn> byName;

  public SourceSchema(List<SourceColumn> columns, List<String> keyColumns) {
    this.columns = List.copyOf(columns);
    this.keyColumns = List.copyOf(keyColumns);
    Map<String, SourceColumn> map = new LinkedHashMap<>();
    for (SourceColumn column : this.columns) {
      map.put(column.name(), column);
    }
    this.byName = Map.copyOf(map);
    for (String key : this.keyColumns) {
      if (!byName.containsKey(key)) {
        throw new IllegalArgumentException("key column '" + key + "' is not a column of the source");
      }
    }
  }

  /** All columns in relation order (key columns included). */
  public List<SourceColumn> columns() {
    return columns;
  }

  /** The key column names, in key order. */
  public List<String> keyColumns() {
    return keyColumns;
  }

  public Optional<SourceColumn> column(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceSchema other && columns.equals(other.columns) && keyColumns.equals(other.keyColumns);
  }

  @Override
  public int hashCode() {
    return 31 * columns.hashCode() + keyColumns.hashCode();
  }

  @Override
  public String toString() {
    return "SourceSchema[columns=" + columns + ", key=" + keyColumns + "]";
  }
}
