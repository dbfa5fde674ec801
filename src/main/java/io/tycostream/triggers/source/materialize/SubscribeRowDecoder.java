package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.desc.ColumnDescriptor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes the rows of {@code SUBSCRIBE … ENVELOPE UPSERT (KEY (…)) WITH (PROGRESS)}, whose columns are
 * {@code mz_timestamp, mz_progressed, mz_state}, then the relation columns. Pure; immutable and thread-safe.
 * <p>
 * The schema is discovered from the RowDescription, never written by hand. The subscribe output puts the key
 * columns first (in KEY order) and then the value columns in relation order, so the relation's own column order
 * cannot be fully recovered: the {@link SourceSchema} and every row map use the output order (keys first, then the
 * rest). Column types follow {@link PgValueDecoder}, which also needs each column's {@code typlen}
 * ({@link WireTypeLength}) to recognise Materialize's unsigned integers.
 * <p>
 * A value that does not fit its column's type fails the row with a {@link SubscribeOutputException} naming the column:
 * reading the same output again would fail the same way.
 */
final class SubscribeRowDecoder {

  private static final List<String> METADATA = List.of("mz_timestamp", "mz_progressed", "mz_state");
  private static final int MAX_SHOWN_VALUE = 60;

  private final List<String> signature;
  private final SourceSchema schema;
  private final ColumnType[] types;
  private final String[] names;
  private final int[] keyIndexes;

  private SubscribeRowDecoder(List<String> signature, SourceSchema schema, int[] keyIndexes) {
    this.signature = signature;
    this.schema = schema;
    this.types = schema.columns().stream().map(SourceColumn::type).toArray(ColumnType[]::new);
    this.names = schema.columns().stream().map(SourceColumn::name).toArray(String[]::new);
    this.keyIndexes = keyIndexes;
  }

  /**
   * A decoder for output described by {@code columns}.
   *
   * @throws SubscribeOutputException if the columns are not the UPSERT + PROGRESS layout or lack a key column
   */
  public static SubscribeRowDecoder of(List<ColumnDescriptor> columns, List<String> keyColumns) {
    Objects.requireNonNull(columns, "columns");
    if (columns.size() <= METADATA.size()) {
      throw new SubscribeOutputException("subscribe output has no relation columns: " + names(columns));
    }
    for (int i = 0; i < METADATA.size(); i++) {
      if (!METADATA.get(i).equals(columns.get(i).name())) {
        throw new SubscribeOutputException("expected " + METADATA + " first in subscribe output, got "
            + names(columns));
      }
    }
    List<SourceColumn> relation = new ArrayList<>();
    for (ColumnDescriptor column : columns.subList(METADATA.size(), columns.size())) {
      int typlen = WireTypeLength.of(column);
      relation.add(new SourceColumn(column.name(), PgValueDecoder.columnType(column.typeName(), typlen),
          PgValueDecoder.sqlTypeName(column.typeName(), typlen)));
    }
    int[] keyIndexes = new int[keyColumns.size()];
    for (int k = 0; k < keyColumns.size(); k++) {
      keyIndexes[k] = indexOf(relation, keyColumns.get(k));
      if (keyIndexes[k] < 0) {
        throw new SubscribeOutputException("key column '" + keyColumns.get(k) + "' is not in subscribe output "
            + names(columns));
      }
    }
    return new SubscribeRowDecoder(signature(columns), new SourceSchema(relation, keyColumns), keyIndexes);
  }

  /** Whether {@code columns} describe the same output as this decoder (so it can be reused across FETCHes). */
  public boolean matches(List<ColumnDescriptor> columns) {
    return signature.equals(signature(columns));
  }

  public SourceSchema schema() {
    return schema;
  }

  /** Decodes one output row. */
  public SubscribeRow decode(Tuple row) {
    if (row.size() != METADATA.size() + types.length) {
      throw new SubscribeOutputException("row has " + row.size() + " columns, expected "
          + (METADATA.size() + types.length));
    }
    BigInteger timestamp = PgValueDecoder.decodeTimestamp(row.getValue(0));
    if (Boolean.TRUE.equals(PgValueDecoder.decode(ColumnType.BOOLEAN, row.getValue(1)))) {
      return new SubscribeRow.Progress(timestamp);
    }
    Object state = row.getValue(2);
    List<Object> key = new ArrayList<>(keyIndexes.length);
    for (int index : keyIndexes) {
      key.add(value(row, index));
    }
    if ("upsert".equals(state)) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < types.length; i++) {
        values.put(names[i], value(row, i));
      }
      return new SubscribeRow.Data(Change.upsert(key, values, timestamp));
    }
    if ("delete".equals(state)) {
      return new SubscribeRow.Data(Change.delete(key, timestamp));
    }
    if ("key_violation".equals(state)) {
      return new SubscribeRow.KeyViolation(key, timestamp);
    }
    throw new SubscribeOutputException("unknown mz_state '" + state + "' at mz_timestamp " + timestamp);
  }

  private Object value(Tuple row, int relationIndex) {
    Object value = row.getValue(METADATA.size() + relationIndex);
    try {
      return PgValueDecoder.decode(types[relationIndex], value);
    } catch (RuntimeException e) {
      SourceColumn column = schema.columns().get(relationIndex);
      throw new SubscribeOutputException("cannot decode value '" + shown(value) + "' of column '" + column.name()
          + "' (" + column.sqlType() + ") as " + column.type().displayName() + ": " + e.getMessage());
    }
  }

  private static String shown(Object value) {
    String text = String.valueOf(value);
    return text.length() > MAX_SHOWN_VALUE ? text.substring(0, MAX_SHOWN_VALUE) + "…" : text;
  }

  private static int indexOf(List<SourceColumn> relation, String name) {
    for (int i = 0; i < relation.size(); i++) {
      if (relation.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> signature(List<ColumnDescriptor> columns) {
    return columns.stream().map(c -> c.name() + ":" + c.typeName() + ":" + WireTypeLength.of(c)).toList();
  }

  private static List<String> names(List<ColumnDescriptor> columns) {
    return columns.stream().map(ColumnDescriptor::name).toList();
  }
}
