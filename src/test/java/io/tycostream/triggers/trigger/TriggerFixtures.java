package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Schemas, rows and changes for the trigger tests. */
public final class TriggerFixtures {

  /** One column of every type, keyed by {@code id}. */
  public static final SourceSchema ALL_TYPES = new SourceSchema(List.of(
    new SourceColumn("id", ColumnType.INTEGER, "int8"),
    new SourceColumn("quantity", ColumnType.INTEGER, "int4"),
    new SourceColumn("price", ColumnType.NUMERIC, "numeric"),
    new SourceColumn("ratio", ColumnType.FLOAT, "float8"),
    new SourceColumn("symbol", ColumnType.TEXT, "text"),
    new SourceColumn("active", ColumnType.BOOLEAN, "bool"),
    new SourceColumn("created", ColumnType.TIMESTAMP, "timestamp"),
    new SourceColumn("updated", ColumnType.TIMESTAMPTZ, "timestamptz"),
    new SourceColumn("day", ColumnType.DATE, "date"),
    new SourceColumn("payload", ColumnType.JSON, "jsonb"),
    new SourceColumn("tags", ColumnType.OTHER, "text[]")), List.of("id"));

  /** tycostream's integration-test view: {@code id}, {@code score}, {@code active}. */
  public static final SourceSchema SCORES = new SourceSchema(List.of(
    new SourceColumn("id", ColumnType.INTEGER, "int4"),
    new SourceColumn("score", ColumnType.INTEGER, "int4"),
    new SourceColumn("active", ColumnType.BOOLEAN, "bool")), List.of("id"));

  private TriggerFixtures() {
  }

  /** A row from alternating names and values; values may be {@code null}. */
  public static Map<String, Object> row(Object... namesAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      row.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return row;
  }

  /** A SCORES row; {@code score} and {@code active} may be {@code null}. */
  public static Map<String, Object> scoreRow(long id, Long score, Boolean active) {
    return row("id", id, "score", score, "active", active);
  }

  public static Change upsertScore(long id, Long score, Boolean active, long timestamp) {
    return Change.upsert(List.of(id), scoreRow(id, score, active), BigInteger.valueOf(timestamp));
  }

  public static Change deleteScore(long id, long timestamp) {
    return Change.delete(List.of(id), BigInteger.valueOf(timestamp));
  }
}
